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

/* Link `r` and `t` (both unlinked). */
void reply_link(reply_t *r, tcb_t *t);

/* Undo the link of `r`, if any. The thread keeps its state (a caller stays blocked, as in
 * seL4 when its reply object is deleted). O(1). */
void reply_unlink(reply_t *r);

/* The reply object goes away or is taken over: unlink it, and a caller that was waiting on it
 * is abandoned (tcb_abandon: inactive, its fault dropped; a Resume re-executes its Call). A
 * receiver waiting with it just receives without one. */
void reply_cut(reply_t *r);

#endif /* OBJECT_REPLY_H */
