/*
 * Page tables on AArch64: the PageTable_* invocations and the hook that unlinks a deleted
 * page table (see vm.h for the layer).
 *
 * One object type serves levels 1 to 3 (the unified page-table RFC): Map installs the table at
 * the first level on the way to the address that has no table yet, and records in the cap the
 * VSpace and the address range the table now covers. A table is mapped at most once (a mapped
 * cap is InvalidCapability(0) to Map). Unmap needs the last cap to the table (else RevokeFirst),
 * unlinks it and clears it, so nothing stays mapped through it wherever it is mapped next.
 * Entries below a deleted table are not visited: the frames' own mapping records go stale.
 */
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "arch/aarch64/vm.h"
#include "lib/kstring.h"

typedef struct pt_op {
    word_t label;
    cte_t *slot;  /* the invoked page-table cap */
    vm_map_t map; /* Map */
} pt_op_t;

/* Unlink a mapped page table from its parent entry, if it is still there (an unmapped cap
 * records VSpace 0, which is never a RAM page: nothing to do). */
static void unmap_page_table(cap_t c)
{
    uint64_t *root = vm_live_vspace(cap_mapped_asid(c));
    if (root == NULL) {
        return;
    }
    word_t va = cap_mapped_vaddr(c);
    paddr_t pt = arch_paddr(cap_ptr(c));
    uint64_t *table = root;
    for (unsigned l = 0; l < 3; l++) {
        uint64_t *e = &table[vm_index_at(va, l)];
        if (!vm_is_table(*e, l)) {
            return;
        }
        if ((*e & PTE_ADDR_MASK) == pt) {
            *e = 0;
            vm_tlb_flush_asid(root);
            return;
        }
        table = arch_kptr(*e & PTE_ADDR_MASK);
    }
}

void arch_unmap_page_table(cap_t pt_cap)
{
    unmap_page_table(pt_cap);
}

/* PageTable_Map(vspace, vaddr, attr). */
static syserr_t decode_map(const invocation_t *inv, pt_op_t *op)
{
    cap_t c = op->slot->cap;
    if (inv->length < 2) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "PageTable_Map: needs 2 words");
    }
    if (cap_mapped_asid(c) != 0) {
        return SYSERR(Sigil_InvalidCapability, 0, 0, "PageTable_Map: the table is mapped already");
    }
    syserr_t e = vm_decode_vspace_arg(inv, &op->map.root);
    if (syserr_failed(e)) {
        return e;
    }
    word_t va = inv->mr[0];
    if (va >= SIGIL_PLAT_USER_TOP) {
        return SYSERR(Sigil_InvalidArgument, 0, 0, "PageTable_Map: address beyond user space");
    }
    unsigned reached;
    uint64_t *entry = vm_walk(op->map.root, va, 3, &reached);
    if (reached == 3 || (*entry & PTE_VALID)) {
        return SYSERR(Sigil_DeleteFirst, 0, 0, "PageTable_Map: every level is there already");
    }
    word_t covered = va & ~((1ull << vm_level_shift(reached)) - 1);
    op->map.entry = entry;
    op->map.replaces = false; /* checked invalid above */
    op->map.pte = arch_paddr(cap_ptr(c)) | PTE_VALID | PTE_TABLE;
    op->map.new_cap = cap_set_mapping(c, arch_vspace_id(op->map.root), covered);
    op->map.va = covered;
    return syserr_ok();
}

static syserr_t decode(cte_t *slot, const invocation_t *inv, pt_op_t *op)
{
    op->label = inv->label;
    op->slot = slot;
    switch (inv->label) {
    case Sigil_PageTable_Map:
        return decode_map(inv, op);
    case Sigil_PageTable_Unmap:
        return cdt_is_final(slot)
                   ? syserr_ok()
                   : SYSERR(Sigil_RevokeFirst, 0, 0, "PageTable_Unmap: other caps to the table");
    default:
        return SYSERR(Sigil_IllegalOperation, 0, 0, "PageTable: not a PageTable invocation");
    }
}

static void invoke(const pt_op_t *op)
{
    if (op->label == Sigil_PageTable_Map) {
        vm_install(&op->map, op->slot);
        return;
    }
    unmap_page_table(op->slot->cap);
    memset(cap_ptr(op->slot->cap), 0, 1u << Sigil_PageTableBits);
    arch_dsb_ish();
    op->slot->cap = cap_set_mapping(op->slot->cap, 0, 0);
}

syserr_t arch_page_table_invocation(cte_t *slot, invocation_t *inv)
{
    pt_op_t op;
    syserr_t e = decode(slot, inv, &op);
    if (syserr_failed(e)) {
        return e;
    }
    invoke(&op);
    return syserr_ok();
}
