/*
 * The policy-region client of tests/rm/demand.yaml: its policy gives it a demand-zero region of
 * 64 MiB at REGION (it asks the manager for nothing); it writes every page of it — each first
 * touch a fault the manager serves from its quota — checks each page read zero first and holds
 * what was written, and checks the charge: one 4 KiB frame per page plus the page tables the
 * region needs, all made on demand. Then it exits through the manager.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager.
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1 };
#define REGION 0x100000000ull /* tests/rm/demand.yaml: the policy's region */
#define PAGES  (64u << 20 >> 12)

int main(const void *arg)
{
    (void)arg;
    unsigned bad = 0;
    sigil_word_t before = rm_stat(RM, Rm_StatUsedBytes);
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)REGION;
    for (unsigned i = 0; i < PAGES; i++) {
        bad += p[i * 512 + 1] != 0 || p[i * 512 + 511] != 0;
        p[i * 512] = 0x5eed0000u + i;
    }
    for (unsigned i = 0; i < PAGES; i++) {
        bad += p[i * 512] != 0x5eed0000u + i;
    }
    sigil_word_t stats[RM_NUM_STATS];
    rm_stats(RM, stats);
    sigil_printf("rm-sweeper: wrote all %u pages of its 64 MiB policy region: %lu bytes charged in "
                 "%lu frames and %lu page tables, %lu faults served; %u wrong\n",
                 PAGES, (unsigned long)(stats[Rm_StatUsedBytes] - before),
                 (unsigned long)stats[Rm_StatObjectsOfType + Sigil_Frame4KObject],
                 (unsigned long)stats[Rm_StatObjectsOfType + Sigil_PageTableObject],
                 (unsigned long)stats[Rm_StatFaults], bad);
    rm_exit_now(RM, bad != 0);
}
