/*
 * Debug output and exit for user programs.
 */
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "lib/kprintf.h"

int sigil_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    uint64_t shown = (uint64_t)n < sizeof(buf) ? (uint64_t)n : sizeof(buf) - 1;
    sigil_debug_puts(buf, shown);
    return n;
}

_Noreturn void sigil_exit(int status)
{
    sigil_debug_power_off(status);
}
