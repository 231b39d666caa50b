/*
 * AArch64 per-thread state saved in the TCB.
 *
 * The exception entry code (vectors.S) saves a user thread's registers into `regs` of the
 * current thread's arch_tcb_t and restores them on return, so the layout here is shared
 * with assembly: keep ARCH_REGS_* offsets in sync with the struct (checked by static asserts).
 */
#ifndef ARCH_TCB_H
#define ARCH_TCB_H

#include <stdint.h>

/* Index of each saved register in arch_regs_t.x[]. x0-x30 are 0-30. */
enum {
    ARCH_REG_SP = 31,     /* sp_el0 */
    ARCH_REG_PC = 32,     /* elr_el1: where the thread resumes */
    ARCH_REG_SPSR = 33,   /* spsr_el1 */
    ARCH_REG_TPIDR = 34,  /* tpidr_el0 (TLS base, RFC-3) */
    ARCH_NUM_REGS = 35,
};

typedef struct arch_regs {
    uint64_t x[ARCH_NUM_REGS];
} arch_regs_t;

typedef struct arch_tcb {
    arch_regs_t regs; /* must stay first: vectors.S addresses it from the TCB pointer */
} arch_tcb_t;

#define ARCH_REGS_SIZE (ARCH_NUM_REGS * 8)

#endif /* ARCH_TCB_H */
