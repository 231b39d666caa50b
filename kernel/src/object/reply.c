/*
 * Reply objects (see reply.h).
 */
#include <lib/assert.h>
#include <object/reply.h>

void reply_link(reply_t *r, tcb_t *t)
{
    kassert(r->tcb == NULL && t->reply == NULL);
    r->tcb = t;
    t->reply = r;
}

void reply_unlink(reply_t *r)
{
    if (r->tcb != NULL) {
        kassert(r->tcb->reply == r);
        r->tcb->reply = NULL;
        r->tcb = NULL;
    }
}

void reply_cut(reply_t *r)
{
    tcb_t *t = r->tcb;
    reply_unlink(r);
    if (t != NULL && t->state == TCB_BLOCKED_ON_REPLY) {
        tcb_abandon(t); /* nobody can answer it now */
    }
}
