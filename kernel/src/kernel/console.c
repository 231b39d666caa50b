/*
 * Kernel console output: format into a bounded buffer, then send it to the arch console.
 * A line longer than the buffer is cut, never overrun.
 */
#include "lib/kprintf.h"

void kvprintf(const char *fmt, va_list ap)
{
    char line[256];
    int n = kvsnprintf(line, sizeof(line), fmt, ap);
    size_t shown = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    for (size_t i = 0; i < shown; i++) {
        arch_console_putc(line[i]);
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
