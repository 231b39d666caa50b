/*
 * System call dispatch.
 *
 * The syscall number is in x7 (seL4's ABI). Call, Send and NBSend on a capability that names a
 * kernel object are invocations: the message (label and length in the message info word in
 * x1, the first four words in x2-x5, the rest and the extra caps' cptrs in the IPC buffer) is
 * gathered into an invocation_t, the capability core decodes and performs it, and for Call the
 * reply (error code as label, detail or result words) is written back the same way.
 * The same calls on an endpoint, notification or reply cap are IPC (kernel/ipc.c); Recv, Wait
 * and ReplyRecv receive. A cptr that does not resolve raises a CapFault (seL4's rules: see
 * handle_send; a receive on a cap without Read or of the wrong type is a CapFault too). The debug
 * calls (console output, tick count, power-off, introspection) are in kernel/debugcall.c.
 */
#include <arch/arch.h>
#include <arch/uaccess.h>
#include <arch/vspace.h>
#include <sigil/abi.h>
#include <sigil/ipcbuffer.h>

#include "api/invocation.h"
#include "kernel/cspace.h"
#include "kernel/debugcall.h"
#include "kernel/fault.h"
#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "lib/kprintf.h"
#include "object/tcb.h"

#define MSG_REGS SIGIL_MSG_REGISTERS_IN_SYSCALL

/* A fault the system call itself raises (CapFault, UnknownSyscall). As in seL4, its FaultIP is
 * the `svc`, so a reply that restarts the thread executes the call again. */
static void syscall_fault(tcb_t *t, fault_type_t type, word_t d0, word_t d1, word_t d2, word_t d3)
{
    t->arch.regs.x[ARCH_REG_PC] -= 4;
    fault_raise(t, type, d0, d1, d2, d3);
}

/* A cptr did not resolve (or, in a receive, named no cap it can receive on): a CapFault. As in
 * seL4, its FaultIP is the svc, so a reply re-executes the call. */
static void cap_fault(tcb_t *t, cptr_t cptr, bool in_receive, const lookup_fault_t *f)
{
    t->arch.regs.x[ARCH_REG_PC] -= 4;
    fault_raise_cap(t, cptr, in_receive, *f);
}

static lookup_fault_t no_right(void)
{
    return lookup_fault_make(Sigil_MissingCapability, 0, 0, 0);
}

/* Resolve the `count` extra caps the message names in `buf` (seL4's lookupExtraCaps) into
 * `out` (may be NULL to only check). False, with the cptr and the reason, when one does not
 * resolve; an empty slot resolves. */
static bool lookup_extra_caps(const tcb_t *t, const sigil_ipc_buffer_t *buf, word_t count,
                              cte_t **out, cptr_t *bad, lookup_fault_t *fault)
{
    cap_t root = t->slots[TCB_SLOT_CSPACE].cap;
    for (word_t i = 0; i < count; i++) {
        cptr_t cptr = buf->caps_or_badges[i];
        cspace_result_t r = cspace_lookup_slot(root, cptr);
        if (r.slot == NULL) {
            *fault = r.fault;
            *bad = cptr;
            return false;
        }
        if (out != NULL) {
            out[i] = r.slot;
        }
    }
    return true;
}

/* The number of extra caps a message names: none without an IPC buffer. */
static word_t extra_cap_count(const sigil_ipc_buffer_t *buf, sigil_msginfo_t info)
{
    return buf != NULL ? sigil_msginfo_extra_caps(info) : 0;
}

/* Gather the message of the current syscall. False on a cap fault in the extra caps. */
static bool gather(tcb_t *t, const arch_regs_t *regs, sigil_ipc_buffer_t *buf, invocation_t *inv,
                   cptr_t *bad_cptr)
{
    sigil_msginfo_t info = arch_syscall_arg(regs, 1);
    word_t length = sigil_msginfo_length(info);
    if (length > SIGIL_MSG_MAX_LENGTH) {
        length = SIGIL_MSG_MAX_LENGTH;
    }
    if (buf == NULL && length > MSG_REGS) {
        length = MSG_REGS;
    }
    inv->label = sigil_msginfo_label(info);
    inv->length = length;
    /* All four register words, whatever the length: the core reads none past inv->length. */
    for (unsigned i = 0; i < MSG_REGS; i++) {
        inv->mr[i] = arch_syscall_arg(regs, 2 + i);
    }
    for (word_t i = MSG_REGS; i < length; i++) {
        inv->mr[i] = buf->msg[i];
    }
    inv->extra_caps = extra_cap_count(buf, info);
    return lookup_extra_caps(t, buf, inv->extra_caps, inv->extra, bad_cptr, &inv->fault);
}

/* A Call on a notification or a reply cap completes at once: like seL4, it returns an empty
 * reply (badge 0, message info 0). */
static void empty_reply(arch_regs_t *regs)
{
    arch_syscall_set(regs, 0, 0);
    arch_syscall_set(regs, 1, 0);
}

/* Write the reply of a Call: label and length in x1, words in x2-x5 and the IPC buffer. */
static void scatter_reply(arch_regs_t *regs, sigil_ipc_buffer_t *buf, const invocation_t *inv)
{
    word_t length = inv->reply_length;
    if (buf == NULL && length > MSG_REGS) {
        length = MSG_REGS;
    }
    for (word_t i = 0; i < length; i++) {
        if (i < MSG_REGS) {
            arch_syscall_set(regs, 2 + (unsigned)i, inv->reply_mr[i]);
        } else {
            buf->msg[i] = inv->reply_mr[i];
        }
    }
    arch_syscall_set(regs, 1, sigil_msginfo_new(inv->reply_label, 0, 0, length));
    arch_syscall_set(regs, 0, 0);
}

/* Whether the invocation in `slot` was the caller `t` acting on its own TCB (a Suspend of
 * itself): then the reply is written although it no longer runs, so that a later Resume returns
 * NoError from that call (seL4 re-executes the Suspend instead, seL4 issue 870). */
static bool acted_on_self(const tcb_t *t, const cte_t *slot)
{
    return cap_type(slot->cap) == Sigil_CapTCB && tcb_from_cap(slot->cap) == t &&
           t->state == TCB_INACTIVE;
}

/* A kernel-object invocation (the cap in `slot` names neither an endpoint, a notification nor
 * a reply object; an empty slot or a zombie is answered with InvalidCapability by the core).
 * A non-blocking send drops a CapFault. */
static void invoke_object(tcb_t *t, arch_regs_t *regs, cte_t *slot, bool blocking, bool is_call)
{
    static invocation_t inv; /* one kernel stack, one CPU: too big for the stack */
    sigil_ipc_buffer_t *buf = ipc_buffer_of(t);
    cptr_t bad = arch_syscall_arg(regs, 0);
    sigil_status_t st;
    if (!gather(t, regs, buf, &inv, &bad)) {
        st = SIGIL_STATUS_CAP_FAULT;
    } else {
        st = api_invoke_slot(t, slot, &inv);
    }
    switch (st) {
    case SIGIL_STATUS_PREEMPTED:
        /* Re-execute the same svc when the thread next runs; progress is in the objects. */
        regs->x[ARCH_REG_PC] -= 4;
        kernel_handle_interrupts();
        return;
    case SIGIL_STATUS_CAP_FAULT:
        if (blocking) {
            cap_fault(t, bad, false, &inv.fault);
        }
        return;
    case SIGIL_STATUS_NOT_CORE:
        /* A type the core does not invoke: handle_send serves the IPC objects itself, so none
         * reaches here today; refuse any other as seL4 refuses an unknown cap type. */
        inv.reply_label = Sigil_IllegalOperation;
        inv.reply_length = 0;
        break;
    default:
        break;
    }
    if (is_call && (t->state == TCB_RUNNING || acted_on_self(t, slot))) {
        scatter_reply(regs, buf, &inv);
    }
}

/* seL4's decodeInvocation answer for an endpoint or notification cap without Write:
 * InvalidCapability(0) to a Call; a Send returns with no effect. */
static void invalid_capability(arch_regs_t *regs, bool is_call)
{
    if (is_call) {
        arch_syscall_set(regs, 2, 0);
        arch_syscall_set(regs, 1, sigil_msginfo_new(Sigil_InvalidCapability, 0, 0, 1));
        arch_syscall_set(regs, 0, 0);
    }
}

/* Look up the cap a receive names in `t`'s CSpace; raises a CapFault (in the receive phase)
 * and returns NULL if there is none. */
static cte_t *lookup_or_fault(tcb_t *t, cptr_t cptr, bool in_receive)
{
    cspace_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot == NULL || cap_is_null(r.slot->cap)) {
        lookup_fault_t f = r.slot == NULL ? r.fault : no_right();
        cap_fault(t, cptr, in_receive, &f);
        return NULL;
    }
    return r.slot;
}

static bool has_right(tcb_t *t, cptr_t cptr, cap_t c, unsigned right, bool in_receive)
{
    if (cap_rights(c) & right) {
        return true;
    }
    lookup_fault_t f = no_right();
    cap_fault(t, cptr, in_receive, &f);
    return false;
}

/* Call, Send, NBSend, in seL4's order: a cptr that does not resolve, then an extra cap that
 * does not resolve, is a CapFault (dropped by NBSend); a cap that cannot be invoked (empty
 * slot, zombie, endpoint or notification without Write) is an InvalidCapability error. */
static void handle_send(tcb_t *t, arch_regs_t *regs, bool blocking, bool is_call)
{
    cptr_t cptr = arch_syscall_arg(regs, 0);
    cspace_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot == NULL) {
        if (blocking) {
            cap_fault(t, cptr, false, &r.fault);
        }
        return;
    }
    cap_t c = r.slot->cap;
    cap_type_t type = cap_type(c);
    if (type != Sigil_CapEndpoint && type != Sigil_CapNotification && type != Sigil_CapReply) {
        invoke_object(t, regs, r.slot, blocking, is_call); /* looks up the extra caps itself */
        return;
    }
    sigil_msginfo_t info = arch_syscall_arg(regs, 1);
    cptr_t bad;
    lookup_fault_t f;
    if (sigil_msginfo_extra_caps(info) != 0) {
        const sigil_ipc_buffer_t *buf = ipc_buffer_of(t);
        if (!lookup_extra_caps(t, buf, extra_cap_count(buf, info), NULL, &bad, &f)) {
            if (blocking) {
                cap_fault(t, bad, false, &f);
            }
            return;
        }
    }
    if (type != Sigil_CapReply && !(cap_rights(c) & Sigil_CanWrite)) {
        invalid_capability(regs, is_call);
        return;
    }
    switch (type) {
    case Sigil_CapEndpoint:
        ipc_send(t, c, blocking, is_call);
        return;
    case Sigil_CapNotification:
        ipc_signal(c);
        break;
    default: /* Sigil_CapReply */
        ipc_reply(t, reply_from_cap(c));
        break;
    }
    if (is_call) {
        empty_reply(regs);
    }
}

/* The reply object a receive names in x6, or NULL after raising a CapFault. */
static reply_t *reply_arg(tcb_t *t, arch_regs_t *regs)
{
    cptr_t cptr = arch_syscall_arg(regs, 6);
    cte_t *slot = lookup_or_fault(t, cptr, true);
    if (slot == NULL) {
        return NULL;
    }
    if (cap_type(slot->cap) != Sigil_CapReply) {
        lookup_fault_t f = no_right();
        cap_fault(t, cptr, true, &f);
        return NULL;
    }
    return reply_from_cap(slot->cap);
}

/* Recv, NBRecv (with a reply object in x6), Wait, NBWait (without). `reply` is the reply object
 * when the caller (ReplyRecv) has already looked it up, else NULL. */
static void handle_receive(tcb_t *t, arch_regs_t *regs, bool blocking, bool with_reply,
                           reply_t *reply)
{
    cptr_t cptr = arch_syscall_arg(regs, 0);
    cte_t *slot = lookup_or_fault(t, cptr, true);
    if (slot == NULL) {
        return;
    }
    cap_t c = slot->cap;
    switch (cap_type(c)) {
    case Sigil_CapEndpoint: {
        if (!has_right(t, cptr, c, Sigil_CanRead, true)) {
            return;
        }
        if (with_reply && reply == NULL && (reply = reply_arg(t, regs)) == NULL) {
            return;
        }
        ipc_receive(t, c, reply, blocking);
        return;
    }
    case Sigil_CapNotification: {
        if (!has_right(t, cptr, c, Sigil_CanRead, true)) {
            return;
        }
        tcb_t *bound = ntfn_bound_tcb(ntfn_from_cap(c));
        if (bound != NULL && bound != t) {
            lookup_fault_t f = no_right();
            cap_fault(t, cptr, true, &f); /* bound to another thread */
            return;
        }
        ipc_wait(t, c, blocking);
        return;
    }
    default: {
        lookup_fault_t f = no_right();
        cap_fault(t, cptr, true, &f);
        return;
    }
    }
}

/* ReplyRecv: answer the caller linked to the reply object in x6, then receive with it. */
static void handle_reply_receive(tcb_t *t, arch_regs_t *regs)
{
    reply_t *reply = reply_arg(t, regs);
    if (reply == NULL) {
        return;
    }
    ipc_reply(t, reply);
    handle_receive(t, regs, true, true, reply);
}

void syscall_handle(arch_regs_t *regs)
{
    tcb_t *t = (tcb_t *)regs; /* the registers are the TCB's first member */
    switch (arch_syscall_number(regs)) {
    case Sigil_SysCall:
        handle_send(t, regs, true, true);
        break;
    case Sigil_SysSend:
        handle_send(t, regs, true, false);
        break;
    case Sigil_SysNBSend:
        handle_send(t, regs, false, false);
        break;
    case Sigil_SysRecv:
        handle_receive(t, regs, true, true, NULL);
        break;
    case Sigil_SysNBRecv:
        handle_receive(t, regs, false, true, NULL);
        break;
    case Sigil_SysWait:
        handle_receive(t, regs, true, false, NULL);
        break;
    case Sigil_SysNBWait:
        handle_receive(t, regs, false, false, NULL);
        break;
    case Sigil_SysReplyRecv:
        handle_reply_receive(t, regs);
        break;
    case Sigil_SysYield:
        sched_yield();
        break;
    default:
        if (!debugcall_handle(t, regs)) { /* the debug calls, kernel/debugcall.c */
            syscall_fault(t, FAULT_UNKNOWN_SYSCALL, (word_t)arch_syscall_number(regs), 0, 0, 0);
        }
        break;
    }
}
