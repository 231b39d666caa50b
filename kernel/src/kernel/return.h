/*
 * The way back to user space, inline so that the fastpath pays only for what it needs:
 * switch to the thread's VSpace, set the FPU up for it, make it current for the exception
 * entry code, and restore its registers.
 */
#ifndef KERNEL_RETURN_H
#define KERNEL_RETURN_H

#include <arch/arch.h>
#include <arch/fpu.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>

#include "object/tcb.h"

/* Return to `t`, whose VSpace root is `root` (NULL: it has none). */
__attribute__((always_inline, noreturn)) static inline void kernel_return_to_vspace(tcb_t *t,
                                                                                    void *root)
{
    arch_switch_vspace(root);
    /* The FPU stays as it is when that is right: trapped with no owner for a thread that has
     * never used it (the quick test), open for its owner; anything else is fpu.c's work. */
    if (arch_fpu_owner != NULL || t->arch.fpu_used || arch_fpu_cpacr == ARCH_CPACR_FPU_OPEN) {
        bool open = arch_fpu_cpacr == ARCH_CPACR_FPU_OPEN;
        bool disabled = (t->flags & TCB_FLAG_FPU_DISABLED) != 0;
        bool owns = t == arch_fpu_owner && !disabled;
        if (owns != open || (!owns && t->arch.fpu_used && !disabled)) {
            arch_fpu_switch_to(t);
        }
    }
    SYSREG_WRITE(tpidr_el1, (uint64_t)(uintptr_t)&t->arch.regs);
    arch_return_to_user();
}

__attribute__((always_inline, noreturn)) static inline void kernel_return_inline(tcb_t *t)
{
    cap_t vs = t->slots[TCB_SLOT_VSPACE].cap;
    kernel_return_to_vspace(t, cap_type(vs) == Sigil_CapVSpace ? cap_ptr(vs) : NULL);
}

#endif /* KERNEL_RETURN_H */
