/*
 * Address-space finalisation hooks of the capability core (src/arch/hooks.h).
 *
 * The mapping invocations (Frame/PageTable Map and Unmap) and kernel-managed ASIDs arrive with
 * the VSpace layer. Until then no capability can be mapped: retype creates frame, page-table and
 * VSpace caps with an empty mapping record, so these hooks are never reached with one; the
 * assertions make sure of it.
 */
#include "arch/hooks.h"
#include "lib/assert.h"

void arch_unmap_frame(cap_t frame_cap)
{
    kassert(cap_mapped_asid(frame_cap) == 0);
    (void)frame_cap;
}

void arch_unmap_page_table(cap_t pt_cap)
{
    kassert(cap_mapped_asid(pt_cap) == 0);
    (void)pt_cap;
}

void arch_vspace_delete(cap_t vspace_cap)
{
    kassert(cap_mapped_asid(vspace_cap) == 0);
    (void)vspace_cap;
}
