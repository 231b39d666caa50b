/*
 * The client of tests/rm/reuse.yaml: proves that a frame a demand-zero batch hands out a second
 * time reads zero. It writes patterns into pages 0..15 of its region (one batch of 16 frames),
 * tells the administrator, which evicts the 8 most recent (their contents stored, their frames
 * cleared and back in the batch), then touches pages 16..23, which take those 8 frames: every
 * word must be zero. Then it reads pages 0..15 back (8..15 refault into a new batch and get
 * their stored contents) and reports the words that differ and its charge.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 `ready` (Write); 3 `go` (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, GO = 3 };
#define REGION  0x100000000ull
#define WRITTEN 16u
#define FRESH   8u
#define PAGES   32u

static uint64_t pattern(unsigned page, unsigned word)
{
    return ((uint64_t)(page + 1) << 32) | (word * 2654435761u) | 1u;
}

static void usage(const char *what)
{
    sigil_word_t stats[RM_NUM_STATS];
    rm_stats(RM, stats);
    sigil_printf("rm-reuser: %s. using %lu bytes, %lu faults\n", what,
                 (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)stats[Rm_StatFaults]);
}

int main(const void *arg)
{
    (void)arg;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)REGION;
    rm_demand_region(RM, REGION, PAGES * 4096ull, Sigil_CanRead | Sigil_CanWrite);
    for (unsigned i = 0; i < WRITTEN; i++) {
        for (unsigned j = 0; j < 512; j++) {
            p[i * 512 + j] = pattern(i, j);
        }
    }
    usage("wrote 16 pages");
    sigil_signal(READY);
    sigil_word_t w;
    sigil_wait(GO, &w);
    unsigned dirty = 0;
    for (unsigned i = WRITTEN; i < WRITTEN + FRESH; i++) {
        for (unsigned j = 0; j < 512; j++) {
            dirty += p[i * 512 + j] != 0;
        }
    }
    sigil_printf("rm-reuser: 8 fresh pages on the frames given back: %u words not zero\n", dirty);
    unsigned wrong = 0;
    for (unsigned i = 0; i < WRITTEN; i++) {
        for (unsigned j = 0; j < 512; j++) {
            wrong += p[i * 512 + j] != pattern(i, j);
        }
    }
    sigil_printf("rm-reuser: read the 16 written pages back: %u words differ\n", wrong);
    usage("24 pages");
    rm_exit_now(RM, dirty + wrong != 0);
}
