/*
 * The loader program: the root task of every system image. sigil_system() (cmake/SigilSystem.cmake)
 * links it with an assembler stub that embeds the system's binary spec, 4 KiB aligned, between
 * sigil_spec_blob and sigil_spec_blob_end.
 *
 * It runs the pipeline, reports a failure and powers off with status 1, or reports the load
 * and suspends itself for good: from then on it holds no authority anyone can use.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "loader.h"

extern const uint8_t sigil_spec_blob[];
extern const uint8_t sigil_spec_blob_end[];

/* Benchmark lines (images built with the defines): the whole load, from the loader's first
 * instruction to the end of clean-up, per spec object; and boot to the last thread started. */
static void report_bench(const sigil_bootinfo_t *bi, const loader_stats_t *s, uint64_t cycles)
{
#ifdef SIGIL_LOADER_BENCH
    uint64_t per_object = cycles / (s->objects ? s->objects : 1);
    sigil_printf("BENCH loader_instructions_per_object_" SIGIL_LOADER_BENCH " %lu\n",
                 (unsigned long)per_object);
#endif
#ifdef SIGIL_LOADER_BENCH_BOOT
    sigil_printf("BENCH boot_to_all_started_instructions_" SIGIL_LOADER_BENCH_BOOT " %lu\n",
                 (unsigned long)(s->cycles_loaded + bi->pmu_preamble));
#endif
    (void)bi, (void)s, (void)cycles;
}

int main(const void *arg)
{
    const sigil_bootinfo_t *bi = arg;
    uint64_t size = (uint64_t)(sigil_spec_blob_end - sigil_spec_blob);
    loader_stats_t stats = {0};
    loader_status_t st = sigil_loader_run(bi, sigil_spec_blob, size, &stats);
    uint64_t cycles = sigil_cycles() - sigil_start_cycles;
    if (st.phase != LOADER_NUM_PHASES) {
        sigil_loader_report(sigil_spec_blob, st);
        sigil_debug_power_off(1);
    }
    sigil_printf("loader: %lu objects, %lu pages donated, %lu frames copied, %lu untypeds handed "
                 "over, %lu threads started\n",
                 (unsigned long)stats.objects, (unsigned long)stats.donated,
                 (unsigned long)stats.copied, (unsigned long)stats.handed_over,
                 (unsigned long)stats.started);
    if (stats.own_cnode_radix != 0) {
        sigil_printf("loader: the root CNode was too small: used a CNode of 2^%lu slots\n",
                     (unsigned long)stats.own_cnode_radix);
    }
    report_bench(bi, &stats, cycles);
    sigil_tcb_suspend(Sigil_SlotInitThreadTCB);
    for (;;) {
    }
}
