/*
 * The `echo` system's client (specs/echo.yaml): calls the server with a number and a cap to its
 * own notification (the endpoint cap has Grant), checks the answer, waits for the server's
 * signal on that notification, then computes primes without ever yielding and reports each
 * time the kernel's timer preempted it, and powers the machine off: it is the last one to
 * finish. (`./sigil run` boots this system.)
 *
 * CSpace (slot = cptr): 1 the server's endpoint (Write, Grant, GrantReply; badge 0x42),
 * 2 its notification (Read, Write).
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { EP = 1, NTFN = 2 };
#define PREEMPTIONS 3

static int is_prime(uint64_t n)
{
    for (uint64_t d = 2; d * d <= n; d++) {
        if (n % d == 0) {
            return 0;
        }
    }
    return n >= 2;
}

/* Busy work that never yields: each timer tick in between is a preemption by the kernel. */
static void show_preemption(void)
{
    uint64_t seen = sigil_debug_timer_ticks(), primes = 0, n = 2;
    for (int reports = 0; reports < PREEMPTIONS; n++) {
        primes += (uint64_t)is_prime(n);
        uint64_t now = sigil_debug_timer_ticks();
        if (now != seen) {
            reports++;
            sigil_printf("echo-client: preempted by tick %lu; %lu primes below %lu so far\n",
                         (unsigned long)now, (unsigned long)primes, (unsigned long)n);
            seen = now;
        }
    }
}

int main(const void *arg)
{
    (void)arg;
    sigil_set_mr(0, 41);
    sigil_ipc_buffer()->caps_or_badges[0] = NTFN;
    sigil_msginfo_t info = sigil_call(EP, sigil_msginfo_new(1, 0, 1, 1));
    sigil_printf("echo-client: the server answered %lu\n", (unsigned long)sigil_get_mr(0));
    sigil_word_t word;
    sigil_wait(NTFN, &word);
    sigil_printf("echo-client: the server signalled the cap I sent (word %lu)\n",
                 (unsigned long)word);
    int ok = sigil_get_mr(0) == 42 && sigil_msginfo_label(info) == 0;
    show_preemption();
    return ok ? 0 : 1;
}
