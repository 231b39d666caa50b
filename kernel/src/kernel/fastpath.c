/*
 * The IPC fastpath: Call and ReplyRecv in their common case, with the same result as the slow
 * path (kernel/ipc.c) and a fraction of its work.
 *
 * A call qualifies when everything the slow path would check is simple: a message of at most
 * four words and no caps; caps found in a single-level CSpace (guard + radix = 64); for Call, a
 * receiver waiting with a reply object on an endpoint cap with Write and Grant or GrantReply;
 * for ReplyRecv, a caller waiting on the reply object and no sender waiting on the endpoint;
 * and the thread switched to being at least as urgent as the current one, so it is the one
 * the scheduler would choose. Anything else returns false and the slow path runs, from the
 * start, with nothing changed. Queue and reply-object links are made by the same inline
 * functions the slow path uses (tcb.h, reply.h). The exception vector calls these (vectors.S) when
 * the build option SIGIL_FASTPATH is on; the suite runs every IPC test with the fastpath on and
 * off.
 */
#include "kernel/fastpath.h"

#include <arch/tcb.h>

#include "kernel/cspace.h"
#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "kernel/return.h"
#include "kernel/sched.h"

#define MSG_REGS SIGIL_MSG_REGISTERS_IN_SYSCALL

/* The cap at `cptr` in a single-level CSpace, in *out; false if the CSpace is not a single
 * guarded CNode or the guard does not match (the slow path then decides). */
static inline bool lookup_flat(const tcb_t *t, cptr_t cptr, cap_t *out)
{
    cap_t root = t->slots[TCB_SLOT_CSPACE].cap;
    if (!cspace_is_flat_hit(root, cptr)) {
        return false;
    }
    *out = cspace_flat_slot(root, cptr)->cap;
    return true;
}

/* Copy MR0-MR3 and set badge and message info in the receiver's registers. */
static void copy_message(const tcb_t *s, tcb_t *r, word_t badge, word_t info)
{
    const word_t *from = s->arch.regs.x;
    word_t *to = r->arch.regs.x;
    _Static_assert(MSG_REGS == 4, "MR0-MR3 travel in x2-x5");
    to[2] = from[2];
    to[3] = from[3];
    to[4] = from[4];
    to[5] = from[5];
    to[0] = badge;
    to[1] = sigil_msginfo_new(sigil_msginfo_label(info), 0, 0, sigil_msginfo_length(info));
}

static bool simple_message(word_t info)
{
    return sigil_msginfo_extra_caps(info) == 0 && sigil_msginfo_length(info) <= MSG_REGS;
}

/* Weak: test images that must take the slow path link definitions that decline. */
__attribute__((weak)) bool fastpath_call(tcb_t *t)
{
    word_t *x = t->arch.regs.x;
    word_t info = x[1];
    if (!simple_message(info)) {
        return false;
    }
    cap_t c;
    if (!lookup_flat(t, x[0], &c) || cap_type(c) != Sigil_CapEndpoint) {
        return false;
    }
    unsigned rights = cap_rights(c);
    if (!(rights & Sigil_CanWrite) || !(rights & (Sigil_CanGrant | Sigil_CanGrantReply))) {
        return false;
    }
    endpoint_t *ep = endpoint_from_cap(c);
    tcb_t *r = ep->queue.head;
    if (r == NULL || r->state != TCB_BLOCKED_ON_RECEIVE || r->reply == NULL ||
        r->priority < t->priority) {
        return false;
    }
    cap_t vs = r->slots[TCB_SLOT_VSPACE].cap;
    if (cap_type(vs) != Sigil_CapVSpace) {
        return false;
    }
    /* Commit: nothing below can fail. */
    reply_t *reply = r->reply;
    if (endpoint_walk_on(ep)) {
        endpoint_dequeue(ep, r); /* keeps the CancelBadgedSends cursor valid */
    } else {
        tcb_queue_remove_head(&ep->queue, r); /* r is the head */
    }
    reply_unlink_linked(reply);
    copy_message(t, r, cap_get_badge(c) /* an endpoint cap: no type check needed */, info);
    reply_link(reply, t);
    reply->can_grant = (r->ipc_flags & IPC_RECV_GRANT) != 0;
    x[ARCH_REG_PC] -= 4; /* the reply completes the Call */
    t->state = TCB_BLOCKED_ON_REPLY;
    r->arch.regs.x[ARCH_REG_PC] += 4;
    r->state = TCB_RUNNING;
    sched_switch_to(r);
    kernel_return_to_vspace(r, cap_ptr(vs));
}

__attribute__((weak)) bool fastpath_reply_recv(tcb_t *t)
{
    word_t *x = t->arch.regs.x;
    word_t info = x[1];
    if (!simple_message(info) || t->bound_ntfn != NULL) {
        return false;
    }
    cap_t rc, ec;
    if (!lookup_flat(t, x[6], &rc) || !lookup_flat(t, x[0], &ec) ||
        cap_type(rc) != Sigil_CapReply || cap_type(ec) != Sigil_CapEndpoint ||
        !(cap_rights(ec) & Sigil_CanRead)) {
        return false;
    }
    reply_t *reply = reply_from_cap(rc);
    tcb_t *caller = reply->tcb;
    endpoint_t *ep = endpoint_from_cap(ec);
    tcb_t *head = ep->queue.head;
    if (caller == NULL || caller->state != TCB_BLOCKED_ON_REPLY || caller->fault_type != 0 ||
        caller->priority < t->priority || (head != NULL && head->state == TCB_BLOCKED_ON_SEND)) {
        return false;
    }
    cap_t vs = caller->slots[TCB_SLOT_VSPACE].cap;
    if (cap_type(vs) != Sigil_CapVSpace) {
        return false;
    }
    /* Commit: answer the caller, then wait on the endpoint with the same reply object. */
    reply_unlink_linked(reply);
    copy_message(t, caller, 0, info);
    caller->arch.regs.x[ARCH_REG_PC] += 4;
    caller->state = TCB_RUNNING;
    t->ipc_flags = (cap_rights(ec) & Sigil_CanGrant) ? IPC_RECV_GRANT : 0;
    reply_link(reply, t);
    x[ARCH_REG_PC] -= 4;
    t->state = TCB_BLOCKED_ON_RECEIVE;
    endpoint_enqueue(ep, t); /* no sender waits: checked */
    sched_switch_to(caller);
    kernel_return_to_vspace(caller, cap_ptr(vs));
}
