/*
 * Frames on AArch64: the Frame_* invocations and the hook that removes a deleted frame cap's
 * mapping (see vm.h for the layer).
 *
 * A frame has no kernel state beyond its cap: each frame cap records at most one mapping (its
 * VSpace's id and the virtual address), as in seL4, so a frame mapped twice is mapped through
 * two caps, and deleting or unmapping a cap removes exactly its own mapping. Map checks in
 * seL4's order: message length, the VSpace cap, alignment before the address range, then a
 * remap's VSpace and address, then the tables on the way. Device frames are mapped uncached and
 * never executable, and refuse the cache operations.
 */
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "arch/aarch64/vm.h"

typedef struct frame_op {
    word_t label;
    cte_t *slot;       /* the invoked frame cap */
    vm_map_t map;      /* Map */
    word_t start, end; /* cache operations: kernel-window addresses */
    word_t result;     /* GetAddress: the frame's physical address */
} frame_op_t;

/* Remove the mapping a frame cap records, if it is still there. An unmapped cap records VSpace 0,
 * which is never a RAM page, so nothing is walked. */
static void unmap_frame(cap_t c)
{
    uint64_t *root = vm_live_vspace(cap_mapped_asid(c));
    if (root == NULL) {
        return;
    }
    word_t va = cap_mapped_vaddr(c);
    unsigned want = vm_frame_level(cap_frame_size(c)), reached;
    uint64_t *e = vm_walk(root, va, want, &reached);
    if (reached == want && (*e & PTE_VALID) && (*e & PTE_ADDR_MASK) == arch_paddr(cap_ptr(c))) {
        *e = 0;
        vm_tlb_flush_va(root, va);
    }
}

void arch_unmap_frame(cap_t frame_cap)
{
    unmap_frame(frame_cap);
}

/* The attribute bits of a page or block entry mapping a frame with `rights` (already masked
 * by the cap's) and the caller's `attr` (SIGIL_VM_*) at `level`. */
static uint64_t page_attrs(word_t rights, word_t attr, bool device, unsigned level)
{
    uint64_t pte = PTE_VALID | PTE_AF | PTE_NG | PTE_PXN;
    pte |= level == 3 ? PTE_TABLE : 0; /* level 3 "page" descriptors have bit 1 set */
    if (rights & Sigil_CanRead) {
        pte |= PTE_AP_EL0;
    }
    if (!(rights & Sigil_CanWrite)) {
        pte |= PTE_AP_RO;
    }
    if (device) {
        pte |= PTE_ATTR(MT_DEVICE_nGnRE) | PTE_UXN;
    } else {
        pte |= PTE_SH_INNER | PTE_ATTR((attr & SIGIL_VM_CACHEABLE) ? MT_NORMAL : MT_NORMAL_NC);
        if (!(attr & SIGIL_VM_EXECUTABLE) || !(rights & Sigil_CanRead)) {
            pte |= PTE_UXN;
        }
    }
    return pte;
}

/* Frame_Map(vspace, vaddr, rights, attr). */
static syserr_t decode_map(const invocation_t *inv, frame_op_t *op)
{
    cap_t c = op->slot->cap;
    if (inv->length < 3) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "Frame_Map: needs 3 words");
    }
    syserr_t e = vm_decode_vspace_arg(inv, &op->map.root);
    if (syserr_failed(e)) {
        return e;
    }
    word_t va = inv->mr[0], rights = inv->mr[1] & cap_rights(c), attr = inv->mr[2];
    frame_size_t size = cap_frame_size(c);
    word_t bytes = 1ull << frame_size_bits(size);
    if (va & (bytes - 1)) { /* seL4 checks alignment before the address range */
        return SYSERR(Sigil_AlignmentError, 0, 0, "Frame_Map: address not aligned to the frame");
    }
    if (va >= SIGIL_PLAT_USER_TOP || bytes > SIGIL_PLAT_USER_TOP - va) {
        return SYSERR(Sigil_InvalidArgument, 0, 0, "Frame_Map: address beyond user space");
    }
    word_t id = arch_vspace_id(op->map.root);
    bool remap = cap_mapped_asid(c) != 0;
    if (remap && cap_mapped_asid(c) != id) {
        return SYSERR(Sigil_InvalidCapability, 1, 0, "Frame_Map: remap into another VSpace");
    }
    if (remap && cap_mapped_vaddr(c) != va) {
        return SYSERR(Sigil_InvalidArgument, 0, 0, "Frame_Map: remap at another address");
    }
    unsigned want = vm_frame_level(size), reached;
    uint64_t *entry = vm_walk(op->map.root, va, want, &reached);
    if (reached != want) {
        /* A table on the way is missing (or a block is in the way). */
        if (*entry & PTE_VALID) {
            return SYSERR(Sigil_DeleteFirst, 0, 0, "Frame_Map: a larger mapping is in the way");
        }
        return vm_missing_table(reached);
    }
    paddr_t pa = arch_paddr(cap_ptr(c));
    if ((*entry & PTE_VALID) && !(remap && (*entry & PTE_ADDR_MASK) == pa)) {
        return SYSERR(Sigil_DeleteFirst, 0, 0, "Frame_Map: something is mapped there");
    }
    op->map.entry = entry;
    op->map.replaces = (*entry & PTE_VALID) != 0;
    op->map.pte = pa | page_attrs(rights, attr, cap_frame_is_device(c), want);
    op->map.new_cap = cap_set_mapping(c, id, va);
    op->map.va = va;
    return syserr_ok();
}

/* Frame_CleanData and the like on the offsets [MR0, MR1) of the frame: computes the
 * kernel-window range. */
static syserr_t decode_cache_range(const invocation_t *inv, frame_op_t *op)
{
    cap_t c = op->slot->cap;
    if (cap_frame_is_device(c)) {
        return SYSERR(Sigil_IllegalOperation, 0, 0, "Frame cache operation: device frame");
    }
    syserr_t e = vm_decode_range(inv);
    if (syserr_failed(e)) {
        return e;
    }
    word_t start = inv->mr[0], end = inv->mr[1];
    if (end > 1ull << frame_size_bits(cap_frame_size(c))) {
        return SYSERR(Sigil_InvalidArgument, 1, 0, "Frame cache operation: end beyond the frame");
    }
    op->start = (word_t)arch_kptr(arch_paddr(cap_ptr(c)) + start);
    op->end = op->start + (end - start);
    return syserr_ok();
}

static syserr_t decode(cte_t *slot, const invocation_t *inv, frame_op_t *op)
{
    op->label = inv->label;
    op->slot = slot;
    switch (inv->label) {
    case Sigil_Frame_Map:
        return decode_map(inv, op);
    case Sigil_Frame_Unmap:
        return syserr_ok();
    case Sigil_Frame_GetAddress:
        op->result = arch_paddr(cap_ptr(slot->cap));
        return syserr_ok();
    case Sigil_Frame_CleanData:
    case Sigil_Frame_InvalidateData:
    case Sigil_Frame_CleanInvalidateData:
    case Sigil_Frame_UnifyInstruction:
        return decode_cache_range(inv, op);
    default:
        return SYSERR(Sigil_IllegalOperation, 0, 0, "Frame: not a Frame invocation");
    }
}

static void invoke(const frame_op_t *op, invocation_t *inv)
{
    switch (op->label) {
    case Sigil_Frame_Map:
        vm_install(&op->map, op->slot);
        break;
    case Sigil_Frame_Unmap:
        unmap_frame(op->slot->cap);
        op->slot->cap = cap_set_mapping(op->slot->cap, 0, 0);
        break;
    case Sigil_Frame_GetAddress:
        inv->reply_mr[0] = op->result;
        inv->reply_length = 1;
        break;
    default:
        vm_cache_op(op->label, op->start, op->end);
        break;
    }
}

syserr_t arch_frame_invocation(cte_t *slot, invocation_t *inv)
{
    frame_op_t op;
    syserr_t e = decode(slot, inv, &op);
    if (syserr_failed(e)) {
        return e;
    }
    invoke(&op, inv);
    return syserr_ok();
}
