/*
 * Boundary checks on the debug syscalls: buffers that are unmapped, in the kernel, past the top
 * of user space or wrapping around must be refused with InvalidArgument, and the system must
 * keep running. Prints PASS/FAIL per case and powers off with the number of failures.
 */
#include <sigil/runtime.h>
#include <sigil/sys.h>

static int failures;

static void check(const char *what, uint64_t got, uint64_t want)
{
    if (got == want) {
        sigil_printf("syscall_args: PASS %s\n", what);
    } else {
        sigil_printf("syscall_args: FAIL %s: got %llu, want %llu\n", what, (unsigned long long)got,
                     (unsigned long long)want);
        failures++;
    }
}

static const char message[] = "syscall_args: a good buffer prints\n";

int main(const void *arg)
{
    (void)arg;
    check("good buffer", sigil_debug_puts(message, sizeof(message) - 1), Sigil_NoError);
    check("zero length", sigil_debug_puts(message, 0), Sigil_NoError);
    check("unmapped buffer", sigil_debug_puts((const char *)0x1000, 8), Sigil_InvalidArgument);
    check("kernel buffer", sigil_debug_puts((const char *)0xffff800040201000ull, 8),
          Sigil_InvalidArgument);
    check("past user top", sigil_debug_puts((const char *)(SIGIL_PLAT_USER_TOP - 4), 8),
          Sigil_InvalidArgument);
    check("wrapping length", sigil_debug_puts(message, ~0ull), Sigil_InvalidArgument);
    check("runs into unmapped", sigil_debug_puts(message, 1ull << 30), Sigil_InvalidArgument);
    uint64_t t0 = sigil_debug_timer_ticks();
    while (sigil_debug_timer_ticks() == t0) {
    }
    check("ticks advance", sigil_debug_timer_ticks() > t0, 1);
    sigil_printf("syscall_args: %d failures\n", failures);
    return failures;
}
