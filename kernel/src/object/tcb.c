/*
 * TCB object state (see tcb.h). Every function here is O(1): suspending a thread removes it
 * from at most one wait queue and the ready queue; the thread's cap slots are emptied later,
 * one per preemption unit, by the deletion engine.
 */
#include <arch/hooks.h>
#include <kernel/sched.h>
#include <lib/assert.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <object/tcb.h>

void tcb_init(tcb_t *t)
{
    t->state = TCB_INACTIVE;
    t->priority = 0;
    t->mcp = 0;
    arch_tcb_init(t);
}

void tcb_cancel_ipc(tcb_t *t)
{
    t->fault_type = 0; /* seL4 MCS: cancelling the IPC cancels the fault it was sending */
    switch (t->state) {
    case TCB_BLOCKED_ON_SEND:
    case TCB_BLOCKED_ON_RECEIVE:
        endpoint_dequeue((endpoint_t *)t->blocked_on, t);
        break;
    case TCB_BLOCKED_ON_NOTIFICATION:
        ntfn_dequeue((notification_t *)t->blocked_on, t);
        break;
    default:
        break;
    }
    if (t->reply != NULL) {
        reply_unlink(t->reply);
    }
}

void tcb_abandon(tcb_t *t)
{
    t->fault_type = 0;
    t->state = TCB_INACTIVE;
    sched_dequeue(t);
}

void tcb_cancel_and_restart(tcb_t *t)
{
    bool faulted = t->fault_type != 0;
    tcb_cancel_ipc(t);
    if (faulted) {
        tcb_abandon(t); /* its fault handler is gone: nobody will answer that fault */
    } else {
        tcb_restart(t);
    }
    sched_reschedule();
}

void tcb_suspend(tcb_t *t)
{
    tcb_cancel_ipc(t);
    t->state = TCB_INACTIVE;
    sched_dequeue(t);
    endpoint_forget_ticket(t);
}

void tcb_restart(tcb_t *t)
{
    t->state = TCB_RESTART;
    sched_enqueue(t);
}

/* seL4's isStopped: inactive, or blocked in an IPC. */
static bool is_stopped(const tcb_t *t)
{
    switch (t->state) {
    case TCB_INACTIVE:
    case TCB_BLOCKED_ON_RECEIVE:
    case TCB_BLOCKED_ON_SEND:
    case TCB_BLOCKED_ON_REPLY:
    case TCB_BLOCKED_ON_NOTIFICATION:
        return true;
    default:
        return false;
    }
}

void tcb_resume(tcb_t *t)
{
    if (is_stopped(t)) {
        tcb_cancel_ipc(t);
        tcb_restart(t);
    }
}

void tcb_prepare_destroy(tcb_t *t)
{
    tcb_suspend(t);
    if (t->bound_ntfn != NULL) {
        ntfn_unbind(t->bound_ntfn);
    }
    arch_tcb_destroy(t);
}
