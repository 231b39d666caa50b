/*
 * The campaign's clients (`./sigil scenario --campaign`, tools/scenario/campaign.py): x0 = the
 * role (1 victim, 2 witness) | the server's client id << 8. Both are clients of the resource
 * manager and of the campaign's server (server.c), and run until the driver signals `stop`
 * (slot 2: Read and Write, so that each passes the signal on), then report and end through the
 * manager.
 *
 * Each lends the server a page of its own (word i = its pattern) and, each round, asks the server
 * for the page's sum (SUM) and checks the answer. An answer Aborted with reason `fault` (the
 * driver made the server fault while it served this request) was answered: the next round asks
 * again.
 *
 *   victim   the driver's targets. It holds 8 demand-zero pages of its own pattern, and each
 *            round asks the server, allocates and frees an endpoint and reads its pages back.
 *            An answer Aborted with reason `revoked` means the driver revoked its loan (while
 *            the server worked on it, or before): the manager has cut it off, so it connects and
 *            lends again. An OutOfQuota (its quota was exhausted from outside) is counted, and
 *            it touches no page until an allocation succeeds again; an eviction is invisible to
 *            it except for faults. Its exit status is the number of words it read back wrong
 *            plus the wrong answers it got (0 expected). Killing it, making it fault or revoking
 *            its `stop` cap ends it (its next poll of slot 2 is a cap fault).
 *   witness  never touched by the driver. Each round asks the server, allocates two endpoints,
 *            checks its usage (exactly 32 bytes and 2 objects above what its lent page costs),
 *            frees them and checks it is back. Its exit status is the number of wrong or missing
 *            answers, the server's included: the requests the campaign lost.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "campaign.h"

enum { RM = 1, STOP = 2, SRV = CAMPAIGN_SRV_SLOT, SLOT = 4, FRAME = 6 };
#define REGION 0x200000000ull
#define OWN    0x300000000ull /* the lent page, mapped for the client itself */
#define PAGES  8u

static sigil_word_t stats[RM_NUM_STATS];
static sigil_word_t server, page, lent_at;
static uint64_t page_sum;

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

static uint64_t pattern(uint64_t seed, unsigned page_no, unsigned word)
{
    return seed << 40 | (uint64_t)page_no << 20 | word;
}

/* Connect to the server and lend it the page; 0, or 1 on an error. */
static unsigned lend(void)
{
    return rm_connect(RM, server, SRV) != Rm_ErrOk ||
           rm_lend(RM, page, server, Sigil_CanRead, &lent_at) != Rm_ErrOk;
}

/* A page of its own filled with `seed`'s pattern, lent to the server; 0, or 1 on an error. The
 * server runs at the clients' priority: until it has set up (Serve, Window), Connect and Lend
 * are InvalidArgument, and a yield lets it on. */
static unsigned set_up_page(uint64_t seed)
{
    if (rm_alloc_mapped_page(RM, FRAME, OWN, &page) != Rm_ErrOk) {
        return 1;
    }
    volatile uint64_t *p = (volatile uint64_t *)OWN;
    for (unsigned w = 0; w < CAMPAIGN_PAGE_WORDS; w++) {
        p[w] = pattern(seed, 99, w);
        page_sum += p[w];
    }
    rm_error_t err;
    for (unsigned tries = 0; (err = rm_connect(RM, server, SRV)) != Rm_ErrOk && tries < 1000;
         tries++) {
        sigil_yield();
    }
    for (unsigned tries = 0;
         err == Rm_ErrOk &&
         (err = rm_lend(RM, page, server, Sigil_CanRead, &lent_at)) != Rm_ErrOk && tries < 1000;
         tries++) {
        sigil_yield();
    }
    return err != Rm_ErrOk;
}

/* One request to the server: 0 if it was answered right (or Aborted by a server fault, or, for a
 * victim, by its loan's revocation: then it lends again), 1 otherwise. */
static unsigned ask(int victim, unsigned long *revoked)
{
    sigil_set_mr(0, lent_at);
    sigil_msginfo_t info = sigil_call(SRV, sigil_msginfo_new(CAMPAIGN_SUM, 0, 0, 1));
    sigil_word_t label = sigil_msginfo_label(info), mr0 = sigil_get_mr(0);
    if (label == Rm_ErrOk) {
        return mr0 != page_sum;
    }
    if (label == Rm_ErrAborted && mr0 == RM_RECOVERY_REASON_FAULT) {
        return 0;
    }
    if (victim && label == Rm_ErrAborted && mr0 == RM_RECOVERY_REASON_REVOKED) {
        ++*revoked;
        return lend();
    }
    return 1;
}

static int victim(void)
{
    volatile uint64_t *r = (volatile uint64_t *)REGION;
    uint64_t seed = 0x5eed;
    unsigned long rounds = 0, wrong = 0, refused = 0, revoked = 0;
    if (set_up_page(seed) || rm_demand_region(RM, REGION, PAGES << 12, 3) != Rm_ErrOk) {
        return 1000;
    }
    for (unsigned p = 0; p < PAGES; p++) {
        for (unsigned w = 0; w < 512; w += 64) {
            r[p * 512 + w] = pattern(seed, p, w);
        }
    }
    while (!stopped()) {
        sigil_word_t h;
        wrong += ask(1, &revoked);
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
    sigil_printf("campaign-victim: %lu rounds, refused %lu times, loan revoked %lu times, %lu "
                 "wrong\n",
                 rounds, refused, revoked, wrong);
    return (int)wrong;
}

static int witness(void)
{
    unsigned long rounds = 0, wrong = 0, revoked = 0;
    if (set_up_page(0x3117) || rm_stats(RM, stats) != Rm_ErrOk) {
        return 1000;
    }
    sigil_word_t base_bytes = stats[Rm_StatUsedBytes], base_objects = stats[Rm_StatUsedObjects];
    while (!stopped()) {
        sigil_word_t h;
        wrong += ask(0, &revoked);
        if (rm_alloc(RM, Sigil_EndpointObject, 0, 2, SLOT, &h) != Rm_ErrOk) {
            wrong++;
        } else {
            wrong += rm_stats(RM, stats) != Rm_ErrOk ||
                     stats[Rm_StatUsedBytes] != base_bytes + 32 ||
                     stats[Rm_StatUsedObjects] != base_objects + 2;
            wrong += rm_free(RM, h) != Rm_ErrOk;
        }
        wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != base_bytes;
        rounds++;
        sigil_yield();
    }
    sigil_printf("campaign-witness: %lu rounds, %lu wrong answers\n", rounds, wrong);
    return (int)wrong;
}

int main(const void *arg)
{
    uintptr_t a = (uintptr_t)arg;
    server = a >> 8;
    return (a & 0xff) == 1 ? victim() : witness();
}
