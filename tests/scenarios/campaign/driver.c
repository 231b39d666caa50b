/*
 * The fault-injection campaign's driver (`./sigil scenario --campaign N --seed S`,
 * tools/scenario/campaign.py, docs/scenarios.md "Campaigns"): an administrator client of the
 * resource manager that makes N random injections into a system of victims and a server while
 * witnesses, which it never touches, keep making requests of the manager and of the server.
 *
 * Its parameters are a page of words (protocol.yaml `injector: campaign`) whose address is its
 * x0. Each injection is drawn from xorshift64 seeded with S, so a seed names one campaign:
 *
 *   exhaust      a victim's quota set to its usage; when the victim has been refused (its
 *                out_of_quota count grows) the quota is given back: recovered;
 *   evict        up to 64 of a victim's demand-zero pages taken away (it reads them back):
 *                recovered;
 *   flood        64 random requests from the driver, every one answered: recovered;
 *   lend_revoke  a victim's loan to the server revoked (RevokeLoans) while the server is in the
 *                middle of summing it: the server yields inside a sum and shows whose page it
 *                sums on its status page, and the driver, at its priority, waits (a bounded
 *                number of yields) until that is the victim's. The server faults there and is
 *                recovered, the victim is answered Aborted and lends again: recovered. A revoke
 *                that found the server still in that sum afterwards is counted as mid-request;
 *   server_fault the server made to fault wherever it is (FaultClient); its policy (`on_fault:
 *                recover`) restarts it at its recovery entry and the caller it was serving is
 *                answered Aborted. Recovered when the driver's own request to the server is
 *                answered afterwards;
 *   kill         a victim killed;
 *   fault        a victim made to fault: the manager's policy for an unhandled fault ends it;
 *   revoke       a victim's `stop` cap revoked: its next poll is a cap fault, and the policy
 *                ends it.
 *
 * The last three end their victim, so they are drawn only while more than MIN_LIVE victims
 * live; after that the draw is among the first five. Those may end a victim too, by the
 * manager's policy (a victim preempted while it reads an evicted page during an exhaust cannot
 * pay for the page); with no victim left, every draw is a flood or a server fault. After every
 * injection the driver checks the manager's accounting: the usage of every live client (the
 * server's included) plus the pool's free bytes is the pool. At the end it signals `stop`, waits
 * until every victim and witness has ended, asks the server to quit, and checks that the pool is
 * whole: every byte free (leaked = pool - free) and every top block retyped whole.
 * After every injection it is also a witness itself: it allocates two endpoints, checks its
 * usage, frees them and checks again, and asks the server for an answer; a wrong or missing
 * answer is a lost request. It prints a summary and the campaign's figures as BENCH lines (the
 * image bench_campaign is booted by `./sigil bench` under -icount); the witnesses' and victims'
 * exit statuses (the manager's exit events) say how many requests the other witnesses lost and
 * how many wrong words and answers the victims got, which the host runner adds.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "campaign.h"
#include "flood.h"
#include "hostile.h"

enum { RM = 1, STOP = 2, SRV = CAMPAIGN_SRV_SLOT };
enum { EXHAUST, EVICT, FLOOD, LEND_REVOKE, SERVER_FAULT, KILL, FAULT, REVOKE, KINDS };
#define MIN_LIVE     4u
#define MAX_IDS      256u
#define STOP_SLOT    2u /* the victims' `stop` cap (the spec campaign.py writes) */
#define WITNESS_SLOT 4u
#define PAGES_SET_UP (8u * 4096u) /* a victim's demand-zero pages (worker.c) */

static const volatile uint64_t *const server_status = (const volatile uint64_t *)CAMPAIGN_STATUS;
static unsigned long midway;    /* lend_revokes made while the server summed the victim's page */
static unsigned long no_effect; /* lend_revokes and server faults the server never recovered from */

/* Wait (a bounded number of yields) until the server's recovery count `which` (its status page)
 * passes `before`; whether it did. */
static int recovered_from(unsigned which, uint64_t before)
{
    for (unsigned tries = 0; tries < 2000 && server_status[which] == before; tries++) {
        sigil_yield();
    }
    return server_status[which] != before;
}
static const char *const names[KINDS] = {"exhaust",      "evict", "flood", "lend_revoke",
                                         "server_fault", "kill",  "fault", "revoke"};
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

/* Usage of every live client (ids 1 .. last) plus the pool's free bytes, against the pool. */
static int accounting_exact(sigil_word_t last)
{
    sigil_word_t pool = 0, free_bytes = 0, blocks, whole;
    if (rm_pool_stats(RM, &pool, &free_bytes, &blocks, &whole) != Rm_ErrOk) {
        return 0;
    }
    uint64_t sum = free_bytes;
    for (sigil_word_t id = 1; id <= last; id++) {
        if (rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            sum += stats[Rm_StatUsedBytes];
        }
    }
    return sum == pool;
}

static sigil_word_t server_id; /* the server's client id (the last id) */

/* A request to the server (PING); whether it was answered Ok. A server the manager has ended
 * is not called: nothing would ever answer, and the campaign would wait for good instead of
 * reporting that the server did not come back. */
static int server_answers(void)
{
    if (ended(server_id)) {
        return 0;
    }
    sigil_set_mr(0, 0);
    return sigil_msginfo_label(sigil_call(SRV, sigil_msginfo_new(CAMPAIGN_PING, 0, 0, 1))) ==
           Rm_ErrOk;
}

/* One witness round: the answers a client that nobody touches must get. Returns how many were
 * wrong. */
static unsigned long witness_round(void)
{
    sigil_word_t h;
    unsigned long wrong = !server_answers();
    if (rm_alloc(RM, Sigil_EndpointObject, 0, 2, WITNESS_SLOT, &h) != Rm_ErrOk) {
        return 1;
    }
    wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 32 ||
             stats[Rm_StatUsedObjects] != 2;
    wrong += rm_free(RM, h) != Rm_ErrOk;
    wrong += rm_stats(RM, stats) != Rm_ErrOk || stats[Rm_StatUsedBytes] != 0;
    return wrong;
}

/* One injection of `kind` into victim `v` (the i-th; `server`: the server's id); returns 1 when
 * the victim (or, for a flood, the manager; for a server fault, the server) went on, 0 when the
 * victim was ended. */
static int inject(unsigned kind, sigil_word_t v, sigil_word_t i, sigil_word_t server)
{
    sigil_word_t quota_bytes, quota_objects, refused, dropped, stored, loans;
    uint64_t before = server_status[kind == LEND_REVOKE ? 1 : 2];
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
    case LEND_REVOKE:
        /* Wait until the server sums the victim's page. The victim lends again after each
         * revocation; until it has (or if it has ended), there is no loan to revoke. */
        for (unsigned tries = 0; tries < 2000 && server_status[0] != v; tries++) {
            sigil_yield();
        }
        for (unsigned tries = 0; rm_revoke_loans(RM, v, server, &loans) != Rm_ErrOk; tries++) {
            if (ended(v)) {
                return 0;
            }
            if (tries == 2000) { /* no loan comes back: the server is gone */
                no_effect++;
                return 1;
            }
            sigil_yield();
        }
        midway += server_status[0] == v; /* the server has not run since: it is in that sum */
        /* The server faults on the page (now, or at the victim's next request) and recovers. */
        if (!recovered_from(1, before) && !ended(v)) {
            no_effect++;
        }
        return 1;
    case SERVER_FAULT:
        /* Only a server in its serving loop (not in the middle of a recovery, which a fault
         * would end) is made to fault: it has just answered. */
        if (!server_answers() || rm_fault_client(RM, server) != Rm_ErrOk) {
            return 0;
        }
        no_effect += !recovered_from(2, before);
        return server_answers();
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
        p[RM_CAMPAIGN_SERVER] != p[RM_CAMPAIGN_FIRST_WITNESS] + p[RM_CAMPAIGN_WITNESSES] ||
        p[RM_CAMPAIGN_VICTIMS] <= MIN_LIVE) {
        sigil_printf("campaign: no valid parameter page\n");
        return 1;
    }
    sigil_word_t n = p[RM_CAMPAIGN_INJECTIONS], first = p[RM_CAMPAIGN_FIRST_VICTIM];
    sigil_word_t victims = p[RM_CAMPAIGN_VICTIMS], witness = p[RM_CAMPAIGN_FIRST_WITNESS];
    sigil_word_t server = p[RM_CAMPAIGN_SERVER]; /* the last id */
    server_id = server;
    rm_error_t err;
    for (unsigned tries = 0; (err = rm_connect(RM, server, SRV)) != Rm_ErrOk && tries < 1000;
         tries++) {
        sigil_yield(); /* the server (at our priority) has not called Serve yet */
    }
    if (err != Rm_ErrOk) {
        sigil_printf("campaign: cannot connect to the server\n");
        return 1;
    }
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
    unsigned long server_lost = 0;
    for (sigil_word_t i = 1; i <= n; i++) {
        unsigned kind = (unsigned)(next() % (nlive > MIN_LIVE ? KINDS : KILL));
        sigil_word_t v = first + next() % victims;
        if (nlive == 0 && kind != SERVER_FAULT) {
            kind = FLOOD; /* no victim left (an injection can end one by the manager's policy:
                           * a page it cannot pay for) */
        }
        while (nlive && !live[v]) {
            v = first + (v - first + 1) % victims;
        }
        count[kind]++;
        sigil_printf("campaign: injection %lu: %s victim %lu\n", (unsigned long)i, names[kind],
                     (unsigned long)v);
        if (inject(kind, v, i, server)) {
            recovered++;
        } else if (kind != SERVER_FAULT) {
            ended_by++;
            live[v] = 0;
            nlive--;
        }
        if (!broken_at && !accounting_exact(server)) {
            broken_at = (unsigned long)i;
        }
        if (ended(server)) {
            /* The campaign has failed: stop here rather than let every later injection wait
             * on a server that will not answer. */
            server_lost = (unsigned long)i;
            break;
        }
        lost += witness_round();
    }
    sigil_signal(STOP);
    for (sigil_word_t id = first; id < first + victims; id++) {
        wait_ended(id);
    }
    for (sigil_word_t id = witness; id < server; id++) {
        wait_ended(id);
    }
    if (ended(server)) {
        lost++; /* no server to ask to quit */
    } else {
        sigil_set_mr(0, 0);
        lost += sigil_msginfo_label(sigil_call(SRV, sigil_msginfo_new(CAMPAIGN_QUIT, 0, 0, 1))) !=
                Rm_ErrOk;
    }
    wait_ended(server);
    sigil_word_t pool = 0, free_bytes = 0, blocks, whole, vroots = 0, vbytes = 0;
    rm_pool_stats(RM, &pool, &free_bytes, &blocks, &whole);
    rm_verify_pool(RM, &vroots, &vbytes);
    sigil_printf("campaign: %lu injections, seed %lu: %lu %s, %lu %s, %lu %s, %lu %s, %lu %s, "
                 "%lu %s, %lu %s, %lu %s\n",
                 (unsigned long)n, (unsigned long)p[RM_CAMPAIGN_SEED], count[0], names[0], count[1],
                 names[1], count[2], names[2], count[3], names[3], count[4], names[4], count[5],
                 names[5], count[6], names[6], count[7], names[7]);
    sigil_printf("campaign: %lu of %lu loans revoked while the server summed them\n", midway,
                 count[LEND_REVOKE]);
    sigil_printf("campaign: %lu loan revokes and server faults the server did not recover "
                 "from\n",
                 no_effect);
    if (server_lost) {
        sigil_printf("campaign: THE SERVER WAS ENDED at injection %lu: the campaign stopped "
                     "there\n",
                     server_lost);
    }
    if (broken_at) {
        sigil_printf("campaign: ACCOUNTING BROKEN after injection %lu\n", broken_at);
    }
    unsigned long leaked = (unsigned long)(pool - free_bytes);
    lost += server_lost != 0;
    sigil_printf("campaign: recovered %lu, ended %lu; accounting exact after every injection: "
                 "%s; leaked %lu bytes; the driver lost %lu requests; pool retyped whole: %s\n",
                 recovered, ended_by, broken_at ? "no" : "yes", leaked, lost,
                 vbytes == pool ? "yes" : "no");
    sigil_printf("BENCH campaign_%lu_leaked_bytes %lu\n", (unsigned long)n, leaked);
    sigil_printf("BENCH campaign_%lu_lost_requests %lu\n", (unsigned long)n, lost);
    sigil_printf("BENCH campaign_%lu_recovered %lu\n", (unsigned long)n, recovered);
    return 0;
}
