/*
 * Boot-time construction of the root task's address space, before any kernel objects exist.
 * Page tables and frames come from bootmem.
 */
#ifndef ARCH_VSPACE_BOOT_H
#define ARCH_VSPACE_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/arch.h>

typedef enum {
    VM_READ = 1,
    VM_WRITE = 2,
    VM_EXEC = 4,
} vm_rights_t;

/* A new, empty top-level table. */
paddr_t vspace_boot_create(void);

/* Map the 4 KiB frame `pa` at `va` for EL0 with `rights`. If `va` is already mapped, the frame
 * stays and the rights are widened to the union; returns the frame mapped there. */
paddr_t vspace_boot_map(paddr_t root, uint64_t va, paddr_t pa, unsigned rights);

/* Create the tables that will hold the mapping of `va`, without mapping anything. */
void vspace_boot_prepare(paddr_t root, uint64_t va);

/* Call `fn` on every table below the top-level table `root` (levels 1 to 3), with the first
 * virtual address the table covers. */
void vspace_boot_for_each_table(paddr_t root, void (*fn)(paddr_t table, uint64_t va, void *arg),
                                void *arg);

/* The frame mapped at `va`, or 0. */
paddr_t vspace_boot_lookup(paddr_t root, uint64_t va);

/* Make instruction fetches see what was written to [kva, kva+len). */
void arch_sync_icache(const void *kva, uint64_t len);

#endif /* ARCH_VSPACE_BOOT_H */
