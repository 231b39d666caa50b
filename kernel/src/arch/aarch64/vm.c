/*
 * AArch64 address spaces: hardware ASIDs, switching TTBR0, and cache maintenance (see vm.h for
 * how the layer is split).
 *
 * ASIDs. Hardware ASIDs (16 bits) are not visible to user space and cannot be exhausted: each
 * VSpace gets one when it is first switched to, tagged with a generation, and kept in its
 * level-0 entry VM_META_INDEX. When all 65535 are used, the generation advances, every TLB
 * entry is flushed, and VSpaces get fresh ASIDs as they run again (rollover). No cap names an
 * ASID, so none can be forged.
 */
#include <arch/sysreg.h>
#include <arch/vspace.h>

#include "arch/aarch64/vm.h"

uint64_t arch_asid_generation = 1;
static unsigned next_asid = 1;
paddr_t arch_active_root;

static void tlb_flush_all(void)
{
    arch_dsb_ish();
    __asm__ volatile("tlbi vmalle1is" ::: "memory");
    arch_dsb_ish();
    arch_isb();
}

static unsigned assign_asid(uint64_t *root)
{
    unsigned asid = vm_current_asid(root);
    if (asid != 0) {
        return asid;
    }
    if (next_asid > VM_MAX_ASID) {
        arch_asid_generation++;
        next_asid = 1;
        tlb_flush_all();
    }
    asid = next_asid++;
    root[VM_META_INDEX] = (arch_asid_generation << (VM_ASID_BITS + 1)) | ((uint64_t)asid << 1);
    return asid;
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
    arch_active_root = arch_paddr(empty_root);
}

void arch_switch_vspace_slow(void *root)
{
    paddr_t pa = root != NULL ? arch_paddr(root) : arch_paddr(empty_root);
    if (pa == arch_active_root) {
        return;
    }
    if (root != NULL) {
        /* Common case: the VSpace has an ASID of the current generation. */
        uint64_t meta = ((const uint64_t *)root)[VM_META_INDEX];
        if ((meta >> (VM_ASID_BITS + 1)) == arch_asid_generation) {
            SYSREG_WRITE(ttbr0_el1, pa | ((meta >> 1) & VM_MAX_ASID) << 48);
            arch_isb();
            arch_active_root = pa;
            return;
        }
    }
    unsigned asid = root != NULL ? assign_asid(root) : 0;
    SYSREG_WRITE(ttbr0_el1, pa | ((uint64_t)asid << 48));
    arch_isb();
    arch_active_root = pa;
}

void vm_cache_op(word_t label, word_t start, word_t end)
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
