/*
 * The SMC-grant benchmarks (tests/rm/bench_rm_smc.yaml, image bench_rm_smc: release kernel and
 * manager, `./sigil bench`). The client runs at the manager's priority, so both halves of a round
 * trip can take the IPC fastpath, and times with the cycle counter (instructions under -icount
 * shift=0), each figure the mean of ROUNDS runs after one warm-up:
 *   rm_smc_grant_roundtrip   SmcGrant(PSCI_VERSION) from the call to the reply's return: the
 *                            manager's mint from its master cap, the copy into the client's
 *                            slot and its smc_grant event line
 *   rm_smc_revoke_roundtrip  SmcRevoke of that grant: revoke and delete, and the event line
 * Every timed request is checked by what it must have done: after a grant, PSCI_VERSION through
 * the slot answers 0x10001 (a real smc); after a revoke the same call fails with
 * InvalidCapability (the slot is empty). A failed check prints FAILED and no figure.
 */
#include <sigil/invocations.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#define PSCI_VERSION 0x84000000ull
#define ROUNDS       16u

enum { RM = 1, SLOT = 2 };

static int failures;

static void check(int ok, const char *what, unsigned round)
{
    if (!ok) {
        failures++;
        sigil_printf("rm-smc-bench: FAILED: %s in round %u\n", what, round);
    }
}

static sigil_word_t version(sigil_word_t *x0)
{
    sigil_word_t args[8] = {PSCI_VERSION}, out[8] = {0};
    sigil_word_t err = sigil_smc_call(SLOT, args, out);
    *x0 = out[0];
    return err;
}

int main(const void *arg)
{
    (void)arg;
    uint64_t t_grant = 0, t_revoke = 0;
    for (unsigned i = 0; i <= ROUNDS; i++) {
        sigil_word_t h = 0, x0 = 0;
        uint64_t t0 = sigil_cycles();
        rm_error_t e1 = rm_smc_grant(RM, PSCI_VERSION, SLOT, &h);
        uint64_t t1 = sigil_cycles();
        check(e1 == Rm_ErrOk && version(&x0) == 0 && x0 == 0x10001, "grant", i);
        uint64_t t2 = sigil_cycles();
        rm_error_t e2 = rm_smc_revoke(RM, h);
        uint64_t t3 = sigil_cycles();
        check(e2 == Rm_ErrOk && version(&x0) == Sigil_InvalidCapability, "revoke", i);
        if (i > 0) {
            t_grant += t1 - t0;
            t_revoke += t3 - t2;
        }
    }
    if (failures == 0) {
        sigil_printf("BENCH rm_smc_grant_roundtrip %lu\n", (unsigned long)(t_grant / ROUNDS));
        sigil_printf("BENCH rm_smc_revoke_roundtrip %lu\n", (unsigned long)(t_revoke / ROUNDS));
    }
    return failures;
}
