/*
 * SMC without firmware: booted without virtualization=on, QEMU has nothing at EL3 or EL2 to
 * answer `smc`, so the instruction is undefined in the kernel. The kernel must turn that into
 * the SMCCC answer NOT_SUPPORTED (-1) for the caller, and keep running.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "ktest.h"

int main(const void *arg)
{
    (void)arg;
    sigil_word_t out[8] = {0};
    const sigil_word_t version[8] = {0x84000000};
    const sigil_word_t unknown[8] = {0x8400ff00};
    KTEST_EQ("SMC-NOFW-001a call", sigil_smc_call(Sigil_SlotSMC, version, out), Sigil_NoError);
    KTEST_EQ("SMC-NOFW-001b not supported", out[0], (sigil_word_t)-1);
    KTEST_EQ("SMC-NOFW-002a call", sigil_smc_call(Sigil_SlotSMC, unknown, out), Sigil_NoError);
    KTEST_EQ("SMC-NOFW-002b not supported", out[0], (sigil_word_t)-1);
    for (int i = 0; i < 100; i++) {
        sigil_smc_call(Sigil_SlotSMC, version, out);
    }
    KTEST_EQ("SMC-NOFW-003 still running after 100 more", out[0], (sigil_word_t)-1);
    return ktest_finish();
}
