/*
 * Boot-time bump allocator (see bootmem.h).
 */
#include "kernel/bootmem.h"

#include "lib/assert.h"
#include "lib/kstring.h"
#include <sigil/abi.h>

#define PAGE_SIZE SIGIL_PAGE_SIZE

static paddr_t next_free;
static paddr_t limit;

void bootmem_init(paddr_t start, paddr_t end)
{
    next_free = (start + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
    limit = end;
}

paddr_t bootmem_alloc_pages(uint64_t pages)
{
    if (pages > (limit - next_free) / PAGE_SIZE) {
        kpanic("boot memory exhausted (%llu pages wanted)", (unsigned long long)pages);
    }
    paddr_t pa = next_free;
    next_free += pages * PAGE_SIZE;
    memset(arch_kptr(pa), 0, pages * PAGE_SIZE);
    return pa;
}

paddr_t bootmem_next(void)
{
    return next_free;
}
