/*
 * Endpoint queues, cancellation on deletion and the preemptible CancelBadgedSends walk
 * (see endpoint.h for the design of the walk).
 *
 * A walk examines one queued thread per preemption unit: it moves the cursor to the next
 * thread first, then restarts the examined thread if it sends with the walk's badge. Threads
 * that arrive during a preempted walk join the tail and are examined too; a walk is bounded
 * by the number of threads, since a thread can only be queued once.
 */
#include <lib/assert.h>
#include <lib/kstate.h>
#include <object/endpoint.h>

KSTATE const endpoint_t *endpoint_walk_ep; /* NULL: no walk in progress */

KSTATE static struct {
    tcb_t *cursor; /* next thread to examine; NULL: end of queue reached */
    word_t badge;
} walk;

/* Every thread holding a ticket (cancel_ep != NULL), linked through cancel_next/_prev. */
KSTATE_RESTART static tcb_t *ticket_holders;

void endpoint_init(void)
{
    endpoint_walk_ep = NULL;
    walk.cursor = NULL;
    ticket_holders = NULL;
}

void endpoint_dequeue(endpoint_t *ep, tcb_t *t)
{
    kassert(t->blocked_on == ep);
    if (endpoint_walk_ep == ep && walk.cursor == t) {
        walk.cursor = t->q_next;
    }
    tcb_queue_remove(&ep->queue, t);
}

bool endpoint_cancel_one(endpoint_t *ep)
{
    tcb_t *t = ep->queue.head;
    if (t == NULL) {
        return false;
    }
    tcb_cancel_and_restart(t);
    return true;
}

void endpoint_forget_ticket(tcb_t *t)
{
    if (t->cancel_ep == NULL) {
        return;
    }
    if (t->cancel_prev != NULL) {
        t->cancel_prev->cancel_next = t->cancel_next;
    } else {
        ticket_holders = t->cancel_next;
    }
    if (t->cancel_next != NULL) {
        t->cancel_next->cancel_prev = t->cancel_prev;
    }
    t->cancel_next = NULL;
    t->cancel_prev = NULL;
    t->cancel_ep = NULL;
    t->cancel_badge = 0;
}

/* `t` holds the ticket (ep, badge) from now on, and no other. */
static void take_ticket(tcb_t *t, const endpoint_t *ep, word_t badge)
{
    endpoint_forget_ticket(t);
    t->cancel_ep = ep;
    t->cancel_badge = badge;
    t->cancel_next = ticket_holders;
    if (ticket_holders != NULL) {
        ticket_holders->cancel_prev = t;
    }
    ticket_holders = t;
}

/* A ticket names an endpoint by address: a new endpoint made at the same address must not
 * inherit the old one's finished walk, so deletion forgets them all. O(threads holding a
 * ticket), which are threads preempted in CancelBadgedSends that have not run again. */
void endpoint_forget(const endpoint_t *ep)
{
    if (endpoint_walk_ep == ep) {
        endpoint_walk_ep = NULL;
        walk.cursor = NULL;
    }
    tcb_t *next;
    for (tcb_t *t = ticket_holders; t != NULL; t = next) {
        next = t->cancel_next;
        if (t->cancel_ep == ep) {
            endpoint_forget_ticket(t);
        }
    }
}

const tcb_t *endpoint_ticket_holders(void)
{
    return ticket_holders;
}

endpoint_walk_t endpoint_current_walk(void)
{
    endpoint_walk_t w = {endpoint_walk_ep, walk.cursor, walk.badge};
    return w;
}

/* One unit of the walk in progress. */
static void walk_step(void)
{
    tcb_t *t = walk.cursor;
    if (t == NULL) {
        endpoint_walk_ep = NULL;
        return;
    }
    walk.cursor = t->q_next;
    if (t->state == TCB_BLOCKED_ON_SEND && t->ipc_badge == walk.badge) {
        tcb_cancel_and_restart(t);
    }
}

static void walk_start(endpoint_t *ep, word_t badge, tcb_t *caller)
{
    endpoint_walk_ep = ep;
    walk.badge = badge;
    /* Only a queue of senders has anything to cancel. */
    tcb_t *head = ep->queue.head;
    walk.cursor = (head != NULL && head->state == TCB_BLOCKED_ON_SEND) ? head : NULL;
    take_ticket(caller, ep, badge);
}

invoke_result_t endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge, tcb_t *caller)
{
    for (;;) {
        if (endpoint_walk_ep != NULL) {
            walk_step();
        } else if (caller->cancel_ep == ep && caller->cancel_badge == badge) {
            /* The walk this caller started has been finished, by it or by a helper. */
            endpoint_forget_ticket(caller);
            return INVOKE_DONE;
        } else {
            walk_start(ep, badge, caller);
        }
        if (preempt_point()) {
            return INVOKE_PREEMPTED;
        }
    }
}
