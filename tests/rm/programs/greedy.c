/*
 * The over-quota demand-zero client of tests/rm/demand.yaml: its policy gives it a region of 64
 * pages at REGION, but its quota pays for two pages and their page tables; it touches pages of
 * the region until the manager ends it with reason out_of_quota.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager.
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1 };
#define REGION 0x200000000ull /* tests/rm/demand.yaml: the policy's region */

int main(const void *arg)
{
    (void)arg;
    sigil_printf("rm-greedy: a policy region of 64 pages, quota %lu bytes\n",
                 (unsigned long)rm_stat(RM, Rm_StatQuotaBytes));
    for (unsigned i = 0; i < 64; i++) {
        sigil_printf("rm-greedy: touching page %u\n", i);
        *(volatile uint64_t *)(uintptr_t)(REGION + i * 4096ull) = i;
    }
    sigil_printf("rm-greedy: FAILED: never stopped\n");
    return 1;
}
