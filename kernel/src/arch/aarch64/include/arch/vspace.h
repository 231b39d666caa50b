/*
 * The AArch64 address-space layer (see vspace.c): mapping invocations, ASIDs, switching.
 */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <arch/arch.h>

#include "api/invocation.h"

/* Boot: set up the bookkeeping for RAM [ram_base, ram_end) (allocates from bootmem). */
void vspace_arch_init(paddr_t ram_base, paddr_t ram_end);

/* The VSpace id of a VSpace root (what mapping records hold). */
static inline word_t arch_vspace_id(const void *root)
{
    return arch_paddr(root) >> 12;
}

/* Make `root` (a VSpace, or NULL for none: every access faults) the current address space,
 * giving it a hardware ASID if it has none in the current generation. */
void arch_switch_vspace(void *root);

/* Decode and perform an invocation of a frame, page-table or VSpace cap. */
sigil_status_t arch_invoke(cte_t *slot, invocation_t *inv);

#endif /* ARCH_VSPACE_H */
