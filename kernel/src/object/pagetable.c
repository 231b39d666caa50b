/*
 * Page tables (see pagetable.h).
 */
#include <arch/hooks.h>
#include <object/pagetable.h>

void pagetable_finalise(cap_t c)
{
    if (cap_mapped_asid(c) != 0) {
        arch_unmap_page_table(c);
    }
}
