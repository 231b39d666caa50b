/*
 * The heap region's bounds, as the spec compiler tells them to a program.
 *
 * A spec gives a program a heap with a region of kind `heap` (docs/spec-format.md). The
 * compiler places it like any other region and then writes its bounds into the program's
 * variable named SIGIL_HEAP_REGION_SYMBOL (two little-endian 64-bit words, start then end), in
 * the page of the image that holds it; nothing is patched at run time. libsigil's C runtime
 * (src/libc.c) defines the variable and hands the region to picolibc's malloc through sbrk.
 * A program without a heap region keeps {0, 0}: malloc then fails with ENOMEM.
 * This header is the one description of the contract: the compiler includes it too.
 */
#ifndef SIGIL_HEAP_H
#define SIGIL_HEAP_H

#include <stdint.h>

#define SIGIL_HEAP_REGION_SYMBOL "sigil_heap_region"

typedef struct sigil_heap_region {
    uint64_t start; /* first byte of the heap region */
    uint64_t end;   /* one past its last byte */
} sigil_heap_region_t;

/* Defined by libsigil's C runtime; written by the spec compiler. */
extern sigil_heap_region_t sigil_heap_region;

#endif /* SIGIL_HEAP_H */
