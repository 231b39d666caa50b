/*
 * Reply objects (see reply.h).
 */
#include <object/reply.h>

void reply_cut(reply_t *r)
{
    tcb_t *t = r->tcb;
    if (t != NULL && t->state == TCB_BLOCKED_ON_RECEIVE) {
        /* seL4 MCS: a receiver waiting with the reply object is cancelled. */
        tcb_cancel_ipc(t); /* off its endpoint's queue, and unlinks r */
        tcb_abandon(t);
        return;
    }
    reply_unlink(r);
    if (t != NULL && t->state == TCB_BLOCKED_ON_REPLY) {
        tcb_abandon(t); /* nobody can answer it now */
    }
}
