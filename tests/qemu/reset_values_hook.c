/*
 * Linked into the `el0_sysregs` test image: before the kernel initialises anything, give the
 * system registers whose reset values are UNKNOWN on hardware the most permissive values (QEMU
 * resets them to 0), so the test shows that the kernel sets them itself.
 */
#include <arch/sysreg.h>

#include "kernel/kernel.h"

void boot_test_early_hook(void)
{
    /* CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN — EL0 reads the counters and programs
     * both timers. */
    SYSREG_WRITE(cntkctl_el1, 0x303);
}
