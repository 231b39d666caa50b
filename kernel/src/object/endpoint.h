/*
 * Endpoints: a queue of threads waiting to send or to receive.
 *
 * An endpoint is 16 bytes: head and tail of one FIFO queue, linked through the waiting TCBs.
 * All queued threads wait for the same direction (all senders or all receivers), which is
 * read from the head thread's state. The IPC layer (issue 4) enqueues and dequeues threads;
 * the core cancels waiters when the endpoint is deleted and in CancelBadgedSends.
 *
 * CancelBadgedSends is preemptible. Its progress (the endpoint, a cursor into the queue, the
 * badge) is kept in one kernel-wide record, because at most one such walk is in progress at a
 * time: an invocation that finds another walk in progress finishes it first. Removing the
 * cursor thread from the queue by any path moves the cursor to its successor, so the saved
 * position is always valid. The thread that started a walk keeps a ticket in its TCB (the
 * endpoint and badge it asked for); when it restarts, finds no walk in progress and holds the
 * ticket for the same request, its walk has been finished (by it or by a helper) and it simply
 * returns. Deleting an endpoint forgets every ticket naming it (a new endpoint at the same
 * address is another request). The ticket is also forgotten when any invocation of that thread
 * finishes without being preempted, when the thread is suspended and when its registers are
 * rewritten (WriteRegisters, CopyRegisters): then it no longer restarts that call.
 */
#ifndef OBJECT_ENDPOINT_H
#define OBJECT_ENDPOINT_H

#include <kernel/preempt.h>
#include <object/tcb.h>

typedef struct endpoint {
    tcb_queue_t queue; /* waiting threads, all senders or all receivers */
} endpoint_t;

_Static_assert(sizeof(endpoint_t) <= (1u << Sigil_EndpointBits), "endpoint size");

static inline endpoint_t *endpoint_from_cap(cap_t c)
{
    return (endpoint_t *)cap_ptr(c);
}

/* Forget any CancelBadgedSends walk (boot, tests). */
void endpoint_init(void);

/* Append `t` (not queued anywhere) to the queue; the caller sets t's state first. */
static inline void endpoint_enqueue(endpoint_t *ep, tcb_t *t)
{
    tcb_queue_append(&ep->queue, t, ep);
}

/* Remove `t` from the queue of `ep`. O(1). Keeps the CancelBadgedSends cursor valid. */
void endpoint_dequeue(endpoint_t *ep, tcb_t *t);

/* The endpoint a CancelBadgedSends walk is in progress on, or NULL (written by endpoint.c
 * only): its queue's cursor needs endpoint_dequeue to stay valid. */
extern const endpoint_t *endpoint_walk_ep;

static inline bool endpoint_walk_on(const endpoint_t *ep)
{
    return endpoint_walk_ep == ep;
}

/* Deletion: take the first waiter off and make it restart its system call. Returns false
 * when the queue was already empty. O(1). */
bool endpoint_cancel_one(endpoint_t *ep);

/* The endpoint is going away: forget any CancelBadgedSends walk on it and every thread's
 * ticket that names it. O(threads holding a ticket). */
void endpoint_forget(const endpoint_t *ep);

/* CNode_CancelBadgedSends on `ep` with `badge` (decode has checked the cap), invoked by
 * `caller`: every thread queued to send with that badge restarts its send. Preemptible. */
invoke_result_t endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge, tcb_t *caller);

/* Forget `t`'s CancelBadgedSends ticket (an invocation finished, the thread suspended or its
 * registers rewritten). */
void endpoint_forget_ticket(tcb_t *t);

/* Debug view of the kernel-wide CancelBadgedSends walk, for the invariant checker. */
typedef struct endpoint_walk {
    const endpoint_t *ep; /* NULL when no walk is in progress */
    const tcb_t *cursor;  /* next thread to examine */
    word_t badge;
} endpoint_walk_t;
endpoint_walk_t endpoint_current_walk(void);

/* Debug view: the first thread holding a ticket (the rest follow through cancel_next). */
const tcb_t *endpoint_ticket_holders(void);

#endif /* OBJECT_ENDPOINT_H */
