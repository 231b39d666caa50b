/*
 * Small host-side helpers for the spec compiler: checked allocation, growable arrays, a
 * 64-bit-key hash map, a string-key hash map and path hashing.
 *
 * Out-of-memory is the one error the compiler does not report as a value: it prints a message
 * and exits, since no spec is wrong because the host ran out of memory.
 */
#ifndef SPECC_UTIL_H
#define SPECC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SPECC_NONE 0xffffffffu

/* malloc/realloc/strdup that exit on failure. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open `path` for reading if it is a regular file of at most `max` bytes (a FIFO or device is
 * refused without blocking): NULL with *f and *size set, or a message saying why not. */
const char *open_regular(const char *path, uint64_t max, FILE **f, uint64_t *size);
/* The whole regular file at `path` (at most `max` bytes) in a new buffer *out of *size bytes:
 * NULL, or a message saying why it cannot be read (as open_regular). */
const char *read_whole_file(const char *path, uint64_t max, uint8_t **out, size_t *size);

/* Make room for one more element in a growable array `*items` of `*cap` elements of `size`
 * bytes holding `count`; returns a pointer to element `count` (zeroed). */
void *vec_push(void **items, size_t *cap, size_t count, size_t size);
#define VEC_PUSH(arr, cap, count)                                                                  \
    ((__typeof__(arr))vec_push((void **)&(arr), &(cap), (count)++, sizeof(*(arr))))

/* Hash map from 64-bit keys to 32-bit values (open addressing, linear probing; key and value
 * side by side so a lookup touches one cache line). */
typedef struct {
    uint64_t key;
    uint32_t val; /* SPECC_NONE: empty */
} u64slot_t;

typedef struct {
    u64slot_t *slots;
    size_t cap; /* power of two, 0 when empty */
    size_t used;
} u64map_t;

/* Make room for `n` entries without growing. */
void u64map_reserve(u64map_t *m, size_t n);

/* Set key to val, replacing any previous value. */
void u64map_put(u64map_t *m, uint64_t key, uint32_t val);
/* The value of key, or SPECC_NONE. */
uint32_t u64map_get(const u64map_t *m, uint64_t key);
void u64map_free(u64map_t *m);

/* Hash of a string (FNV-1a, 64 bits). */
uint64_t hash_str(const char *s);

/* Path hashes name a node of the YAML document structurally: the root, then `.key` or `[i]`
 * steps. The reader records the line of every node under its path hash; later stages compute
 * the same hash to find the line of what they complain about. */
#define PATH_ROOT 0xcbf29ce484222325ull
uint64_t path_key(uint64_t parent, const char *key);
uint64_t path_index(uint64_t parent, size_t index);

#endif /* SPECC_UTIL_H */
