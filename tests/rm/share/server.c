/*
 * A server that works on its clients' memory (tests/rm/share/rm_share.yaml, rm_recovery.yaml and
 * bench_rm_recovery.yaml): it gets its endpoint and reply object from the resource manager (Serve),
 * registers a window for lent and donated buffers and, unless its mode says otherwise, a
 * recovery entry. Its clients reach it through Connect, so the badge of every request is the
 * client's id; it keeps per-client state (a request count, a kept buffer) that its recovery
 * drops for the client the manager names.
 *
 * Requests (label, MR0..): SUM(vaddr, words) sums words of a buffer in the window;
 * KEEP(vaddr) remembers a donated buffer for the caller; KEPT_SUM(client) sums the buffer kept
 * for `client`; RELEASE(client) gives that buffer back (Release); TOUCH_OUTSIDE touches an
 * address outside every window; COUNT returns the caller's request count; QUIT ends the server;
 * WRITE(vaddr, value) stores a word; SLOW(vaddr, words) sums half, signals its `mid` notification
 * (slot 4), waits on `go` (slot 5) and sums the rest (MODE_INJECT: see below).
 * Each answer's MR0 is the result, MR1 the caller's request count.
 *
 * Its argument is its mode: MODE_NORMAL, MODE_NO_ENTRY (no recovery entry registered),
 * MODE_TWICE (the recovery code touches the lost buffer again), MODE_BENCH (times each fault
 * until its recovery entry runs and reports the mean as `BENCH rm_server_recovery`), MODE_INJECT
 * (tests/rm/share/rm_share_inject.yaml, scenario rm_inject_lend_revoke: the loan is taken by the
 * scenario injector, which nobody can signal): once serving it signals slot 4 (`ready`), and its
 * SLOW, halfway, says so to the manager with one request its quota cannot pay for (its
 * out_of_quota count becomes 1, which the injection waits for), then reads the middle word
 * again after each of up to SPINS yields, so that it faults exactly there once the loan is gone
 * (the injector runs at the server's priority: each yield lets it act), and only then sums
 * the rest.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "share_test.h"

enum { RM = 1, EP = 2, REPLY = 3, MID = 4, GO = 5, READY = 4 };
#define SPINS 1000u

static int mode;
static uint64_t counts[MAX_ID];
static uint64_t kept[MAX_ID];
static volatile uint64_t touching; /* the buffer being summed: the recovery code may look */
static volatile uint64_t t_fault;  /* MODE_BENCH: cycles just before the faulting load */
static uint64_t bench_total, bench_rounds, bench_wrong;
static uint64_t recovery_stack[1024] __attribute__((aligned(16)));

static uint64_t sum(uint64_t vaddr, uint64_t words)
{
    const volatile uint64_t *p = (const volatile uint64_t *)vaddr;
    uint64_t s = 0;
    touching = vaddr;
    if (mode == MODE_BENCH) {
        t_fault = sigil_cycles();
    }
    for (uint64_t i = 0; i < words; i++) {
        s += p[i];
    }
    touching = 0;
    return s;
}

static _Noreturn void serve(void);

/* The recovery entry: the manager restarts the server here (x0 = client id, x1 = reason) on the
 * stack it registered, after answering the aborted request and cutting the client off. */
static _Noreturn void recover(uint64_t client, uint64_t reason)
{
    if (mode == MODE_BENCH) {
        uint64_t t = sigil_cycles();
        bench_total += t - t_fault;
        bench_rounds++;
        bench_wrong += client != ID_BENCH_CLIENT || reason != RM_RECOVERY_REASON_REVOKED;
    } else {
        sigil_printf(
            "server: recovering: client %lu, reason %s, dropping its state (%lu requests)\n",
            (unsigned long)client, rm_recovery_reason_name(reason),
            (unsigned long)(client < MAX_ID ? counts[client] : 0));
    }
    if (client < MAX_ID) {
        counts[client] = 0;
        kept[client] = 0;
    }
    if (mode == MODE_TWICE && touching) {
        sigil_printf("server: touching the lost buffer again during recovery\n");
        (void)sum(touching, 1);
    }
    (void)rm_recovered(RM);
    serve();
}

static _Noreturn void serve(void)
{
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(EP, &badge, REPLY);
    for (;;) {
        sigil_word_t a0 = sigil_get_mr(0), a1 = sigil_get_mr(1), r = 0;
        uint64_t id = badge < MAX_ID ? badge : 0;
        counts[id]++;
        switch (sigil_msginfo_label(info)) {
        case OP_SUM:
            r = sum(a0, a1);
            break;
        case OP_KEEP:
            kept[id] = a0;
            break;
        case OP_KEPT_SUM:
            r = a0 < MAX_ID && kept[a0] ? sum(kept[a0], PAGE_WORDS) : 0;
            break;
        case OP_RELEASE:
            r = a0 < MAX_ID && kept[a0] ? rm_release(RM, kept[a0]) : ~0ul;
            if (r == Rm_ErrOk) {
                kept[a0] = 0;
            }
            break;
        case OP_TOUCH_OUTSIDE:
            sigil_printf("server: touching 0x%lx, outside every window\n", (unsigned long)OUTSIDE);
            r = *(volatile uint64_t *)OUTSIDE;
            break;
        case OP_COUNT:
            r = counts[id];
            break;
        case OP_BENCH_REPORT:
            /* a0: wrong answers the client saw, a1: the rounds it made. No figure unless every
             * round was a recovery with the right client and reason, answered Aborted. */
            sigil_printf("server: %lu recoveries timed, %lu with a wrong client or reason, the "
                         "client saw %lu wrong answers in %lu rounds\n",
                         (unsigned long)bench_rounds, (unsigned long)bench_wrong, (unsigned long)a0,
                         (unsigned long)a1);
            if (bench_rounds == a1 && a1 > 0 && bench_wrong == 0 && a0 == 0) {
                sigil_printf("BENCH rm_server_recovery %lu\n",
                             (unsigned long)(bench_total / bench_rounds));
            }
            r = bench_rounds;
            break;
        case OP_SLOW: { /* half the buffer, then a pause (rm_share_midway.yaml), then the rest */
            sigil_word_t w;
            r = sum(a0, a1 / 2);
            if (mode == MODE_INJECT) {
                (void)rm_alloc(RM, Sigil_UntypedObject, 30, 1, 6, &w); /* halfway: OutOfQuota */
                for (unsigned k = 0; k < SPINS; k++) {
                    sigil_yield();
                    (void)sum(a0 + a1 / 2 * 8, 1);
                }
            } else {
                sigil_signal(MID);
                sigil_wait(GO, &w);
            }
            r += sum(a0 + a1 / 2 * 8, a1 - a1 / 2);
            break;
        }
        case OP_WRITE:
            *(volatile uint64_t *)a0 = a1;
            break;
        case OP_QUIT:
            sigil_set_mr(0, 0);
            sigil_reply(REPLY, sigil_msginfo_new(0, 0, 0, 1));
            sigil_printf("server: quitting\n");
            rm_exit_now(RM, 0);
        default:
            r = ~0ul;
        }
        sigil_set_mr(0, r);
        sigil_set_mr(1, counts[id]);
        info = sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 0, 2), &badge, REPLY);
    }
}

int main(const void *arg)
{
    mode = (int)(uintptr_t)arg;
    rm_error_t e1 = rm_serve(RM, EP, REPLY);
    rm_error_t e2 = rm_window(RM, WINDOW, WINDOW_PAGES * 4096ul);
    rm_error_t e3 = mode == MODE_NO_ENTRY ? Rm_ErrOk
                                          : rm_recovery(RM, (sigil_word_t)recover,
                                                        (sigil_word_t)&recovery_stack[1024]);
    if (mode != MODE_BENCH) {
        sigil_printf("server: Serve %s, Window %s, Recovery %s\n", rm_error_name(e1),
                     rm_error_name(e2), mode == MODE_NO_ENTRY ? "not asked" : rm_error_name(e3));
    }
    if (mode == MODE_INJECT) {
        sigil_signal(READY);
    }
    serve();
}
