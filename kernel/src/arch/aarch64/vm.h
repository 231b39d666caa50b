/*
 * What the AArch64 address-space files share: the translation-table walk, the VSpace identity
 * check, TLB and cache maintenance, and installing an entry.
 *
 * The layer is split by object: frame.c (Frame invocations and the frame finalisation hook),
 * pagetable.c (PageTable invocations and hook), vspace.c (VSpace invocations, creation,
 * deletion and lookup), and vm.c (the machinery below: which pages are live VSpaces, hardware
 * ASIDs, switching TTBR0, TLB and cache maintenance). The walk is inline here because Map's
 * cost is dominated by it and by the calls around it.
 *
 * Translation tables. A VSpace is a level-0 table (4 KiB granule, 48-bit input addresses);
 * page tables of one type serve levels 1 to 3 (the unified page-table RFC). A 1 GiB frame maps
 * as a level-1 block, a 2 MiB frame as a level-2 block, a 4 KiB frame as a level-3 page.
 * User space ends at SIGIL_PLAT_USER_TOP (2^47), so level-0 entries 256..511 never map
 * anything; the kernel keeps a VSpace's metadata (its ASID and generation) in entry 511 as an
 * invalid descriptor (bit 0 clear), which the MMU ignores.
 */
#ifndef ARCH_AARCH64_VM_H
#define ARCH_AARCH64_VM_H

#include <arch/arch.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "arch/hooks.h"

#define VM_PAGE_BITS  12
#define VM_META_INDEX 511 /* level-0 entry holding a VSpace's ASID metadata */

/* ---- walking ---- */

/* log2 of the bytes one entry at `level` covers. */
static inline unsigned vm_level_shift(unsigned level)
{
    return 39 - 9 * level;
}

static inline unsigned vm_index_at(word_t va, unsigned level)
{
    return (unsigned)(va >> vm_level_shift(level)) & 511;
}

/* Whether entry `e` at `level` points to a next-level table. */
static inline bool vm_is_table(uint64_t e, unsigned level)
{
    return level < 3 && (e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

/* Walk towards `va`, stopping at `level` or at the first entry that is not a table.
 * Returns the entry reached and sets *reached to its level. */
static inline uint64_t *vm_walk(uint64_t *root, word_t va, unsigned level, unsigned *reached)
{
    uint64_t *table = root;
    for (unsigned l = 0;; l++) {
        uint64_t *e = &table[vm_index_at(va, l)];
        if (l == level || !vm_is_table(*e, l)) {
            *reached = l;
            return e;
        }
        table = arch_kptr(*e & PTE_ADDR_MASK);
    }
}

/* Level at which a frame of this size class is mapped. */
static inline unsigned vm_frame_level(frame_size_t size)
{
    return size == FRAME_1G ? 1 : size == FRAME_2M ? 2 : 3;
}

/* The FailedLookup a Map or cache operation gives when the walk stopped at `reached`:
 * MissingCapability with the bits left at that level (seL4's). */
static inline syserr_t vm_missing_table(unsigned reached)
{
    return SYSERR_LOOKUP(false,
                         lookup_fault_make(Sigil_MissingCapability, vm_level_shift(reached), 0, 0),
                         "VM: no page table on the way");
}

/* ---- VSpace identity ----
 *
 * A mapping record in a frame or page-table cap names its VSpace by the VSpace's page frame
 * number, and a kernel-only bitmap (one bit per RAM page) says which pages are live VSpaces. A
 * record naming a VSpace that has been deleted is stale: the bitmap says so, and nothing is
 * walked. If the page has become a new VSpace, an unmap through a stale record removes an entry
 * only if it maps exactly this frame (seL4 makes the same check for reused ASIDs). */

typedef struct vm_ram {
    uint64_t *live_bitmap; /* one bit per RAM page: a live VSpace starts there */
    uint64_t first_pfn;    /* RAM's first page */
    uint64_t pages;        /* RAM's size in pages */
} vm_ram_t;
extern vm_ram_t vm_ram; /* vspace.c: set at boot, bits flipped as VSpaces come and go */

static inline bool vm_pfn_in_ram(word_t pfn)
{
    return pfn >= vm_ram.first_pfn && pfn - vm_ram.first_pfn < vm_ram.pages;
}

/* The VSpace a mapping record (cap_mapped_asid) names, or NULL if that VSpace has been
 * deleted: then nothing may be walked. */
static inline uint64_t *vm_live_vspace(word_t pfn)
{
    if (!vm_pfn_in_ram(pfn)) {
        return NULL;
    }
    word_t i = pfn - vm_ram.first_pfn;
    if (!(vm_ram.live_bitmap[i / 64] & (1ull << (i % 64)))) {
        return NULL;
    }
    return arch_kptr(pfn << VM_PAGE_BITS);
}

/* ---- TLB and cache maintenance ----
 *
 * Hardware ASIDs (vm.c) are tagged with a generation; a VSpace without an ASID of the current
 * generation has no TLB entries, so there is nothing to flush. */

#define VM_ASID_BITS 16
#define VM_MAX_ASID  ((1u << VM_ASID_BITS) - 1)

/* The VSpace's hardware ASID in the current generation, or 0 if it has none. */
static inline unsigned vm_current_asid(const uint64_t *root)
{
    uint64_t meta = root[VM_META_INDEX];
    return (meta >> (VM_ASID_BITS + 1)) == arch_asid_generation
               ? (unsigned)(meta >> 1) & VM_MAX_ASID
               : 0;
}

/* Flush every TLB entry of `root`'s ASID. */
static inline void vm_tlb_flush_asid(const uint64_t *root)
{
    unsigned asid = vm_current_asid(root);
    if (asid != 0) {
        arch_dsb_ish();
        __asm__ volatile("tlbi aside1is, %0" ::"r"((uint64_t)asid << 48) : "memory");
        arch_dsb_ish();
        arch_isb();
    }
}

/* Flush the TLB entry of `va` in `root`'s ASID. */
static inline void vm_tlb_flush_va(const uint64_t *root, word_t va)
{
    unsigned asid = vm_current_asid(root);
    if (asid != 0) {
        arch_dsb_ish();
        __asm__ volatile("tlbi vae1is, %0" ::"r"(((uint64_t)asid << 48) | (va >> VM_PAGE_BITS))
                         : "memory");
        arch_dsb_ish();
        arch_isb();
    }
}

/* The cache maintenance of a Frame_* or VSpace_* cache invocation `label` on the kernel-window
 * range [start, end), by data cache line; UnifyInstruction also invalidates the I-cache. */
void vm_cache_op(word_t label, word_t start, word_t end);

/* Check a cache invocation's [MR0, MR1) range: TruncatedMessage, or InvalidArgument(1) if it is
 * empty. */
static inline syserr_t vm_decode_range(const invocation_t *inv)
{
    if (inv->length < 2) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "cache operation: needs start and end");
    }
    if (inv->mr[0] >= inv->mr[1]) {
        return SYSERR(Sigil_InvalidArgument, 1, 0, "cache operation: empty range");
    }
    return syserr_ok();
}

/* ---- installing an entry (Frame_Map, PageTable_Map) ---- */

/* The VSpace a Map names in extra cap 0: TruncatedMessage if there is none, InvalidCapability(1)
 * if it is not a VSpace cap. */
static inline syserr_t vm_decode_vspace_arg(const invocation_t *inv, uint64_t **root)
{
    cte_t *vs = inv_extra(inv, 0);
    if (vs == NULL) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "Map: needs a VSpace cap");
    }
    if (cap_type(vs->cap) != Sigil_CapVSpace) {
        return SYSERR(Sigil_InvalidCapability, 1, 0, "Map: not a VSpace cap");
    }
    *root = cap_ptr(vs->cap);
    return syserr_ok();
}

/* What a Map decodes: the entry to write and the cap's new mapping record. */
typedef struct vm_map {
    uint64_t *entry; /* the entry to write */
    uint64_t pte;    /* its new value */
    bool replaces;   /* the entry is valid now (a remap), so the TLB may hold it */
    uint64_t *root;  /* the VSpace */
    word_t va;       /* the virtual address the entry covers */
    cap_t new_cap;   /* the invoked cap with its mapping record */
} vm_map_t;

/* Write the entry a Map decoded and record the mapping in the invoked cap in `slot`. */
static inline void vm_install(const vm_map_t *m, cte_t *slot)
{
    *m->entry = m->pte;
    if (m->replaces) {
        vm_tlb_flush_va(m->root, m->va); /* the old entry (other rights) may be cached */
    } else {
        /* An invalid entry is never cached: the new one need only be visible to the table
         * walker before the thread uses it (seL4 flushes only when replacing, too). */
        arch_dsb_ishst();
        arch_isb();
    }
    slot->cap = m->new_cap;
}

#endif /* ARCH_AARCH64_VM_H */
