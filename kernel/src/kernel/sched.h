/*
 * The scheduler's interface to the rest of the kernel (see sched.c for the policy).
 *
 * The capability core and IPC call sched_enqueue/sched_dequeue when an operation changes
 * whether a thread can run (resumed, suspended, deleted, blocked, woken). The scheduler owns
 * the ready queues; the TCB owns its queue links (object/tcb.h). The running thread is never
 * in a ready queue.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>

/* Round-robin time slice, in timer ticks (1 ms each: arch TIMER_TICK_HZ). */
#define SCHED_TIME_SLICE_TICKS 5

struct tcb;

/* Make `t` runnable: append it to the ready queue of its priority. Idempotent. A thread more
 * urgent than the running one preempts it at the next return to user space. */
void sched_enqueue(struct tcb *t);

/* IPC made `t` runnable (a receiver got its message, a caller its reply, a waiter its signal):
 * like sched_enqueue, except that `t` may run next directly, by seL4's rule (see sched.c). */
void sched_wake(struct tcb *t);

/* `t` can no longer run: remove it from the ready queues, or stop running it if it is the
 * current thread. Idempotent. */
void sched_dequeue(struct tcb *t);

/* Request that the scheduler choose a thread again before returning to user space. */
void sched_reschedule(void);

/* The running thread, or NULL while idle. */
struct tcb *sched_current(void);

/* Make `t` the running thread directly (boot, direct IPC switches). */
void sched_set_current(struct tcb *t);

/* The scheduler's state (sched.c), exposed for sched_switch_to only; one struct, so the
 * fastpath reaches all of it through one address. */
typedef struct sched_state {
    struct tcb *current;   /* the running thread, never in a ready queue; NULL while idle */
    struct tcb *candidate; /* woken by IPC during this kernel entry, in no queue; or NULL */
    unsigned slice_left;   /* ticks left of its time slice */
    bool choose_new;       /* choose again before returning to user space */
} sched_state_t;
extern sched_state_t sched_state;

/* The fastpath: the running thread blocked and `t` (not in any ready queue, at least as urgent
 * as every ready thread) runs now, with a fresh time slice. */
static inline void sched_switch_to(struct tcb *t)
{
    sched_state.current = t;
    sched_state.slice_left = SCHED_TIME_SLICE_TICKS;
    sched_state.choose_new = false;
}

/* Decide what runs next: a candidate woken by IPC if seL4's rule lets it run, else the current
 * thread unless a reschedule was requested and a more urgent thread is ready. Returns the thread
 * to run, or NULL to idle. */
struct tcb *sched_choose(void);

/* The current thread gives up the rest of its slice to threads of its priority. */
void sched_yield(void);

/* One timer tick has passed for the running thread. */
void sched_tick(void);

/* Set `t`'s priority, keeping its place in the queues consistent. */
void sched_change_priority(struct tcb *t, unsigned prio);

#endif /* KERNEL_SCHED_H */
