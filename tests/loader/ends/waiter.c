/*
 * Ending components (ends.yaml, ends_fail.yaml): runs after the quitter has ended (lower
 * priority), shows that the system goes on, and returns the status the spec passes in x0. The
 * spec marks it `ends_system: true`, so its end powers the machine off with that status.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    int status = (int)(uintptr_t)arg;
    sigil_printf("waiter: still running after the quitter ended; returning %d\n", status);
    return status;
}
