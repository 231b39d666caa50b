/*
 * The scheduler's interface to the rest of the kernel.
 *
 * The capability core calls these when an object operation changes whether a thread can run
 * (a TCB is resumed, suspended or deleted; a blocked thread is woken). The scheduler owns the
 * ready queues; the TCB owns its queue links (see object/tcb.h).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

struct tcb;

/* Make `t` runnable: append it to the ready queue of its priority. Idempotent. */
void sched_enqueue(struct tcb *t);

/* Remove `t` from the ready queues if it is there. Idempotent. */
void sched_dequeue(struct tcb *t);

/* Request that the scheduler choose a thread again before returning to user space. */
void sched_reschedule(void);

#endif /* KERNEL_SCHED_H */
