/*
 * IRQ control and handler caps and the handler table (see irq.h).
 */
#include <api/labels.h>
#include <arch/hooks.h>
#include <kernel/cspace.h>
#include <lib/assert.h>
#include <lib/kstate.h>
#include <object/delete.h>
#include <object/irq.h>

KSTATE static cte_t irq_slots[IRQ_COUNT];
KSTATE static uint8_t irq_states[IRQ_COUNT];

void irq_init(void)
{
    for (word_t i = 0; i < IRQ_COUNT; i++) {
        irq_slots[i].cap = cap_null();
        irq_slots[i].prev = 0;
        irq_slots[i].next = 0;
        irq_states[i] = IRQ_INACTIVE;
    }
}

void irq_reserve(word_t irq)
{
    kassert(irq < IRQ_COUNT);
    irq_states[irq] = IRQ_RESERVED;
}

irq_state_t irq_state(word_t irq)
{
    kassert(irq < IRQ_COUNT);
    return (irq_state_t)irq_states[irq];
}

cte_t *irq_slot(word_t irq)
{
    kassert(irq < IRQ_COUNT);
    return &irq_slots[irq];
}

word_t irq_from_slot(const cte_t *slot)
{
    return (word_t)(slot - irq_slots);
}

cap_t irq_notification(word_t irq)
{
    return irq_slot(irq)->cap;
}

void irq_finish_delete(word_t irq)
{
    arch_irq_set_masked(irq, true);
    irq_states[irq] = IRQ_INACTIVE;
}

syserr_t irq_control_decode(cte_t *slot, const invocation_t *inv, irq_op_t *op)
{
    if (inv->label != INV_IRQ_ISSUE_IRQ_HANDLER) {
        return SYSERR(Sigil_IllegalOperation, 0, 0, "IRQControl: not an IRQControl invocation");
    }
    if (inv->length < 3 || inv_extra(inv, 0) == NULL) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "IssueIRQHandler: needs 3 words and a CNode");
    }
    word_t irq = inv_arg(inv, 0);
    if (irq >= IRQ_COUNT) {
        return SYSERR(Sigil_RangeError, 0, IRQ_COUNT - 1, "IssueIRQHandler: no such IRQ");
    }
    if (irq_states[irq] != IRQ_INACTIVE) {
        return SYSERR(Sigil_RevokeFirst, 0, 0, "IssueIRQHandler: the IRQ has a handler cap");
    }
    if (!arch_irq_valid(irq)) {
        return SYSERR(Sigil_RangeError, 0, IRQ_COUNT - 1,
                      "IssueIRQHandler: the IRQ is the kernel's");
    }
    cte_t *dest;
    syserr_t e = cspace_lookup_for_op(inv_extra(inv, 0)->cap, inv_arg(inv, 1), inv_arg(inv, 2),
                                      false, &dest);
    if (syserr_failed(e)) {
        return e;
    }
    if (!cap_is_null(dest->cap)) {
        return SYSERR(Sigil_DeleteFirst, 0, 0, "IssueIRQHandler: destination slot is full");
    }
    op->label = inv->label;
    op->irq = irq;
    op->src = slot;
    op->dest = dest;
    return syserr_ok();
}

syserr_t irq_handler_decode(cte_t *slot, const invocation_t *inv, irq_op_t *op)
{
    op->label = inv->label;
    op->irq = cap_irq(slot->cap);
    op->src = NULL;
    op->dest = NULL;
    switch (inv->label) {
    case INV_IRQ_ACK_IRQ:
    case INV_IRQ_CLEAR_IRQ_HANDLER:
        return syserr_ok();
    case INV_IRQ_SET_IRQ_HANDLER: {
        cte_t *ntfn = inv_extra(inv, 0);
        if (ntfn == NULL) {
            return SYSERR(Sigil_TruncatedMessage, 0, 0, "SetIRQHandler: needs a notification cap");
        }
        if (cap_type(ntfn->cap) != Sigil_CapNotification ||
            !(cap_rights(ntfn->cap) & Sigil_CanWrite)) {
            return SYSERR(Sigil_InvalidCapability, 0, 0,
                          "SetIRQHandler: not a notification cap with Write");
        }
        op->src = ntfn;
        return syserr_ok();
    }
    default:
        return SYSERR(Sigil_IllegalOperation, 0, 0, "IRQHandler: not an IRQHandler invocation");
    }
}

invoke_result_t irq_invoke(const irq_op_t *op)
{
    cte_t *table = irq_slot(op->irq);
    switch (op->label) {
    case INV_IRQ_ISSUE_IRQ_HANDLER:
        irq_states[op->irq] = IRQ_SIGNAL;
        cdt_insert_derived(op->src, op->dest, cap_irq_handler(op->irq));
        arch_irq_set_masked(op->irq, false); /* as in seL4: delivered from now on */
        return INVOKE_DONE;
    case INV_IRQ_ACK_IRQ:
        arch_irq_set_masked(op->irq, false);
        return INVOKE_DONE;
    case INV_IRQ_CLEAR_IRQ_HANDLER:
        return delete_slot(table);
    default: /* INV_IRQ_SET_IRQ_HANDLER */
        if (delete_slot(table) == INVOKE_PREEMPTED) {
            return INVOKE_PREEMPTED;
        }
        cdt_insert_derived(op->src, table, op->src->cap);
        return INVOKE_DONE;
    }
}
