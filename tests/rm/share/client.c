/*
 * The clients of the shared-buffer and recovery tests (server.c is their server). The argument
 * is the role; every line printed states figures the test checks exactly.
 *
 * tests/rm/share/rm_share.yaml (one server, in priority order good > lender > donor > judge):
 *   ROLE_GOOD    connects, makes two requests, lends a page, waits for the lender; then shows
 *                the server still serves it with its state intact after the lender's recovery.
 *   ROLE_LENDER  lends a page, has it summed, revokes the loan (its own page and usage do not
 *                change), asks again: the server faults on the revoked window, and the answer
 *                is the manager's Aborted; its connection is gone afterwards.
 *   ROLE_DONOR   donates a page: it can no longer free it, and exits with the page still the
 *                server's (and still charged to it).
 *   ROLE_JUDGE   (admin) reads the dead donor's buffer through the server, has the server
 *                release it, ends the server, and checks the pool is whole again.
 * tests/rm/share/rm_recovery.yaml: ROLE_DRIVER (admin) drives the servers whose recovery fails or
 * whose fault lies outside any window, under each on_fault action.
 * tests/rm/share/rm_share_hostile.yaml: ROLE_AFTERMATH checks the server and the pool after the
 *   hostile client (hostile.c).
 * tests/rm/share/rm_share_midway.yaml: ROLE_MIDWAY lends and asks for a slow sum, ROLE_REVOKER
 *   (admin) revokes the lender's frame cap while the server is halfway through it.
 * tests/rm/share/bench_rm_recovery.yaml: ROLE_BENCH repeats connect, lend, revoke, request ROUNDS
 * times.
 * tests/rm/share/rm_share_inject.yaml (scenario rm_inject_lend_revoke): ROLE_INJECTED waits until
 *   the server serves (slot 2), lends a page and asks for a slow sum, which the scenario
 *   injector's lend_revoke (or fault of the server) interrupts; it reports the answer, its page
 *   and usage and the answer to one more call (a kernel error once it is cut off), and signals
 *   slot 5; ROLE_SECOND waits for that signal (slot 2) and is served.
 *
 * CSpace (slot = cptr): 1 request cap to the manager; 2 the `sync` notification (good: Read,
 * lender: Write); 3 the connection to the server; 4 a frame; 5.. more connections (driver).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

#include "share_test.h"

enum { RM = 1, SYNC = 2, SRV = 3, FRAME = 4, SRV2 = 5 };
#define ROUNDS 16u

static sigil_word_t answer_mr0, answer_mr1;

/* Call the server behind `srv` with op(a0, a1); returns the reply's label. */
static sigil_word_t call(sigil_cptr_t srv, sigil_word_t op, sigil_word_t a0, sigil_word_t a1)
{
    sigil_set_mr(0, a0);
    sigil_set_mr(1, a1);
    sigil_msginfo_t info = sigil_call(srv, sigil_msginfo_new(op, 0, 0, 2));
    answer_mr0 = sigil_get_mr(0);
    answer_mr1 = sigil_get_mr(1);
    return sigil_msginfo_label(info);
}

/* A frame in FRAME mapped at OWN_PAGE with word i = mul * i + add; returns its handle. */
static sigil_word_t own_page(sigil_word_t mul, sigil_word_t add, uint64_t *sum)
{
    sigil_word_t h = 0;
    if (rm_alloc_mapped_page(RM, FRAME, OWN_PAGE, &h) != Rm_ErrOk) {
        sigil_printf("client: FAILED to get a page\n");
        return 0;
    }
    volatile uint64_t *p = (volatile uint64_t *)OWN_PAGE;
    *sum = 0;
    for (uint64_t i = 0; i < PAGE_WORDS; i++) {
        p[i] = mul * i + add;
        *sum += p[i];
    }
    return h;
}

static uint64_t own_sum(void)
{
    const volatile uint64_t *p = (const volatile uint64_t *)OWN_PAGE;
    uint64_t s = 0;
    for (uint64_t i = 0; i < PAGE_WORDS; i++) {
        s += p[i];
    }
    return s;
}

static void good(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    (void)call(SRV, OP_COUNT, 0, 0);
    (void)call(SRV, OP_COUNT, 0, 0);
    sigil_printf("good: Connect %s, %lu requests served\n", rm_error_name(e),
                 (unsigned long)answer_mr0);
    uint64_t expect;
    sigil_word_t h = own_page(1, 0, &expect), va = 0;
    e = rm_lend(RM, h, ID_SERVER, Sigil_CanRead, &va);
    sigil_word_t l = call(SRV, OP_SUM, va, PAGE_WORDS);
    sigil_printf("good: lent a page (%s) seen at 0x%lx: the server sums %lu (label %lu)\n",
                 rm_error_name(e), (unsigned long)va, (unsigned long)answer_mr0, (unsigned long)l);
    sigil_word_t badge;
    sigil_wait(SYNC, &badge);
    l = call(SRV, OP_SUM, va, PAGE_WORDS);
    sigil_printf("good: after the lender's recovery the server sums %lu (label %lu, %s), my "
                 "request %lu\n",
                 (unsigned long)answer_mr0, (unsigned long)l,
                 answer_mr0 == expect ? "right" : "WRONG", (unsigned long)answer_mr1);
    e = rm_unlend(RM, h);
    rm_error_t f = rm_free(RM, h);
    sigil_printf("good: Unlend %s, Free %s\n", rm_error_name(e), rm_error_name(f));
}

static void lender(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    uint64_t expect;
    sigil_word_t h = own_page(3, 1, &expect), va = 0;
    rm_error_t l = rm_lend(RM, h, ID_SERVER, Sigil_CanRead, &va);
    sigil_word_t label = call(SRV, OP_SUM, va, PAGE_WORDS);
    sigil_printf("lender: Connect %s, Lend %s: seen at 0x%lx, the server sums %lu (label %lu, "
                 "request %lu)\n",
                 rm_error_name(e), rm_error_name(l), (unsigned long)va, (unsigned long)answer_mr0,
                 (unsigned long)label, (unsigned long)answer_mr1);
    sigil_word_t before = rm_stat(RM, Rm_StatUsedBytes);
    e = rm_unlend(RM, h);
    sigil_printf("lender: Unlend %s, its own page sums %lu (%s), using %lu bytes (before: %lu)\n",
                 rm_error_name(e), (unsigned long)own_sum(),
                 own_sum() == expect ? "same" : "CHANGED",
                 (unsigned long)rm_stat(RM, Rm_StatUsedBytes), (unsigned long)before);
    label = call(SRV, OP_SUM, va, PAGE_WORDS);
    sigil_printf("lender: asked for the sum again: answer %s, reason %s, client %lu\n",
                 rm_error_name(label), rm_recovery_reason_name(answer_mr0),
                 (unsigned long)answer_mr1);
    label = call(SRV, OP_COUNT, 0, 0);
    sigil_printf("lender: cut off: a call on its connection fails with kernel error %lu\n",
                 (unsigned long)label);
    e = rm_lend(RM, h, ID_GOOD, Sigil_CanRead, &va);
    sigil_printf("lender: Lend to a client that serves nothing: %s (argument %lu)\n",
                 rm_error_name(e), (unsigned long)sigil_get_mr(0));
    e = rm_unlend(RM, h);
    sigil_printf("lender: Unlend of a page not lent: %s (argument %lu)\n", rm_error_name(e),
                 (unsigned long)sigil_get_mr(0));
    sigil_signal(SYNC);
}

static void donor(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    uint64_t expect;
    sigil_word_t h = own_page(0, 7, &expect), va = 0;
    rm_error_t d = rm_donate(RM, h, ID_SERVER, &va);
    sigil_word_t label = call(SRV, OP_KEEP, va, 0);
    rm_error_t f = rm_free(RM, h);
    sigil_printf("donor: Connect %s, Donate %s: seen at 0x%lx, kept (label %lu). Free of it: %s\n",
                 rm_error_name(e), rm_error_name(d), (unsigned long)va, (unsigned long)label,
                 rm_error_name(f));
    sigil_printf("donor: still charged %lu bytes, exiting\n",
                 (unsigned long)rm_stat(RM, Rm_StatUsedBytes));
}

/* Whether the pool is whole: all of it free, and every top block retyped whole (the pool's
 * size depends on the loader's placement, so the line states the comparisons). */
static void pool(const char *who)
{
    sigil_word_t total = 0, free_bytes = 0, blocks = 0, whole = 0, vwhole = 0, vbytes = 0;
    rm_error_t e1 = rm_pool_stats(RM, &total, &free_bytes, &blocks, &whole);
    rm_error_t e2 = rm_verify_pool(RM, &vwhole, &vbytes);
    sigil_printf("%s: PoolStats %s, VerifyPool %s: all free %s, retyped whole %s\n", who,
                 rm_error_name(e1), rm_error_name(e2), free_bytes == total ? "yes" : "NO",
                 vbytes == total && vwhole == whole ? "yes" : "NO");
}

static void judge(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    sigil_word_t label = call(SRV, OP_KEPT_SUM, ID_DONOR, 0);
    sigil_printf("judge: Connect %s, the donor has ended, its buffer sums %lu (label %lu)\n",
                 rm_error_name(e), (unsigned long)answer_mr0, (unsigned long)label);
    sigil_word_t t = 0, before = 0, after = 0, b = 0, w = 0;
    (void)rm_pool_stats(RM, &t, &before, &b, &w);
    label = call(SRV, OP_RELEASE, ID_DONOR, 0);
    (void)rm_pool_stats(RM, &t, &after, &b, &w);
    sigil_printf("judge: the server's Release: %s, %lu bytes back in the pool\n",
                 rm_error_name(answer_mr0), (unsigned long)(after - before));
    label = call(SRV, OP_QUIT, 0, 0);
    sigil_printf("judge: asked the server to quit (label %lu)\n", (unsigned long)label);
    pool("judge");
}

/* Lend a page to `server` (connection `srv`), revoke it, ask for its sum. */
static void lend_revoke_ask(sigil_word_t server, sigil_cptr_t srv, const char *name)
{
    sigil_word_t h = 0, va = 0;
    rm_error_t e = rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h);
    rm_error_t c = rm_connect(RM, server, srv);
    rm_error_t l = rm_lend(RM, h, server, Sigil_CanRead, &va);
    rm_error_t u = rm_unlend(RM, h);
    sigil_word_t label = call(srv, OP_SUM, va, 1);
    sigil_printf("driver: %s: Alloc %s, Connect %s, Lend %s, Unlend %s, the sum's answer: %s, "
                 "reason %s, client %lu\n",
                 name, rm_error_name(e), rm_error_name(c), rm_error_name(l), rm_error_name(u),
                 rm_error_name(label), rm_recovery_reason_name(answer_mr0),
                 (unsigned long)answer_mr1);
    (void)rm_free(RM, h);
}

static void driver(void)
{
    lend_revoke_ask(ID_NOENTRY, SRV, "noentry");
    lend_revoke_ask(ID_TWICE, SRV2, "twice");
    rm_error_t c = rm_connect(RM, ID_WILD, SRV2 + 1);
    sigil_word_t label = call(SRV2 + 1, OP_TOUCH_OUTSIDE, 0, 0);
    sigil_printf("driver: wild: Connect %s, the touch's answer: %s, reason %s, client %lu\n",
                 rm_error_name(c), rm_error_name(label), rm_recovery_reason_name(answer_mr0),
                 (unsigned long)answer_mr1);
    c = rm_connect(RM, ID_REPORTED, SRV2 + 2);
    sigil_word_t stats[RM_NUM_STATS];
    (void)rm_stats_of(RM, ID_REPORTED, stats);
    sigil_word_t used = stats[Rm_StatUsedBytes];
    sigil_set_mr(0, 0);
    sigil_send(SRV2 + 2, sigil_msginfo_new(OP_TOUCH_OUTSIDE, 0, 0, 1)); /* no reply awaited */
    rm_error_t s = rm_stats_of(RM, ID_REPORTED, stats);
    sigil_printf("driver: reported: Connect %s, after its fault: StatsOf %s, %lu faults, using "
                 "%lu bytes (before: %lu)\n",
                 rm_error_name(c), rm_error_name(s), (unsigned long)stats[Rm_StatFaults],
                 (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)used);
    rm_error_t k = rm_kill(RM, ID_REPORTED);
    sigil_printf("driver: Kill of the stopped server: %s\n", rm_error_name(k));
    /* A write to a page lent read-only: the server's own fault, not a lost loan. */
    sigil_word_t h = 0, va = 0;
    rm_error_t e = rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h);
    c = rm_connect(RM, ID_RIGHTS, SRV2 + 3);
    rm_error_t l = rm_lend(RM, h, ID_RIGHTS, Sigil_CanRead, &va);
    label = call(SRV2 + 3, OP_WRITE, va, 1);
    rm_error_t f = rm_free(RM, h);
    sigil_printf(
        "driver: rights: Alloc %s, Connect %s, Lend (read-only) %s, the write's answer: %s, "
        "reason %s. Free %s\n",
        rm_error_name(e), rm_error_name(c), rm_error_name(l), rm_error_name(label),
        rm_recovery_reason_name(answer_mr0), rm_error_name(f));
    pool("driver");
}

/* After the hostile client (rm_share_hostile.yaml): the server still serves, and killing it
 * (which releases what was donated to it) leaves the pool whole. */
static void aftermath(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    sigil_word_t label = call(SRV, OP_COUNT, 0, 0);
    sigil_printf("aftermath: Connect %s, the server answers (label %lu, request %lu)\n",
                 rm_error_name(e), (unsigned long)label, (unsigned long)answer_mr0);
    rm_error_t k = rm_kill(RM, ID_SERVER);
    sigil_printf("aftermath: Kill of the server: %s\n", rm_error_name(k));
    pool("aftermath");
}

/* rm_share_midway.yaml: the midway lender lends a page and asks for a slow sum; while the
 * server is halfway, the revoker (an administrator) revokes the lender's frame cap, which takes
 * the server's mapping with it. */
static void midway(void)
{
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    uint64_t expect;
    sigil_word_t h = own_page(3, 1, &expect), va = 0;
    rm_error_t l = rm_lend(RM, h, ID_SERVER, Sigil_CanRead, &va);
    sigil_printf("midway: Connect %s, Lend %s, asking for a slow sum of 0x%lx\n", rm_error_name(e),
                 rm_error_name(l), (unsigned long)va);
    sigil_word_t label = call(SRV, OP_SLOW, va, PAGE_WORDS);
    sigil_printf("midway: the answer: %s, reason %s, client %lu\n", rm_error_name(label),
                 rm_recovery_reason_name(answer_mr0), (unsigned long)answer_mr1);
}

static void revoker(void)
{
    enum { MID = 2, GO = 3 };
    sigil_word_t w;
    sigil_wait(MID, &w);
    rm_error_t e = rm_revoke_cap(RM, ID_LENDER, FRAME);
    sigil_printf("revoker: the server is halfway. RevokeCap of the lender's frame: %s\n",
                 rm_error_name(e));
    sigil_signal(GO);
    rm_error_t c = rm_connect(RM, ID_SERVER, SRV2);
    sigil_word_t label = call(SRV2, OP_COUNT, 0, 0);
    sigil_printf("revoker: Connect %s, the server answers (label %lu, request %lu)\n",
                 rm_error_name(c), (unsigned long)label, (unsigned long)answer_mr0);
}

/* rm_share_inject.yaml: the loan goes by the scenario injector's RevokeLoans while the server is
 * halfway through the sum; the lender's page and usage stay as they were. */
static void injected(void)
{
    enum { DONE = 5 };
    sigil_word_t w;
    sigil_wait(SYNC, &w);
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    uint64_t expect;
    sigil_word_t h = own_page(3, 1, &expect), va = 0;
    rm_error_t l = rm_lend(RM, h, ID_SERVER, Sigil_CanRead, &va);
    sigil_printf("injected: Connect %s, Lend %s, asking for a slow sum of 0x%lx\n",
                 rm_error_name(e), rm_error_name(l), (unsigned long)va);
    sigil_word_t label = call(SRV, OP_SLOW, va, PAGE_WORDS);
    sigil_printf("injected: the answer: %s, reason %s, client %lu\n", rm_error_name(label),
                 rm_recovery_reason_name(answer_mr0), (unsigned long)answer_mr1);
    sigil_printf("injected: its own page sums %lu (%s), using %lu bytes\n",
                 (unsigned long)own_sum(), own_sum() == expect ? "same" : "CHANGED",
                 (unsigned long)rm_stat(RM, Rm_StatUsedBytes));
    label = call(SRV, OP_COUNT, 0, 0);
    sigil_printf("injected: a call on its connection: label %lu\n", (unsigned long)label);
    sigil_signal(DONE);
}

static void second(void)
{
    sigil_word_t w;
    sigil_wait(SYNC, &w);
    rm_error_t e = rm_connect(RM, ID_SERVER, SRV);
    sigil_word_t label = call(SRV, OP_COUNT, 0, 0);
    sigil_printf("second: Connect %s, the server answers (label %lu, request %lu)\n",
                 rm_error_name(e), (unsigned long)label, (unsigned long)answer_mr0);
}

static void bench(void)
{
    sigil_word_t h = 0, va = 0;
    unsigned wrong = 0;
    wrong += rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h) != Rm_ErrOk;
    for (unsigned i = 0; i < ROUNDS; i++) {
        wrong += rm_connect(RM, ID_SERVER, SRV) != Rm_ErrOk;
        wrong += rm_lend(RM, h, ID_SERVER, Sigil_CanRead, &va) != Rm_ErrOk;
        wrong += rm_unlend(RM, h) != Rm_ErrOk;
        wrong += call(SRV, OP_SUM, va, 1) != Rm_ErrAborted;
    }
    wrong += rm_connect(RM, ID_SERVER, SRV) != Rm_ErrOk;
    sigil_word_t label = call(SRV, OP_BENCH_REPORT, wrong, ROUNDS);
    sigil_printf("bench-client: %u rounds, %u wrong answers, the server timed %lu (label %lu)\n",
                 ROUNDS, wrong, (unsigned long)answer_mr0, (unsigned long)label);
}

int main(const void *arg)
{
    switch ((int)(uintptr_t)arg) {
    case ROLE_GOOD:
        good();
        break;
    case ROLE_LENDER:
        lender();
        break;
    case ROLE_DONOR:
        donor();
        break;
    case ROLE_JUDGE:
        judge();
        break;
    case ROLE_DRIVER:
        driver();
        break;
    case ROLE_BENCH:
        bench();
        break;
    case ROLE_AFTERMATH:
        aftermath();
        break;
    case ROLE_MIDWAY:
        midway();
        break;
    case ROLE_REVOKER:
        revoker();
        break;
    case ROLE_INJECTED:
        injected();
        break;
    case ROLE_SECOND:
        second();
        break;
    default:
        sigil_printf("client: FAILED: unknown role\n");
    }
    return 0;
}
