/*
 * Reply objects (MCS style, no scheduling contexts).
 *
 * A reply object links a caller blocked on its answer (state BLOCKED_ON_REPLY) or a receiver
 * that will use it (BLOCKED_ON_RECEIVE) through `tcb`; the TCB names the reply back in its
 * `reply` field. RFC-13: `can_grant` is set from the Grant right of the endpoint cap the
 * receiver used; reply caps carry no rights of their own. The IPC layer owns the protocol;
 * the core unlinks the thread when the reply object is deleted.
 */
#ifndef OBJECT_REPLY_H
#define OBJECT_REPLY_H

#include <lib/assert.h>
#include <object/tcb.h>

typedef struct reply {
    tcb_t *tcb;       /* linked thread or NULL; its `reply` points back here */
    word_t can_grant; /* RFC-13 */
    word_t spare[2];
} reply_t;

_Static_assert(sizeof(reply_t) <= (1u << Sigil_ReplyBits), "reply size");

static inline reply_t *reply_from_cap(cap_t c)
{
    return (reply_t *)cap_ptr(c);
}

/* Link `r` and `t` (both unlinked). Inline: the fastpath uses it too. */
static inline void reply_link(reply_t *r, tcb_t *t)
{
    kassert(r->tcb == NULL && t->reply == NULL);
    r->tcb = t;
    t->reply = r;
}

/* Undo the link of `r`, which must be linked. */
static inline void reply_unlink_linked(reply_t *r)
{
    kassert(r->tcb != NULL && r->tcb->reply == r);
    r->tcb->reply = NULL;
    r->tcb = NULL;
}

/* Undo the link of `r`, if any. The thread keeps its state: the caller decides it (reply_cut
 * abandons a waiting caller). O(1). */
static inline void reply_unlink(reply_t *r)
{
    if (r->tcb != NULL) {
        reply_unlink_linked(r);
    }
}

/* The reply object goes away or is taken over by another receive: unlink it, and the thread
 * linked to it is abandoned (tcb_abandon: inactive, its fault dropped; a Resume re-executes its
 * call): a caller waiting on it, or (as seL4 MCS cancels it) a receiver blocked with it, which
 * leaves its endpoint's queue. */
void reply_cut(reply_t *r);

#endif /* OBJECT_REPLY_H */
