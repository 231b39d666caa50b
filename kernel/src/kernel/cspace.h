/*
 * CSpace addressing: guarded multi-level CNode lookup with seL4's rules.
 *
 * A CPtr is resolved from a root CNode cap, most significant bits first: at each level the
 * next guard_size bits must equal the cap's guard, then radix bits index the CNode. The walk
 * continues into a CNode cap found in the slot while bits remain. Failures are reported as
 * seL4 lookup failures (InvalidRoot, MissingCapability, DepthMismatch, GuardMismatch).
 */
#ifndef KERNEL_CSPACE_H
#define KERNEL_CSPACE_H

#include <api/syserr.h>
#include <object/cdt.h>

typedef struct cspace_result {
    cte_t *slot;             /* the slot reached (NULL on failure) */
    unsigned bits_remaining; /* bits not consumed when a non-CNode cap ended the walk */
    lookup_fault_t fault;    /* type Sigil_NoFailure on success */
} cspace_result_t;

/* Resolve `depth` bits of `cptr` from `root` (seL4's resolveAddressBits). The walk stops at
 * the first slot not holding a CNode cap, or when all bits are used. O(levels). */
cspace_result_t cspace_resolve(cap_t root, cptr_t cptr, unsigned depth);

/* Whether `root` is a single-level CSpace, a CNode cap whose guard and radix take all 64 bits
 * (the usual shape), in which `cptr` matches the guard: then cspace_flat_slot() is the slot
 * cspace_resolve would find. The shortcut of the IPC fastpath and of every lookup. */
static inline bool cspace_is_flat_hit(cap_t root, cptr_t cptr)
{
    unsigned radix = cap_cnode_radix(root); /* a 6-bit field: the shift below is defined */
    return cap_type(root) == Sigil_CapCNode && radix + cap_cnode_guard_size(root) == WORD_BITS &&
           cptr >> radix == cap_cnode_guard(root);
}

static inline cte_t *cspace_flat_slot(cap_t root, cptr_t cptr)
{
    return (cte_t *)cap_ptr(root) + (cptr & MASK(cap_cnode_radix(root)));
}

/* Find the slot a thread invokes: resolve all 64 bits from its CSpace root; stopping early at
 * a non-CNode cap is fine. On failure the caller raises a CapFault with result.fault. */
static inline cspace_result_t cspace_lookup_slot(cap_t root, cptr_t cptr)
{
    cte_t *slot = cspace_is_flat_hit(root, cptr) ? cspace_flat_slot(root, cptr) : NULL;
    if (slot != NULL) {
        cspace_result_t r = {slot, 0, {Sigil_NoFailure, 0, 0, 0}};
        return r;
    }
    return cspace_resolve(root, cptr, WORD_BITS);
}

/* Find the slot a CNode-style operation names by (root, index, depth): root must be a CNode
 * cap (else FailedLookup/InvalidRoot), depth must be 1..64 (else RangeError 1..64) and the
 * lookup must use exactly `depth` bits (else FailedLookup/DepthMismatch). `is_source` goes
 * into the FailedLookup error. On success *out is the slot. */
syserr_t cspace_lookup_for_op(cap_t root, cptr_t index, word_t depth, bool is_source, cte_t **out);

#endif /* KERNEL_CSPACE_H */
