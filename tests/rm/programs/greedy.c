/*
 * The over-quota demand-zero client of tests/rm/demand.yaml: its quota pays for two
 * pages and their page tables; it touches pages of its region until the manager ends it with
 * reason out_of_quota.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager.
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1 };
#define REGION 0x200000000ull /* 8 GiB: page tables of its own */

int main(const void *arg)
{
    (void)arg;
    rm_error_t err = rm_demand_region(RM, REGION, 64 * 4096ull, Sigil_CanRead | Sigil_CanWrite);
    sigil_printf("rm-greedy: a region of 64 pages (%s), quota %lu bytes\n", rm_error_name(err),
                 (unsigned long)rm_stat(RM, Rm_StatQuotaBytes));
    for (unsigned i = 0; i < 64; i++) {
        sigil_printf("rm-greedy: touching page %u\n", i);
        *(volatile uint64_t *)(uintptr_t)(REGION + i * 4096ull) = i;
    }
    sigil_printf("rm-greedy: FAILED: never stopped\n");
    return 1;
}
