/*
 * Basic types shared by the portable kernel core.
 *
 * Words are 64 bits on every Sigil target (and on the host). Physical addresses and CSpace
 * pointers are words with their own names so that signatures say what they carry.
 */
#ifndef OBJECT_TYPES_H
#define OBJECT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t;
typedef uint64_t paddr_t;
typedef uint64_t cptr_t;

#define WORD_BITS           64u
#define BIT(n)              (1ull << (n))
#define MASK(n)             ((n) >= 64 ? ~0ull : BIT(n) - 1ull)
#define ALIGN_UP(x, bits)   (((x) + MASK(bits)) & ~MASK(bits))
#define IS_ALIGNED(x, bits) (((x)&MASK(bits)) == 0)

#endif /* OBJECT_TYPES_H */
