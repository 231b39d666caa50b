/*
 * A victim of the manager's kill benchmark (tests/rm/bench.yaml): takes `arg` endpoints from the
 * manager, one allocation each, into slots 4 .., signals `ready` and waits to be killed.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 the `ready` notification (Write);
 * 3 a notification of its own to sleep on (Read); 4 .. arg + 3 the endpoints.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, SLEEP = 3, FIRST = 4 };

int main(const void *arg)
{
    sigil_word_t n = (sigil_word_t)(uintptr_t)arg, h, ok = 0;
    for (sigil_word_t i = 0; i < n; i++) {
        ok += rm_alloc(RM, Sigil_EndpointObject, 0, 1, FIRST + i, &h) == Rm_ErrOk;
    }
    if (ok != n) {
        sigil_printf("rm-victim: FAILED: %lu of %lu endpoints\n", (unsigned long)ok,
                     (unsigned long)n);
    }
    sigil_signal(READY);
    sigil_word_t w;
    for (;;) {
        sigil_wait(SLEEP, &w);
    }
}
