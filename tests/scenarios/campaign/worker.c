/*
 * The campaign's clients (`./sigil scenario --campaign`, tools/scenario/campaign.py): x0 = 1
 * for a victim, 2 for a witness. Both are clients of the resource manager and run until the
 * driver signals `stop` (slot 2: Read and Write, so that each passes the signal on), then
 * report and end through the manager.
 *
 *   victim   the driver's targets. It holds 8 demand-zero pages of its own pattern, and each
 *            round allocates and frees an endpoint and reads its pages back. An OutOfQuota
 *            (its quota was exhausted from outside) is counted, and it touches no page until
 *            an allocation succeeds again; an eviction is invisible to it except for faults. Its
 * exit status is the number of words it read back wrong (0 expected). Killing it, making it fault
 * or revoking its `stop` cap ends it (its next poll of slot 2 is a cap fault). witness  never
 * touched by the driver. Each round allocates two endpoints, checks its usage (exactly 32 bytes and
 * 2 objects), frees them and checks it is back at 0. Its exit status is the number of wrong or
 * missing answers: the requests the campaign lost.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { RM = 1, STOP = 2, SLOT = 4 };
#define REGION 0x200000000ull
#define PAGES  8u

static sigil_word_t stats[RM_NUM_STATS];

/* Whether the driver said stop. A poll takes the notification's word, so whoever sees it
 * signals it again for the next client (the driver signals once). */
static int stopped(void)
{
    sigil_word_t bits = 0;
    sigil_poll(STOP, &bits);
    if (bits) {
        sigil_signal(STOP);
    }
    return bits != 0;
}

static uint64_t pattern(uint64_t seed, unsigned page, unsigned word)
{
    return seed << 40 | (uint64_t)page << 20 | word;
}

static int victim(void)
{
    volatile uint64_t *r = (volatile uint64_t *)REGION;
    uint64_t seed = 0x5eed;
    unsigned long rounds = 0, wrong = 0, refused = 0;
    if (rm_demand_region(RM, REGION, PAGES << 12, 3) != Rm_ErrOk) {
        return 1000;
    }
    for (unsigned p = 0; p < PAGES; p++) {
        for (unsigned w = 0; w < 512; w += 64) {
            r[p * 512 + w] = pattern(seed, p, w);
        }
    }
    while (!stopped()) {
        sigil_word_t h;
        rm_error_t err = rm_alloc(RM, Sigil_EndpointObject, 0, 1, SLOT, &h);
        if (err == Rm_ErrOk) {
            rm_free(RM, h);
        } else if (err == Rm_ErrOutOfQuota) {
            /* Try again next round, when the driver has given the quota back; touch no page
             * now: one that was evicted could not be paid for, and the manager would end us. */
            refused++;
            rounds++;
            sigil_yield();
            continue;
        } else {
            wrong++;
        }
        for (unsigned p = 0; p < PAGES; p++) {
            for (unsigned w = 0; w < 512; w += 64) {
                wrong += r[p * 512 + w] != pattern(seed, p, w);
            }
        }
        rounds++;
        sigil_yield();
    }
    sigil_printf("campaign-victim: %lu rounds, refused %lu times, %lu wrong\n", rounds, refused,
                 wrong);
    return (int)wrong;
}

static int witness(void)
{
    unsigned long rounds = 0, wrong = 0;
    while (!stopped()) {
        sigil_word_t h;
        if (rm_alloc(RM, Sigil_EndpointObject, 0, 2, SLOT, &h) != Rm_ErrOk) {
            wrong++;
        } else {
            wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 32 ||
                     stats[Rm_StatUsedObjects] != 2;
            wrong += rm_free(RM, h) != Rm_ErrOk;
        }
        wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 0;
        rounds++;
        sigil_yield();
    }
    sigil_printf("campaign-witness: %lu rounds, %lu wrong answers\n", rounds, wrong);
    return (int)wrong;
}

int main(const void *arg)
{
    return (uintptr_t)arg == 1 ? victim() : witness();
}
