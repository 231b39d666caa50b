/*
 * Four-level, 4 KiB-granule stage-1 tables for EL0, built at boot (see vspace_boot.h).
 */
#include <arch/sysreg.h>
#include <arch/vspace_boot.h>

#include <stddef.h>

#include "kernel/bootmem.h"

#define LEVELS 4

static unsigned table_index(uint64_t va, unsigned level)
{
    return (unsigned)(va >> (39 - 9 * level)) & 511;
}

/* The level-3 entry for `va`, creating intermediate tables when `create`. */
static uint64_t *walk(paddr_t root, uint64_t va, bool create)
{
    uint64_t *table = arch_kptr(root);
    for (unsigned level = 0; level < LEVELS - 1; level++) {
        uint64_t *e = &table[table_index(va, level)];
        if (!(*e & PTE_VALID)) {
            if (!create) {
                return NULL;
            }
            *e = bootmem_alloc_pages(1) | PTE_VALID | PTE_TABLE;
        }
        table = arch_kptr(*e & PTE_ADDR_MASK);
    }
    return &table[table_index(va, LEVELS - 1)];
}

paddr_t vspace_boot_create(void)
{
    return bootmem_alloc_pages(1);
}

static uint64_t rights_bits(unsigned rights)
{
    uint64_t bits = PTE_AP_EL0 | PTE_PXN;
    if (!(rights & VM_WRITE)) {
        bits |= PTE_AP_RO;
    }
    if (!(rights & VM_EXEC)) {
        bits |= PTE_UXN;
    }
    return bits;
}

static unsigned rights_of(uint64_t pte)
{
    unsigned r = VM_READ;
    if (!(pte & PTE_AP_RO)) {
        r |= VM_WRITE;
    }
    if (!(pte & PTE_UXN)) {
        r |= VM_EXEC;
    }
    return r;
}

paddr_t vspace_boot_map(paddr_t root, uint64_t va, paddr_t pa, unsigned rights)
{
    uint64_t *e = walk(root, va, true);
    if (*e & PTE_VALID) {
        pa = *e & PTE_ADDR_MASK;
        rights |= rights_of(*e);
    }
    *e = pa | PTE_VALID | PTE_TABLE | PTE_AF | PTE_NG | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) |
         rights_bits(rights);
    return pa;
}

void vspace_boot_prepare(paddr_t root, uint64_t va)
{
    (void)walk(root, va, true);
}

/* Visit the tables that entries of `table` (at `level`, covering from `base`) point to. */
static void visit_tables(paddr_t table, unsigned level, uint64_t base,
                         void (*fn)(paddr_t, uint64_t, void *), void *arg)
{
    const uint64_t *e = arch_kptr(table);
    for (unsigned i = 0; i < 512; i++) {
        if ((e[i] & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE)) {
            paddr_t next = e[i] & PTE_ADDR_MASK;
            uint64_t va = base + ((uint64_t)i << (39 - 9 * level));
            fn(next, va, arg);
            if (level + 1 < LEVELS - 1) {
                visit_tables(next, level + 1, va, fn, arg);
            }
        }
    }
}

void vspace_boot_for_each_table(paddr_t root, void (*fn)(paddr_t, uint64_t, void *), void *arg)
{
    visit_tables(root, 0, 0, fn, arg);
}

paddr_t vspace_boot_lookup(paddr_t root, uint64_t va)
{
    uint64_t *e = walk(root, va, false);
    return (e != NULL && (*e & PTE_VALID)) ? (*e & PTE_ADDR_MASK) : 0;
}

void arch_sync_icache(const void *kva, uint64_t len)
{
    uint64_t line = 4u << (SYSREG_READ(ctr_el0) & 0xf); /* IminLine, bytes */
    uint64_t start = (uint64_t)(uintptr_t)kva & ~(line - 1);
    for (uint64_t a = start; a < (uint64_t)(uintptr_t)kva + len; a += line) {
        __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
    }
    arch_dsb_ish();
    __asm__ volatile("ic ialluis" ::: "memory");
    arch_dsb_ish();
    arch_isb();
}
