/*
 * The AArch64 implementations of the capability core's arch hooks (src/arch/hooks.h).
 */
#include <arch/arch.h>
#include <arch/fpu.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

#include "arch/hooks.h"
#include "object/tcb.h"

void *arch_kptr_from_paddr(paddr_t pa)
{
    return arch_kptr(pa);
}

paddr_t arch_paddr_from_kptr(const void *kptr)
{
    return arch_paddr(kptr);
}

/* DC ZVA zeroes one block of 4 << DCZID_EL0.BS bytes (64 on the Cortex-A57). */
static size_t zva_block(void)
{
    static size_t block;
    if (block == 0) {
        block = 4u << (SYSREG_READ(dczid_el0) & 0xf);
    }
    return block;
}

void arch_clear_memory(void *kptr, size_t len)
{
    uint8_t *p = kptr, *end = p + len;
    size_t block = zva_block();
    while (p < end && ((uintptr_t)p & (block - 1)) != 0) {
        __asm__ volatile("stp xzr, xzr, [%0]" ::"r"(p) : "memory");
        p += 16;
    }
    for (; (size_t)(end - p) >= block; p += block) {
        __asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
    }
    for (; p < end; p += 16) {
        __asm__ volatile("stp xzr, xzr, [%0]" ::"r"(p) : "memory");
    }
}

bool arch_preemption_pending(void)
{
    /* ISR_EL1.I: an IRQ is pending at the CPU, even though the kernel runs with it masked. */
    return (SYSREG_READ(isr_el1) & (1u << 7)) != 0;
}

void arch_tcb_init(struct tcb *t)
{
    t->arch.regs.x[ARCH_REG_SPSR] = SPSR_EL0T;
}

void arch_tcb_destroy(struct tcb *t)
{
    arch_fpu_forget(t);
}

bool arch_irq_valid(word_t irq)
{
    return sigil_irq_grantable(irq); /* generated from kernel/abi/sigil.yaml `irqs` */
}

void arch_irq_set_masked(word_t irq, bool masked)
{
    if (masked) {
        gic_disable_irq((unsigned)irq);
    } else {
        gic_enable_irq((unsigned)irq);
    }
}
