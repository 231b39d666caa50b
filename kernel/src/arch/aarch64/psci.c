/*
 * Power control through PSCI. QEMU virt answers PSCI calls itself: through `smc` when the
 * machine has EL2 (virtualization=on), otherwise through `hvc`. The device tree's
 * /psci "method" property says which; boot.c passes it on.
 */
#include <arch/arch.h>

#include "lib/kprintf.h"

#define PSCI_SYSTEM_OFF 0x84000008u

static bool psci_hvc;

void psci_set_conduit_hvc(bool hvc)
{
    psci_hvc = hvc;
}

_Noreturn void arch_power_off(int status)
{
    kprintf("sigil: power off, status %d\n", status);
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    if (psci_hvc) {
        __asm__ volatile("hvc #0" : "+r"(x0)::"memory");
    } else {
        __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}
