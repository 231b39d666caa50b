/*
 * The `rm-demo` system's administrator (specs/rm-demo.yaml): notes the pool's free memory,
 * waits until the victim holds its objects, kills it, and shows the pool back at exactly its
 * earlier level: the same free bytes, every top block whole (the manager retypes each as one
 * untyped to prove it), and the accounting invariant sum(usage) + free = pool. It finishes the
 * system.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin by the policy); 2 the shared
 * `ready` notification (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2 };
enum { WORKER = 1, VICTIM = 2, CRASHER = 3, ADMIN = 4, NCLIENTS = 4 };

static void pool(sigil_word_t out[4])
{
    (void)rm_pool_stats(RM, &out[0], &out[1], &out[2], &out[3]);
}

int main(const void *arg)
{
    (void)arg;
    sigil_word_t before[4], after[4], stats[RM_NUM_STATS];
    pool(before);
    sigil_printf("rm-admin: pool %lu bytes, %lu free, %lu top blocks whole\n",
                 (unsigned long)before[0], (unsigned long)before[1], (unsigned long)before[3]);
    sigil_word_t word;
    sigil_wait(READY, &word);
    rm_stats_of(RM, VICTIM, stats);
    sigil_printf("rm-admin: the victim uses %lu bytes in %lu objects; killing it\n",
                 (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)stats[Rm_StatUsedObjects]);
    rm_error_t err = rm_kill(RM, VICTIM);
    pool(after);
    int back = err == Rm_ErrOk && after[1] == before[1] && after[3] == before[3];
    sigil_printf("rm-admin: killed (%s); pool %lu free, %lu top blocks whole: %s\n",
                 rm_error_name(err), (unsigned long)after[1], (unsigned long)after[3],
                 back ? "back to its level" : "NOT back to its level");
    sigil_word_t whole = 0, bytes = 0;
    err = rm_verify_pool(RM, &whole, &bytes);
    sigil_printf("rm-admin: retyped %lu whole top blocks of %lu bytes in all as one untyped "
                 "each (%s)\n",
                 (unsigned long)whole, (unsigned long)bytes, rm_error_name(err));
    back &= err == Rm_ErrOk && bytes == after[0];
    sigil_word_t used = 0;
    for (sigil_word_t id = 1; id <= NCLIENTS; id++) {
        if (rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            used += stats[Rm_StatUsedBytes];
        }
    }
    back &= rm_stats_of(RM, VICTIM, stats) == Rm_ErrInvalidArgument;
    sigil_printf("rm-admin: sum of usage %lu + free %lu = %lu, the pool is %lu\n",
                 (unsigned long)used, (unsigned long)after[1], (unsigned long)(used + after[1]),
                 (unsigned long)after[0]);
    back &= used + after[1] == after[0];
    sigil_printf("rm-admin: %s\n", back ? "the demo ends well" : "FAILED");
    return back ? 0 : 1;
}
