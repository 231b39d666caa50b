/*
 * Address spaces on AArch64: mapping invocations, kernel-managed ASIDs, and the capability
 * core's finalisation hooks (src/arch/hooks.h).
 *
 * Translation tables. A VSpace is a level-0 table (4 KiB granule, 48-bit input addresses);
 * page tables of one type serve levels 1 to 3 (the unified page-table RFC). A 1 GiB frame maps
 * as a level-1 block, a 2 MiB frame as a level-2 block, a 4 KiB frame as a level-3 page.
 * User space ends at SIGIL_PLAT_USER_TOP (2^47), so level-0 entries 256..511 never map
 * anything; the kernel keeps a VSpace's metadata in entry 511 as an invalid descriptor (bit 0
 * clear), which the MMU ignores.
 *
 * Identity of a VSpace. A mapping record in a frame or page-table cap names its VSpace by the
 * VSpace's page frame number, and a kernel-only bitmap (one bit per RAM page) says which pages
 * are live VSpaces. A record naming a VSpace that has been deleted is stale: the bitmap says so,
 * and nothing is walked. If the page has become a new VSpace, an unmap through a stale record
 * removes an entry only if it maps exactly this frame (seL4 makes the same check for reused
 * ASIDs).
 *
 * ASIDs. Hardware ASIDs (16 bits) are not visible to user space and cannot be exhausted: each
 * VSpace gets one when it is first switched to, tagged with a generation. When all 65535 are
 * used, the generation advances, every TLB entry is flushed, and VSpaces get fresh ASIDs as they
 * run again (rollover). No cap names an ASID, so none can be forged.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "api/invocation.h"
#include "arch/hooks.h"
#include "kernel/bootmem.h"
#include "kernel/cspace.h"
#include "lib/assert.h"
#include "lib/kstring.h"
#include "object/cdt.h"

#define PAGE_BITS  12
#define META_INDEX 511
#define ASID_BITS  16
#define MAX_ASID   ((1u << ASID_BITS) - 1)

/* ---- VSpace identity ---- */

static uint64_t *live_bitmap; /* one bit per RAM page: a live VSpace starts there */
static uint64_t ram_first_pfn, ram_pages;

void vspace_arch_init(paddr_t ram_base, paddr_t ram_end)
{
    ram_first_pfn = ram_base >> PAGE_BITS;
    ram_pages = (ram_end - ram_base) >> PAGE_BITS;
    uint64_t bytes = (ram_pages + 7) / 8;
    live_bitmap = arch_kptr(bootmem_alloc_pages((bytes + 4095) / 4096));
}

static bool pfn_in_ram(word_t pfn)
{
    return pfn >= ram_first_pfn && pfn - ram_first_pfn < ram_pages;
}

static void set_live(word_t pfn, bool live)
{
    kassert(pfn_in_ram(pfn));
    word_t i = pfn - ram_first_pfn;
    if (live) {
        live_bitmap[i / 64] |= 1ull << (i % 64);
    } else {
        live_bitmap[i / 64] &= ~(1ull << (i % 64));
    }
}

/* The VSpace a mapping record names, if it is still a live VSpace. */
static uint64_t *live_vspace(word_t pfn)
{
    if (!pfn_in_ram(pfn)) {
        return NULL;
    }
    word_t i = pfn - ram_first_pfn;
    if (!(live_bitmap[i / 64] & (1ull << (i % 64)))) {
        return NULL;
    }
    return arch_kptr(pfn << PAGE_BITS);
}

bool arch_paddr_in_ram(paddr_t pa)
{
    return pfn_in_ram(pa >> PAGE_BITS);
}

void arch_vspace_init(void *root)
{
    set_live(arch_vspace_id(root), true);
}

/* ---- ASIDs ---- */

uint64_t arch_asid_generation = 1;
static unsigned next_asid = 1;
paddr_t arch_active_root;
#define asid_generation arch_asid_generation
#define active_root     arch_active_root

static void tlb_flush_all(void)
{
    arch_dsb_ish();
    __asm__ volatile("tlbi vmalle1is" ::: "memory");
    arch_dsb_ish();
    arch_isb();
}

/* The VSpace's hardware ASID in the current generation, or 0 if it has none. */
static unsigned current_asid(const uint64_t *root)
{
    uint64_t meta = root[META_INDEX];
    return (meta >> (ASID_BITS + 1)) == asid_generation ? (unsigned)(meta >> 1) & MAX_ASID : 0;
}

static unsigned assign_asid(uint64_t *root)
{
    unsigned asid = current_asid(root);
    if (asid != 0) {
        return asid;
    }
    if (next_asid > MAX_ASID) {
        asid_generation++;
        next_asid = 1;
        tlb_flush_all();
    }
    asid = next_asid++;
    root[META_INDEX] = (asid_generation << (ASID_BITS + 1)) | ((uint64_t)asid << 1);
    return asid;
}

static void tlb_flush_asid(const uint64_t *root)
{
    unsigned asid = current_asid(root);
    if (asid != 0) {
        arch_dsb_ish();
        __asm__ volatile("tlbi aside1is, %0" ::"r"((uint64_t)asid << 48) : "memory");
        arch_dsb_ish();
        arch_isb();
    }
}

static void tlb_flush_va(const uint64_t *root, word_t va)
{
    unsigned asid = current_asid(root);
    if (asid != 0) {
        arch_dsb_ish();
        __asm__ volatile("tlbi vae1is, %0" ::"r"(((uint64_t)asid << 48) | (va >> PAGE_BITS))
                         : "memory");
        arch_dsb_ish();
        arch_isb();
    }
}

/* An empty level-0 table for threads without a usable VSpace: everything faults. It has ASID 0,
 * which no VSpace is given, and never has a valid entry, so it never has TLB entries either. */
static uint64_t empty_root[512] __attribute__((aligned(4096)));

void arch_vspace_leave_boot_map(void)
{
    SYSREG_WRITE(ttbr0_el1, arch_paddr(empty_root));
    arch_isb();
    /* The boot identity map's entries are global (they match every ASID) and executable at
     * EL0: none may outlive it. */
    __asm__ volatile("tlbi vmalle1" ::: "memory");
    __asm__ volatile("dsb nsh" ::: "memory");
    arch_isb();
    active_root = arch_paddr(empty_root);
}

void arch_switch_vspace_slow(void *root)
{
    paddr_t pa = root != NULL ? arch_paddr(root) : arch_paddr(empty_root);
    if (pa == active_root) {
        return;
    }
    if (root != NULL) {
        /* Common case: the VSpace has an ASID of the current generation. */
        uint64_t meta = ((const uint64_t *)root)[META_INDEX];
        if ((meta >> (ASID_BITS + 1)) == asid_generation) {
            SYSREG_WRITE(ttbr0_el1, pa | ((meta >> 1) & MAX_ASID) << 48);
            arch_isb();
            active_root = pa;
            return;
        }
    }
    unsigned asid = root != NULL ? assign_asid(root) : 0;
    SYSREG_WRITE(ttbr0_el1, pa | ((uint64_t)asid << 48));
    arch_isb();
    active_root = pa;
}

/* ---- walking ---- */

static unsigned level_shift(unsigned level)
{
    return 39 - 9 * level;
}

static unsigned index_at(word_t va, unsigned level)
{
    return (unsigned)(va >> level_shift(level)) & 511;
}

static bool is_table(uint64_t e, unsigned level)
{
    return level < 3 && (e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

/* Walk towards `va`, stopping at `level` or at the first entry that is not a table.
 * Returns the entry reached and sets *reached to its level. */
static uint64_t *walk(uint64_t *root, word_t va, unsigned level, unsigned *reached)
{
    uint64_t *table = root;
    for (unsigned l = 0;; l++) {
        uint64_t *e = &table[index_at(va, l)];
        if (l == level || !is_table(*e, l)) {
            *reached = l;
            return e;
        }
        table = arch_kptr(*e & PTE_ADDR_MASK);
    }
}

/* Level at which a frame of this size class is mapped. */
static unsigned frame_level(frame_size_t size)
{
    return size == FRAME_1G ? 1 : size == FRAME_2M ? 2 : 3;
}

/* ---- introspection ---- */

void arch_vspace_lookup(void *root, word_t va, word_t *pa, word_t *size_bits, word_t *info)
{
    *pa = *size_bits = *info = 0;
    if (va >= SIGIL_PLAT_USER_TOP) {
        return;
    }
    unsigned reached;
    uint64_t *e = walk(root, va, 3, &reached);
    if (!(*e & PTE_VALID) || reached == 0) {
        return;
    }
    *size_bits = level_shift(reached);
    *pa = (*e & PTE_ADDR_MASK & ~((1ull << *size_bits) - 1)) | (va & ((1ull << *size_bits) - 1));
    word_t rights = 0;
    if (*e & PTE_AP_EL0) {
        rights = Sigil_CanRead | ((*e & PTE_AP_RO) ? 0 : Sigil_CanWrite);
    }
    bool exec = !(*e & PTE_UXN);
    bool cached = ((*e >> 2) & 7) == MT_NORMAL;
    *info = rights | (word_t)exec << 8 | (word_t)cached << 9;
}

/* ---- finalisation hooks ---- */

static cap_t cap_unmapped(cap_t c)
{
    return cap_set_mapping(c, 0, 0);
}

/* Remove the mapping a frame cap records, if it is still there. */
static void unmap_frame(cap_t c)
{
    uint64_t *root = live_vspace(cap_mapped_asid(c));
    if (root == NULL) {
        return;
    }
    word_t va = cap_mapped_vaddr(c);
    unsigned want = frame_level(cap_frame_size(c)), reached;
    uint64_t *e = walk(root, va, want, &reached);
    if (reached == want && (*e & PTE_VALID) && (*e & PTE_ADDR_MASK) == arch_paddr(cap_ptr(c))) {
        *e = 0;
        tlb_flush_va(root, va);
    }
}

void arch_unmap_frame(cap_t frame_cap)
{
    unmap_frame(frame_cap);
}

/* Unlink a mapped page table from its parent entry, if it is still there. */
static void unmap_page_table(cap_t c)
{
    uint64_t *root = live_vspace(cap_mapped_asid(c));
    if (root == NULL) {
        return;
    }
    word_t va = cap_mapped_vaddr(c);
    paddr_t pt = arch_paddr(cap_ptr(c));
    uint64_t *table = root;
    for (unsigned l = 0; l < 3; l++) {
        uint64_t *e = &table[index_at(va, l)];
        if (!is_table(*e, l)) {
            return;
        }
        if ((*e & PTE_ADDR_MASK) == pt) {
            *e = 0;
            tlb_flush_asid(root);
            return;
        }
        table = arch_kptr(*e & PTE_ADDR_MASK);
    }
}

void arch_unmap_page_table(cap_t pt_cap)
{
    unmap_page_table(pt_cap);
}

void arch_vspace_delete(cap_t vspace_cap)
{
    uint64_t *root = cap_ptr(vspace_cap);
    tlb_flush_asid(root);
    root[META_INDEX] = 0;
    set_live(arch_vspace_id(root), false);
    if (active_root == arch_paddr(root)) {
        arch_switch_vspace(NULL);
    }
}

/* ---- invocations: decode checks everything, invoke only acts ---- */

typedef struct vs_op {
    word_t label;
    cte_t *slot;     /* the invoked frame / page-table / VSpace cap */
    uint64_t *entry; /* Map: the entry to write */
    uint64_t pte;    /* Map: its new value */
    bool replaces;   /* Map: the entry is valid now (a remap), so the TLB may hold it */
    cap_t new_cap;   /* Map: the cap with its mapping record */
    uint64_t *root;  /* Map: the VSpace */
    word_t va;
    word_t start, end; /* cache operations: kernel-window addresses */
    word_t result;     /* GetAddress */
} vs_op_t;

static syserr_t err(sigil_error_t code, word_t a0, word_t a1)
{
    return syserr_make(code, a0, a1);
}

/* The VSpace named by extra cap 0. */
static syserr_t decode_vspace_arg(const invocation_t *inv, unsigned cap_index, uint64_t **root)
{
    cte_t *vs = inv_extra(inv, 0);
    if (vs == NULL) {
        return err(Sigil_TruncatedMessage, 0, 0);
    }
    if (cap_type(vs->cap) != Sigil_CapVSpace) {
        return err(Sigil_InvalidCapability, cap_index, 0);
    }
    *root = cap_ptr(vs->cap);
    return syserr_ok();
}

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

static syserr_t decode_frame_map(const invocation_t *inv, vs_op_t *op)
{
    cap_t c = op->slot->cap;
    if (inv->length < 3) {
        return err(Sigil_TruncatedMessage, 0, 0);
    }
    syserr_t e = decode_vspace_arg(inv, 1, &op->root);
    if (syserr_failed(e)) {
        return e;
    }
    word_t va = inv->mr[0], rights = inv->mr[1] & cap_rights(c), attr = inv->mr[2];
    frame_size_t size = cap_frame_size(c);
    word_t bytes = 1ull << frame_size_bits(size);
    if (va & (bytes - 1)) { /* seL4 checks alignment before the address range */
        return err(Sigil_AlignmentError, 0, 0);
    }
    if (va >= SIGIL_PLAT_USER_TOP || bytes > SIGIL_PLAT_USER_TOP - va) {
        return err(Sigil_InvalidArgument, 0, 0);
    }
    word_t id = arch_vspace_id(op->root);
    bool remap = cap_mapped_asid(c) != 0;
    if (remap && cap_mapped_asid(c) != id) {
        return err(Sigil_InvalidCapability, 1, 0);
    }
    if (remap && cap_mapped_vaddr(c) != va) {
        return err(Sigil_InvalidArgument, 0, 0);
    }
    unsigned want = frame_level(size), reached;
    uint64_t *entry = walk(op->root, va, want, &reached);
    if (reached != want) {
        /* A table on the way is missing (or a block is in the way). */
        if (*entry & PTE_VALID) {
            return err(Sigil_DeleteFirst, 0, 0);
        }
        return syserr_lookup(
            false, lookup_fault_make(Sigil_MissingCapability, level_shift(reached), 0, 0));
    }
    paddr_t pa = arch_paddr(cap_ptr(c));
    if ((*entry & PTE_VALID) && !(remap && (*entry & PTE_ADDR_MASK) == pa)) {
        return err(Sigil_DeleteFirst, 0, 0);
    }
    op->entry = entry;
    op->replaces = (*entry & PTE_VALID) != 0;
    op->pte = pa | page_attrs(rights, attr, cap_frame_is_device(c), want);
    op->new_cap = cap_set_mapping(c, id, va);
    op->va = va;
    return syserr_ok();
}

static syserr_t decode_page_table_map(const invocation_t *inv, vs_op_t *op)
{
    cap_t c = op->slot->cap;
    if (inv->length < 2) {
        return err(Sigil_TruncatedMessage, 0, 0);
    }
    if (cap_mapped_asid(c) != 0) {
        return err(Sigil_InvalidCapability, 0, 0);
    }
    syserr_t e = decode_vspace_arg(inv, 1, &op->root);
    if (syserr_failed(e)) {
        return e;
    }
    word_t va = inv->mr[0];
    if (va >= SIGIL_PLAT_USER_TOP) {
        return err(Sigil_InvalidArgument, 0, 0);
    }
    unsigned reached;
    uint64_t *entry = walk(op->root, va, 3, &reached);
    if (reached == 3 || (*entry & PTE_VALID)) {
        return err(Sigil_DeleteFirst, 0, 0);
    }
    word_t covered = va & ~((1ull << level_shift(reached)) - 1);
    op->entry = entry;
    op->replaces = false; /* checked invalid above */
    op->pte = arch_paddr(cap_ptr(c)) | PTE_VALID | PTE_TABLE;
    op->new_cap = cap_set_mapping(c, arch_vspace_id(op->root), covered);
    op->va = covered;
    return syserr_ok();
}

/* Cache maintenance on [start, end) of a frame (offsets), or of a VSpace (virtual addresses,
 * which must lie in one mapping of RAM). Computes the kernel-window range. */
static syserr_t decode_cache_range(const invocation_t *inv, vs_op_t *op, bool on_vspace)
{
    if (inv->length < 2) {
        return err(Sigil_TruncatedMessage, 0, 0);
    }
    word_t start = inv->mr[0], end = inv->mr[1];
    if (start >= end) {
        return err(Sigil_InvalidArgument, 1, 0);
    }
    paddr_t base;
    word_t size, offset;
    if (!on_vspace) {
        cap_t c = op->slot->cap;
        base = arch_paddr(cap_ptr(c));
        size = 1ull << frame_size_bits(cap_frame_size(c));
        offset = start;
        if (end > size) {
            return err(Sigil_InvalidArgument, 1, 0);
        }
    } else {
        uint64_t *root = cap_ptr(op->slot->cap);
        if (start >= SIGIL_PLAT_USER_TOP) {
            return err(Sigil_InvalidArgument, 0, 0);
        }
        unsigned reached;
        uint64_t *e = walk(root, start, 3, &reached);
        if (!(*e & PTE_VALID) || reached == 0) {
            return syserr_lookup(
                false, lookup_fault_make(Sigil_MissingCapability, level_shift(reached), 0, 0));
        }
        size = 1ull << level_shift(reached);
        base = *e & PTE_ADDR_MASK & ~(size - 1);
        offset = start & (size - 1);
        if (end - start > size - offset) {
            return err(Sigil_RangeError, 0, size - offset);
        }
        if (!pfn_in_ram(base >> PAGE_BITS)) {
            /* A device mapping, as the Frame_* calls refuse device frames (and device memory
             * may lie beyond the kernel window). */
            return err(Sigil_IllegalOperation, 0, 0);
        }
    }
    op->start = (word_t)arch_kptr(base + offset);
    op->end = op->start + (end - start);
    return syserr_ok();
}

static syserr_t decode(const invocation_t *inv, vs_op_t *op)
{
    cap_type_t type = cap_type(op->slot->cap);
    op->label = inv->label;
    switch (inv->label) {
    case Sigil_Frame_Map:
        return type == Sigil_CapFrame ? decode_frame_map(inv, op)
                                      : err(Sigil_IllegalOperation, 0, 0);
    case Sigil_Frame_Unmap:
        return type == Sigil_CapFrame ? syserr_ok() : err(Sigil_IllegalOperation, 0, 0);
    case Sigil_Frame_GetAddress:
        if (type != Sigil_CapFrame) {
            return err(Sigil_IllegalOperation, 0, 0);
        }
        op->result = arch_paddr(cap_ptr(op->slot->cap));
        return syserr_ok();
    case Sigil_Frame_CleanData:
    case Sigil_Frame_InvalidateData:
    case Sigil_Frame_CleanInvalidateData:
    case Sigil_Frame_UnifyInstruction:
        if (type != Sigil_CapFrame) {
            return err(Sigil_IllegalOperation, 0, 0);
        }
        if (cap_frame_is_device(op->slot->cap)) {
            return err(Sigil_IllegalOperation, 0, 0);
        }
        return decode_cache_range(inv, op, false);
    case Sigil_PageTable_Map:
        return type == Sigil_CapPageTable ? decode_page_table_map(inv, op)
                                          : err(Sigil_IllegalOperation, 0, 0);
    case Sigil_PageTable_Unmap:
        if (type != Sigil_CapPageTable) {
            return err(Sigil_IllegalOperation, 0, 0);
        }
        return cdt_is_final(op->slot) ? syserr_ok() : err(Sigil_RevokeFirst, 0, 0);
    case Sigil_VSpace_CleanData:
    case Sigil_VSpace_InvalidateData:
    case Sigil_VSpace_CleanInvalidateData:
    case Sigil_VSpace_UnifyInstruction:
        return type == Sigil_CapVSpace ? decode_cache_range(inv, op, true)
                                       : err(Sigil_IllegalOperation, 0, 0);
    default:
        return err(Sigil_IllegalOperation, 0, 0);
    }
}

static void cache_op(word_t label, word_t start, word_t end)
{
    word_t line = 4u << ((SYSREG_READ(ctr_el0) >> 16) & 0xf); /* DminLine, bytes */
    for (word_t a = start & ~(line - 1); a < end; a += line) {
        switch (label) {
        case Sigil_Frame_CleanData:
        case Sigil_VSpace_CleanData:
            __asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
            break;
        case Sigil_Frame_InvalidateData:
        case Sigil_VSpace_InvalidateData:
            /* Invalidating alone could expose stale memory to other mappings; like seL4 on
             * AArch64, clean as well. */
            __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
            break;
        case Sigil_Frame_CleanInvalidateData:
        case Sigil_VSpace_CleanInvalidateData:
            __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
            break;
        default:
            __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
            break;
        }
    }
    arch_dsb_ish();
    if (label == Sigil_Frame_UnifyInstruction || label == Sigil_VSpace_UnifyInstruction) {
        __asm__ volatile("ic ialluis" ::: "memory");
        arch_dsb_ish();
        arch_isb();
    }
}

static void invoke(vs_op_t *op, invocation_t *inv)
{
    inv->reply_length = 0;
    switch (op->label) {
    case Sigil_Frame_Map:
    case Sigil_PageTable_Map:
        *op->entry = op->pte;
        if (op->replaces) {
            tlb_flush_va(op->root, op->va); /* the old entry (other rights) may be cached */
        } else {
            /* An invalid entry is never cached: the new one need only be visible to the table
             * walker before the thread uses it (seL4 flushes only when replacing, too). */
            arch_dsb_ishst();
            arch_isb();
        }
        op->slot->cap = op->new_cap;
        break;
    case Sigil_Frame_Unmap:
        unmap_frame(op->slot->cap);
        op->slot->cap = cap_unmapped(op->slot->cap);
        break;
    case Sigil_PageTable_Unmap:
        unmap_page_table(op->slot->cap);
        /* Clear it, so nothing stays mapped through it wherever it is mapped next. */
        memset(cap_ptr(op->slot->cap), 0, 1u << Sigil_PageTableBits);
        arch_dsb_ish();
        op->slot->cap = cap_unmapped(op->slot->cap);
        break;
    case Sigil_Frame_GetAddress:
        inv->reply_mr[0] = op->result;
        inv->reply_length = 1;
        break;
    default:
        cache_op(op->label, op->start, op->end);
        break;
    }
}

sigil_status_t arch_invoke(cte_t *slot, invocation_t *inv)
{
    vs_op_t op;
    op.slot = slot;
    syserr_t e = decode(inv, &op);
    if (syserr_failed(e)) {
        inv->reply_label = e.code;
        inv->reply_length = syserr_to_words(e, inv->reply_mr);
        return SIGIL_STATUS_ERROR;
    }
    invoke(&op, inv);
    inv->reply_label = Sigil_NoError;
    return SIGIL_STATUS_OK;
}
