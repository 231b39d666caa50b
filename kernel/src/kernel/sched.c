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
#define slice_left sched_state.slice_left
#define choose_new sched_state.choose_new

static bool in_queue(const tcb_t *t)
{
    return t->sched_prev != NULL || queues[t->priority].head == t;
}

void sched_enqueue(tcb_t *t)
{
    if (t == current || in_queue(t)) {
        return;
    }
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
    if (current == NULL || t->priority > current->priority) {
        choose_new = true;
    }
}

void sched_dequeue(tcb_t *t)
{
    if (t == current) {
        /* The running thread stops being runnable (blocked, suspended, deleted). */
        current = NULL;
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
    choose_new = true;
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

tcb_t *sched_choose(void)
{
    if (!choose_new && current != NULL) {
        return current;
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
        sched_enqueue(t);
        choose_new = true;
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
    choose_new = true;
}
