/*
 * The resource manager: boot from the rm boot page, then serve requests and faults forever.
 *
 * One endpoint carries both: the badge alone tells them apart (protocol.yaml): a badge with
 * RM_BADGE_REQUEST set is a request from client (badge & ~RM_BADGE_REQUEST); any other badge is a
 * fault of client `badge`, whatever the label says. A request that names no live client is
 * Denied; a fault that names none is not answered; neither changes anything. The manager only reads
 * message registers, never client memory, receives no caps (its IPC buffer names no receive slot),
 * and never blocks on a client: replies go through its reply object (a Send that cannot block), and
 * a request that must not be answered (Exit, a killed caller) leaves the reply object unused.
 *
 * In debug builds (RM_DEBUG) the core's invariants are checked after every request; a broken
 * one is reported as `rm: INVARIANT BROKEN rule N after request M` and the manager stops.
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "server.h"

static rm_server_t server;

/* The client index a badge names and whether it is a request; RM_NONE for no live client. */
static uint32_t badge_client(const rm_server_t *s, rm_word_t badge, int *request)
{
    *request = (badge & RM_BADGE_REQUEST) != 0;
    uint64_t id = badge & ~RM_BADGE_REQUEST;
    uint32_t ci = rm_core_client(&s->core, id);
    if (ci == RM_NONE || !s->core.clients[ci].live) {
        return RM_NONE;
    }
    return ci;
}

static void check_invariants(const rm_server_t *s)
{
#ifdef RM_DEBUG
    int rule = rm_core_check(&s->core);
    if (rule != 0) {
        sigil_printf("rm: INVARIANT BROKEN rule %d after request %lu\n", rule,
                     (unsigned long)s->requests);
        for (;;) {
            sigil_word_t badge;
            sigil_wait(s->endpoint, &badge); /* stop serving; never answer again */
        }
    }
#else
    (void)s;
#endif
}

int main(const void *arg)
{
    rm_server_t *s = &server;
    if (rm_boot(s, (const sigil_rm_boot_t *)arg) != 0) {
        return 1;
    }
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = 0; /* accept no caps */
    b->receive_index = 0;
    b->receive_depth = 0;
    static rm_answer_t a;
    rm_word_t msg[SIGIL_MSG_MAX_LENGTH];
    int reply = 0;
    sigil_msginfo_t out = 0;
    for (;;) {
        sigil_word_t badge;
        sigil_msginfo_t info = reply ? sigil_reply_recv(s->endpoint, out, &badge, s->reply)
                                     : sigil_recv(s->endpoint, &badge, s->reply);
        unsigned length = (unsigned)sigil_msginfo_length(info);
        if (length > SIGIL_MSG_MAX_LENGTH) {
            length = SIGIL_MSG_MAX_LENGTH;
        }
        for (unsigned i = 0; i < length; i++) {
            msg[i] = b->msg[i];
        }
        int request;
        uint32_t ci = badge_client(s, badge, &request);
        reply = 0;
        if (ci == RM_NONE) {
            /* No live client: a request (an unbadged caller, or a badge the policy does not
             * know) is Denied; a fault of no live client is left unanswered. */
            if (request || badge == 0) {
                out = sigil_msginfo_new(Rm_ErrDenied, 0, 0, 0);
                reply = 1;
            }
            continue;
        }
        s->requests++;
        if (!request) {
            reply = rm_handle_fault(s, ci, sigil_msginfo_label(info), msg, length);
            out = sigil_msginfo_new(0, 0, 0, 0); /* restarts the thread at the fault */
            check_invariants(s);
            continue;
        }
        rm_handle_request(s, ci, sigil_msginfo_label(info), msg, length, &a);
        /* The pool was short: take pages from pageable clients and try again (an error changed
         * nothing, so the request runs afresh). */
        while (a.r.err == Rm_ErrNoMemory && rm_pressure_evict(s, ci) != 0) {
            rm_handle_request(s, ci, sigil_msginfo_label(info), msg, length, &a);
        }
        check_invariants(s);
        if (a.noreply) {
            continue;
        }
        unsigned n = a.r.err == Rm_ErrOk ? a.nwords : 2;
        const rm_word_t *words = a.r.err == Rm_ErrOk ? a.words : a.r.detail;
        for (unsigned i = 0; i < n; i++) {
            b->msg[i] = words[i];
        }
        out = sigil_msginfo_new(a.r.err, 0, 0, n);
        reply = 1;
    }
}
