/*
 * The administrator of tests/rm/evict.yaml and tests/rm/reuse.yaml: when the paged client (id 2)
 * has written its pages, evicts up to `arg` of them (0: as many as there are) — zero pages
 * dropped, the others stored — and shows the client's usage before and after;
 * then lets it read them back (it runs above this one, so it has read everything and exited when
 * this one goes on), checks that the pool is whole and ends the system.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin); 2 `ready` (Read); 3 `go`
 * (Write).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, GO = 3 };
enum { PAGED = 2 };

int main(const void *arg)
{
    sigil_word_t max = (sigil_word_t)(uintptr_t)arg;
    sigil_word_t w, stats[RM_NUM_STATS] = {0}, dropped = 0, kept = 0;
    sigil_wait(READY, &w);
    rm_stats_of(RM, PAGED, stats);
    sigil_word_t before = stats[Rm_StatUsedBytes];
    rm_error_t err = rm_evict(RM, PAGED, max ? max : 100, &dropped, &kept);
    rm_stats_of(RM, PAGED, stats);
    sigil_printf("rm-admin: evicted the paged client's pages (%s): %lu zero pages dropped, %lu "
                 "stored; its usage %lu -> %lu bytes\n",
                 rm_error_name(err), (unsigned long)dropped, (unsigned long)kept,
                 (unsigned long)before, (unsigned long)stats[Rm_StatUsedBytes]);
    sigil_signal(GO);
    sigil_word_t pool = 0, free = 0, blocks = 0, whole = 0, roots = 0, bytes = 0;
    rm_pool_stats(RM, &pool, &free, &blocks, &whole);
    int ok = err == Rm_ErrOk && rm_verify_pool(RM, &roots, &bytes) == Rm_ErrOk && bytes == pool &&
             free == pool && roots == whole;
    sigil_printf("rm-admin: pool %lu bytes, %lu free, retyped whole: %s\n", (unsigned long)pool,
                 (unsigned long)free, ok ? "yes" : "FAILED");
    return !ok;
}
