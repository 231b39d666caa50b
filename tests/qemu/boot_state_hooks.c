/*
 * Linked into the `el0_sysregs` test image: hooks that check the machine state boot leaves.
 *
 * First, before the kernel initialises anything, give the system registers whose reset values
 * are UNKNOWN on hardware the most permissive values (QEMU resets them to 0), so the test shows
 * that the kernel sets them itself. Last, check that the kernel's boot identity map is gone from
 * TTBR0 before any thread runs.
 */
#include <arch/machine.h>
#include <arch/sysreg.h>

#include "kernel/kernel.h"
#include "lib/assert.h"
#include "lib/kprintf.h"

void boot_test_early_hook(void)
{
    /* CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN — EL0 reads the counters and programs
     * both timers. */
    SYSREG_WRITE(cntkctl_el1, 0x303);
}

void boot_test_hook(void)
{
    /* The kernel's load address, translated as a TTBR0 address, must not resolve. */
    __asm__ volatile("at s1e1r, %0" ::"r"((uint64_t)KERNEL_PHYS_BASE));
    arch_isb();
    if ((SYSREG_READ(par_el1) & 1) == 0) {
        kpanic("the boot identity map is still in TTBR0");
    }
    kprintf("sigil-test: no identity map in TTBR0 after boot\n");
}
