/*
 * Scalars of the spec format: numbers (decimal, 0x, 0o, 0b, '_' separators, optional K/M/G
 * suffix for sizes), booleans and rights lists. The parse_* functions are pure; the get_*
 * functions report a bad value through the diagnostics (with the path and the line of the
 * node at `h`) and return 0 so that the caller can carry on.
 */
#ifndef SPECC_NUM_H
#define SPECC_NUM_H

#include <stdint.h>

#include "diag.h"

typedef enum { NUM_OK, NUM_BAD, NUM_RANGE } num_status_t;

/* Parse `s` as an unsigned integer; `suffix` allows a K/M/G multiplier. */
num_status_t parse_u64(const char *s, int suffix, uint64_t *out);

/* Parse a YAML 1.1 boolean word; returns -1 if `s` is not one. */
int parse_bool(const char *s);

/* A number of at most `bits` bits (1..64) read from `s` (what = the field's name). Returns 1 if
 * `*out` was set; otherwise an error was reported (or s was NULL and nothing happened). */
int get_uint(diag_t *d, const char *s, uint64_t h, const char *path, const char *what,
             unsigned bits, int suffix, uint64_t *out);

/* A boolean; `*out` is left alone when s is NULL. Returns 0 after reporting a bad word. */
int get_bool(diag_t *d, const char *s, uint64_t h, const char *path, int *out);

/* A rights list (`Read`, `Write`, `Grant`, `GrantReply`) as Sigil_Can* bits. */
int get_rights(diag_t *d, char **list, unsigned n, uint64_t h, const char *path, uint8_t *out);

#endif /* SPECC_NUM_H */
