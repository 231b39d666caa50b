/*
 * Exception handling in C: what vectors.S calls.
 *
 * From EL0, a synchronous exception is either a syscall (svc) or a fault of the user thread;
 * an IRQ is a device or timer interrupt. From EL1, every exception is a kernel bug: the report
 * decodes the exception class, shows ESR, FAR, ELR, SPSR and all registers, and stops the
 * system with a failure status.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

#include "kernel/kernel.h"
#include "lib/assert.h"
#include "lib/kprintf.h"

struct trap_frame {
    uint64_t x[31];
    uint64_t sp;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};

static const char *const vector_names[16] = {
    "sync (SP0)", "irq (SP0)", "fiq (SP0)",  "serror (SP0)", "sync",      "irq",
    "fiq",        "serror",    "sync (EL0)", "irq (EL0)",    "fiq (EL0)", "serror (EL0)",
    "sync (A32)", "irq (A32)", "fiq (A32)",  "serror (A32)",
};

const char *arch_exception_class_name(unsigned ec)
{
    switch (ec) {
    case EC_UNKNOWN:
        return "unknown reason (undefined instruction)";
    case EC_WFX:
        return "trapped WFI/WFE";
    case EC_FP_ASIMD:
        return "FP/SIMD access trapped";
    case EC_ILLEGAL_STATE:
        return "illegal execution state";
    case EC_SVC64:
        return "SVC";
    case EC_HVC64:
        return "HVC";
    case EC_SMC64:
        return "SMC";
    case EC_SYSREG:
        return "system register access trapped";
    case EC_IABT_LOWER:
        return "instruction abort from EL0";
    case EC_IABT_CURRENT:
        return "instruction abort in the kernel";
    case EC_PC_ALIGN:
        return "PC alignment fault";
    case EC_DABT_LOWER:
        return "data abort from EL0";
    case EC_DABT_CURRENT:
        return "data abort in the kernel";
    case EC_SP_ALIGN:
        return "SP alignment fault";
    case EC_FP_EXC64:
        return "floating-point exception";
    case EC_SERROR:
        return "SError";
    case EC_BRK64:
        return "BRK instruction";
    default:
        return "unrecognised exception class";
    }
}

const char *arch_fault_status_name(unsigned fsc)
{
    switch (fsc & 0x3c) {
    case 0x00:
        return "address size fault";
    case 0x04:
        return "translation fault";
    case 0x08:
        return "access flag fault";
    case 0x0c:
        return "permission fault";
    default:
        break;
    }
    if (fsc == 0x21) {
        return "alignment fault";
    }
    return "other fault";
}

static void report_abort_detail(unsigned ec, uint64_t esr)
{
    if (ec == EC_DABT_LOWER || ec == EC_DABT_CURRENT || ec == EC_IABT_LOWER ||
        ec == EC_IABT_CURRENT) {
        unsigned fsc = esr & 0x3f;
        kprintf("  fault status 0x%02x: %s, level %u%s\n", fsc, arch_fault_status_name(fsc),
                fsc & 3,
                (ec == EC_DABT_LOWER || ec == EC_DABT_CURRENT) && (esr & (1u << 6)) ? ", on a write"
                                                                                    : "");
    }
}

extern const char arch_smc_insn[];

void arch_kernel_trap(struct trap_frame *f, uint64_t kind)
{
    unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;
    if (kind == 4 && ec == EC_UNKNOWN && f->elr == (uint64_t)(uintptr_t)arch_smc_insn) {
        /* No firmware answered the SMC: report SMCCC NOT_SUPPORTED to the caller. */
        f->x[0] = (uint64_t)-1;
        f->elr += 4;
        return;
    }
    kprintf("\n*** SIGIL KERNEL EXCEPTION: %s, class 0x%02x: %s ***\n", vector_names[kind & 15], ec,
            arch_exception_class_name(ec));
    kprintf("  ESR 0x%016llx  FAR 0x%016llx\n", (unsigned long long)f->esr,
            (unsigned long long)f->far);
    kprintf("  ELR 0x%016llx  SPSR 0x%016llx  SP 0x%016llx\n", (unsigned long long)f->elr,
            (unsigned long long)f->spsr, (unsigned long long)f->sp);
    report_abort_detail(ec, f->esr);
    for (unsigned i = 0; i < 31; i += 2) {
        if (i + 1 < 31) {
            kprintf("  x%-2u 0x%016llx  x%-2u 0x%016llx\n", i, (unsigned long long)f->x[i], i + 1,
                    (unsigned long long)f->x[i + 1]);
        } else {
            kprintf("  x%-2u 0x%016llx\n", i, (unsigned long long)f->x[i]);
        }
    }
    kpanic("unexpected exception in the kernel");
}

_Noreturn void arch_user_unexpected(arch_regs_t *regs, uint64_t kind)
{
    uint64_t esr = SYSREG_READ(esr_el1);
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    const struct tcb *t = (const struct tcb *)regs; /* the registers are the TCB's first member */
    kprintf("\n*** SIGIL KERNEL EXCEPTION: %s, class 0x%02x: %s, in thread '%s' (TCB %p) ***\n",
            vector_names[kind & 15], ec, arch_exception_class_name(ec), kernel_thread_name(t),
            (const void *)t);
    kprintf("  ESR 0x%016llx  FAR 0x%016llx\n", (unsigned long long)esr,
            (unsigned long long)SYSREG_READ(far_el1));
    kprintf("  pc 0x%016llx  sp 0x%016llx  spsr 0x%016llx\n",
            (unsigned long long)regs->x[ARCH_REG_PC], (unsigned long long)regs->x[ARCH_REG_SP],
            (unsigned long long)regs->x[ARCH_REG_SPSR]);
    kpanic("unexpected exception from user space");
}

void arch_user_sync(uint64_t esr, uint64_t far)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    if (ec == EC_SVC64) {
        /* The fastpath was tried (vectors.S) and did not apply. */
        syscall_handle(arch_current_regs());
        return;
    }
    kernel_user_fault(ec, esr, far);
}

void arch_user_irq(void)
{
    kernel_handle_interrupts();
}

arch_regs_t *arch_current_regs(void)
{
    return (arch_regs_t *)(uintptr_t)SYSREG_READ(tpidr_el1);
}

_Noreturn void kpanic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("\n*** SIGIL PANIC: ");
    kvprintf(fmt, ap);
    kprintf(" ***\n");
    va_end(ap);
    arch_power_off(KERNEL_STATUS_PANIC);
}
