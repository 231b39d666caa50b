/*
 * Reply objects (see reply.h).
 */
#include <object/reply.h>

void reply_cut(reply_t *r)
{
    tcb_t *t = r->tcb;
    reply_unlink(r);
    if (t != NULL && t->state == TCB_BLOCKED_ON_REPLY) {
        tcb_abandon(t); /* nobody can answer it now */
    }
}
