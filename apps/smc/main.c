/*
 * The `smc` system's program, run by two components (specs/smc.yaml) told apart by x0:
 *   1 (`version`): its SMC cap is badged for PSCI_VERSION; it calls it, prints the version and
 *     suspends itself (slot 2 holds its TCB);
 *   2 (`other`): its SMC cap is badged for another function id; calling PSCI_VERSION with it
 *     must be refused with IllegalOperation. It runs last and powers the machine off.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#define PSCI_VERSION 0x84000000ull

enum { SMC = 1, TCB = 2 };

int main(const void *arg)
{
    uint64_t role = (uint64_t)(uintptr_t)arg;
    sigil_word_t args[8] = {PSCI_VERSION}, out[8] = {0};
    sigil_word_t err = sigil_smc_call(SMC, args, out);
    if (role == 1) {
        sigil_printf("smc: PSCI_VERSION through a badged cap: error %lu, version 0x%lx\n",
                     (unsigned long)err, (unsigned long)out[0]);
        sigil_tcb_suspend(TCB);
        return 1; /* not reached */
    }
    sigil_printf("smc: PSCI_VERSION through a cap badged for another id: %s\n",
                 err == Sigil_IllegalOperation ? "refused with IllegalOperation" : "NOT refused");
    return err == Sigil_IllegalOperation ? 0 : 1;
}
