/*
 * The last word of a manager test (tests/rm/demand.yaml): an administrator at the lowest
 * priority, so it runs once every other client has ended; it checks that the pool is whole —
 * all of it free, and every top block retyped as one untyped by the manager (VerifyPool) — and
 * ends the system with the verdict.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (admin).
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1 };

int main(const void *arg)
{
    (void)arg;
    sigil_word_t pool = 0, free = 0, blocks = 0, whole = 0, roots = 0, bytes = 0;
    rm_pool_stats(RM, &pool, &free, &blocks, &whole);
    int ok = rm_verify_pool(RM, &roots, &bytes) == Rm_ErrOk && bytes == pool && free == pool &&
             roots == whole;
    sigil_printf("rm-admin: pool %lu bytes, %lu free, retyped whole: %s\n", (unsigned long)pool,
                 (unsigned long)free, ok ? "yes" : "FAILED");
    return !ok;
}
