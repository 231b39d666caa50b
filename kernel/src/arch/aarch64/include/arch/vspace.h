/*
 * The AArch64 address-space layer's interface to the rest of the kernel: boot, switching
 * VSpaces, introspection. The invocations and the finalisation hooks are in arch/hooks.h; the
 * code is split by object (frame.c, pagetable.c, vspace.c, and vm.c for ASIDs and switching:
 * see vm.h).
 */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <arch/arch.h>

#include "api/invocation.h"

/* Boot: set up the bookkeeping for RAM [ram_base, ram_end) (allocates from bootmem). */
void vspace_arch_init(paddr_t ram_base, paddr_t ram_end);

/* Boot: switch TTBR0 from head.S's identity map of the kernel to the empty address space and
 * invalidate the TLB, once the kernel runs in its window and before any thread runs. */
void arch_vspace_leave_boot_map(void);

/* Is `pa` in RAM (which the kernel window maps as normal memory)? Device memory is not: it may
 * lie beyond the window, and reading MMIO has side effects. */
bool arch_paddr_in_ram(paddr_t pa);

/* The VSpace id of a VSpace root (what mapping records hold). */
static inline word_t arch_vspace_id(const void *root)
{
    return arch_paddr(root) >> 12;
}

/* The VSpace in TTBR0 and the ASID generation (vm.c), for the inline check below. */
extern paddr_t arch_active_root;
extern uint64_t arch_asid_generation;
void arch_switch_vspace_slow(void *root);

/* Make `root` (a VSpace, or NULL for none: every access faults) the current address space,
 * giving it a hardware ASID if it has none in the current generation. Inline: the common
 * cases (already current; an ASID of this generation) cost a few instructions. */
__attribute__((always_inline)) static inline void arch_switch_vspace(void *root)
{
    if (root != NULL) {
        paddr_t pa = arch_paddr(root);
        if (pa == arch_active_root) {
            return;
        }
        uint64_t meta = ((const uint64_t *)root)[511];
        if ((meta >> 17) == arch_asid_generation) {
            __asm__ volatile("msr ttbr0_el1, %0\n isb" ::"r"(pa | ((meta >> 1) & 0xffff) << 48)
                             : "memory");
            arch_active_root = pa;
            return;
        }
    }
    arch_switch_vspace_slow(root);
}

/* What `root` maps at `va` (introspection): physical address, size bits, EL0 rights |
 * executable << 8 | cacheable << 9; all 0 if nothing. */
void arch_vspace_lookup(void *root, word_t va, word_t *pa, word_t *size_bits, word_t *info);

#endif /* ARCH_VSPACE_H */
