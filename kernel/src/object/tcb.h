/*
 * Thread control blocks: the state of a thread that the capability core owns.
 *
 * A TCB is a 2^Sigil_TCBBits-byte object. `arch` comes first (exception entry saves user
 * registers there). The TCB holds four cap slots of its own (CSpace root, VSpace root, IPC
 * buffer frame, fault handler endpoint); they are ordinary CDT slots, so revoking an endpoint
 * also removes it from every TCB that uses it as fault handler (RFC-11: the handler's badge
 * and rights are stored beside the cap, not minted into it). The queue links let a thread
 * wait on exactly one endpoint or notification; the scheduler's ready-queue links are owned
 * by the scheduler. IPC itself (issue 4) extends this file; the core only needs enough to
 * suspend a thread and to cancel what it waits for when an object goes away.
 */
#ifndef OBJECT_TCB_H
#define OBJECT_TCB_H

#include <arch/tcb.h>
#include <lib/assert.h>
#include <object/cdt.h>

/* tcb_t.flags (TCB_SetFlags, RFC-18). */
#define TCB_FLAG_FPU_DISABLED SIGIL_TCB_FLAG_FPU_DISABLED
#define TCB_FLAG_PRINT_ERRORS SIGIL_TCB_FLAG_PRINT_ERRORS /* debug kernels: api/invoke.c */

typedef enum {
    TCB_INACTIVE = 0, /* zeroed memory is an inactive thread */
    TCB_RUNNING,
    TCB_RESTART, /* will re-execute its current system call when it next runs */
    TCB_BLOCKED_ON_RECEIVE,
    TCB_BLOCKED_ON_SEND,
    TCB_BLOCKED_ON_REPLY,
    TCB_BLOCKED_ON_NOTIFICATION,
} tcb_state_t;

/* Indices of the TCB's own cap slots (kernel/abi/sigil.yaml, `tcb_slots`). */
enum {
    TCB_SLOT_CSPACE = Sigil_TCBSlot_CSpace,
    TCB_SLOT_VSPACE = Sigil_TCBSlot_VSpace,
    TCB_SLOT_IPC_BUFFER = Sigil_TCBSlot_IPCBuffer,
    TCB_SLOT_FAULT_HANDLER = Sigil_TCBSlot_FaultHandler,
    TCB_NUM_SLOTS = SIGIL_TCB_NUM_SLOTS,
};

struct endpoint;
struct notification;
struct reply;

typedef struct tcb {
    arch_tcb_t arch; /* must stay first (see arch/tcb.h) */

    cte_t slots[TCB_NUM_SLOTS]; /* owned by the TCB; CDT members like any slot */

    /* Thread state. Written by the core, IPC and the scheduler. */
    uint8_t state;    /* tcb_state_t */
    uint8_t priority; /* 0..255 */
    uint8_t mcp;      /* maximum controlled priority */
    uint8_t flags;    /* TCB_FLAG_* (FPU disabled, ...) */

    /* RFC-11: fault handler badge and rights, given directly in TCB_SetSpace/Configure. */
    word_t fault_badge;
    word_t fault_rights;
    /* (The IPC buffer's address lives in arch.regs.x[ARCH_REG_IPCBUF], which EL0 reads.) */

    /* Endpoint / notification wait queue. Valid while state is BLOCKED_ON_SEND, _RECEIVE or
     * _NOTIFICATION; `blocked_on` names the object whose queue holds the thread. */
    struct tcb *q_next;
    struct tcb *q_prev;
    void *blocked_on;
    word_t ipc_badge; /* BLOCKED_ON_SEND: badge of the cap the thread sends with */
    word_t ipc_flags; /* IPC layer's per-wait flags (can grant, is call, ...) */

    /* Reply object this thread waits on (BLOCKED_ON_REPLY) or receives with (BLOCKED_ON_
     * RECEIVE). The reply's own pointer names this thread back. */
    struct reply *reply;

    /* Notification bound to this thread (its `bound_tcb` names this thread back). */
    struct notification *bound_ntfn;

    /* Ready queue links: owned by the scheduler (kernel/sched.h). */
    struct tcb *sched_next;
    struct tcb *sched_prev;

    /* CancelBadgedSends restart ticket (endpoint.c): the request whose walk this thread started
     * (endpoint, badge); cancel_ep is NULL when it holds none. Threads holding a ticket are
     * linked through cancel_next/cancel_prev (owned by endpoint.c), so that deleting an
     * endpoint forgets every ticket that names it. */
    const struct endpoint *cancel_ep;
    struct tcb *cancel_next;
    struct tcb *cancel_prev;
    word_t cancel_badge;

    /* The fault this thread is sending to its fault handler (kernel/fault.c): a fault_type_t
     * (FAULT_NONE = 0 when none) and its details. Set by the fault layer; non-zero only while
     * the thread is BLOCKED_ON_SEND with the fault or BLOCKED_ON_REPLY waiting for its answer:
     * every path that abandons that IPC clears it (tcb_cancel_ipc, tcb_abandon). */
    word_t fault_type;
    word_t fault_data[2 + SIGIL_LOOKUP_FAILURE_MAX_LENGTH]; /* CapFault: cptr, phase, failure */

    /* The name DebugNameThread gave (NUL-terminated; empty: none), for fault reports. */
    char name[SIGIL_MSG_THREAD_NAME_MAX];
} tcb_t;

_Static_assert(sizeof(tcb_t) <= (1u << Sigil_TCBBits), "TCB must fit its object size");

/* A FIFO of waiting threads linked through their q_next/q_prev (endpoints, notifications). */
typedef struct tcb_queue {
    tcb_t *head; /* first waiting thread, NULL when empty */
    tcb_t *tail; /* last waiting thread */
} tcb_queue_t;

/* Append `t` (on no queue) to `q`, recording `owner` as what t is blocked on. O(1). Inline, as
 * tcb_queue_remove: the fastpath uses them too. */
static inline void tcb_queue_append(tcb_queue_t *q, tcb_t *t, void *owner)
{
    kassert(t->q_next == NULL && t->q_prev == NULL);
    t->blocked_on = owner;
    t->q_prev = q->tail;
    t->q_next = NULL;
    if (q->tail != NULL) {
        q->tail->q_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

/* Remove `t`, the head of `q`: tcb_queue_remove for a thread known to have no predecessor (the
 * fastpath takes the first waiting receiver). O(1). */
static inline void tcb_queue_remove_head(tcb_queue_t *q, tcb_t *t)
{
    kassert(q->head == t && t->q_prev == NULL);
    tcb_t *next = t->q_next;
    q->head = next;
    if (next != NULL) {
        next->q_prev = NULL;
    } else {
        q->tail = NULL;
    }
    t->q_next = NULL;
    t->blocked_on = NULL;
}

/* Remove `t` from `q`. O(1). */
static inline void tcb_queue_remove(tcb_queue_t *q, tcb_t *t)
{
    if (t->q_prev != NULL) {
        t->q_prev->q_next = t->q_next;
    } else {
        q->head = t->q_next;
    }
    if (t->q_next != NULL) {
        t->q_next->q_prev = t->q_prev;
    } else {
        q->tail = t->q_prev;
    }
    t->q_next = NULL;
    t->q_prev = NULL;
    t->blocked_on = NULL;
}
_Static_assert(offsetof(tcb_t, arch) == 0, "arch must be the first member of the TCB");

static inline tcb_t *tcb_from_cap(cap_t c)
{
    return (tcb_t *)cap_ptr(c);
}

/* Initialise a TCB in freshly retyped (zeroed) memory. */
void tcb_init(tcb_t *t);

/* Take the thread off whatever it waits for (endpoint, notification or reply) without
 * completing the operation, and drop the fault it was sending, if any (seL4 MCS's cancelIPC);
 * its state is left unchanged. O(1). */
void tcb_cancel_ipc(tcb_t *t);

/* Nobody will answer the IPC `t` waits for (its reply object was deleted or taken over, it may
 * not be answered, its fault handler endpoint was deleted): it becomes INACTIVE and drops its
 * fault, if any. Its PC rests on its svc (or faulting instruction), so a Resume re-executes the
 * call. O(1). */
void tcb_abandon(tcb_t *t);

/* The object `t` is queued on goes away, or CancelBadgedSends picks it: take it off and make it
 * re-execute its system call, except that a thread sending a fault becomes INACTIVE instead
 * (seL4 MCS's restartThreadIfNoFault: the fault would only be raised again). Requests a
 * reschedule. O(1). */
void tcb_cancel_and_restart(tcb_t *t);

/* seL4's Suspend: cancel IPC, leave the ready queue, become INACTIVE. O(1). */
void tcb_suspend(tcb_t *t);

/* Make a blocked thread re-execute its system call: state RESTART, onto the ready queue. */
void tcb_restart(tcb_t *t);

/* seL4's Resume (restart): a stopped thread — inactive, or blocked on an endpoint, a
 * notification or a reply — has its IPC cancelled and restarts its current system call (or
 * starts at its PC). A running or restarting thread is left alone. O(1). */
void tcb_resume(tcb_t *t);

/* First step of deleting a TCB (its last cap is going): suspend, unbind its notification,
 * forget restart tickets, tell the arch. Then its slots are emptied by the deletion engine. */
void tcb_prepare_destroy(tcb_t *t);

#endif /* OBJECT_TCB_H */
