/*
 * AArch64 per-thread state saved in the TCB.
 *
 * The exception entry code (vectors.S) saves a user thread's registers into `regs` of the
 * current thread's arch_tcb_t and restores them on return, so the layout here is shared
 * with assembly (vectors.S uses byte offsets 8 * index): keep the two in step.
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
    ARCH_REG_IPCBUF = 35, /* tpidrro_el0: the IPC buffer's address, read-only at EL0 */
    ARCH_NUM_REGS = 36,
};

typedef struct arch_regs {
    uint64_t x[ARCH_NUM_REGS];
} arch_regs_t;

/* FP/SIMD state: q0-q31, then FPSR and FPCR (fpu.S relies on this layout). */
typedef struct arch_fpu_state {
    __uint128_t q[32];
    uint64_t fpsr;
    uint64_t fpcr;
} __attribute__((aligned(16))) arch_fpu_state_t;

typedef struct arch_tcb {
    arch_regs_t regs;     /* must stay first: vectors.S addresses it from the TCB pointer */
    uint64_t fpu_used;    /* the thread has used the FPU: its state is switched eagerly */
    arch_fpu_state_t fpu; /* valid while the thread is not the FPU owner (fpu.c) */
} arch_tcb_t;

#define ARCH_REGS_SIZE (ARCH_NUM_REGS * 8)

/* Syscall ABI (seL4's on AArch64): x7 = syscall number, x0-x6 arguments and results. */
static inline int64_t arch_syscall_number(const arch_regs_t *r)
{
    return (int64_t)r->x[7];
}

static inline uint64_t arch_syscall_arg(const arch_regs_t *r, unsigned i)
{
    return r->x[i];
}

static inline void arch_syscall_set(arch_regs_t *r, unsigned i, uint64_t v)
{
    r->x[i] = v;
}

#endif /* ARCH_TCB_H */
