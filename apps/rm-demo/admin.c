/*
 * The `rm-demo` system's administrator (specs/rm-demo.yaml): notes the pool, waits until the
 * victim holds its objects, kills it, and shows the pool back at exactly its earlier level:
 * the victim's allocations are free again, and its own untyped — the memory the loader made
 * the victim's TCB, CSpace, VSpace, image and stack from — joins the pool as one more top
 * block. Every top block is whole (the manager retypes each as one untyped to prove it) and the
 * accounting invariant sum(usage) + free = pool holds. Its status ends the system (the spec
 * says `ends_system: true`).
 *
 * The pool's own size depends on how much RAM the loader used for the whole system, so the
 * lines below print it beside what it must equal; every figure about a client is exact.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin by the policy); 2 the shared
 * `ready` notification (Read).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2 };
enum { WORKER = 1, VICTIM = 2, CRASHER = 3, ADMIN = 4, NCLIENTS = 4 };

typedef struct {
    sigil_word_t bytes, free, free_blocks, whole;
} pool_t;

static pool_t pool(void)
{
    pool_t p = {0};
    (void)rm_pool_stats(RM, &p.bytes, &p.free, &p.free_blocks, &p.whole);
    return p;
}

/* Every top block whole: all of the pool free, in one free block per top block. */
static int whole(pool_t p)
{
    return p.free == p.bytes && p.free_blocks == p.whole;
}

int main(const void *arg)
{
    (void)arg;
    sigil_word_t stats[RM_NUM_STATS];
    pool_t before = pool();
    sigil_printf("rm-admin: pool %lu bytes, %lu free, %lu top blocks, %lu of them whole\n",
                 (unsigned long)before.bytes, (unsigned long)before.free,
                 (unsigned long)before.free_blocks, (unsigned long)before.whole);
    sigil_word_t word;
    sigil_wait(READY, &word);
    rm_stats_of(RM, VICTIM, stats);
    sigil_word_t own = stats[Rm_StatOwnBytes];
    sigil_printf("rm-admin: the victim uses %lu bytes in %lu objects; the loader made its own "
                 "objects from an untyped of %lu bytes. killing it\n",
                 (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)stats[Rm_StatUsedObjects],
                 (unsigned long)own);
    rm_error_t err = rm_kill(RM, VICTIM);
    pool_t after = pool();
    /* Before the victim ran, its allocations were free; now they are again, and its own
     * untyped is a new top block: pool and free both exactly `own` above their earlier level. */
    int back = err == Rm_ErrOk && own > 0 && after.free - before.free == own &&
               after.bytes - before.bytes == own && whole(before) && whole(after);
    sigil_printf("rm-admin: killed (%s). since before the victim ran: pool +%lu, free +%lu, "
                 "its own untyped: %s\n",
                 rm_error_name(err), (unsigned long)(after.bytes - before.bytes),
                 (unsigned long)(after.free - before.free),
                 back ? "back to its level, every top block whole" : "NOT back to its level");
    sigil_word_t blocks = 0, bytes = 0;
    err = rm_verify_pool(RM, &blocks, &bytes);
    int verified = err == Rm_ErrOk && blocks == after.whole && bytes == after.bytes;
    sigil_printf("rm-admin: retyped %lu top blocks as one untyped each (%s): %lu bytes, %s\n",
                 (unsigned long)blocks, rm_error_name(err), (unsigned long)bytes,
                 verified ? "the whole pool" : "NOT the whole pool");
    back &= verified;
    sigil_word_t sum = 0;
    for (sigil_word_t id = 1; id <= NCLIENTS; id++) {
        if (rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            sum += stats[Rm_StatUsedBytes];
        }
    }
    back &= rm_stats_of(RM, VICTIM, stats) == Rm_ErrInvalidArgument;
    sigil_printf("rm-admin: sum of usage %lu + free %lu = %lu, the pool is %lu\n",
                 (unsigned long)sum, (unsigned long)after.free, (unsigned long)(sum + after.free),
                 (unsigned long)after.bytes);
    back &= sum + after.free == after.bytes;
    sigil_printf("rm-admin: %s\n", back ? "the demo ends well" : "FAILED");
    return back ? 0 : 1;
}
