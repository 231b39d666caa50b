/*
 * Notifications: a word of signal bits, a queue of waiting threads and an optional bound TCB.
 *
 * 32 bytes: waiting queue (head, tail, linked through TCBs like endpoint queues), the bound
 * TCB with the "active" flag in bit 0 (TCBs are 2 KiB aligned), and the badge word. The IPC
 * layer implements Signal/Wait/Poll on top of these fields; the core unbinds the TCB and
 * cancels the waiters (one per preemption unit) when the notification is deleted.
 */
#ifndef OBJECT_NOTIFICATION_H
#define OBJECT_NOTIFICATION_H

#include <object/tcb.h>

typedef struct notification {
    tcb_queue_t queue; /* waiting threads (state BLOCKED_ON_NOTIFICATION) */
    uintptr_t bound;   /* bound TCB | NTFN_ACTIVE */
    word_t word;       /* OR of the badges signalled since the last wait (when active) */
} notification_t;

#define NTFN_ACTIVE 1u

_Static_assert(sizeof(notification_t) <= (1u << Sigil_NotificationBits), "notification size");

static inline notification_t *ntfn_from_cap(cap_t c)
{
    return (notification_t *)cap_ptr(c);
}
static inline tcb_t *ntfn_bound_tcb(const notification_t *n)
{
    return (tcb_t *)(n->bound & ~(uintptr_t)NTFN_ACTIVE);
}
static inline bool ntfn_is_active(const notification_t *n)
{
    return (n->bound & NTFN_ACTIVE) != 0;
}

/* Append `t` to the waiters (the caller has set t's state). */
void ntfn_enqueue(notification_t *n, tcb_t *t);

/* Remove `t` from the waiters. O(1). */
void ntfn_dequeue(notification_t *n, tcb_t *t);

/* Bind `t` to `n` (neither may be bound already). */
void ntfn_bind(notification_t *n, tcb_t *t);

/* Undo the binding of `n`, if any. O(1). */
void ntfn_unbind(notification_t *n);

/* Deletion: make the first waiter restart its system call. False if there was none. O(1). */
bool ntfn_cancel_one(notification_t *n);

#endif /* OBJECT_NOTIFICATION_H */
