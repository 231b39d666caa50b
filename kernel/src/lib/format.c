/*
 * A small printf core for the kernel.
 *
 * Output goes through a sink that writes into a bounded buffer, so kvsnprintf never overruns and
 * always reports the full length. kprintf formats into a stack buffer in chunks and hands the
 * characters to the console. No floating point: the kernel has none.
 */
#include "lib/kprintf.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct sink {
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, written or not */
} sink_t;

static void sink_put(sink_t *s, char c)
{
    if (s->len + 1 < s->size) {
        s->buf[s->len] = c;
    }
    s->len++;
}

typedef struct spec {
    bool left;
    bool zero;
    unsigned width;
} spec_t;

static void put_padded(sink_t *s, const spec_t *sp, const char *digits, size_t n, bool neg)
{
    size_t total = n + (neg ? 1 : 0);
    size_t pad = sp->width > total ? sp->width - total : 0;
    if (!sp->left && !sp->zero) {
        while (pad--) {
            sink_put(s, ' ');
        }
    }
    if (neg) {
        sink_put(s, '-');
    }
    if (!sp->left && sp->zero) {
        while (pad--) {
            sink_put(s, '0');
        }
    }
    for (size_t i = 0; i < n; i++) {
        sink_put(s, digits[i]);
    }
    if (sp->left) {
        while (pad--) {
            sink_put(s, ' ');
        }
    }
}

static void put_unsigned(sink_t *s, const spec_t *sp, uint64_t v, unsigned base, bool upper,
                         bool neg)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = set[v % base];
        v /= base;
    } while (v != 0);
    char digits[24];
    for (size_t i = 0; i < n; i++) {
        digits[i] = tmp[n - 1 - i];
    }
    put_padded(s, sp, digits, n, neg);
}

static void put_string(sink_t *s, const spec_t *sp, const char *str)
{
    if (str == NULL) {
        str = "(null)";
    }
    size_t n = 0;
    while (str[n] != '\0') {
        n++;
    }
    spec_t plain = *sp;
    plain.zero = false;
    put_padded(s, &plain, str, n, false);
}

/* Parse flags and width at *pfmt; leave *pfmt at the length modifier or conversion. */
static spec_t parse_spec(const char **pfmt)
{
    spec_t sp = {false, false, 0};
    const char *f = *pfmt;
    for (;; f++) {
        if (*f == '-') {
            sp.left = true;
        } else if (*f == '0') {
            sp.zero = true;
        } else {
            break;
        }
    }
    while (*f >= '0' && *f <= '9') {
        sp.width = sp.width * 10 + (unsigned)(*f - '0');
        f++;
    }
    *pfmt = f;
    return sp;
}

/* Length modifier: 0 = int, 1 = long, 2 = long long, 3 = size_t. */
static int parse_length(const char **pfmt)
{
    const char *f = *pfmt;
    int len = 0;
    if (f[0] == 'l' && f[1] == 'l') {
        len = 2;
        f += 2;
    } else if (f[0] == 'l') {
        len = 1;
        f++;
    } else if (f[0] == 'z') {
        len = 3;
        f++;
    }
    *pfmt = f;
    return len;
}

static uint64_t arg_unsigned(va_list *ap, int len)
{
    switch (len) {
    case 1:
        return va_arg(*ap, unsigned long);
    case 2:
        return va_arg(*ap, unsigned long long);
    case 3:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, int len)
{
    switch (len) {
    case 1:
        return va_arg(*ap, long);
    case 2:
        return va_arg(*ap, long long);
    case 3:
        return (int64_t)va_arg(*ap, size_t);
    default:
        return va_arg(*ap, int);
    }
}

static void format_one(sink_t *s, const char **pfmt, va_list *ap)
{
    spec_t sp = parse_spec(pfmt);
    int len = parse_length(pfmt);
    char conv = **pfmt;
    if (conv == '\0') {
        return;
    }
    (*pfmt)++;
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = arg_signed(ap, len);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        put_unsigned(s, &sp, mag, 10, false, v < 0);
        break;
    }
    case 'u':
        put_unsigned(s, &sp, arg_unsigned(ap, len), 10, false, false);
        break;
    case 'x':
    case 'X':
        put_unsigned(s, &sp, arg_unsigned(ap, len), 16, conv == 'X', false);
        break;
    case 'p':
        sink_put(s, '0');
        sink_put(s, 'x');
        put_unsigned(s, &sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    case 's':
        put_string(s, &sp, va_arg(*ap, const char *));
        break;
    case 'c':
        sink_put(s, (char)va_arg(*ap, int));
        break;
    default: /* '%' and anything unknown print as themselves */
        sink_put(s, conv);
        break;
    }
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    sink_t s = {buf, size, 0};
    va_list aq;
    va_copy(aq, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            sink_put(&s, *fmt++);
            continue;
        }
        fmt++;
        format_one(&s, &fmt, &aq);
    }
    va_end(aq);
    if (size > 0) {
        buf[s.len < size ? s.len : size - 1] = '\0';
    }
    return (int)s.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
