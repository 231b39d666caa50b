/*
 * The demand-zero client of tests/rm/demand.yaml: makes a region of PAGES pages
 * demand-zero, checks the request's errors, touches every page (each first touch is a fault the
 * manager serves), checks each page read zero first and holds what was written, and checks the
 * charge: one 4 KiB frame per page plus the page tables, all made on demand.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 .. 15 empty.
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1 };
#define REGION 0x100000000ull /* 4 GiB: a 1 GiB range of page tables of its own */
#define PAGES  1024u

int main(const void *arg)
{
    (void)arg;
    unsigned bad = 0;
    bad += rm_demand_region(RM, REGION + 1, 4096, Sigil_CanRead) != Rm_ErrInvalidArgument;
    bad += rm_demand_region(RM, REGION, 0, Sigil_CanRead) != Rm_ErrInvalidArgument;
    bad += rm_demand_region(RM, REGION, 4096, 0) != Rm_ErrInvalidArgument;
    bad +=
        rm_demand_region(RM, REGION, PAGES * 4096ull, Sigil_CanRead | Sigil_CanWrite) != Rm_ErrOk;
    bad += rm_demand_region(RM, REGION + 4096, 4096, Sigil_CanRead) != Rm_ErrInvalidArgument;
    sigil_word_t before = rm_stat(RM, Rm_StatUsedBytes);
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)REGION;
    for (unsigned i = 0; i < PAGES; i++) {
        bad += p[i * 512] != 0 || p[i * 512 + 511] != 0;
        p[i * 512] = 0x9a9e0000u + i;
    }
    for (unsigned i = 0; i < PAGES; i++) {
        bad += p[i * 512] != 0x9a9e0000u + i;
    }
    sigil_word_t stats[RM_NUM_STATS];
    rm_stats(RM, stats);
    sigil_printf("rm-pager: touched %u demand-zero pages: %lu bytes now charged in %lu frames and "
                 "%lu page tables, %lu faults served; %u wrong\n",
                 PAGES, (unsigned long)(stats[Rm_StatUsedBytes] - before),
                 (unsigned long)stats[Rm_StatObjectsOfType + Sigil_Frame4KObject],
                 (unsigned long)stats[Rm_StatObjectsOfType + Sigil_PageTableObject],
                 (unsigned long)stats[Rm_StatFaults], bad);
    rm_exit_now(RM, bad != 0);
}
