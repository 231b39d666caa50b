/*
 * The core's entry point for invocations: look up the invoked cap, decode, invoke.
 *
 * api_invoke_slot() dispatches on the cap type to the object's decode step; only if decode
 * succeeds does it call the invoke step. Errors become the reply label and its detail words
 * (syserr_to_words). This is the only place that dispatches on the invoked cap's type: frames,
 * page tables and VSpaces go to the arch layer's hooks (arch/hooks.h), which decode and invoke
 * by the same rules as the core's objects. Endpoints, notifications and replies are not
 * invoked but used for IPC (kernel/ipc.c): they are handed back as SIGIL_STATUS_NOT_CORE.
 *
 * In a debug kernel an error also carries its reason (api/syserr.h), which is printed on the
 * console when the caller has TCB flag PrintErrors:
 *   sigil: error to thread 'NAME': IllegalOperation: REASON
 */
#include <api/invocation.h>
#include <arch/hooks.h>
#include <kernel/cspace.h>
#include <lib/kprintf.h>
#include <object/cnode.h>
#include <object/endpoint.h>
#include <object/irq.h>
#include <object/smc.h>
#include <object/tcb.h>
#include <object/tcb_invoke.h>
#include <object/untyped.h>

unsigned lookup_fault_to_words(lookup_fault_t f, word_t *out)
{
    out[Sigil_LookupFailure_Type] = f.type;
    switch (f.type) {
    case Sigil_MissingCapability:
        out[Sigil_LookupFailure_BitsLeft] = f.bits_left;
        break;
    case Sigil_DepthMismatch:
        out[Sigil_LookupFailure_BitsLeft] = f.bits_left;
        out[Sigil_LookupFailure_DepthMismatch_BitsFound] = f.bits_found;
        break;
    case Sigil_GuardMismatch:
        out[Sigil_LookupFailure_BitsLeft] = f.bits_left;
        out[Sigil_LookupFailure_GuardMismatch_GuardFound] = f.guard_found;
        out[Sigil_LookupFailure_GuardMismatch_BitsFound] = f.bits_found;
        break;
    default:
        break;
    }
    return sigil_lookup_failure_length(f.type);
}

unsigned syserr_to_words(syserr_t e, word_t out[SYSERR_MAX_WORDS])
{
    switch (e.code) {
    case Sigil_InvalidArgument:
    case Sigil_InvalidCapability:
    case Sigil_NotEnoughMemory:
        out[0] = e.arg0;
        return 1;
    case Sigil_RangeError:
        out[0] = e.arg0;
        out[1] = e.arg1;
        return 2;
    case Sigil_FailedLookup:
        out[0] = e.lookup_source;
        return 1 + lookup_fault_to_words(e.fault, &out[1]);
    default:
        return 0;
    }
}

static sigil_status_t fail(invocation_t *inv, syserr_t e)
{
    word_t w[SYSERR_MAX_WORDS];
    unsigned n = syserr_to_words(e, w);
    inv->reply_label = e.code;
    inv->reply_length = n;
#if SYSERR_REASONS
    inv->reply_reason = e.reason;
#endif
    for (unsigned i = 0; i < n; i++) {
        inv->reply_mr[i] = w[i];
    }
    return SIGIL_STATUS_ERROR;
}

static sigil_status_t done(invoke_result_t r)
{
    return r == INVOKE_PREEMPTED ? SIGIL_STATUS_PREEMPTED : SIGIL_STATUS_OK;
}

static sigil_status_t invoke_cnode(struct tcb *caller, cte_t *slot, invocation_t *inv)
{
    cnode_op_t op;
    syserr_t e = cnode_decode(slot, inv, &op);
    return syserr_failed(e) ? fail(inv, e) : done(cnode_invoke(&op, caller));
}

static sigil_status_t invoke_untyped(cte_t *slot, invocation_t *inv)
{
    untyped_op_t op;
    syserr_t e = untyped_decode(slot, inv, &op);
    return syserr_failed(e) ? fail(inv, e) : done(untyped_invoke(&op));
}

static sigil_status_t invoke_irq(cte_t *slot, invocation_t *inv, bool control)
{
    irq_op_t op;
    syserr_t e = control ? irq_control_decode(slot, inv, &op) : irq_handler_decode(slot, inv, &op);
    return syserr_failed(e) ? fail(inv, e) : done(irq_invoke(&op));
}

static sigil_status_t invoke_tcb(struct tcb *caller, cte_t *slot, invocation_t *inv)
{
    tcb_op_t op;
    syserr_t e = tcb_decode(caller, slot, inv, &op);
    return syserr_failed(e) ? fail(inv, e) : done(tcb_invoke(&op, inv));
}

static sigil_status_t invoke_smc(cte_t *slot, invocation_t *inv)
{
    smc_op_t op;
    syserr_t e = smc_decode(slot, inv, &op);
    if (syserr_failed(e)) {
        return fail(inv, e);
    }
    smc_invoke(&op, inv);
    return SIGIL_STATUS_OK;
}

/* Frames, page tables and VSpaces: the arch layer decodes and, if that succeeds, invokes. */
static sigil_status_t invoke_frame(cte_t *slot, invocation_t *inv)
{
    syserr_t e = arch_frame_invocation(slot, inv);
    return syserr_failed(e) ? fail(inv, e) : SIGIL_STATUS_OK;
}

static sigil_status_t invoke_page_table(cte_t *slot, invocation_t *inv)
{
    syserr_t e = arch_page_table_invocation(slot, inv);
    return syserr_failed(e) ? fail(inv, e) : SIGIL_STATUS_OK;
}

static sigil_status_t invoke_vspace(cte_t *slot, invocation_t *inv)
{
    syserr_t e = arch_vspace_invocation(slot, inv);
    return syserr_failed(e) ? fail(inv, e) : SIGIL_STATUS_OK;
}

/* Inline into api_invoke_slot: every invocation passes here once. */
__attribute__((always_inline)) static inline sigil_status_t dispatch(struct tcb *caller,
                                                                     cte_t *slot, invocation_t *inv)
{
    inv->target = slot;
    inv->reply_label = Sigil_NoError;
    inv->reply_length = 0;
    switch (cap_type(slot->cap)) {
    case Sigil_CapNone:
    case Sigil_CapZombie:
        return fail(inv, SYSERR(Sigil_InvalidCapability, 0, 0, "the slot is empty or a zombie"));
    case Sigil_CapCNode:
        return invoke_cnode(caller, slot, inv);
    case Sigil_CapUntyped:
        return invoke_untyped(slot, inv);
    case Sigil_CapTCB:
        return invoke_tcb(caller, slot, inv);
    case Sigil_CapIRQControl:
        return invoke_irq(slot, inv, true);
    case Sigil_CapIRQHandler:
        return invoke_irq(slot, inv, false);
    case Sigil_CapSMC:
        return invoke_smc(slot, inv);
    case Sigil_CapFrame:
        return invoke_frame(slot, inv);
    case Sigil_CapPageTable:
        return invoke_page_table(slot, inv);
    case Sigil_CapVSpace:
        return invoke_vspace(slot, inv);
    default:
        return SIGIL_STATUS_NOT_CORE;
    }
}

/* Print the reason of an error to a caller that asked for it (debug kernels; nothing at all in
 * release kernels). */
static void report_error(const struct tcb *caller, const invocation_t *inv)
{
#if SYSERR_REASONS
    if (caller->flags & TCB_FLAG_PRINT_ERRORS) {
        kprintf("sigil: error to thread '%s': %s: %s\n", caller->name,
                sigil_error_name(inv->reply_label),
                inv->reply_reason != NULL ? inv->reply_reason : "(no reason given)");
    }
#else
    (void)caller, (void)inv;
#endif
}

sigil_status_t api_invoke_slot(struct tcb *caller, cte_t *slot, invocation_t *inv)
{
    preempt_reset();
    sigil_status_t st = dispatch(caller, slot, inv);
    if (st == SIGIL_STATUS_ERROR) {
        report_error(caller, inv);
    }
    if (st != SIGIL_STATUS_PREEMPTED) {
        /* A CancelBadgedSends restart ticket lives only until the caller's next invocation
         * finishes: a later identical request must walk the queue again. */
        endpoint_forget_ticket(caller);
    }
    return st;
}

sigil_status_t api_invoke(struct tcb *caller, cptr_t cptr, invocation_t *inv)
{
    cspace_result_t r = cspace_lookup_slot(caller->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot == NULL) {
        inv->target = NULL;
        inv->fault = r.fault;
        endpoint_forget_ticket(caller);
        return SIGIL_STATUS_CAP_FAULT;
    }
    return api_invoke_slot(caller, r.slot, inv);
}
