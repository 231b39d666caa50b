/*
 * Ending a system through the firmware (tests/loader/firmware_off.yaml, docs/kernel/debug.md
 * "Ending the system on a machine with firmware"): the component holds an SMC cap badged for
 * PSCI SYSTEM_OFF and calls it; the firmware powers the machine off and nothing more is printed.
 * On a boot without firmware (`--no-virt`) the call answers -1 (SMCCC NOT_SUPPORTED) and the
 * component ends through DebugPowerOff instead, with the Debug cap allowing PowerOff that it
 * gets because it ends the system.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#define PSCI_SYSTEM_OFF 0x84000008ull

enum { SMC = 1 };

int main(const void *arg)
{
    (void)arg;
    sigil_word_t args[8] = {PSCI_SYSTEM_OFF}, out[8] = {0};
    sigil_printf("firmware-off: ending the system through PSCI SYSTEM_OFF\n");
    sigil_word_t err = sigil_smc_call(SMC, args, out);
    sigil_printf("firmware-off: no firmware answered (error %lu, x0 %ld): ending through "
                 "DebugPowerOff\n",
                 (unsigned long)err, (long)out[0]);
    return 0;
}
