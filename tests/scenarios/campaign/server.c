/*
 * The campaign's server (`./sigil scenario --campaign`, tools/scenario/campaign.py): a client of
 * the resource manager that serves the victims and witnesses (worker.c) and the driver, who
 * reach it through Connect and lend it a page each.
 *
 * It registers its endpoint and reply object (Serve), a window for the pages lent to it and a
 * recovery entry. Requests (label; MR0..): SUM(vaddr) sums the 512 words of a lent page in its
 * window, yielding after every 64, so that the driver (at the same priority) can act while it
 * is in the middle of the sum; PING answers 0; QUIT answers and ends the server. Each answer's
 * MR0 is the result. While it sums, the first word of its status page (CAMPAIGN_STATUS, which
 * the driver maps read-only) holds the caller's id, so that the driver can revoke a loan while
 * the server works on it; words 1 and 2 count its recoveries, so that the driver can tell that an
 * injection took effect.
 *
 * Its policy says `on_fault: recover`. The manager restarts it at its recovery entry when it
 * faults on a page whose loan the driver revoked (reason revoked: the lender is answered
 * Aborted and cut off) and when the driver makes it fault anywhere else (reason fault: the
 * caller it was serving, if any, is answered Aborted). It keeps no per-client state, so its
 * recovery has nothing to drop: it tells the manager it has recovered and serves again.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "campaign.h"

enum { RM = 1, EP = 2, REPLY = 3 };

static uint64_t recovery_stack[512] __attribute__((aligned(16)));

static volatile uint64_t *const status = (volatile uint64_t *)CAMPAIGN_STATUS;

static uint64_t sum(uint64_t vaddr, sigil_word_t client)
{
    const volatile uint64_t *p = (const volatile uint64_t *)vaddr;
    uint64_t s = 0;
    status[0] = client;
    for (uint64_t i = 0; i < CAMPAIGN_PAGE_WORDS; i++) {
        if (i % 64 == 0) {
            sigil_yield();
        }
        s += p[i];
    }
    status[0] = 0;
    return s;
}

static _Noreturn void serve(void)
{
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(EP, &badge, REPLY);
    for (;;) {
        sigil_word_t a0 = sigil_get_mr(0), r = 0;
        switch (sigil_msginfo_label(info)) {
        case CAMPAIGN_SUM:
            r = a0 - CAMPAIGN_WINDOW < CAMPAIGN_WINDOW_PAGES * 4096ul ? sum(a0 & ~0xfffull, badge)
                                                                      : ~0ul;
            break;
        case CAMPAIGN_PING:
            break;
        case CAMPAIGN_QUIT:
            sigil_set_mr(0, 0);
            sigil_reply(REPLY, sigil_msginfo_new(0, 0, 0, 1));
            rm_exit_now(RM, 0);
        default:
            r = ~0ul;
        }
        sigil_set_mr(0, r);
        info = sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 0, 1), &badge, REPLY);
    }
}

/* The recovery entry (x0 = the client whose loan went, x1 = the reason). */
static _Noreturn void recover(uint64_t client, uint64_t reason)
{
    (void)client;
    status[0] = 0;
    status[1] += reason == RM_RECOVERY_REASON_REVOKED;
    status[2] += reason == RM_RECOVERY_REASON_FAULT;
    (void)rm_recovered(RM);
    serve();
}

int main(const void *arg)
{
    (void)arg;
    rm_error_t e1 = rm_serve(RM, EP, REPLY);
    rm_error_t e2 = rm_window(RM, CAMPAIGN_WINDOW, CAMPAIGN_WINDOW_PAGES * 4096ul);
    rm_error_t e3 = rm_recovery(RM, (sigil_word_t)recover, (sigil_word_t)&recovery_stack[512]);
    if (e1 != Rm_ErrOk || e2 != Rm_ErrOk || e3 != Rm_ErrOk) {
        sigil_printf("campaign-server: Serve %s, Window %s, Recovery %s\n", rm_error_name(e1),
                     rm_error_name(e2), rm_error_name(e3));
        return 1;
    }
    serve();
}
