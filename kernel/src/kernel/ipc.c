/*
 * Inter-process communication (see ipc.h for the conventions).
 *
 * An endpoint's queue holds either senders or receivers, never both: a sender that finds a
 * receiver waiting transfers its message at once, and the same for a receiver that finds a
 * sender. A transfer copies the label, the message registers and, if the sender's cap has
 * Grant, up to three extra caps: a cap to the very endpoint the message travels through is
 * unwrapped (the receiver gets its badge), any other goes into the receiver's receive slot
 * (at most one per message, as in seL4). A fault is sent like a Call whose message the kernel
 * writes (fault.c).
 */
#include "kernel/ipc.h"

#include <arch/tcb.h>

#include "kernel/cspace.h"
#include "kernel/fault.h"
#include "kernel/sched.h"
#include "lib/assert.h"
#include "object/cnode.h"

#define MSG_REGS SIGIL_MSG_REGISTERS_IN_SYSCALL

sigil_ipc_buffer_t *ipc_buffer_of(tcb_t *t)
{
    cap_t c = t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (cap_type(c) != Sigil_CapFrame || cap_frame_is_device(c) ||
        !(cap_rights(c) & Sigil_CanWrite)) {
        return NULL;
    }
    word_t size = 1ull << frame_size_bits(cap_frame_size(c));
    word_t offset = t->arch.regs.x[ARCH_REG_IPCBUF] & (size - 1) & ~(word_t)0x3ff;
    return (sigil_ipc_buffer_t *)((uint8_t *)cap_ptr(c) + offset);
}

static word_t get_mr(const tcb_t *t, const sigil_ipc_buffer_t *buf, unsigned i)
{
    return i < MSG_REGS ? t->arch.regs.x[2 + i] : buf->msg[i];
}

static void set_mr(tcb_t *t, sigil_ipc_buffer_t *buf, unsigned i, word_t v)
{
    if (i < MSG_REGS) {
        t->arch.regs.x[2 + i] = v;
    } else {
        buf->msg[i] = v;
    }
}

void ipc_complete(tcb_t *t)
{
    t->arch.regs.x[ARCH_REG_PC] += 4;
    t->state = TCB_RUNNING;
    sched_wake(t);
}

/* `t` is about to wait inside its system call: put its PC back on the `svc`, so that a
 * cancelled wait re-executes the call. A thread sending a fault has no svc: its PC stays on
 * the faulting instruction. */
static void rewind(tcb_t *t)
{
    if (t->fault_type == FAULT_NONE) {
        t->arch.regs.x[ARCH_REG_PC] -= 4;
    }
}

static void block(tcb_t *t, tcb_state_t state)
{
    rewind(t);
    t->state = state;
    sched_dequeue(t);
}

/* ---- transfer ---- */

/* The receiver's receive slot, if it names an empty slot. */
static cte_t *receive_slot(tcb_t *r, const sigil_ipc_buffer_t *rbuf)
{
    if (rbuf == NULL) {
        return NULL;
    }
    cspace_result_t root = cspace_lookup_slot(r->slots[TCB_SLOT_CSPACE].cap, rbuf->receive_cnode);
    if (root.slot == NULL || cap_type(root.slot->cap) != Sigil_CapCNode) {
        return NULL;
    }
    cte_t *slot;
    syserr_t e = cspace_lookup_for_op(root.slot->cap, rbuf->receive_index, rbuf->receive_depth,
                                      false, &slot);
    return (!syserr_failed(e) && cap_is_null(slot->cap)) ? slot : NULL;
}

/* Transfer the sender's extra caps. Returns the receiver's extraCaps count; sets *unwrapped. */
static word_t transfer_caps(tcb_t *s, const sigil_ipc_buffer_t *sbuf, tcb_t *r,
                            sigil_ipc_buffer_t *rbuf, const endpoint_t *ep, word_t count,
                            word_t *unwrapped)
{
    cte_t *dest = receive_slot(r, rbuf);
    word_t done = 0;
    *unwrapped = 0;
    for (; done < count; done++) {
        cspace_result_t src =
            cspace_lookup_slot(s->slots[TCB_SLOT_CSPACE].cap, sbuf->caps_or_badges[done]);
        if (src.slot == NULL || cap_is_null(src.slot->cap)) {
            break;
        }
        cap_t c = src.slot->cap;
        if (cap_type(c) == Sigil_CapEndpoint && ep != NULL && cap_ptr(c) == ep) {
            rbuf->caps_or_badges[done] = cap_badge(c);
            *unwrapped |= 1u << done;
            continue;
        }
        cap_t derived;
        if (dest == NULL || syserr_failed(cnode_derive_cap(src.slot, c, &derived)) ||
            cap_is_null(derived)) {
            break;
        }
        cnode_insert(src.slot, dest, derived);
        dest = NULL; /* one receive slot per message */
    }
    return done;
}

/* Copy `length` message words from `s` to `r`: MR0-MR3 register to register, the rest from
 * buffer to buffer (both present when length > MR0-MR3). */
static void copy_message(const tcb_t *s, const sigil_ipc_buffer_t *sbuf, tcb_t *r,
                         sigil_ipc_buffer_t *rbuf, word_t length)
{
    word_t in_regs = length < MSG_REGS ? length : MSG_REGS;
    for (word_t i = 0; i < in_regs; i++) {
        r->arch.regs.x[2 + i] = s->arch.regs.x[2 + i];
    }
    for (word_t i = MSG_REGS; i < length; i++) {
        rbuf->msg[i] = sbuf->msg[i];
    }
}

/* Copy the message of `s` to `r` and set r's badge and message info registers. The IPC buffers
 * are looked up only when the message needs them (more than MR0-MR3, or caps to transfer). */
static void transfer(tcb_t *s, tcb_t *r, word_t badge, bool can_grant, const endpoint_t *ep)
{
    word_t info;
    if (s->fault_type != FAULT_NONE) {
        word_t mr[FAULT_MAX_WORDS];
        unsigned n = fault_message(s, mr);
        sigil_ipc_buffer_t *rbuf = n > MSG_REGS ? ipc_buffer_of(r) : NULL;
        if (rbuf == NULL && n > MSG_REGS) {
            n = MSG_REGS;
        }
        for (unsigned i = 0; i < n; i++) {
            set_mr(r, rbuf, i, mr[i]);
        }
        info = sigil_msginfo_new(s->fault_type, 0, 0, n);
    } else {
        sigil_msginfo_t tag = s->arch.regs.x[1];
        word_t length = sigil_msginfo_length(tag);
        if (length > SIGIL_MSG_MAX_LENGTH) {
            length = SIGIL_MSG_MAX_LENGTH;
        }
        bool buffers = length > MSG_REGS || (can_grant && sigil_msginfo_extra_caps(tag) != 0);
        sigil_ipc_buffer_t *sbuf = buffers ? ipc_buffer_of(s) : NULL;
        sigil_ipc_buffer_t *rbuf = buffers ? ipc_buffer_of(r) : NULL;
        if ((sbuf == NULL || rbuf == NULL) && length > MSG_REGS) {
            length = MSG_REGS;
        }
        copy_message(s, sbuf, r, rbuf, length);
        word_t extra = 0, unwrapped = 0, count = sigil_msginfo_extra_caps(tag);
        if (count != 0 && can_grant && sbuf != NULL && rbuf != NULL) {
            extra = transfer_caps(s, sbuf, r, rbuf, ep, count, &unwrapped);
        }
        info = sigil_msginfo_new(sigil_msginfo_label(tag), unwrapped, extra, length);
    }
    r->arch.regs.x[0] = badge;
    r->arch.regs.x[1] = info;
}

/* After a Call (or fault) reached receiver `r`: link the caller to the reply object, or, if it
 * may not be answered (no reply object, or neither Grant nor GrantReply), abandon it as
 * reply_cut does. */
static void link_caller(tcb_t *caller, reply_t *reply, bool grants, bool recv_grant)
{
    if (reply != NULL && grants) {
        reply_link(reply, caller);
        reply->can_grant = recv_grant;
        caller->state = TCB_BLOCKED_ON_REPLY;
        sched_dequeue(caller);
    } else {
        tcb_abandon(caller);
    }
}

/* ---- endpoints ---- */

static tcb_t *waiting(const endpoint_t *ep, tcb_state_t state)
{
    tcb_t *t = ep->queue.head;
    return (t != NULL && t->state == state) ? t : NULL;
}

/* The receiver's reply object takes nothing along: a previous caller stays unanswered, and
 * another receiver blocked with it is cancelled, as in seL4 MCS (reply_cut). */
static void claim_reply(reply_t *reply)
{
    if (reply != NULL && reply->tcb != NULL) {
        reply_cut(reply);
    }
}

void ipc_send(tcb_t *t, cap_t ep_cap, bool blocking, bool is_call)
{
    endpoint_t *ep = endpoint_from_cap(ep_cap);
    unsigned rights = cap_rights(ep_cap);
    bool can_grant = rights & Sigil_CanGrant;
    bool grants = can_grant || (rights & Sigil_CanGrantReply);
    word_t badge = cap_badge(ep_cap);
    is_call = is_call || t->fault_type != FAULT_NONE;
    tcb_t *r = waiting(ep, TCB_BLOCKED_ON_RECEIVE);
    if (r == NULL) {
        if (!blocking) {
            return;
        }
        t->ipc_badge = badge;
        t->ipc_flags = (can_grant ? IPC_CAN_GRANT : 0) |
                       ((rights & Sigil_CanGrantReply) ? IPC_CAN_GRANT_REPLY : 0) |
                       (is_call ? IPC_IS_CALL : 0);
        block(t, TCB_BLOCKED_ON_SEND);
        endpoint_enqueue(ep, t);
        return;
    }
    endpoint_dequeue(ep, r);
    reply_t *reply = r->reply;
    bool recv_grant = (r->ipc_flags & IPC_RECV_GRANT) != 0;
    if (reply != NULL) {
        reply_unlink(reply);
    }
    transfer(t, r, badge, can_grant, ep);
    ipc_complete(r);
    if (is_call) {
        rewind(t); /* the reply completes the Call */
        link_caller(t, reply, grants, recv_grant);
    }
}

/* `t` receives the pending word of the active notification `n` as its badge (empty message);
 * `n` becomes idle. */
static void take_signal(tcb_t *t, notification_t *n)
{
    t->arch.regs.x[0] = n->word;
    t->arch.regs.x[1] = 0;
    n->word = 0;
    n->bound &= ~(uintptr_t)NTFN_ACTIVE;
}

/* Deliver a pending signal of the notification bound to `t`, if any. */
static bool take_bound_signal(tcb_t *t)
{
    notification_t *n = t->bound_ntfn;
    if (n == NULL || !ntfn_is_active(n)) {
        return false;
    }
    take_signal(t, n);
    return true;
}

void ipc_receive(tcb_t *t, cap_t ep_cap, reply_t *reply, bool blocking)
{
    endpoint_t *ep = endpoint_from_cap(ep_cap);
    claim_reply(reply);
    if (take_bound_signal(t)) {
        return;
    }
    tcb_t *s = waiting(ep, TCB_BLOCKED_ON_SEND);
    if (s == NULL) {
        if (!blocking) {
            t->arch.regs.x[0] = 0;
            t->arch.regs.x[1] = 0;
            return;
        }
        t->ipc_flags = (cap_rights(ep_cap) & Sigil_CanGrant) ? IPC_RECV_GRANT : 0;
        if (reply != NULL) {
            reply_link(reply, t);
        }
        block(t, TCB_BLOCKED_ON_RECEIVE);
        endpoint_enqueue(ep, t);
        return;
    }
    endpoint_dequeue(ep, s);
    word_t flags = s->ipc_flags;
    transfer(s, t, s->ipc_badge, (flags & IPC_CAN_GRANT) != 0, ep);
    if (flags & IPC_IS_CALL) {
        /* Its PC stays on the svc (or the faulting instruction) until the reply. */
        link_caller(s, reply, (flags & (IPC_CAN_GRANT | IPC_CAN_GRANT_REPLY)) != 0,
                    (cap_rights(ep_cap) & Sigil_CanGrant) != 0);
    } else {
        ipc_complete(s);
    }
}

void ipc_reply(tcb_t *t, reply_t *reply)
{
    tcb_t *caller = reply->tcb;
    if (caller == NULL || caller->state != TCB_BLOCKED_ON_REPLY) {
        return; /* nobody to answer: the reply goes nowhere, as in seL4 */
    }
    reply_unlink(reply);
    if (caller->fault_type != FAULT_NONE) {
        sigil_ipc_buffer_t *buf = ipc_buffer_of(t);
        word_t tag = t->arch.regs.x[1];
        word_t mr[FAULT_MAX_WORDS];
        unsigned n = (unsigned)sigil_msginfo_length(tag);
        n = n > FAULT_MAX_WORDS ? FAULT_MAX_WORDS : n;
        n = buf == NULL && n > MSG_REGS ? MSG_REGS : n;
        for (unsigned i = 0; i < n; i++) {
            mr[i] = get_mr(t, buf, i);
        }
        if (fault_handle_reply(caller, sigil_msginfo_label(tag), mr, n)) {
            caller->state = TCB_RUNNING;
            sched_wake(caller);
        } else {
            caller->state = TCB_INACTIVE;
        }
        return;
    }
    transfer(t, caller, 0, reply->can_grant != 0, NULL);
    ipc_complete(caller);
}

/* ---- notifications ---- */

void ipc_signal(cap_t ntfn_cap)
{
    notification_t *n = ntfn_from_cap(ntfn_cap);
    word_t badge = cap_badge(ntfn_cap);
    tcb_t *w = n->queue.head;
    if (w != NULL) {
        ntfn_dequeue(n, w);
        w->arch.regs.x[0] = badge;
        w->arch.regs.x[1] = 0;
        ipc_complete(w);
        return;
    }
    tcb_t *bound = ntfn_bound_tcb(n);
    if (bound != NULL && bound->state == TCB_BLOCKED_ON_RECEIVE) {
        /* Interrupt its receive: it gets the notification instead. */
        tcb_cancel_ipc(bound);
        bound->arch.regs.x[0] = badge;
        bound->arch.regs.x[1] = 0;
        ipc_complete(bound);
        return;
    }
    n->word |= badge;
    n->bound |= NTFN_ACTIVE;
}

void ipc_wait(tcb_t *t, cap_t ntfn_cap, bool blocking)
{
    notification_t *n = ntfn_from_cap(ntfn_cap);
    if (ntfn_is_active(n)) {
        take_signal(t, n);
        return;
    }
    if (!blocking) {
        t->arch.regs.x[0] = 0;
        t->arch.regs.x[1] = 0;
        return;
    }
    block(t, TCB_BLOCKED_ON_NOTIFICATION);
    ntfn_enqueue(n, t);
}
