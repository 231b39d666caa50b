/*
 * Linked only into the `el0_serror` test image: at the end of boot, enter the exception vector
 * for an SError taken from EL0 exactly as the CPU would while the root thread runs at EL0 —
 * SP_EL1 and TPIDR_EL1 on the thread's saved registers. QEMU cannot raise an SError from EL0 on
 * demand. The kernel must save the thread's registers, take its own stack and report the
 * exception with the thread, then stop.
 */
#include <stdint.h>

#include <arch/sysreg.h>

#include "kernel/kernel.h"
#include "object/tcb.h"

extern const char arch_vectors[];

void boot_test_hook(void)
{
    tcb_t *t = kernel_root_thread;
    SYSREG_WRITE(tpidr_el1, (uint64_t)(uintptr_t)&t->arch.regs);
    SYSREG_WRITE(elr_el1, t->arch.regs.x[ARCH_REG_PC]);
    SYSREG_WRITE(spsr_el1, 0); /* EL0t */
    __asm__ volatile("mov sp, %0\n br %1" ::"r"(&t->arch.regs), "r"(arch_vectors + 11 * 0x80)
                     : "memory");
    __builtin_unreachable();
}
