/*
 * The judge of tests/rm/hostile.yaml (an administrator of the manager, lowest priority): when
 * both clients are done, checks the accounting invariant over every client — sum(usage) + free
 * = pool — while the hostile client still holds what it was given, kills it, and checks the
 * pool is whole again (every top block retyped as one untyped), grown by exactly the hostile
 * client's own untyped. Its status ends the system.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin); 2 the `done` notification
 * (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, DONE = 2 };
enum { HOSTILE = 1, GOOD = 2, JUDGE = 3 };

int main(const void *arg)
{
    (void)arg;
    sigil_word_t done = 0, w;
    while (done != 3) {
        sigil_wait(DONE, &w);
        done |= w;
    }
    sigil_word_t pool[4] = {0}, stats[RM_NUM_STATS] = {0}, used = 0;
    rm_pool_stats(RM, &pool[0], &pool[1], &pool[2], &pool[3]);
    for (sigil_word_t id = HOSTILE; id <= JUDGE; id++) {
        if (rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            used += stats[Rm_StatUsedBytes];
        }
    }
    rm_stats_of(RM, HOSTILE, stats);
    sigil_word_t hostile = stats[Rm_StatUsedBytes], own = stats[Rm_StatOwnBytes];
    int ok = used + pool[1] == pool[0] && hostile > 0;
    sigil_printf("rm-judge: the hostile client holds %lu bytes in %lu objects; sum of usage %lu + "
                 "free %lu = %lu, the pool is %lu\n",
                 (unsigned long)hostile, (unsigned long)stats[Rm_StatUsedObjects],
                 (unsigned long)used, (unsigned long)pool[1], (unsigned long)(used + pool[1]),
                 (unsigned long)pool[0]);
    ok &= rm_kill(RM, HOSTILE) == Rm_ErrOk;
    /* Its allocations are free again and its own untyped joined the pool as a top block. */
    sigil_word_t after[4] = {0}, whole = 0, bytes = 0;
    rm_pool_stats(RM, &after[0], &after[1], &after[2], &after[3]);
    ok &= own > 0 && after[0] == pool[0] + own && after[1] == pool[1] + hostile + own &&
          after[1] == after[0];
    ok &= rm_verify_pool(RM, &whole, &bytes) == Rm_ErrOk && bytes == after[0] && whole == after[3];
    sigil_printf("rm-judge: killed the hostile client; its own %lu bytes joined the pool; %lu top "
                 "blocks, %lu bytes, retyped whole: %s\n",
                 (unsigned long)own, (unsigned long)whole, (unsigned long)bytes,
                 ok ? "the pool is whole" : "FAILED");
    return ok ? 0 : 1;
}
