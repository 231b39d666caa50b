/*
 * The paged client of tests/rm/evict.yaml and tests/rm/pressure.yaml: fills 24 pages of a
 * demand-zero region with patterns and reads 8 more (zero pages), tells the administrator, and
 * waits; meanwhile its pages are taken (the administrator's Evict, or memory pressure); then it
 * reads everything back: each page must hold exactly what it held.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 `ready` (Write); 3 `go` (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, GO = 3 };
#define REGION  0x100000000ull
#define WRITTEN 24u
#define PAGES   32u

static uint64_t pattern(unsigned page, unsigned word)
{
    return ((uint64_t)(page + 1) << 32) | (word * 2654435761u);
}

int main(const void *arg)
{
    (void)arg;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)REGION;
    rm_demand_region(RM, REGION, PAGES * 4096ull, Sigil_CanRead | Sigil_CanWrite);
    uint64_t sum = 0;
    for (unsigned i = 0; i < PAGES; i++) {
        for (unsigned j = 0; j < 512; j++) {
            if (i < WRITTEN) {
                p[i * 512 + j] = pattern(i, j);
            } else {
                sum += p[i * 512 + j];
            }
        }
    }
    sigil_word_t stats[RM_NUM_STATS];
    rm_stats(RM, stats);
    sigil_printf("rm-paged: wrote %u pages, read %u zero pages (sum %lu); using %lu bytes, %lu "
                 "faults\n",
                 WRITTEN, PAGES - WRITTEN, (unsigned long)sum,
                 (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)stats[Rm_StatFaults]);
    sigil_signal(READY);
    sigil_word_t w;
    sigil_wait(GO, &w);
    unsigned wrong = 0;
    for (unsigned i = 0; i < PAGES; i++) {
        for (unsigned j = 0; j < 512; j++) {
            wrong += p[i * 512 + j] != (i < WRITTEN ? pattern(i, j) : 0);
        }
    }
    rm_stats(RM, stats);
    sigil_printf("rm-paged: read all %u pages back after the eviction: %u words differ; using %lu "
                 "bytes, %lu faults\n",
                 PAGES, wrong, (unsigned long)stats[Rm_StatUsedBytes],
                 (unsigned long)stats[Rm_StatFaults]);
    rm_exit_now(RM, wrong != 0);
}
