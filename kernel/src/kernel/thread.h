/*
 * The boot-time thread record: enough to run the root task. (The TCB object of the
 * capability layer replaces it; its first member stays the arch register state.)
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>

#include <arch/arch.h>

typedef struct thread {
    arch_tcb_t arch; /* first: the exception entry code saves registers here */
    const char *name;
    bool runnable;
    paddr_t vspace_root;
    unsigned asid;
} thread_t;

extern thread_t *kernel_current;

#endif /* KERNEL_THREAD_H */
