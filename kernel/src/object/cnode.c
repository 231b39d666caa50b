/*
 * CNode invocations (see cnode.h).
 *
 * Decode order follows seL4: label, length, destination lookup, then per operation the
 * source (and pivot) lookups, emptiness checks, and finally the derived cap. The message
 * layouts are seL4's:
 *   all:      MR0 dest index, MR1 dest depth
 *   Copy:     MR2 src index, MR3 src depth, MR4 rights; extra cap 0 = src root
 *   Mint:     Copy + MR5 cap data (badge, or guard << 6 | guard size)
 *   Move:     MR2 src index, MR3 src depth; extra cap 0 = src root
 *   Mutate:   Move + MR4 cap data
 *   Rotate:   MR2 pivot data, MR3 pivot index, MR4 pivot depth, MR5 src data, MR6 src index,
 *             MR7 src depth; extra caps 0 = pivot root, 1 = src root
 */
#include <api/labels.h>
#include <kernel/cspace.h>
#include <object/cnode.h>
#include <object/delete.h>
#include <object/endpoint.h>

#define err(code, why) SYSERR(code, 0, 0, why)
#define missing(source, depth, why)                                                                \
    SYSERR_LOOKUP(source, lookup_fault_make(Sigil_MissingCapability, depth, 0, 0), why)

syserr_t cnode_derive_cap(const cte_t *slot, cap_t c, cap_t *out)
{
    switch (cap_type(c)) {
    case Sigil_CapZombie:
    case Sigil_CapIRQControl:
        *out = cap_null();
        return syserr_ok();
    case Sigil_CapUntyped:
        if (cdt_has_children(slot)) {
            return err(Sigil_RevokeFirst, "derive: the untyped has children");
        }
        break;
    case Sigil_CapFrame:
        c = cap_set_mapping(c, 0, 0);
        break;
    case Sigil_CapPageTable:
        if (cap_mapped_asid(c) == 0) {
            return err(Sigil_IllegalOperation, "derive: the page table is not mapped");
        }
        break;
    default:
        break;
    }
    *out = c;
    return syserr_ok();
}

void cnode_insert(cte_t *src, cte_t *dest, cap_t cap)
{
    cap_t s = src->cap;
    if (cap_type(s) == Sigil_CapUntyped && cap_type(cap) == Sigil_CapUntyped &&
        cap_ptr(s) == cap_ptr(cap) && cap_untyped_size_bits(s) == cap_untyped_size_bits(cap)) {
        src->cap = cap_untyped_set_watermark(s, BIT(cap_untyped_size_bits(s)));
    }
    cdt_insert_derived(src, dest, cap);
}

static bool all_rights(cap_t c)
{
    return cap_type(c) == Sigil_CapEndpoint && cap_rights(c) == CAP_RIGHTS_MASK;
}

/* Copy, Mint, Move, Mutate: everything after the destination lookup. */
static syserr_t decode_transfer(const invocation_t *inv, cnode_op_t *op)
{
    cte_t *root = inv_extra(inv, 0);
    if (inv->length < 4 || root == NULL) {
        return err(Sigil_TruncatedMessage, "CNode: needs 4 words and a source root");
    }
    if (!cap_is_null(op->dest->cap)) {
        return err(Sigil_DeleteFirst, "CNode: destination slot is full");
    }
    syserr_t e = cspace_lookup_for_op(root->cap, inv->mr[2], inv->mr[3], true, &op->src);
    if (syserr_failed(e)) {
        return e;
    }
    cap_t src = op->src->cap;
    if (cap_is_null(src)) {
        return missing(true, inv->mr[3], "CNode: source slot is empty");
    }
    switch (inv->label) {
    case INV_CNODE_COPY:
        if (inv->length < 5) {
            return err(Sigil_TruncatedMessage, "CNode_Copy: needs rights");
        }
        e = cnode_derive_cap(op->src, cap_mask_rights(src, (unsigned)inv->mr[4]), &op->cap);
        break;
    case INV_CNODE_MINT:
        if (inv->length < 6) {
            return err(Sigil_TruncatedMessage, "CNode_Mint: needs rights and badge");
        }
        src = cap_update_data(false, inv->mr[5], cap_mask_rights(src, (unsigned)inv->mr[4]));
        e = cnode_derive_cap(op->src, src, &op->cap);
        break;
    case INV_CNODE_MOVE:
        op->cap = cap_type(src) == Sigil_CapZombie ? cap_null() : src;
        break;
    default: /* INV_CNODE_MUTATE */
        if (inv->length < 5) {
            return err(Sigil_TruncatedMessage, "CNode_Mutate: needs data");
        }
        op->cap =
            cap_type(src) == Sigil_CapZombie ? cap_null() : cap_update_data(true, inv->mr[4], src);
        break;
    }
    if (syserr_failed(e)) {
        return e;
    }
    return cap_is_null(op->cap) ? err(Sigil_IllegalOperation, "CNode: the new cap would be null")
                                : syserr_ok();
}

static syserr_t decode_rotate(const invocation_t *inv, cnode_op_t *op)
{
    cte_t *pivot_root = inv_extra(inv, 0);
    cte_t *src_root = inv_extra(inv, 1);
    if (inv->length < 8 || pivot_root == NULL || src_root == NULL) {
        return err(Sigil_TruncatedMessage, "CNode_Rotate: needs 8 words and 2 roots");
    }
    syserr_t e = cspace_lookup_for_op(src_root->cap, inv->mr[6], inv->mr[7], true, &op->src);
    if (syserr_failed(e)) {
        return e;
    }
    e = cspace_lookup_for_op(pivot_root->cap, inv->mr[3], inv->mr[4], true, &op->pivot);
    if (syserr_failed(e)) {
        return e;
    }
    if (op->pivot == op->src || op->pivot == op->dest) {
        return err(Sigil_IllegalOperation, "CNode_Rotate: the pivot is the source or destination");
    }
    if (op->src != op->dest && !cap_is_null(op->dest->cap)) {
        return err(Sigil_DeleteFirst, "CNode_Rotate: destination slot is full");
    }
    if (cap_is_null(op->src->cap)) {
        return missing(true, inv->mr[7], "CNode_Rotate: source slot is empty");
    }
    if (cap_is_null(op->pivot->cap)) {
        return missing(false, inv->mr[4], "CNode_Rotate: pivot slot is empty");
    }
    if (cap_type(op->src->cap) == Sigil_CapZombie || cap_type(op->pivot->cap) == Sigil_CapZombie) {
        return err(Sigil_IllegalOperation, "CNode_Rotate: a zombie cannot move");
    }
    op->cap = cap_update_data(true, inv->mr[5], op->src->cap);
    op->pivot_cap = cap_update_data(true, inv->mr[2], op->pivot->cap);
    if (cap_is_null(op->cap) || cap_is_null(op->pivot_cap)) {
        return err(Sigil_IllegalOperation, "CNode_Rotate: a new cap would be null");
    }
    return syserr_ok();
}

syserr_t cnode_decode(cte_t *slot, const invocation_t *inv, cnode_op_t *op)
{
    if (inv->label < INV_CNODE_REVOKE || inv->label > INV_CNODE_ROTATE) {
        return err(Sigil_IllegalOperation, "CNode: not a CNode invocation");
    }
    if (inv->length < 2) {
        return err(Sigil_TruncatedMessage, "CNode: needs index and depth");
    }
    op->label = inv->label;
    op->src = op->pivot = NULL;
    op->cap = op->pivot_cap = cap_null();
    syserr_t e = cspace_lookup_for_op(slot->cap, inv->mr[0], inv->mr[1], false, &op->dest);
    if (syserr_failed(e)) {
        return e;
    }
    switch (inv->label) {
    case INV_CNODE_REVOKE:
    case INV_CNODE_DELETE:
        return syserr_ok();
    case INV_CNODE_CANCEL_BADGED_SENDS:
        return all_rights(op->dest->cap)
                   ? syserr_ok()
                   : err(Sigil_IllegalOperation,
                         "CancelBadgedSends: not an endpoint cap with all rights");
    case INV_CNODE_ROTATE:
        return decode_rotate(inv, op);
    default:
        return decode_transfer(inv, op);
    }
}

invoke_result_t cnode_invoke(const cnode_op_t *op, struct tcb *caller)
{
    switch (op->label) {
    case INV_CNODE_REVOKE:
        return delete_revoke(op->dest);
    case INV_CNODE_DELETE:
        return delete_slot(op->dest);
    case INV_CNODE_CANCEL_BADGED_SENDS: {
        word_t badge = cap_badge(op->dest->cap);
        if (badge == 0) {
            return INVOKE_DONE;
        }
        return endpoint_cancel_badged_sends(endpoint_from_cap(op->dest->cap), badge, caller);
    }
    case INV_CNODE_COPY:
    case INV_CNODE_MINT:
        cnode_insert(op->src, op->dest, op->cap);
        return INVOKE_DONE;
    case INV_CNODE_MOVE:
    case INV_CNODE_MUTATE:
        cdt_move(op->src, op->dest, op->cap);
        return INVOKE_DONE;
    default: /* INV_CNODE_ROTATE */
        if (op->src == op->dest) {
            cdt_swap(op->src, op->cap, op->pivot, op->pivot_cap);
        } else {
            cdt_move(op->pivot, op->dest, op->pivot_cap);
            cdt_move(op->src, op->pivot, op->cap);
        }
        return INVOKE_DONE;
    }
}
