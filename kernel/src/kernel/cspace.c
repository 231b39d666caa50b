/*
 * CSpace lookup (see cspace.h). The loop does constant work per level and every level
 * consumes at least one bit, so a lookup costs at most 64 iterations.
 */
#include <kernel/cspace.h>

static word_t shift_right(word_t x, unsigned s)
{
    return s >= WORD_BITS ? 0 : x >> s;
}

static cspace_result_t fail(lookup_fault_t f)
{
    cspace_result_t r = {NULL, 0, f};
    return r;
}

cspace_result_t cspace_resolve(cap_t root, cptr_t cptr, unsigned depth)
{
    cap_t node = root;
    unsigned n = depth;
    if (cap_type(node) != Sigil_CapCNode) {
        return fail(lookup_fault_make(Sigil_InvalidRoot, 0, 0, 0));
    }
    for (;;) {
        unsigned radix = cap_cnode_radix(node);
        unsigned gs = cap_cnode_guard_size(node);
        unsigned level = radix + gs;
        word_t guard = cap_cnode_guard(node);
        if (gs > n || (shift_right(cptr, n - gs) & MASK(gs)) != guard) {
            return fail(lookup_fault_make(Sigil_GuardMismatch, n, gs, guard));
        }
        if (level > n) {
            return fail(lookup_fault_make(Sigil_DepthMismatch, n, level, 0));
        }
        word_t index = shift_right(cptr, n - level) & MASK(radix);
        cte_t *slot = (cte_t *)cap_ptr(node) + index;
        n -= level;
        if (n == 0 || cap_type(slot->cap) != Sigil_CapCNode) {
            cspace_result_t r = {slot, n, lookup_fault_make(Sigil_NoFailure, 0, 0, 0)};
            return r;
        }
        node = slot->cap;
    }
}

syserr_t cspace_lookup_for_op(cap_t root, cptr_t index, word_t depth, bool is_source, cte_t **out)
{
    if (cap_type(root) != Sigil_CapCNode) {
        return SYSERR_LOOKUP(is_source, lookup_fault_make(Sigil_InvalidRoot, 0, 0, 0),
                             "slot lookup: the root is not a CNode");
    }
    if (depth < 1 || depth > WORD_BITS) {
        return SYSERR(Sigil_RangeError, 1, WORD_BITS, "slot lookup: depth not in 1..64");
    }
    cspace_result_t r = cspace_resolve(root, index, (unsigned)depth);
    if (r.slot == NULL) {
        return SYSERR_LOOKUP(is_source, r.fault, "slot lookup: the index does not resolve");
    }
    if (r.bits_remaining != 0) {
        return SYSERR_LOOKUP(is_source,
                             lookup_fault_make(Sigil_DepthMismatch, r.bits_remaining, 0, 0),
                             "slot lookup: depth ends above a slot");
    }
    *out = r.slot;
    return syserr_ok();
}
