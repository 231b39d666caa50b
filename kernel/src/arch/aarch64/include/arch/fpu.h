/*
 * FPU context switching (see fpu.c).
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdbool.h>

struct tcb;

/* `t` is about to return to user space: open or trap the FPU for it. */
void arch_fpu_switch_to(struct tcb *t);

/* `t` used the FPU while it was trapped. True if that was only laziness (the state is now
 * switched in: run the instruction again); false if the thread has fpuDisabled (a fault). */
bool arch_fpu_trap(struct tcb *t);

/* `t` is being destroyed: it no longer owns the FPU. */
void arch_fpu_forget(struct tcb *t);

#endif /* ARCH_FPU_H */
