/*
 * The administrator of tests/rm/pressure.yaml: when the paged client (policy `pageable: true`)
 * has written its pages, it raises the hog's quota beyond the pool and lets the hog take all of
 * it; the hog's requests then take the paged client's demand pages (memory pressure). It checks
 * what that left — no free 4 KiB block, and the paged client charged for its page tables alone —
 * kills the hog, lets the paged client read its pages back (it runs above this one, so it has
 * read everything and exited when this one goes on), checks the pool is whole and ends the
 * system.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin); 2 `ready` (Read); 3 `go`
 * (Write); 4 `hog_go` (Write); 5 `hog_done` (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, GO = 3, HOG_GO = 4, HOG_DONE = 5 };
enum { PAGED = 2, HOG = 3 };

static sigil_word_t used_by(sigil_word_t id)
{
    sigil_word_t stats[RM_NUM_STATS] = {0};
    rm_stats_of(RM, id, stats);
    return stats[Rm_StatUsedBytes];
}

int main(const void *arg)
{
    (void)arg;
    sigil_word_t w, pool = 0, free = 0, blocks = 0, whole = 0, roots = 0, bytes = 0;
    sigil_wait(READY, &w);
    sigil_word_t before = used_by(PAGED);
    int ok = rm_set_quota(RM, HOG, 1ull << 40, 1u << 20) == Rm_ErrOk;
    sigil_printf("rm-admin: the paged client uses %lu bytes. the hog may now take the pool\n",
                 (unsigned long)before);
    sigil_signal(HOG_GO);
    sigil_wait(HOG_DONE, &w);
    rm_pool_stats(RM, &pool, &free, &blocks, &whole);
    sigil_word_t after = used_by(PAGED);
    ok &= free < 4096;
    sigil_printf("rm-admin: the pool is dry (%s) and the paged client uses %lu bytes: %lu pages "
                 "went under pressure\n",
                 free < 4096 ? "no free block of 4 KiB" : "FAILED: free blocks left",
                 (unsigned long)after, (unsigned long)((before - after) / 4096));
    ok &= rm_kill(RM, HOG) == Rm_ErrOk;
    sigil_signal(GO);
    rm_pool_stats(RM, &pool, &free, &blocks, &whole);
    ok &= rm_verify_pool(RM, &roots, &bytes) == Rm_ErrOk && bytes == pool && free == pool &&
          roots == whole;
    sigil_printf("rm-admin: pool %lu bytes, %lu free, retyped whole: %s\n", (unsigned long)pool,
                 (unsigned long)free, ok ? "yes" : "FAILED");
    return !ok;
}
