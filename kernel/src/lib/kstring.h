/*
 * Memory and string primitives for the kernel.
 *
 * The names are C's own, because the compiler may emit calls to memset and memcpy by itself.
 * On the target src/lib/string.c defines them; on the host the C library does.
 */
#ifndef LIB_KSTRING_H
#define LIB_KSTRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* LIB_KSTRING_H */
