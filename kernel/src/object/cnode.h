/*
 * CNodes: arrays of 2^radix capability slots, and the CNode invocations.
 *
 * Copy, Mint, Move, Mutate, Rotate, Delete, Revoke and CancelBadgedSends, with seL4's
 * arguments, checks (in seL4's order, so the first failing check decides the error) and
 * errors. cnode_decode() checks everything and changes nothing; cnode_invoke() performs the
 * decoded operation and can only stop at a preemption point.
 */
#ifndef OBJECT_CNODE_H
#define OBJECT_CNODE_H

#include <api/invocation.h>
#include <kernel/preempt.h>

struct tcb;

typedef struct cnode_op {
    word_t label;
    cte_t *dest;     /* the slot named by (index, depth) in the invoked CNode */
    cte_t *src;      /* Copy/Mint/Move/Mutate/Rotate */
    cte_t *pivot;    /* Rotate */
    cap_t cap;       /* new cap for dest (Copy...Mutate); Rotate: src's cap, goes to pivot */
    cap_t pivot_cap; /* Rotate: pivot's cap, goes to dest */
} cnode_op_t;

/* Decode an invocation of the CNode cap in `slot`. */
syserr_t cnode_decode(cte_t *slot, const invocation_t *inv, cnode_op_t *op);

/* Perform a decoded CNode operation for `caller` (CancelBadgedSends keeps its restart ticket
 * in the caller's TCB). */
invoke_result_t cnode_invoke(const cnode_op_t *op, struct tcb *caller);

/* seL4's deriveCap: the cap a Copy/Mint of `c` (taken from `slot`) produces. Untyped caps
 * with children cannot be copied (RevokeFirst); zombies and IRQ control give the null cap;
 * frame copies are unmapped; unmapped page tables cannot be copied (IllegalOperation). */
syserr_t cnode_derive_cap(const cte_t *slot, cap_t c, cap_t *out);

/* Insert `cap` derived from the cap in `src` into empty `dest` (seL4's cteInsert): an exact
 * copy of an untyped cap leaves the source untyped full, so only one of them can retype. */
void cnode_insert(cte_t *src, cte_t *dest, cap_t cap);

#endif /* OBJECT_CNODE_H */
