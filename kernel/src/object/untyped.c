/*
 * Untyped_Retype and untyped reset (see untyped.h).
 *
 * Decode follows seL4's order of checks: label, length, type, size, destination CNode,
 * window, emptiness, free memory, device restrictions. Message: MR0 type, MR1 size_bits,
 * MR2 node index, MR3 node depth, MR4 node offset, MR5 number of objects; extra cap 0 is the
 * root from which the destination CNode is looked up (depth 0: the root itself).
 */
#include <api/labels.h>
#include <arch/hooks.h>
#include <kernel/cspace.h>
#include <lib/assert.h>
#include <object/tcb.h>
#include <object/untyped.h>

#define err(code, a0, a1, why) SYSERR(code, a0, a1, "Retype: " why)

unsigned untyped_object_bits(word_t type, word_t user_size)
{
    /* Decode has checked the type and that user_size is below 64. */
    return sigil_object_size_bits((unsigned)type, (unsigned)user_size);
}

static bool is_frame_type(word_t type)
{
    return type == Sigil_Frame4KObject || type == Sigil_Frame2MObject ||
           type == Sigil_Frame1GObject;
}

/* Type and size arguments. */
static syserr_t decode_type(const invocation_t *inv, untyped_op_t *op)
{
    op->type = inv->mr[0];
    op->user_size = inv->mr[1];
    if (op->type >= Sigil_NumObjectTypes) {
        return err(Sigil_InvalidArgument, 0, 0, "no such object type");
    }
    if (op->user_size >= WORD_BITS ||
        untyped_object_bits(op->type, op->user_size) > Sigil_UntypedMaxBits) {
        return err(Sigil_RangeError, 0, Sigil_UntypedMaxBits, "object too big");
    }
    if (op->type == Sigil_CNodeObject && op->user_size > Sigil_CNodeMaxBits) {
        return err(Sigil_RangeError, 0, Sigil_CNodeMaxBits, "CNode too big");
    }
    if ((op->type == Sigil_CNodeObject && op->user_size == 0) ||
        (op->type == Sigil_UntypedObject && op->user_size < Sigil_UntypedMinBits)) {
        return err(Sigil_InvalidArgument, 1, 0, "object too small");
    }
    op->obj_bits = untyped_object_bits(op->type, op->user_size);
    return syserr_ok();
}

/* Destination CNode, offset and window. */
static syserr_t decode_dest(const invocation_t *inv, untyped_op_t *op)
{
    cte_t *node_slot = inv->extra[0];
    word_t depth = inv->mr[3];
    if (depth != 0) {
        syserr_t e = cspace_lookup_for_op(node_slot->cap, inv->mr[2], depth, false, &node_slot);
        if (syserr_failed(e)) {
            return e;
        }
    }
    cap_t node = node_slot->cap;
    if (cap_type(node) != Sigil_CapCNode) {
        return SYSERR_LOOKUP(false, lookup_fault_make(Sigil_MissingCapability, depth, 0, 0),
                             "Retype: destination is not a CNode");
    }
    word_t size = BIT(cap_cnode_radix(node));
    word_t offset = inv->mr[4];
    word_t count = inv->mr[5];
    if (offset > size - 1) {
        return err(Sigil_RangeError, 0, size - 1, "offset outside the CNode");
    }
    if (count < 1 || count > RETYPE_FAN_OUT_LIMIT) {
        return err(Sigil_RangeError, 1, RETYPE_FAN_OUT_LIMIT, "object count out of range");
    }
    if (count > size - offset) {
        return err(Sigil_RangeError, 1, size - offset, "window runs past the CNode");
    }
    op->dest = (cte_t *)cap_ptr(node) + offset;
    op->count = count;
    for (word_t i = 0; i < count; i++) {
        if (!cap_is_null(op->dest[i].cap)) {
            return err(Sigil_DeleteFirst, 0, 0, "a destination slot is full");
        }
    }
    return syserr_ok();
}

syserr_t untyped_decode(cte_t *slot, const invocation_t *inv, untyped_op_t *op)
{
    if (inv->label != INV_UNTYPED_RETYPE) {
        return err(Sigil_IllegalOperation, 0, 0, "not an Untyped invocation");
    }
    if (inv->length < 6 || inv_extra(inv, 0) == NULL) {
        return err(Sigil_TruncatedMessage, 0, 0, "needs 6 words and a CNode");
    }
    syserr_t e = decode_type(inv, op);
    if (!syserr_failed(e)) {
        e = decode_dest(inv, op);
    }
    if (syserr_failed(e)) {
        return e;
    }
    cap_t ut = slot->cap;
    op->slot = slot;
    op->reset = !cdt_has_children(slot);
    word_t free = op->reset ? 0 : cap_untyped_watermark(ut);
    word_t free_bytes = BIT(cap_untyped_size_bits(ut)) - free;
    if ((free_bytes >> op->obj_bits) < op->count) {
        return err(Sigil_NotEnoughMemory, free_bytes, 0, "not enough room");
    }
    if (cap_untyped_is_device(ut) && !is_frame_type(op->type) && op->type != Sigil_UntypedObject) {
        return err(Sigil_InvalidArgument, 1, 0, "kernel object from device memory");
    }
    op->offset = ALIGN_UP(free, op->obj_bits);
    return syserr_ok();
}

/* Clear the untyped's memory below its watermark, top down, one chunk per unit. */
static invoke_result_t reset(cte_t *slot)
{
    cap_t ut = slot->cap;
    char *base = cap_ptr(ut);
    word_t wm = cap_untyped_watermark(ut);
    if (cap_untyped_is_device(ut)) {
        slot->cap = cap_untyped_set_watermark(ut, 0);
        return INVOKE_DONE;
    }
    while (wm > 0) {
        word_t start = (wm - 1) & ~MASK(RESET_CHUNK_BITS);
        arch_clear_memory(base + start, wm - start);
        wm = start;
        slot->cap = cap_untyped_set_watermark(slot->cap, wm);
        if (preempt_point()) {
            return INVOKE_PREEMPTED;
        }
    }
    return INVOKE_DONE;
}

static cap_t create_object(const untyped_op_t *op, void *obj, bool device)
{
    switch (op->type) {
    case Sigil_UntypedObject:
        return cap_untyped(obj, (unsigned)op->user_size, device, 0);
    case Sigil_TCBObject:
        tcb_init(obj);
        return cap_tcb(obj);
    case Sigil_EndpointObject:
        return cap_endpoint(obj, 0, CAP_RIGHTS_MASK);
    case Sigil_NotificationObject:
        return cap_notification(obj, 0, CAP_RIGHTS_MASK);
    case Sigil_CNodeObject:
        return cap_cnode(obj, (unsigned)op->user_size, 0, 0);
    case Sigil_ReplyObject:
        return cap_reply(obj);
    case Sigil_VSpaceObject:
        arch_vspace_init(obj);
        return cap_vspace(obj);
    case Sigil_PageTableObject:
        return cap_page_table(obj);
    default:
        return cap_frame_new(obj, op->type, device);
    }
}

invoke_result_t untyped_invoke(const untyped_op_t *op)
{
    if (op->reset && reset(op->slot) == INVOKE_PREEMPTED) {
        return INVOKE_PREEMPTED;
    }
    cap_t ut = op->slot->cap;
    char *base = cap_ptr(ut);
    bool device = cap_untyped_is_device(ut);
    op->slot->cap = cap_untyped_set_watermark(ut, op->offset + (op->count << op->obj_bits));
    for (word_t i = 0; i < op->count; i++) {
        void *obj = base + op->offset + (i << op->obj_bits);
        cdt_insert_new(op->slot, &op->dest[i], create_object(op, obj, device));
    }
    return INVOKE_DONE;
}
