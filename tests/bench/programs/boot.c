/*
 * Benchmark: kernel boot cost. crt0 read the cycle counter at this program's first instruction;
 * the kernel started the counter at its own first instructions and tells, in the boot-info
 * page, how many ran before that. Under -icount shift=0 the sum is the exact number of
 * instructions from the kernel's first to the root task's first.
 */
#include <sigil/bootinfo.h>
#include <sigil/runtime.h>

int main(const void *arg)
{
    const sigil_bootinfo_t *bi = arg;
    if (bi->magic != SIGIL_BOOTINFO_MAGIC) {
        sigil_printf("bench_boot: bad boot-info page\n");
        return 1;
    }
    sigil_printf("BENCH boot_to_user_instructions %llu\n",
                 (unsigned long long)(sigil_start_cycles + bi->pmu_preamble));
    return 0;
}
