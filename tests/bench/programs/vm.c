/*
 * Address-space and SMC benchmarks, under -icount shift=0, timed around the syscall:
 *   frame_map_4k: Frame_Map of one 4 KiB frame (tables present) — seL4 EL1: 561;
 *   frame_map_4k_x512: mapping 512 frames one after another — seL4 EL1: 282,122;
 *   frame_unmap_4k: Frame_Unmap of one mapped 4 KiB frame;
 *   smc_psci_version_roundtrip: an SMC cap call of PSCI_VERSION, user to firmware and back.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#define ROOT  Sigil_SlotInitThreadCNode
#define VS    Sigil_SlotInitThreadVSpace
#define DEPTH 64
#define BASE  0x1000000000ull
#define RW    (Sigil_CanRead | Sigil_CanWrite)

static const sigil_bootinfo_t *bi;

static void report(const char *name, uint64_t value)
{
    sigil_printf("BENCH %s %llu\n", name, (unsigned long long)value);
}

int main(const void *arg)
{
    bi = arg;
    sigil_word_t ut = 0;
    for (sigil_word_t i = 0; i < bi->num_untypeds && ut == 0; i++) {
        if (!bi->untyped[i].is_device && bi->untyped[i].size_bits >= 24) {
            ut = bi->untyped_start + i;
        }
    }
    sigil_word_t free = bi->empty_start, tables = free, frames = free + 2;
    int bad = 0;
    bad |= sigil_untyped_retype(ut, Sigil_PageTableObject, 0, ROOT, ROOT, DEPTH, tables, 2) != 0;
    bad |= sigil_untyped_retype(ut, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames, 256) != 0;
    bad |=
        sigil_untyped_retype(ut, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames + 256, 256) != 0;
    bad |= sigil_page_table_map(tables, VS, BASE, 0) != 0;
    bad |= sigil_page_table_map(tables + 1, VS, BASE, 0) != 0;

    uint64_t t0 = sigil_cycles();
    bad |= sigil_frame_map(frames, VS, BASE, RW, SIGIL_VM_CACHEABLE) != 0;
    uint64_t t1 = sigil_cycles();
    report("frame_map_4k", t1 - t0);
    t0 = sigil_cycles();
    bad |= sigil_frame_unmap(frames) != 0;
    t1 = sigil_cycles();
    report("frame_unmap_4k", t1 - t0);

    t0 = sigil_cycles();
    for (unsigned i = 0; i < 512; i++) {
        bad |= sigil_frame_map(frames + i, VS, BASE + i * 4096ull, RW, SIGIL_VM_CACHEABLE) != 0;
    }
    t1 = sigil_cycles();
    report("frame_map_4k_x512", t1 - t0);

    const sigil_word_t version[8] = {0x84000000};
    sigil_word_t out[8];
    sigil_smc_call(Sigil_SlotSMC, version, out); /* warm */
    t0 = sigil_cycles();
    bad |= sigil_smc_call(Sigil_SlotSMC, version, out) != 0;
    t1 = sigil_cycles();
    bad |= out[0] != 0x10001;
    report("smc_psci_version_roundtrip", t1 - t0);
    if (bad) {
        sigil_printf("bench_vm: an operation failed\n");
    }
    return bad;
}
