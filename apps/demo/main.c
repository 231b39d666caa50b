/*
 * The demo root task: shows a program running at EL0 being preempted by the kernel's timer.
 *
 * It computes primes without ever yielding and, whenever the kernel's tick count has moved on
 * (each tick is a timer interrupt that took the CPU away from this program), it reports how far
 * it got. After DEMO_TICKS such preemptions it powers the machine off with success.
 */
#include <sigil/runtime.h>
#include <sigil/sys.h>

#define DEMO_TICKS 5

static int is_prime(uint64_t n)
{
    if (n < 2) {
        return 0;
    }
    for (uint64_t d = 2; d * d <= n; d++) {
        if (n % d == 0) {
            return 0;
        }
    }
    return 1;
}

int main(const void *arg)
{
    (void)arg;
    sigil_printf("demo: hello from user space\n");

    uint64_t seen = sigil_debug_timer_ticks();
    uint64_t primes = 0, n = 2, reports = 0;
    while (reports < DEMO_TICKS) {
        primes += is_prime(n++);
        uint64_t now = sigil_debug_timer_ticks();
        if (now != seen) {
            reports++;
            sigil_printf("demo: preempted by tick %llu; %llu primes below %llu so far\n",
                         (unsigned long long)now, (unsigned long long)primes,
                         (unsigned long long)n);
            seen = now;
        }
    }
    sigil_printf("demo: done after %d timer preemptions\n", DEMO_TICKS);
    return 0;
}
