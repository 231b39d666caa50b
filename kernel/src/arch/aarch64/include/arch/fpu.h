/*
 * FPU context switching (see fpu.c).
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdbool.h>
#include <stdint.h>

struct tcb;

/* The FPU's owner and the CPACR_EL1 value in force (fpu.c); read by the inline check below. */
extern struct tcb *arch_fpu_owner;
extern uint64_t arch_fpu_cpacr;
void arch_fpu_switch_slow(struct tcb *t);

#define ARCH_CPACR_FPU_OPEN (3u << 20)

/* `t` is about to return to user space: open or trap the FPU for it. Callers may skip the
 * call when `t` owns the FPU, it is open, and `t` has not got fpuDisabled. */
#define arch_fpu_switch_to arch_fpu_switch_slow

/* `t` used the FPU while it was trapped. True if that was only laziness (the state is now
 * switched in: run the instruction again); false if the thread has fpuDisabled (a fault). */
bool arch_fpu_trap(struct tcb *t);

/* `t` is being destroyed: it no longer owns the FPU. */
void arch_fpu_forget(struct tcb *t);

#endif /* ARCH_FPU_H */
