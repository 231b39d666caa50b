/*
 * Interrupts as capabilities: the IRQControl cap, IRQHandler caps and the handler table.
 *
 * The core keeps one table entry per interrupt line: a state and a cap slot holding the
 * notification that the interrupt signals. IRQControl_Get makes an IRQHandler cap for an
 * inactive line (RevokeFirst if the line is taken); IRQHandler SetNotification, Clear and Ack
 * manage the entry. Deleting the last IRQHandler cap of a line empties its slot, masks the
 * line and makes it inactive again. The arch layer reads irq_notification() when the line
 * fires.
 */
#ifndef OBJECT_IRQ_H
#define OBJECT_IRQ_H

#include <api/invocation.h>
#include <kernel/preempt.h>

#define IRQ_COUNT ((word_t)SIGIL_PLAT_MAX_IRQ + 1)

typedef enum {
    IRQ_INACTIVE = 0,
    IRQ_SIGNAL = 1,   /* an IRQHandler cap exists */
    IRQ_RESERVED = 2, /* used by the kernel (timer) */
} irq_state_t;

/* Empty the table (boot, tests). */
void irq_init(void);

/* Mark `irq` as the kernel's own (IRQControl_Get then answers RevokeFirst). */
void irq_reserve(word_t irq);

irq_state_t irq_state(word_t irq);

/* The table slot of `irq`, and back. */
cte_t *irq_slot(word_t irq);
word_t irq_from_slot(const cte_t *slot);

/* The notification cap the line signals (null cap if none). */
cap_t irq_notification(word_t irq);

/* Deletion finished emptying the slot of `irq`: mask it and make it inactive. */
void irq_finish_delete(word_t irq);

/* Decoded IRQ invocation. */
typedef struct irq_op {
    word_t label;
    word_t irq;
    cte_t *src;  /* IRQControl slot (Get) or notification slot (SetNotification) */
    cte_t *dest; /* destination slot (Get) */
} irq_op_t;

/* Decode an invocation of the IRQControl cap in `slot`. */
syserr_t irq_control_decode(cte_t *slot, const invocation_t *inv, irq_op_t *op);

/* Decode an invocation of the IRQHandler cap in `slot`. */
syserr_t irq_handler_decode(cte_t *slot, const invocation_t *inv, irq_op_t *op);

/* Perform a decoded IRQ invocation. Clear and SetNotification may be preempted while the old
 * notification cap is deleted. */
invoke_result_t irq_invoke(const irq_op_t *op);

#endif /* OBJECT_IRQ_H */
