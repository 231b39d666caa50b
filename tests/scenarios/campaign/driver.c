/*
 * The fault-injection campaign's driver (`./sigil scenario --campaign N --seed S`,
 * tools/scenario/campaign.py, docs/scenarios.md "Campaigns"): an administrator client of the
 * resource manager that makes N random injections into a system of victims while witnesses,
 * which it never touches, keep making requests.
 *
 * Its parameters are a page of words (protocol.yaml `injector: campaign`) whose address is its
 * x0. Each injection is drawn from xorshift64 seeded with S, so a seed names one campaign:
 *
 *   exhaust  a victim's quota set to its usage; when the victim has been refused (its
 *            out_of_quota count grows) the quota is given back: recovered;
 *   evict    up to 64 of a victim's demand-zero pages taken away (it reads them back): recovered;
 *   flood    64 random requests from the driver, every one answered: recovered;
 *   kill     a victim killed;
 *   fault    a victim made to fault: the manager's policy for an unhandled fault ends it;
 *   revoke   a victim's `stop` cap revoked: its next poll is a cap fault, and the policy ends it.
 *
 * The last three end their victim, so they are drawn only while more than MIN_LIVE victims
 * live; after that the draw is among the first three. Those may end a victim too, by the
 * manager's policy (a victim preempted while it reads an evicted page during an exhaust cannot
 * pay for the page); with no victim left, every draw is a flood. After every injection the driver
 * checks the manager's accounting: the usage of every live client plus the pool's free bytes is the
 * pool. At the end it signals `stop`, waits until every client has ended, and checks that the
 * pool is whole: every byte free (leaked = pool - free) and every top block retyped whole.
 * After every injection it is also a witness itself: it allocates two endpoints, checks its
 * usage, frees them and checks again; a wrong or missing answer is a lost request. It prints a
 * summary and the campaign's figures as BENCH lines (the image bench_campaign is booted by
 * `./sigil bench` under -icount); the witnesses' and victims' exit statuses (the manager's exit
 * events) say how many requests the other witnesses lost and how many words the victims read
 * back wrong, which the host runner adds.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "flood.h"
#include "hostile.h"

enum { RM = 1, STOP = 2 };
enum { EXHAUST, EVICT, FLOOD, KILL, FAULT, REVOKE, KINDS };
#define MIN_LIVE     4u
#define MAX_IDS      256u
#define STOP_SLOT    2u /* the victims' `stop` cap (the spec campaign.py writes) */
#define WITNESS_SLOT 4u
#define PAGES_SET_UP (8u * 4096u) /* a victim's demand-zero pages (worker.c) */

static const char *const names[KINDS] = {"exhaust", "evict", "flood", "kill", "fault", "revoke"};
static uint64_t rng;
static sigil_word_t stats[RM_NUM_STATS];
static unsigned char live[MAX_IDS];

static uint64_t next(void)
{
    return hostile_next(&rng);
}

static int ended(sigil_word_t id)
{
    return rm_stats_of(RM, id, stats) != Rm_ErrOk;
}

static void wait_ended(sigil_word_t id)
{
    while (!ended(id)) {
        sigil_yield();
    }
}

/* Usage of every live client (ids 1 .. last - 1) plus the pool's free bytes, against the pool. */
static int accounting_exact(sigil_word_t last)
{
    sigil_word_t pool = 0, free_bytes = 0, blocks, whole;
    if (rm_pool_stats(RM, &pool, &free_bytes, &blocks, &whole) != Rm_ErrOk) {
        return 0;
    }
    uint64_t sum = free_bytes;
    for (sigil_word_t id = 1; id < last; id++) {
        if (rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            sum += stats[Rm_StatUsedBytes];
        }
    }
    return sum == pool;
}

/* One witness round: the answers a client that nobody touches must get. Returns how many were
 * wrong. */
static unsigned long witness_round(void)
{
    sigil_word_t h;
    unsigned long wrong = 0;
    if (rm_alloc(RM, Sigil_EndpointObject, 0, 2, WITNESS_SLOT, &h) != Rm_ErrOk) {
        return 1;
    }
    wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 32 ||
             stats[Rm_StatUsedObjects] != 2;
    wrong += rm_free(RM, h) != Rm_ErrOk;
    wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 0;
    return wrong;
}

/* One injection of `kind` into victim `v` (the i-th); returns 1 when the victim (or, for a
 * flood, the manager) went on, 0 when the victim was ended. */
static int inject(unsigned kind, sigil_word_t v, sigil_word_t i)
{
    sigil_word_t quota_bytes, quota_objects, refused, dropped, stored;
    unsigned long by[RM_NUM_ERRORS + 1] = {0};
    switch (kind) {
    case EXHAUST:
        rm_stats_of(RM, v, stats);
        quota_bytes = stats[Rm_StatQuotaBytes];
        quota_objects = stats[Rm_StatQuotaObjects];
        refused = stats[Rm_StatOutOfQuota];
        /* Until the victim is refused: its quota follows its usage down (it may have been
         * holding its round's endpoint when its usage was read). */
        while (rm_stats_of(RM, v, stats) == Rm_ErrOk && stats[Rm_StatOutOfQuota] == refused) {
            if (stats[Rm_StatUsedBytes] != stats[Rm_StatQuotaBytes] ||
                stats[Rm_StatUsedObjects] != stats[Rm_StatQuotaObjects]) {
                rm_set_quota(RM, v, stats[Rm_StatUsedBytes], stats[Rm_StatUsedObjects]);
            }
            sigil_yield();
        }
        return rm_set_quota(RM, v, quota_bytes, quota_objects) == Rm_ErrOk;
    case EVICT:
        return rm_evict(RM, v, 64, &dropped, &stored) == Rm_ErrOk;
    case FLOOD:
        scenario_flood(RM, 64, i, by);
        return 1;
    case KILL:
        rm_kill(RM, v);
        break;
    case FAULT:
        rm_fault_client(RM, v);
        break;
    default:
        rm_revoke_cap(RM, v, STOP_SLOT);
        break;
    }
    wait_ended(v);
    return 0;
}

int main(const void *arg)
{
    const sigil_word_t *p = arg;
    if (!p || p[RM_CAMPAIGN_TAG] != RM_CAMPAIGN_MAGIC ||
        p[RM_CAMPAIGN_FIRST_VICTIM] + p[RM_CAMPAIGN_VICTIMS] > MAX_IDS ||
        p[RM_CAMPAIGN_FIRST_WITNESS] + p[RM_CAMPAIGN_WITNESSES] > MAX_IDS ||
        p[RM_CAMPAIGN_VICTIMS] <= MIN_LIVE) {
        sigil_printf("campaign: no valid parameter page\n");
        return 1;
    }
    sigil_word_t n = p[RM_CAMPAIGN_INJECTIONS], first = p[RM_CAMPAIGN_FIRST_VICTIM];
    sigil_word_t victims = p[RM_CAMPAIGN_VICTIMS], witness = p[RM_CAMPAIGN_FIRST_WITNESS];
    sigil_word_t last = witness + p[RM_CAMPAIGN_WITNESSES]; /* one past the last id */
    rng = p[RM_CAMPAIGN_SEED] * 0x9e3779b97f4a7c15ull + 1;
    unsigned nlive = (unsigned)victims;
    for (sigil_word_t v = first; v < first + victims; v++) {
        live[v] = 1;
    }
    /* Every victim has set up (its 8 pages touched) before the first injection. */
    for (sigil_word_t v = first; v < first + victims; v++) {
        while (rm_stats_of(RM, v, stats) == Rm_ErrOk && stats[Rm_StatUsedBytes] < PAGES_SET_UP) {
            sigil_yield();
        }
    }
    unsigned long count[KINDS] = {0}, recovered = 0, ended_by = 0, broken_at = 0, lost = 0;
    for (sigil_word_t i = 1; i <= n; i++) {
        unsigned kind = (unsigned)(next() % (nlive > MIN_LIVE ? KINDS : KILL));
        sigil_word_t v = first + next() % victims;
        if (nlive == 0) {
            kind = FLOOD; /* no victim left (an injection can end one by the manager's policy:
                           * a page it cannot pay for) */
        }
        while (nlive && !live[v]) {
            v = first + (v - first + 1) % victims;
        }
        count[kind]++;
        sigil_printf("campaign: injection %lu: %s victim %lu\n", (unsigned long)i, names[kind],
                     (unsigned long)v);
        if (inject(kind, v, i)) {
            recovered++;
        } else {
            ended_by++;
            live[v] = 0;
            nlive--;
        }
        if (!broken_at && !accounting_exact(last)) {
            broken_at = (unsigned long)i;
        }
        lost += witness_round();
    }
    sigil_signal(STOP);
    for (sigil_word_t id = first; id < first + victims; id++) {
        wait_ended(id);
    }
    for (sigil_word_t id = witness; id < last; id++) {
        wait_ended(id);
    }
    sigil_word_t pool = 0, free_bytes = 0, blocks, whole, vroots = 0, vbytes = 0;
    rm_pool_stats(RM, &pool, &free_bytes, &blocks, &whole);
    rm_verify_pool(RM, &vroots, &vbytes);
    sigil_printf("campaign: %lu injections, seed %lu: %lu %s, %lu %s, %lu %s, %lu %s, %lu %s, "
                 "%lu %s\n",
                 (unsigned long)n, (unsigned long)p[RM_CAMPAIGN_SEED], count[0], names[0], count[1],
                 names[1], count[2], names[2], count[3], names[3], count[4], names[4], count[5],
                 names[5]);
    if (broken_at) {
        sigil_printf("campaign: ACCOUNTING BROKEN after injection %lu\n", broken_at);
    }
    unsigned long leaked = (unsigned long)(pool - free_bytes);
    sigil_printf("campaign: recovered %lu, ended %lu; accounting exact after every injection: "
                 "%s; leaked %lu bytes; the driver lost %lu requests; pool retyped whole: %s\n",
                 recovered, ended_by, broken_at ? "no" : "yes", leaked, lost,
                 vbytes == pool ? "yes" : "no");
    sigil_printf("BENCH campaign_%lu_leaked_bytes %lu\n", (unsigned long)n, leaked);
    sigil_printf("BENCH campaign_%lu_lost_requests %lu\n", (unsigned long)n, lost);
    sigil_printf("BENCH campaign_%lu_recovered %lu\n", (unsigned long)n, recovered);
    return 0;
}
