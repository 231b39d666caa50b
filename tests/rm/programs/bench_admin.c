/*
 * The manager's benchmarks (tests/rm/bench.yaml, release manager, `./sigil bench`): this client
 * (an administrator) times request round trips with the cycle counter, which counts
 * instructions under -icount shift=0, and checks every answer it times:
 *   rm_alloc_endpoint_roundtrip      Alloc of one endpoint, from the call to the reply's return
 *   rm_free_roundtrip                Free of that endpoint
 *   rm_stats_roundtrip               Stats
 *   rm_alloc_frame_and_map_roundtrip Alloc of a 4 KiB frame + MapFrame (its page tables exist)
 *   rm_kill_per_object_100 / _10k    Kill of a victim holding N objects (one allocation each),
 *                                    divided by N
 *   rm_demand_fault_roundtrip        first touch of a demand-zero page (its page tables made
 *                                    already), from the faulting load until it returns
 *   rm_demand_fault_64mib_per_page   writing every page of a fresh 64 MiB demand-zero region
 *                                    (page tables included), per page
 * (each demand-zero figure is checked: every page read zero, and the client was charged exactly
 * one 4 KiB frame per page and the page tables it needed)
 * Each round trip is the mean of ROUNDS runs after one warm-up; a block of the right size is
 * free before each Alloc and its Free merges nothing, as in steady use: the client keeps the
 * block's buddy (the pool's small top blocks are whole and have none, so it takes two blocks and
 * gives the first back: the next Alloc gets that one, whose buddy, if any, is kept). This client
 * runs at the manager's priority, so that both halves of a round trip take the kernel's IPC
 * fastpath (its ReplyRecv fastpath answers only a caller at least as urgent as the server; see
 * docs/resource-manager.md, "Performance").
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin); 2 the victims' `ready`
 * notification (Read; victim of 100 badge 1, of 10k badge 2); 3 .. 63 empty.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { RM = 1, READY = 2, KEEP = 3, EP = 4, FRAME = 5, KEEP_FRAME = 6 };
enum { VICTIM_100 = 2, VICTIM_10K = 3 };
#define ROUNDS 64u
#define VADDR  0x60000000ull

static int failures;

static void report(const char *name, uint64_t total, uint64_t n)
{
    sigil_printf("BENCH %s %lu\n", name, (unsigned long)(total / n));
}

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        sigil_printf("rm-bench: FAILED: %s\n", what);
    }
}

static void roundtrips(void)
{
    sigil_word_t keep = 0, h = 0;
    check(rm_alloc(RM, Sigil_EndpointObject, 0, 1, EP, &h) == Rm_ErrOk &&
              rm_alloc(RM, Sigil_EndpointObject, 0, 1, KEEP, &keep) == Rm_ErrOk &&
              rm_free(RM, h) == Rm_ErrOk,
          "keep");
    uint64_t t_alloc = 0, t_free = 0, t_stats = 0;
    sigil_word_t stats[RM_NUM_STATS];
    for (unsigned i = 0; i <= ROUNDS; i++) {
        uint64_t t0 = sigil_cycles();
        rm_error_t e1 = rm_alloc(RM, Sigil_EndpointObject, 0, 1, EP, &h);
        uint64_t t1 = sigil_cycles();
        rm_error_t e2 = rm_stats(RM, stats);
        uint64_t t2 = sigil_cycles();
        check(e1 == Rm_ErrOk && e2 == Rm_ErrOk && stats[Rm_StatUsedBytes] == 32, "alloc");
        uint64_t t3 = sigil_cycles();
        rm_error_t e3 = rm_free(RM, h);
        uint64_t t4 = sigil_cycles();
        check(e3 == Rm_ErrOk, "free");
        if (i > 0) {
            t_alloc += t1 - t0;
            t_stats += t2 - t1;
            t_free += t4 - t3;
        }
    }
    report("rm_alloc_endpoint_roundtrip", t_alloc, ROUNDS);
    report("rm_free_roundtrip", t_free, ROUNDS);
    report("rm_stats_roundtrip", t_stats, ROUNDS);
    /* Frames: the first mapping makes the page tables; then each is one Alloc + MapFrame. */
    sigil_word_t kf = 0;
    check(rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h) == Rm_ErrOk &&
              rm_alloc_mapped_page(RM, KEEP_FRAME, VADDR, &kf) == Rm_ErrOk &&
              rm_free(RM, h) == Rm_ErrOk,
          "first page");
    uint64_t t_map = 0;
    for (unsigned i = 0; i <= ROUNDS; i++) {
        uint64_t t0 = sigil_cycles();
        rm_error_t e1 = rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h);
        rm_error_t e2 = rm_map_frame(RM, h, 0, VADDR + 0x1000, Sigil_CanRead | Sigil_CanWrite);
        uint64_t t1 = sigil_cycles();
        volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(VADDR + 0x1000);
        check(e1 == Rm_ErrOk && e2 == Rm_ErrOk && *p == 0, "frame and map");
        *p = i + 1;
        check(rm_free(RM, h) == Rm_ErrOk, "free frame");
        if (i > 0) {
            t_map += t1 - t0;
        }
    }
    report("rm_alloc_frame_and_map_roundtrip", t_map, ROUNDS);
    check(rm_free(RM, kf) == Rm_ErrOk && rm_free(RM, keep) == Rm_ErrOk, "free the rest");
}

static void kill(sigil_word_t id, sigil_word_t badge, const char *name)
{
    sigil_word_t word = 0, w, stats[RM_NUM_STATS];
    while (!(word & badge)) {
        sigil_wait(READY, &w);
        word |= w;
    }
    check(rm_stats_of(RM, id, stats) == Rm_ErrOk, "victim stats");
    uint64_t objects = stats[Rm_StatUsedObjects];
    sigil_word_t free_before = 0, free_after = 0, x = 0;
    rm_pool_stats(RM, &x, &free_before, &x, &x);
    uint64_t t0 = sigil_cycles();
    rm_error_t err = rm_kill(RM, id);
    uint64_t t1 = sigil_cycles();
    rm_pool_stats(RM, &x, &free_after, &x, &x);
    /* Its allocations come back, and its own untyped joins the pool. */
    check(err == Rm_ErrOk && objects > 0 &&
              free_after == free_before + stats[Rm_StatUsedBytes] + stats[Rm_StatOwnBytes],
          "kill");
    report(name, t1 - t0, objects);
}

#define REGION_A    0x100000000ull /* 4 GiB, 8 GiB: 1 GiB ranges of page tables of their own */
#define REGION_B    0x200000000ull
#define PAGES_64MIB (64u << 20 >> 12)

static void demand(void)
{
    const sigil_word_t rw = Sigil_CanRead | Sigil_CanWrite;
    check(rm_demand_region(RM, REGION_A, 1u << 20, rw) == Rm_ErrOk, "region A");
    check(rm_demand_region(RM, REGION_B, PAGES_64MIB * 4096ull, rw) == Rm_ErrOk, "region B");
    volatile uint64_t *a = (volatile uint64_t *)(uintptr_t)REGION_A;
    a[0] = 1; /* the first page makes the page tables */
    sigil_word_t before[RM_NUM_STATS], after[RM_NUM_STATS];
    check(rm_stats(RM, before) == Rm_ErrOk, "stats before");
    uint64_t t_fault = 0, wrong = 0;
    for (unsigned i = 1; i <= ROUNDS; i++) {
        uint64_t t0 = sigil_cycles();
        uint64_t v = a[i * 512];
        uint64_t t1 = sigil_cycles();
        wrong += v != 0;
        t_fault += t1 - t0;
    }
    /* Each fault mapped one page, read zero, and was charged exactly one 4 KiB frame. */
    check(rm_stats(RM, after) == Rm_ErrOk &&
              after[Rm_StatUsedBytes] == before[Rm_StatUsedBytes] + ROUNDS * 4096ull &&
              after[Rm_StatUsedObjects] == before[Rm_StatUsedObjects] + ROUNDS &&
              after[Rm_StatFaults] == before[Rm_StatFaults] + ROUNDS,
          "demand-zero charge");
    report("rm_demand_fault_roundtrip", t_fault, ROUNDS);
    volatile uint64_t *b = (volatile uint64_t *)(uintptr_t)REGION_B;
    uint64_t t0 = sigil_cycles();
    for (unsigned i = 0; i < PAGES_64MIB; i++) {
        b[i * 512] = i + 1;
    }
    uint64_t t1 = sigil_cycles();
    for (unsigned i = 0; i < PAGES_64MIB; i++) {
        wrong += b[i * 512] != i + 1 || b[i * 512 + 1] != 0;
    }
    check(wrong == 0, "demand-zero contents");
    /* 16,384 frames and the 33 page tables below region B's 1 GiB entry (1 + 32). */
    check(rm_stats(RM, before) == Rm_ErrOk &&
              before[Rm_StatUsedBytes] == after[Rm_StatUsedBytes] + (PAGES_64MIB + 33) * 4096ull &&
              before[Rm_StatUsedObjects] == after[Rm_StatUsedObjects] + PAGES_64MIB + 33,
          "64 MiB charge");
    report("rm_demand_fault_64mib_per_page", t1 - t0, PAGES_64MIB);
}

int main(const void *arg)
{
    (void)arg;
    roundtrips();
    demand();
    kill(VICTIM_100, 1, "rm_kill_per_object_100");
    kill(VICTIM_10K, 2, "rm_kill_per_object_10k");
    sigil_printf("rm-bench: %s\n", failures ? "FAILED" : "every timed answer checked");
    return failures != 0;
}
