/*
 * Boundary checks on the debug syscalls: buffers that are unmapped, in the kernel, past the top
 * of user space, wrapping around, too long, or in device memory (beyond the kernel window, or
 * MMIO) must be refused with InvalidArgument, and the system must keep running. Prints PASS/FAIL
 * per case and powers off with the number of failures.
 */
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "vm_common.h"

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
static char longest[1024]; /* DebugPutString's limit */

/* Map `frame` readable at `va` of the root VSpace, with the page tables it needs. */
static uint64_t map_at(sigil_word_t frame, uint64_t va)
{
    for (int level = 0; level < 3; level++) {
        sigil_word_t pt = vm_retype(Sigil_PageTableObject, 0);
        if (sigil_page_table_map(pt, VS, va, 0) != Sigil_NoError) {
            break;
        }
    }
    return sigil_frame_map(frame, VS, va, Sigil_CanRead, 0);
}

int main(const void *arg)
{
    vm_setup(arg);
    check("good buffer", sigil_debug_puts(message, sizeof(message) - 1), Sigil_NoError);
    check("zero length", sigil_debug_puts(message, 0), Sigil_NoError);
    check("unmapped buffer", sigil_debug_puts((const char *)0x1000, 8), Sigil_InvalidArgument);
    check("kernel buffer", sigil_debug_puts((const char *)0xffff800040201000ull, 8),
          Sigil_InvalidArgument);
    check("past user top", sigil_debug_puts((const char *)(SIGIL_PLAT_USER_TOP - 4), 8),
          Sigil_InvalidArgument);
    check("wrapping length", sigil_debug_puts(message, ~0ull), Sigil_InvalidArgument);
    check("runs into unmapped", sigil_debug_puts(message, 1ull << 30), Sigil_InvalidArgument);
    for (unsigned i = 0; i < sizeof(longest); i++) {
        longest[i] = i % 64 == 63 ? '\n' : '.';
    }
    check("the longest string", sigil_debug_puts(longest, sizeof(longest)), Sigil_NoError);
    check("one byte longer", sigil_debug_puts(longest, sizeof(longest) + 1), Sigil_InvalidArgument);
    /* Device memory is never read: above 4 GiB the kernel window does not reach it (reading it
     * once panicked the kernel), below 1 GiB it is MMIO. */
    check("map a device frame above 4 GiB", map_at(vm_device_frame(1ull << 32), VM_BASE),
          Sigil_NoError);
    check("device frame above 4 GiB", sigil_debug_puts((const char *)VM_BASE, 8),
          Sigil_InvalidArgument);
    check("map the RTC's device frame",
          map_at(vm_device_frame(SIGIL_PLAT_RTC_BASE), VM_BASE + 4096), Sigil_NoError);
    check("device frame (MMIO)", sigil_debug_puts((const char *)VM_BASE + 4096, 8),
          Sigil_InvalidArgument);
    /* The kernel ticks every millisecond; a billion instructions take far longer than that on
     * any host, so a tick that never comes fails here instead of hanging the test. */
    uint64_t t0 = sigil_debug_timer_ticks(), c0 = sigil_cycles();
    while (sigil_debug_timer_ticks() == t0 && sigil_cycles() - c0 < 1000000000ull) {
    }
    check("ticks advance", sigil_debug_timer_ticks() > t0, 1);
    sigil_printf("syscall_args: %d failures\n", failures);
    return failures;
}
