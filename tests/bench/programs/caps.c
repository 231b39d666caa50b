/*
 * Benchmarks of the capability core, through the real syscall path, under -icount shift=0:
 *   retype_endpoint_per_object, retype_frame4k_per_object: one Retype of 256 objects, divided
 *     by 256;
 *   revoke_per_cap_1k, revoke_per_cap_10k: Revoke of an endpoint cap with 1,000 / 10,000 badged
 *     children, divided by the number of children (the revoke is preempted by timer ticks and
 *     restarted, which the figure includes);
 *   irq_latency_during_revoke_10k, irq_latency_during_reset_64mib: the longest a timer
 *     interrupt waited for the kernel while revoking 10,000 caps, or while a retype resets (clears)
 *     a 64 MiB untyped.
 * Each benchmark checks the work it timed (the retyped slots hold caps, the revoked children are
 * gone, memory written before the reset reads zero after it); a failed check makes the image
 * fail, whatever the figures.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#define ROOT  Sigil_SlotInitThreadCNode
#define DEPTH 64

static const sigil_bootinfo_t *bi;
static sigil_word_t next_free;
static int failures;

static sigil_word_t find_untyped(unsigned bits)
{
    for (sigil_word_t i = 0; i < bi->num_untypeds; i++) {
        if (bi->untyped[i].size_bits >= bits && !bi->untyped[i].is_device) {
            return bi->untyped_start + i;
        }
    }
    return 0;
}

/* An untyped other than `not` with room for a few page tables. */
static sigil_word_t find_tables_untyped(sigil_word_t not )
{
    for (sigil_word_t i = 0; i < bi->num_untypeds; i++) {
        sigil_word_t ut = bi->untyped_start + i;
        if (ut != not &&bi->untyped[i].size_bits >= 16 && !bi->untyped[i].is_device) {
            return ut;
        }
    }
    return 0;
}

static void expect_ok(const char *what, sigil_word_t err)
{
    if (err != Sigil_NoError) {
        sigil_printf("bench_caps: %s failed with error %llu\n", what, (unsigned long long)err);
        failures++;
    }
}

/* Whether `slot` holds a cap: a copy of it to a scratch slot succeeds (and is deleted again). */
static int slot_full(sigil_word_t slot)
{
    sigil_word_t scratch = next_free;
    if (sigil_cnode_copy(ROOT, scratch, DEPTH, ROOT, slot, DEPTH, Sigil_AllRights) !=
        Sigil_NoError) {
        return 0;
    }
    expect_ok("delete the probe", sigil_cnode_delete(ROOT, scratch, DEPTH));
    return 1;
}

static void expect_slot(const char *what, sigil_word_t slot, int full)
{
    if (slot_full(slot) != full) {
        sigil_printf("bench_caps: %s: slot %llu is %s\n", what, (unsigned long long)slot,
                     full ? "empty" : "not empty");
        failures++;
    }
}

static void report(const char *name, uint64_t value)
{
    sigil_printf("BENCH %s %llu\n", name, (unsigned long long)value);
}

static void bench_retype(sigil_word_t ut, const char *name, sigil_word_t type)
{
    sigil_word_t slots = next_free;
    next_free += 256;
    uint64_t t0 = sigil_cycles();
    sigil_word_t err = sigil_untyped_retype(ut, type, 0, ROOT, ROOT, DEPTH, slots, 256);
    uint64_t t1 = sigil_cycles();
    expect_ok(name, err);
    expect_slot(name, slots, 1);
    expect_slot(name, slots + 255, 1);
    report(name, (t1 - t0) / 256);
}

/* Revoke an endpoint with n badged children; returns instructions per child. */
static uint64_t revoke_children(sigil_word_t ut, unsigned n, uint64_t *latency)
{
    sigil_word_t ep = next_free++;
    expect_ok("endpoint",
              sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, ep, 1));
    sigil_word_t first = next_free;
    next_free += n;
    for (unsigned i = 0; i < n; i++) {
        sigil_word_t err =
            sigil_cnode_mint(ROOT, first + i, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights, i + 1);
        if (err != Sigil_NoError) {
            expect_ok("mint", err);
            return 0;
        }
    }
    sigil_debug_irq_latency();
    uint64_t t0 = sigil_cycles();
    expect_ok("revoke", sigil_cnode_revoke(ROOT, ep, DEPTH));
    uint64_t t1 = sigil_cycles();
    *latency = sigil_debug_irq_latency();
    expect_slot("revoke", first, 0);
    expect_slot("revoke", first + n / 2, 0);
    expect_slot("revoke", first + n - 1, 0);
    expect_slot("revoke keeps the parent", ep, 1);
    next_free = first; /* the children's slots are empty again */
    return (t1 - t0) / n;
}

/* Map `frame` read-write at `vaddr` of the root task's VSpace, making the page tables it needs
 * from `tables` (an untyped the benchmarks leave alone). */
static void map_at(sigil_word_t frame, uint64_t vaddr, sigil_word_t tables)
{
    sigil_word_t err;
    for (int level = 0; level < 4; level++) {
        err = sigil_frame_map(frame, Sigil_SlotInitThreadVSpace, vaddr,
                              Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
        if (err != Sigil_FailedLookup) {
            break;
        }
        sigil_word_t pt = next_free++;
        expect_ok("page table",
                  sigil_untyped_retype(tables, Sigil_PageTableObject, 0, ROOT, ROOT, DEPTH, pt, 1));
        expect_ok("page table map", sigil_page_table_map(pt, Sigil_SlotInitThreadVSpace, vaddr, 0));
    }
    expect_ok("map", err);
}

#define DIRTY_VA 0x1000000000ull /* 64 GiB: nothing else is mapped there */

/* Write a pattern into the first and the last 2 MiB of the 64 MiB (the frames `frame` and
 * `frame` + 31) through a mapping, unmapped again, so that the reset has something to clear. */
static void dirty(sigil_word_t frame, sigil_word_t tables)
{
    for (sigil_word_t i = 0; i < 32; i += 31) {
        map_at(frame + i, DIRTY_VA, tables);
        volatile uint64_t *w = (volatile uint64_t *)DIRTY_VA;
        w[0] = w[(2u << 20) / 8 - 1] = 0x5eed0000u + i;
        expect_ok("unmap", sigil_frame_unmap(frame + i));
    }
}

/* After the reset: the first 4 KiB (the frame the timed retype made) and the last 2 MiB of the
 * 64 MiB read zero. */
static void expect_cleared(sigil_word_t big, sigil_word_t first, sigil_word_t tables)
{
    map_at(first, DIRTY_VA, tables);
    volatile uint64_t *w = (volatile uint64_t *)DIRTY_VA;
    uint64_t seen = w[0];
    expect_ok("unmap", sigil_frame_unmap(first));
    sigil_word_t rest = next_free;
    next_free += 31;
    expect_ok("the other 2 MiB frames",
              sigil_untyped_retype(big, Sigil_Frame2MObject, 0, ROOT, ROOT, DEPTH, rest, 31));
    map_at(rest + 30, DIRTY_VA + (2u << 20), tables);
    w = (volatile uint64_t *)(DIRTY_VA + (2u << 20));
    seen |= w[0] | w[(2u << 20) / 8 - 1];
    expect_ok("unmap", sigil_frame_unmap(rest + 30));
    if (seen != 0) {
        sigil_printf("bench_caps: the reset left 0x%llx in the memory it should have cleared\n",
                     (unsigned long long)seen);
        failures++;
    }
}

static void bench_reset(sigil_word_t ut, sigil_word_t tables)
{
    /* Use all 64 MiB (32 frames of 2 MiB) so that the reset has all of it to clear. */
    sigil_word_t big = next_free++, frame = next_free;
    next_free += 32;
    expect_ok("64 MiB untyped",
              sigil_untyped_retype(ut, Sigil_UntypedObject, 26, ROOT, ROOT, DEPTH, big, 1));
    expect_ok("frames",
              sigil_untyped_retype(big, Sigil_Frame2MObject, 0, ROOT, ROOT, DEPTH, frame, 32));
    dirty(frame, tables);
    for (sigil_word_t i = 0; i < 32; i++) {
        expect_ok("delete", sigil_cnode_delete(ROOT, frame + i, DEPTH));
    }
    sigil_debug_irq_latency();
    uint64_t t0 = sigil_cycles();
    /* No children left: this retype first resets (clears) all 64 MiB. */
    expect_ok("retype after reset",
              sigil_untyped_retype(big, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frame, 1));
    uint64_t t1 = sigil_cycles();
    report("irq_latency_during_reset_64mib", sigil_debug_irq_latency());
    report("reset_64mib_instructions", t1 - t0);
    expect_cleared(big, frame, tables);
}

int main(const void *arg)
{
    bi = arg;
    next_free = bi->empty_start;
    sigil_word_t ut = find_untyped(27);
    if (ut == 0) {
        sigil_printf("bench_caps: no 128 MiB untyped\n");
        return 1;
    }
    bench_retype(ut, "retype_endpoint_per_object", Sigil_EndpointObject);
    bench_retype(ut, "retype_frame4k_per_object", Sigil_Frame4KObject);
    uint64_t lat1k, lat10k;
    uint64_t per1k = revoke_children(ut, 1000, &lat1k);
    uint64_t per10k = revoke_children(ut, 10000, &lat10k);
    report("revoke_per_cap_1k", per1k);
    report("revoke_per_cap_10k", per10k);
    report("irq_latency_during_revoke_10k", lat10k);
    bench_reset(find_untyped(27), find_tables_untyped(ut));
    return failures;
}
