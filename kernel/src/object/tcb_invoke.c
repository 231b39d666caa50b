/*
 * TCB invocations (see tcb_invoke.h and docs/kernel/tcb.md).
 *
 * Message layouts (MR = message register, cap = extra cap), from kernel/abi/sigil.yaml:
 *   ReadRegisters    MR0 suspend_source, MR1 arch_flags, MR2 count
 *   WriteRegisters   MR0 resume_target, MR1 arch_flags, MR2 count, MR3.. context words
 *   CopyRegisters    MR0 suspend_source, MR1 resume_target, MR2 transfer_frame,
 *                    MR3 transfer_integer, MR4 arch_flags; cap0 source TCB
 *   Configure        MR0 cspace_root_data, MR1 vspace_root_data, MR2 buffer;
 *                    cap0 cspace_root, cap1 vspace_root, cap2 buffer_frame
 *   SetSpace         MR0 fault_badge, MR1 fault_rights, MR2 cspace_root_data,
 *                    MR3 vspace_root_data; cap0 fault_ep, cap1 cspace_root, cap2 vspace_root
 *   SetPriority      MR0 priority; cap0 authority
 *   SetMCPriority    MR0 mcp; cap0 authority
 *   SetSchedParams   MR0 mcp, MR1 priority; cap0 authority
 *   SetIPCBuffer     MR0 buffer; cap0 buffer_frame
 *   BindNotification cap0 notification
 *   SetTLSBase       MR0 tls_base
 *   SetFlags         MR0 clear, MR1 set -> MR0 the resulting flags
 * Boolean words count as true when non-zero. arch_flags is reserved and ignored.
 */
#include <kernel/sched.h>
#include <object/cnode.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/tcb_invoke.h>

#define IPC_BUFFER_ALIGN_MASK MASK(SIGIL_MSG_IPC_BUFFER_SIZE_BITS)

#define err(code, why) SYSERR(code, 0, 0, why)

/* seL4 numbers the invoked cap 0 and the extra caps from 1. */
#define bad_extra_cap(why) SYSERR(Sigil_InvalidCapability, 1, 0, why)

/* ---- decode helpers: the TCB's own slots ---- */

/* IllegalOperation if emptying any of the TCB slots in `mask` (bits by TCB_SLOT_*) would be
 * long running. */
static syserr_t check_deletable(const tcb_t *t, unsigned mask)
{
    for (unsigned i = 0; i < TCB_NUM_SLOTS; i++) {
        if ((mask & BIT(i)) != 0 && delete_is_long_running(&t->slots[i])) {
            return err(Sigil_IllegalOperation, "TCB: replacing a root would delete a big object");
        }
    }
    return syserr_ok();
}

/* A CSpace or VSpace root: the cap in `src` with `data` applied (when non-zero) as Mint
 * does (CNode guard data; nothing for a VSpace on AArch64), derived; it must be of `type`. */
static syserr_t decode_root(cte_t *src, word_t data, cap_type_t type, tcb_install_t *in)
{
    cap_t c = data != 0 ? cap_update_data(false, data, src->cap) : src->cap;
    syserr_t e = cnode_derive_cap(src, c, &in->cap);
    if (syserr_failed(e)) {
        return e;
    }
    if (cap_type(in->cap) != type) {
        return err(Sigil_IllegalOperation, "TCB: root is not a CNode or VSpace as needed");
    }
    in->change = true;
    in->src = src;
    return syserr_ok();
}

/* The CSpace root (CNode) and VSpace root of Configure and SetSpace. */
static syserr_t decode_roots(cte_t *croot, word_t cdata, cte_t *vroot, word_t vdata, tcb_op_t *op)
{
    syserr_t e = decode_root(croot, cdata, Sigil_CapCNode, &op->install[TCB_SLOT_CSPACE]);
    if (syserr_failed(e)) {
        return e;
    }
    return decode_root(vroot, vdata, Sigil_CapVSpace, &op->install[TCB_SLOT_VSPACE]);
}

/* The IPC buffer: address 0 clears it (the frame cap is ignored); otherwise the frame cap is
 * derived and must be a non-device frame, and the address 1 KiB aligned (then the buffer lies
 * inside the frame at offset address mod frame size, as the syscall layer maps it). */
static syserr_t decode_buffer(cte_t *src, word_t addr, tcb_op_t *op)
{
    tcb_install_t *in = &op->install[TCB_SLOT_IPC_BUFFER];
    in->change = true;
    in->src = NULL;
    in->cap = cap_null();
    op->buffer = addr;
    if (addr == 0) {
        return syserr_ok();
    }
    cap_t c;
    syserr_t e = cnode_derive_cap(src, src->cap, &c);
    if (syserr_failed(e)) {
        return e;
    }
    if (cap_type(c) != Sigil_CapFrame || cap_frame_is_device(c)) {
        return err(Sigil_IllegalOperation, "TCB: IPC buffer is not a RAM frame");
    }
    if ((addr & IPC_BUFFER_ALIGN_MASK) != 0) {
        return err(Sigil_AlignmentError, "TCB: IPC buffer address not 1 KiB aligned");
    }
    in->src = src;
    in->cap = c;
    return syserr_ok();
}

/* RFC-11 fault handler: an endpoint cap (or an empty slot, which clears the handler) with a
 * badge and a rights mask given directly. The slot receives a plain copy of the cap; the
 * effective badge (the call's if non-zero, else the cap's) and rights (the cap's, masked by
 * the call's if non-zero) are stored beside it in the TCB. As seL4's validFaultHandler, the
 * effective rights must include Write and one of Grant, GrantReply. Unlike seL4 (which would
 * silently install nothing), a badge for an already badged cap is an error. */
static syserr_t decode_fault_handler(cte_t *src, word_t badge, word_t rights, tcb_op_t *op)
{
    tcb_install_t *in = &op->install[TCB_SLOT_FAULT_HANDLER];
    cap_t c = src->cap;
    in->change = true;
    in->src = NULL;
    in->cap = cap_null();
    op->fault_badge = 0;
    op->fault_rights = 0;
    if (cap_is_null(c)) {
        return syserr_ok();
    }
    if (cap_type(c) != Sigil_CapEndpoint || (badge != 0 && cap_badge(c) != 0)) {
        return bad_extra_cap("TCB: fault handler not an endpoint, or badged twice");
    }
    cap_t eff = badge != 0 ? cap_update_data(false, badge, c) : c;
    if (rights != 0) {
        eff = cap_mask_rights(eff, (unsigned)(rights & CAP_RIGHTS_MASK));
    }
    unsigned r = cap_rights(eff);
    if ((r & Sigil_CanWrite) == 0 || (r & (Sigil_CanGrant | Sigil_CanGrantReply)) == 0) {
        return bad_extra_cap("TCB: fault handler lacks Write or Grant/GrantReply");
    }
    syserr_t e = cnode_derive_cap(src, c, &in->cap);
    if (syserr_failed(e)) {
        return e;
    }
    in->src = src;
    op->fault_badge = cap_badge(eff);
    op->fault_rights = r;
    return syserr_ok();
}

/* ---- decode, per invocation ---- */

static syserr_t decode_read_registers(const tcb_t *caller, const invocation_t *inv, tcb_op_t *op)
{
    if (inv->length < 3) {
        return err(Sigil_TruncatedMessage, "ReadRegisters: needs 3 words");
    }
    op->suspend_source = inv->mr[0] != 0;
    op->count = inv->mr[2];
    if (op->count == 0 || op->count > TCB_READ_MAX) {
        return SYSERR(Sigil_RangeError, 1, TCB_READ_MAX, "ReadRegisters: count out of range");
    }
    return op->tcb == caller ? err(Sigil_IllegalOperation, "ReadRegisters: of the caller itself")
                             : syserr_ok();
}

static syserr_t decode_write_registers(const tcb_t *caller, const invocation_t *inv, tcb_op_t *op)
{
    if (inv->length < 3) {
        return err(Sigil_TruncatedMessage, "WriteRegisters: needs 3 words");
    }
    op->resume_target = inv->mr[0] != 0;
    op->count = inv->mr[2];
    op->first = 3;
    if (inv->length - 3 < op->count) {
        return err(Sigil_TruncatedMessage, "WriteRegisters: fewer words than count");
    }
    if (op->tcb == caller) {
        return err(Sigil_IllegalOperation, "WriteRegisters: of the caller itself");
    }
    if (op->count > ARCH_CONTEXT_WORDS) {
        op->count = ARCH_CONTEXT_WORDS;
    }
    return syserr_ok();
}

static syserr_t decode_copy_registers(const invocation_t *inv, tcb_op_t *op)
{
    cte_t *src = inv_extra(inv, 0);
    if (inv->length < 5 || src == NULL) {
        return err(Sigil_TruncatedMessage, "CopyRegisters: needs 5 words and a TCB");
    }
    if (cap_type(src->cap) != Sigil_CapTCB) {
        return bad_extra_cap("CopyRegisters: source is not a TCB");
    }
    op->other = tcb_from_cap(src->cap);
    op->suspend_source = inv->mr[0] != 0;
    op->resume_target = inv->mr[1] != 0;
    op->transfer_frame = inv->mr[2] != 0;
    op->transfer_integer = inv->mr[3] != 0;
    return syserr_ok();
}

static syserr_t decode_configure(const invocation_t *inv, tcb_op_t *op)
{
    cte_t *croot = inv_extra(inv, 0), *vroot = inv_extra(inv, 1), *frame = inv_extra(inv, 2);
    if (inv->length < 3 || croot == NULL || vroot == NULL || frame == NULL) {
        return err(Sigil_TruncatedMessage, "Configure: needs 3 words and 3 caps");
    }
    syserr_t e = decode_buffer(frame, inv->mr[2], op);
    if (syserr_failed(e)) {
        return e;
    }
    e = check_deletable(op->tcb, BIT(TCB_SLOT_CSPACE) | BIT(TCB_SLOT_VSPACE));
    if (syserr_failed(e)) {
        return e;
    }
    return decode_roots(croot, inv->mr[0], vroot, inv->mr[1], op);
}

static syserr_t decode_set_space(const invocation_t *inv, tcb_op_t *op)
{
    cte_t *fep = inv_extra(inv, 0), *croot = inv_extra(inv, 1), *vroot = inv_extra(inv, 2);
    if (inv->length < 4 || fep == NULL || croot == NULL || vroot == NULL) {
        return err(Sigil_TruncatedMessage, "SetSpace: needs 4 words and 3 caps");
    }
    syserr_t e = check_deletable(op->tcb, BIT(TCB_SLOT_CSPACE) | BIT(TCB_SLOT_VSPACE) |
                                              BIT(TCB_SLOT_FAULT_HANDLER));
    if (syserr_failed(e)) {
        return e;
    }
    e = decode_fault_handler(fep, inv->mr[0], inv->mr[1], op);
    if (syserr_failed(e)) {
        return e;
    }
    return decode_roots(croot, inv->mr[2], vroot, inv->mr[3], op);
}

static syserr_t decode_set_ipc_buffer(const invocation_t *inv, tcb_op_t *op)
{
    cte_t *frame = inv_extra(inv, 0);
    if (inv->length < 1 || frame == NULL) {
        return err(Sigil_TruncatedMessage, "SetIPCBuffer: needs an address and a frame");
    }
    return decode_buffer(frame, inv->mr[0], op);
}

/* seL4's checkPrio: a new priority or MCP may not exceed the authority's MCP. */
static syserr_t check_prio(word_t value, const tcb_t *authority)
{
    if (value > authority->mcp) {
        return SYSERR(Sigil_RangeError, 0, authority->mcp,
                      "TCB: priority above the authority's MCP");
    }
    return syserr_ok();
}

/* SetPriority (MR0 priority), SetMCPriority (MR0 mcp), SetSchedParams (MR0 mcp, MR1 prio). */
static syserr_t decode_priorities(const invocation_t *inv, tcb_op_t *op)
{
    bool both = inv->label == Sigil_TCB_SetSchedParams;
    cte_t *auth = inv_extra(inv, 0);
    if (inv->length < (both ? 2u : 1u) || auth == NULL) {
        return err(Sigil_TruncatedMessage, "TCB priorities: needs values and an authority");
    }
    if (cap_type(auth->cap) != Sigil_CapTCB) {
        return bad_extra_cap("TCB priorities: authority is not a TCB");
    }
    op->other = tcb_from_cap(auth->cap);
    op->set_mcp = inv->label != Sigil_TCB_SetPriority;
    op->set_prio = inv->label != Sigil_TCB_SetMCPriority;
    op->mcp = op->set_mcp ? inv->mr[0] : 0;
    op->prio = op->set_prio ? inv->mr[both ? 1 : 0] : 0;
    syserr_t e = op->set_mcp ? check_prio(op->mcp, op->other) : syserr_ok();
    if (!syserr_failed(e) && op->set_prio) {
        e = check_prio(op->prio, op->other);
    }
    return e;
}

static syserr_t decode_bind_notification(const invocation_t *inv, tcb_op_t *op)
{
    cte_t *n = inv_extra(inv, 0);
    if (n == NULL) {
        return err(Sigil_TruncatedMessage, "BindNotification: needs a notification");
    }
    if (op->tcb->bound_ntfn != NULL) {
        return err(Sigil_IllegalOperation, "BindNotification: the thread is bound already");
    }
    if (cap_type(n->cap) != Sigil_CapNotification || (cap_rights(n->cap) & Sigil_CanRead) == 0) {
        return err(Sigil_IllegalOperation, "BindNotification: not a notification cap with Read");
    }
    op->ntfn = ntfn_from_cap(n->cap);
    if (op->ntfn->queue.head != NULL || ntfn_bound_tcb(op->ntfn) != NULL) {
        return err(Sigil_IllegalOperation, "BindNotification: it has waiters or a bound thread");
    }
    return syserr_ok();
}

static syserr_t decode_set_flags(const invocation_t *inv, tcb_op_t *op)
{
    if (inv->length < 2) {
        return err(Sigil_TruncatedMessage, "SetFlags: needs clear and set");
    }
    word_t clear = inv->mr[0] & TCB_FLAGS_KNOWN, set = inv->mr[1] & TCB_FLAGS_KNOWN;
    op->word = ((op->tcb->flags & ~clear) | set) & 0xff;
    return syserr_ok();
}

syserr_t tcb_decode(tcb_t *caller, cte_t *slot, const invocation_t *inv, tcb_op_t *op)
{
    *op = (tcb_op_t){0};
    op->label = inv->label;
    op->slot = slot;
    op->tcb = tcb_from_cap(slot->cap);
    switch (inv->label) {
    case Sigil_TCB_ReadRegisters:
        return decode_read_registers(caller, inv, op);
    case Sigil_TCB_WriteRegisters:
        return decode_write_registers(caller, inv, op);
    case Sigil_TCB_CopyRegisters:
        return decode_copy_registers(inv, op);
    case Sigil_TCB_Configure:
        return decode_configure(inv, op);
    case Sigil_TCB_SetSpace:
        return decode_set_space(inv, op);
    case Sigil_TCB_SetIPCBuffer:
        return decode_set_ipc_buffer(inv, op);
    case Sigil_TCB_SetPriority:
    case Sigil_TCB_SetMCPriority:
    case Sigil_TCB_SetSchedParams:
        return decode_priorities(inv, op);
    case Sigil_TCB_Suspend:
    case Sigil_TCB_Resume:
        return syserr_ok();
    case Sigil_TCB_BindNotification:
        return decode_bind_notification(inv, op);
    case Sigil_TCB_UnbindNotification:
        return op->tcb->bound_ntfn == NULL
                   ? err(Sigil_IllegalOperation, "UnbindNotification: the thread is not bound")
                   : syserr_ok();
    case Sigil_TCB_SetTLSBase:
        if (inv->length < 1) {
            return err(Sigil_TruncatedMessage, "SetTLSBase: needs the base");
        }
        op->word = inv->mr[0];
        return syserr_ok();
    case Sigil_TCB_SetFlags:
        return decode_set_flags(inv, op);
    default:
        return err(Sigil_IllegalOperation, "TCB: not a TCB invocation");
    }
}

/* ---- invoke ---- */

static void read_registers(const tcb_op_t *op, invocation_t *inv)
{
    if (op->suspend_source) {
        tcb_suspend(op->tcb);
    }
    for (unsigned i = 0; i < op->count; i++) {
        inv->reply_mr[i] = op->tcb->arch.regs.x[arch_context_reg(i)];
    }
    inv->reply_length = op->count;
}

static void write_registers(const tcb_op_t *op, const invocation_t *inv)
{
    arch_regs_t *r = &op->tcb->arch.regs;
    endpoint_forget_ticket(op->tcb); /* it will not restart the call it was in */
    for (unsigned i = 0; i < op->count; i++) {
        if (arch_context_writable(i)) {
            r->x[arch_context_reg(i)] = arch_context_sanitise(i, inv->mr[op->first + i]);
        }
    }
    if (op->resume_target) {
        tcb_resume(op->tcb);
    }
}

/* Copy context words [from, to) of the source to the target. */
static void copy_words(const tcb_op_t *op, unsigned from, unsigned to)
{
    const arch_regs_t *src = &op->other->arch.regs;
    arch_regs_t *dst = &op->tcb->arch.regs;
    for (unsigned i = from; i < to; i++) {
        unsigned reg = arch_context_reg(i);
        dst->x[reg] = arch_context_sanitise(i, src->x[reg]);
    }
}

static void copy_registers(const tcb_op_t *op)
{
    if (op->suspend_source) {
        tcb_suspend(op->other);
    }
    if (op->resume_target) {
        tcb_resume(op->tcb);
    }
    if (op->transfer_frame || op->transfer_integer) {
        endpoint_forget_ticket(op->tcb); /* it will not restart the call it was in */
    }
    if (op->transfer_frame) {
        copy_words(op, 0, ARCH_CONTEXT_FRAME_WORDS);
    }
    if (op->transfer_integer) {
        copy_words(op, ARCH_CONTEXT_FRAME_WORDS, ARCH_CONTEXT_INTEGER_END);
    }
}

/* Empty TCB slot `i`, then put the decoded cap there, if its source still holds a cap to the
 * same object and the invoked cap still names this TCB (seL4's checks after cteDelete). */
static invoke_result_t install(const tcb_op_t *op, unsigned i)
{
    const tcb_install_t *in = &op->install[i];
    cte_t *dest = &op->tcb->slots[i];
    if (delete_slot(dest) == INVOKE_PREEMPTED) {
        return INVOKE_PREEMPTED;
    }
    bool target_alive =
        cap_type(op->slot->cap) == Sigil_CapTCB && tcb_from_cap(op->slot->cap) == op->tcb;
    if (in->src != NULL && !cap_is_null(in->cap) && target_alive &&
        cap_same_object_as(in->cap, in->src->cap)) {
        cnode_insert(in->src, dest, in->cap);
    }
    return INVOKE_DONE;
}

/* Configure, SetSpace, SetIPCBuffer: the changed slots in seL4's order (fault handler,
 * CSpace, VSpace, IPC buffer), each with the TCB fields that go with it. */
static invoke_result_t install_all(const tcb_op_t *op)
{
    static const unsigned order[TCB_NUM_SLOTS] = {TCB_SLOT_FAULT_HANDLER, TCB_SLOT_CSPACE,
                                                  TCB_SLOT_VSPACE, TCB_SLOT_IPC_BUFFER};
    tcb_t *t = op->tcb;
    for (unsigned k = 0; k < TCB_NUM_SLOTS; k++) {
        unsigned i = order[k];
        if (!op->install[i].change) {
            continue;
        }
        if (install(op, i) == INVOKE_PREEMPTED) {
            return INVOKE_PREEMPTED;
        }
        if (i == TCB_SLOT_FAULT_HANDLER) {
            t->fault_badge = op->fault_badge;
            t->fault_rights = op->fault_rights;
        } else if (i == TCB_SLOT_IPC_BUFFER) {
            t->arch.regs.x[ARCH_REG_IPCBUF] = op->buffer;
        }
    }
    return INVOKE_DONE;
}

invoke_result_t tcb_invoke(tcb_op_t *op, invocation_t *inv)
{
    tcb_t *t = op->tcb;
    inv->reply_label = Sigil_NoError;
    inv->reply_length = 0;
    switch (op->label) {
    case Sigil_TCB_ReadRegisters:
        read_registers(op, inv);
        break;
    case Sigil_TCB_WriteRegisters:
        write_registers(op, inv);
        break;
    case Sigil_TCB_CopyRegisters:
        copy_registers(op);
        break;
    case Sigil_TCB_Configure:
    case Sigil_TCB_SetSpace:
    case Sigil_TCB_SetIPCBuffer:
        return install_all(op);
    case Sigil_TCB_SetPriority:
    case Sigil_TCB_SetMCPriority:
    case Sigil_TCB_SetSchedParams:
        if (op->set_mcp) {
            t->mcp = (uint8_t)op->mcp;
        }
        if (op->set_prio) {
            sched_change_priority(t, (unsigned)op->prio);
        }
        break;
    case Sigil_TCB_Suspend:
        tcb_suspend(t);
        break;
    case Sigil_TCB_Resume:
        tcb_resume(t);
        break;
    case Sigil_TCB_BindNotification:
        ntfn_bind(op->ntfn, t);
        break;
    case Sigil_TCB_UnbindNotification:
        ntfn_unbind(t->bound_ntfn);
        break;
    case Sigil_TCB_SetTLSBase:
        t->arch.regs.x[ARCH_REG_TPIDR] = op->word;
        break;
    default: /* Sigil_TCB_SetFlags */
        t->flags = (uint8_t)op->word;
        inv->reply_mr[0] = op->word & TCB_FLAGS_KNOWN;
        inv->reply_length = 1;
        break;
    }
    return INVOKE_DONE;
}
