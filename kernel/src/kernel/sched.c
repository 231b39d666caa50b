/*
 * The scheduler: 256 priorities, round robin within a priority, timer preemption.
 *
 * Ready threads wait in one FIFO queue per priority; a 256-bit bitmap says which queues are
 * non-empty, so choosing the highest-priority thread is four word tests and a count of
 * leading zeros: O(1). The running thread is not in any queue (as in seL4): when it is
 * preempted, yields or blocks it goes back to the tail of its queue or stays out.
 *
 * Time slice: SCHED_TIME_SLICE_TICKS timer ticks. A thread that uses up its slice goes to the
 * tail of its priority's queue, so equal-priority threads share the CPU round robin. A thread
 * made ready with a higher priority than the running one preempts it at the next return to
 * user space.
 *
 * A thread woken by IPC (sched_wake) is not queued at once but held as the *candidate*, and
 * sched_choose applies seL4's rule for it (possibleSwitchTo, then schedule): it runs directly if
 * it is more urgent than the running thread, or, when the running thread has blocked, if no ready
 * thread is more urgent than it; otherwise it joins the tail of its queue. So a Call's receiver
 * or a ReplyRecv's caller runs next even when another thread of its priority is ready, exactly as
 * the fastpath switches to it. Anything that makes the scheduler choose afresh (a second wake in
 * the same kernel entry, a yield, a priority change) queues the candidate first, as seL4's
 * rescheduleRequired does.
 */
#include "kernel/sched.h"

#include "lib/assert.h"
#include "object/tcb.h"

#define NUM_PRIOS    256
#define BITMAP_WORDS (NUM_PRIOS / 64)

typedef struct ready_queue {
    tcb_t *head;
    tcb_t *tail;
} ready_queue_t;

static ready_queue_t queues[NUM_PRIOS];
static uint64_t bitmap[BITMAP_WORDS];
sched_state_t sched_state;
#define current    sched_state.current
#define candidate  sched_state.candidate
#define slice_left sched_state.slice_left
#define choose_new sched_state.choose_new

static bool in_queue(const tcb_t *t)
{
    return t->sched_prev != NULL || queues[t->priority].head == t;
}

/* Append `t` (runnable, in no queue) to the tail of its priority's queue. */
static void queue_append(tcb_t *t)
{
    ready_queue_t *q = &queues[t->priority];
    t->sched_next = NULL;
    t->sched_prev = q->tail;
    if (q->tail != NULL) {
        q->tail->sched_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
    bitmap[t->priority / 64] |= 1ull << (t->priority % 64);
}

/* Choose again before returning to user space; a candidate joins its queue (seL4's
 * rescheduleRequired). Invariant: a candidate is held only while choose_new is set, so the common
 * return to the running thread tests one flag. */
static void choose_again(void)
{
    if (candidate != NULL) {
        tcb_t *c = candidate;
        candidate = NULL;
        queue_append(c);
    }
    choose_new = true;
}

void sched_enqueue(tcb_t *t)
{
    if (t == current || t == candidate || in_queue(t)) {
        return;
    }
    queue_append(t);
    if (current == NULL || t->priority > current->priority) {
        choose_again();
    }
}

void sched_wake(tcb_t *t)
{
    if (t == current || t == candidate || in_queue(t)) {
        return;
    }
    if (candidate == NULL && !choose_new) {
        candidate = t;
        choose_new = true; /* so that sched_choose looks at it */
        return;
    }
    choose_again(); /* more than one thread to consider: all of them queue */
    queue_append(t);
}

void sched_dequeue(tcb_t *t)
{
    if (t == current) {
        /* The running thread stops being runnable (blocked, suspended, deleted). */
        current = NULL;
        choose_new = true;
        return;
    }
    if (t == candidate) {
        candidate = NULL;
        choose_new = true;
        return;
    }
    if (!in_queue(t)) {
        return;
    }
    ready_queue_t *q = &queues[t->priority];
    if (t->sched_prev != NULL) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        q->head = t->sched_next;
    }
    if (t->sched_next != NULL) {
        t->sched_next->sched_prev = t->sched_prev;
    } else {
        q->tail = t->sched_prev;
    }
    t->sched_next = t->sched_prev = NULL;
    if (q->head == NULL) {
        bitmap[t->priority / 64] &= ~(1ull << (t->priority % 64));
    }
}

void sched_reschedule(void)
{
    choose_again();
}

static int highest_ready(void)
{
    for (int w = BITMAP_WORDS - 1; w >= 0; w--) {
        if (bitmap[w] != 0) {
            return w * 64 + 63 - __builtin_clzll(bitmap[w]);
        }
    }
    return -1;
}

tcb_t *sched_current(void)
{
    return current;
}

void sched_set_current(tcb_t *t)
{
    if (t != NULL && in_queue(t)) {
        sched_dequeue(t);
    }
    current = t;
    slice_left = SCHED_TIME_SLICE_TICKS;
    choose_new = false;
}

/* seL4's rule for a thread woken by IPC: run it now if it is more urgent than the running
 * thread, or, the running thread having blocked, at least as urgent as every ready thread. */
static bool candidate_runs(const tcb_t *c)
{
    if (current != NULL) {
        return c->priority > current->priority;
    }
    int prio = highest_ready();
    return prio < 0 || c->priority >= (unsigned)prio;
}

tcb_t *sched_choose(void)
{
    if (!choose_new && current != NULL) {
        return current;
    }
    tcb_t *c = candidate; /* a candidate comes with choose_new set */
    if (c != NULL) {
        candidate = NULL;
        if (candidate_runs(c)) {
            tcb_t *prev = current;
            current = NULL; /* so that prev can be queued */
            if (prev != NULL) {
                queue_append(prev);
            }
            sched_set_current(c);
            return c;
        }
        queue_append(c); /* then choose as usual, among the ready threads and `current` */
    }
    int prio = highest_ready();
    if (current != NULL && (prio < 0 || (unsigned)prio <= current->priority)) {
        choose_new = false;
        return current; /* still the most urgent */
    }
    tcb_t *prev = current;
    if (prio < 0) {
        sched_set_current(NULL);
        return NULL;
    }
    tcb_t *next = queues[prio].head;
    current = NULL; /* so that prev can be queued */
    if (prev != NULL) {
        sched_enqueue(prev);
    }
    sched_set_current(next);
    return next;
}

void sched_yield(void)
{
    if (current != NULL) {
        tcb_t *t = current;
        current = NULL;
        choose_again();
        queue_append(t);
    }
}

void sched_tick(void)
{
    if (current != NULL && --slice_left == 0) {
        sched_yield();
    }
}

void sched_change_priority(tcb_t *t, unsigned prio)
{
    kassert(prio < NUM_PRIOS);
    bool queued = t != current && in_queue(t);
    if (queued) {
        sched_dequeue(t);
    }
    t->priority = (uint8_t)prio;
    if (queued) {
        sched_enqueue(t);
    }
    choose_again();
}
