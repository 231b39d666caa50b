/*
 * Page tables: one object type for every translation level (the unified AArch64 page table
 * RFC). The cap records where the table is mapped (ASID and virtual address); mapping and
 * unmapping invocations belong to the VSpace layer.
 */
#ifndef OBJECT_PAGETABLE_H
#define OBJECT_PAGETABLE_H

#include <object/cap.h>

/* The last cap to a page table is being deleted: unlink it from its parent if mapped. */
void pagetable_finalise(cap_t c);

#endif /* OBJECT_PAGETABLE_H */
