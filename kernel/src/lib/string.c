/*
 * C's memory and string functions for the freestanding kernel and user runtime. Simple loops:
 * the kernel copies little (message registers, boot images), and clarity wins here.
 */
#include "lib/kstring.h"

#include <stdint.h>

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    /* Word stores once aligned: clearing pages is the one bulk use. */
    while (n > 0 && ((uintptr_t)d & 7) != 0) {
        *d++ = (uint8_t)c, n--;
    }
    uint64_t w = (uint8_t)c * 0x0101010101010101ull;
    for (; n >= 8; n -= 8, d += 8) {
        *(volatile uint64_t *)d = w;
    }
    while (n > 0) {
        *d++ = (uint8_t)c, n--;
    }
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        while (n--) {
            d[n] = s[n];
        }
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}
