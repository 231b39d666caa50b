/*
 * Kernel formatted output.
 *
 * kvsnprintf is a small, portable printf core (host-tested, shared with the user runtime);
 * kprintf (kernel/console.c) sends its output to the
 * console through arch_console_putc. Supported conversions: %d %i %u %x %X %p %s %c %%, with
 * the flags '0' and '-', a field width, and the length modifiers l, ll, z.
 */
#ifndef LIB_KPRINTF_H
#define LIB_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf (always NUL-terminated when size > 0). Returns the length the full output
 * would have had, like C's vsnprintf. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print to the kernel console. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* Provided by the arch layer (target) or by the test harness (host). */
void arch_console_putc(char c);

#endif /* LIB_KPRINTF_H */
