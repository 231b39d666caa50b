/*
 * Deleting caps, finalising objects and revoking: the preemptible deletion engine.
 *
 * Deleting a cap that is not the last one to its object, or whose object finalises in O(1)
 * (frames, page tables, VSpaces, replies, untyped, SMC, IRQ control, endpoints and
 * notifications with no waiters), just unlinks it. The other objects need work proportional
 * to their size: a CNode must delete its 2^radix slots, a TCB its four slots, an IRQ handler
 * the notification cap in its table slot, an endpoint or notification must restart each
 * waiting thread. For those the slot's cap becomes a zombie cap that records the object and
 * how far its finalisation has got, and the work proceeds one slot or one waiter per unit.
 *
 * When a zombie's next slot holds the last cap to another such object, that cap becomes a
 * zombie too, linked to the one it interrupts: the zombies form a chain (a stack kept in the
 * zombies themselves), and the kernel-wide `top` names the one being worked on, so each unit
 * is O(1) however deep CNodes are nested. At most one chain exists: a deletion that needs a
 * new zombie while a chain exists first finishes the chain. Every zombie is on the chain;
 * zombies cannot be copied, moved or rotated, only deleted (which continues the chain).
 *
 * Objects can hold the only caps to each other (a CNode holding its own cap, a CNode and a
 * TCB holding each other's): only the derivation tree still reaches them, and revoking their
 * untyped deletes them. Then the top zombie finds the chain's first (bottom) zombie inside its
 * own object. Every other zombie lies in the object of the zombie below it, so only the
 * bottom can appear there; the engine exchanges the two zombies' slots: the bottom moves out
 * to the slot the top occupied, the top moves into its own object and skips that slot. The
 * bottom is found through a kernel-wide pointer (links to it are NULL), so moving it is O(1),
 * and a zombie inside its own object keeps that object's memory from being reused until it
 * is removed, because it stays in the derivation tree under the object's untyped.
 */
#ifndef OBJECT_DELETE_H
#define OBJECT_DELETE_H

#include <kernel/preempt.h>
#include <object/cdt.h>

/* Forget any chain (boot, tests). */
void delete_init(void);

/* Delete the cap in `slot`; if it is the last cap to its object, finalise the object. Empty
 * slots succeed at once. Preemptible: a restarted call continues. */
invoke_result_t delete_slot(cte_t *slot);

/* Would deleting the cap in `slot` be long-running (seL4's slotCapLongRunningDelete)? True for a
 * zombie and for the last cap to an object that needs one (a CNode, TCB or IRQ handler, an
 * endpoint or notification with waiters); false for an empty slot. Changes nothing. */
bool delete_is_long_running(const cte_t *slot);

/* Delete every descendant of the cap in `slot` (seL4's Revoke), one preemption unit each. */
invoke_result_t delete_revoke(cte_t *slot);

/* The zombie being worked on (NULL when no deletion is in progress). For the checker. */
const cte_t *delete_chain_top(void);

/* The zombie a chain zombie `z` interrupted (NULL for the bottom of the chain). */
cte_t *delete_zombie_parent(const cte_t *z);

/* The slots a container zombie empties (CNode, TCB, IRQ): slot i of `zombie`. */
cte_t *delete_zombie_slot(cap_t zombie, word_t i);

#endif /* OBJECT_DELETE_H */
