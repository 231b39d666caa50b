/*
 * FPU context switching (RFC-18): semi-lazy, with a per-thread fpuDisabled flag.
 *
 * The FP/SIMD registers belong to one thread at a time, the owner. When a thread returns to
 * user space:
 *   - fpuDisabled set: the FPU is trapped (CPACR_EL1.FPEN = 0); using it is an ordinary fault
 *     (UserException, Number = exception class 0x07) for its fault handler;
 *   - it owns the FPU: the FPU is open;
 *   - it has used the FPU before: its state is switched in eagerly (the owner's saved first);
 *   - otherwise the FPU is trapped, and the first use switches the state in (lazily) and lets
 *     the instruction run again. Threads that never touch the FPU never pay for it.
 */
#include <arch/arch.h>
#include <arch/fpu.h>
#include <arch/sysreg.h>

#include "object/tcb.h"

#define CPACR_FPEN_OPEN (3u << 20)
#define CPACR_FPEN_TRAP 0u

struct tcb *arch_fpu_owner;
uint64_t arch_fpu_cpacr = CPACR_FPEN_OPEN; /* head.S leaves it open */
#define owner     arch_fpu_owner
#define cpacr_now arch_fpu_cpacr

void arch_fpu_save(arch_fpu_state_t *s);
void arch_fpu_restore(const arch_fpu_state_t *s);

static void set_cpacr(uint64_t v)
{
    if (v != cpacr_now) {
        SYSREG_WRITE(cpacr_el1, v);
        arch_isb();
        cpacr_now = v;
    }
}

/* Make `t` the owner: save the current owner's registers, load t's. */
static void take_fpu(tcb_t *t)
{
    set_cpacr(CPACR_FPEN_OPEN);
    if (owner != NULL) {
        arch_fpu_save(&owner->arch.fpu);
    }
    arch_fpu_restore(&t->arch.fpu);
    owner = t;
    t->arch.fpu_used = 1;
}

void arch_fpu_switch_slow(tcb_t *t)
{
    if (t->flags & TCB_FLAG_FPU_DISABLED) {
        set_cpacr(CPACR_FPEN_TRAP);
    } else if (owner == t) {
        set_cpacr(CPACR_FPEN_OPEN);
    } else if (t->arch.fpu_used) {
        take_fpu(t);
    } else {
        set_cpacr(CPACR_FPEN_TRAP);
    }
}

bool arch_fpu_trap(tcb_t *t)
{
    if (t->flags & TCB_FLAG_FPU_DISABLED) {
        return false;
    }
    take_fpu(t);
    return true;
}

void arch_fpu_forget(tcb_t *t)
{
    if (owner == t) {
        owner = NULL;
    }
}
