/*
 * What the portable kernel library needs from its surroundings when it runs on the host:
 * a console, kprintf (the core prints error reasons in debug builds) and a panic that aborts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/assert.h"
#include "lib/kprintf.h"

void arch_console_putc(char c)
{
    fputc(c, stderr);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

_Noreturn void kpanic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kpanic: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}
