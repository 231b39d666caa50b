/*
 * Notification queues and binding (see notification.h). All O(1).
 */
#include <lib/assert.h>
#include <object/notification.h>

void ntfn_enqueue(notification_t *n, tcb_t *t)
{
    tcb_queue_append(&n->queue, t, n);
}

void ntfn_dequeue(notification_t *n, tcb_t *t)
{
    kassert(t->blocked_on == n);
    tcb_queue_remove(&n->queue, t);
}

void ntfn_bind(notification_t *n, tcb_t *t)
{
    kassert(ntfn_bound_tcb(n) == NULL && t->bound_ntfn == NULL);
    n->bound = (uintptr_t)t | (n->bound & NTFN_ACTIVE);
    t->bound_ntfn = n;
}

void ntfn_unbind(notification_t *n)
{
    tcb_t *t = ntfn_bound_tcb(n);
    if (t != NULL) {
        t->bound_ntfn = NULL;
        n->bound &= NTFN_ACTIVE;
    }
}

bool ntfn_cancel_one(notification_t *n)
{
    tcb_t *t = n->queue.head;
    if (t == NULL) {
        return false;
    }
    tcb_cancel_and_restart(t);
    return true;
}
