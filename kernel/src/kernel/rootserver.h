/*
 * Creating the root task from the image the kernel carries (see rootserver.c for its layout).
 */
#ifndef KERNEL_ROOTSERVER_H
#define KERNEL_ROOTSERVER_H

#include <stdint.h>

#include "object/tcb.h"

/* Build the root task in RAM [ram_base, ram_end) and return its TCB, ready to run. Every byte
 * of RAM the root task's boot objects do not use becomes untyped memory. Panics on a malformed
 * image or too little RAM: both are part of the kernel build, not user input. */
tcb_t *rootserver_build(paddr_t ram_base, paddr_t ram_end, uint64_t pmu_preamble);

#endif /* KERNEL_ROOTSERVER_H */
