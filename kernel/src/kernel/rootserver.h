/*
 * Creating the root task from the image the kernel carries (see rootserver.c for its layout).
 */
#ifndef KERNEL_ROOTSERVER_H
#define KERNEL_ROOTSERVER_H

#include <stdint.h>

#include "kernel/thread.h"

/* Build the root task's address space and initial registers in `t`; returns the address of
 * its boot-info page. Panics on a malformed image: the image is part of the kernel build. */
uint64_t rootserver_build(thread_t *t, uint64_t pmu_preamble);

#endif /* KERNEL_ROOTSERVER_H */
