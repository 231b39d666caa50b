/*
 * VSpace roots on AArch64: which pages are live VSpaces, their creation and deletion, the
 * VSpace_* cache invocations, and looking up what a VSpace maps (see vm.h for the layer).
 *
 * A VSpace is a level-0 table. Creating one (retype) marks its page live in the identity
 * bitmap (vm.h); deleting its last cap flushes its ASID's TLB entries, forgets the ASID and
 * clears the bit, so every mapping record that names it becomes stale at once. The page tables
 * and frames still mapped in it are not visited: their caps' records are stale from then on.
 */
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "arch/aarch64/vm.h"
#include "kernel/bootmem.h"
#include "lib/assert.h"

vm_ram_t vm_ram;

typedef struct vspace_op {
    word_t label;
    cte_t *slot;       /* the invoked VSpace cap */
    word_t start, end; /* cache operations: kernel-window addresses */
} vspace_op_t;

void vspace_arch_init(paddr_t ram_base, paddr_t ram_end)
{
    vm_ram.first_pfn = ram_base >> VM_PAGE_BITS;
    vm_ram.pages = (ram_end - ram_base) >> VM_PAGE_BITS;
    uint64_t bytes = (vm_ram.pages + 7) / 8;
    vm_ram.live_bitmap = arch_kptr(bootmem_alloc_pages((bytes + 4095) / 4096));
}

bool arch_paddr_in_ram(paddr_t pa)
{
    return vm_pfn_in_ram(pa >> VM_PAGE_BITS);
}

static void set_live(word_t pfn, bool live)
{
    kassert(vm_pfn_in_ram(pfn));
    word_t i = pfn - vm_ram.first_pfn;
    if (live) {
        vm_ram.live_bitmap[i / 64] |= 1ull << (i % 64);
    } else {
        vm_ram.live_bitmap[i / 64] &= ~(1ull << (i % 64));
    }
}

void arch_vspace_init(void *root)
{
    set_live(arch_vspace_id(root), true);
}

void arch_vspace_delete(cap_t vspace_cap)
{
    uint64_t *root = cap_ptr(vspace_cap);
    vm_tlb_flush_asid(root);
    root[VM_META_INDEX] = 0;
    set_live(arch_vspace_id(root), false);
    if (arch_active_root == arch_paddr(root)) {
        arch_switch_vspace(NULL);
    }
}

void arch_vspace_lookup(void *root, word_t va, word_t *pa, word_t *size_bits, word_t *info)
{
    *pa = *size_bits = *info = 0;
    if (va >= SIGIL_PLAT_USER_TOP) {
        return;
    }
    unsigned reached;
    uint64_t *e = vm_walk(root, va, 3, &reached);
    if (!(*e & PTE_VALID) || reached == 0) {
        return;
    }
    *size_bits = vm_level_shift(reached);
    *pa = (*e & PTE_ADDR_MASK & ~((1ull << *size_bits) - 1)) | (va & ((1ull << *size_bits) - 1));
    word_t rights = 0;
    if (*e & PTE_AP_EL0) {
        rights = Sigil_CanRead | ((*e & PTE_AP_RO) ? 0 : Sigil_CanWrite);
    }
    bool exec = !(*e & PTE_UXN);
    bool cached = ((*e >> 2) & 7) == MT_NORMAL;
    *info = rights | (word_t)exec << 8 | (word_t)cached << 9;
}

/* VSpace_CleanData and the like on the virtual range [MR0, MR1), which must lie in one mapping
 * of RAM: computes the kernel-window range. */
static syserr_t decode_cache_range(const invocation_t *inv, vspace_op_t *op)
{
    syserr_t e = vm_decode_range(inv);
    if (syserr_failed(e)) {
        return e;
    }
    word_t start = inv->mr[0], end = inv->mr[1];
    uint64_t *root = cap_ptr(op->slot->cap);
    if (start >= SIGIL_PLAT_USER_TOP) {
        return SYSERR(Sigil_InvalidArgument, 0, 0, "VSpace cache operation: beyond user space");
    }
    unsigned reached;
    uint64_t *entry = vm_walk(root, start, 3, &reached);
    if (!(*entry & PTE_VALID) || reached == 0) {
        return vm_missing_table(reached);
    }
    word_t size = 1ull << vm_level_shift(reached);
    paddr_t base = *entry & PTE_ADDR_MASK & ~(size - 1);
    word_t offset = start & (size - 1);
    if (end - start > size - offset) {
        return SYSERR(Sigil_RangeError, 0, size - offset,
                      "VSpace cache operation: range spans mappings");
    }
    if (!vm_pfn_in_ram(base >> VM_PAGE_BITS)) {
        /* A device mapping, as the Frame_* calls refuse device frames (and device memory may
         * lie beyond the kernel window). */
        return SYSERR(Sigil_IllegalOperation, 0, 0, "VSpace cache operation: device mapping");
    }
    op->start = (word_t)arch_kptr(base + offset);
    op->end = op->start + (end - start);
    return syserr_ok();
}

static syserr_t decode(cte_t *slot, const invocation_t *inv, vspace_op_t *op)
{
    op->label = inv->label;
    op->slot = slot;
    switch (inv->label) {
    case Sigil_VSpace_CleanData:
    case Sigil_VSpace_InvalidateData:
    case Sigil_VSpace_CleanInvalidateData:
    case Sigil_VSpace_UnifyInstruction:
        return decode_cache_range(inv, op);
    default:
        return SYSERR(Sigil_IllegalOperation, 0, 0, "VSpace: not a VSpace invocation");
    }
}

syserr_t arch_vspace_invocation(cte_t *slot, invocation_t *inv)
{
    vspace_op_t op;
    syserr_t e = decode(slot, inv, &op);
    if (syserr_failed(e)) {
        return e;
    }
    vm_cache_op(op.label, op.start, op.end);
    return syserr_ok();
}
