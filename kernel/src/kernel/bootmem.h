/*
 * Boot-time memory: a bump allocator over the RAM right after the kernel image, used only
 * while building the root task (its frames, page tables, boot-info page). Whatever it hands out
 * stays with the root task; the rest of RAM becomes untyped memory.
 */
#ifndef KERNEL_BOOTMEM_H
#define KERNEL_BOOTMEM_H

#include <stdint.h>

#include <arch/arch.h>

void bootmem_init(paddr_t start, paddr_t end);
/* A zeroed, page-aligned run of `pages` pages; panics if RAM is exhausted at boot. */
paddr_t bootmem_alloc_pages(uint64_t pages);
/* First address not handed out yet. */
paddr_t bootmem_next(void);

#endif /* KERNEL_BOOTMEM_H */
