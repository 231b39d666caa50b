/*
 * The kernel invariant checker (debug builds and host tests).
 *
 * invariants_check() walks the whole capability state and reports the first violation of:
 *  - the derivation list is a well-formed circular doubly linked list of non-empty slots,
 *    and every slot of every live CNode and TCB is either empty and unlinked or linked;
 *  - every object made from an untyped lies inside its nearest untyped ancestor, below that
 *    untyped's watermark; objects are aligned to their size;
 *  - no two live objects overlap, caps that name the same address agree on its type and size,
 *    and all caps to one object are contiguous in the derivation list;
 *  - thread queues, bindings and reply links only name live objects, agree in both
 *    directions, and every blocked thread is in the queue it names;
 *  - every zombie is on the deletion chain, linked where its parent is working; the
 *    CancelBadgedSends cursor is in its endpoint's queue; IRQ states match their caps.
 * Cost: O(n log n) in the number of caps plus the number of slots of live CNodes.
 */
#ifndef OBJECT_INVARIANTS_H
#define OBJECT_INVARIANTS_H

#include <object/types.h>

/* Working space for the checker: one entry per distinct live object. */
typedef struct inv_object {
    word_t base; /* kernel address */
    word_t info; /* size bits | cap type << 8 */
} inv_object_t;

/* Check every invariant. Returns NULL when all hold, else a description of the first
 * violation (a static buffer). `scratch` needs one entry per distinct live object; when the
 * system has more, the checks that need it cannot run and that is reported as a violation
 * (never NULL for checks not made). */
const char *invariants_check(inv_object_t *scratch, size_t scratch_len);

#endif /* OBJECT_INVARIANTS_H */
