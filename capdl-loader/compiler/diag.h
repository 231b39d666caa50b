/*
 * Diagnostics: every problem in a spec is reported, none stops the run early (except an
 * unreadable or syntactically broken file). Each message reads `FILE:LINE: PATH: MESSAGE`,
 * where LINE comes from the reader's line table and PATH names the object or cap. The caller
 * checks `errors` at the end of each stage and exits non-zero if any was reported.
 */
#ifndef SPECC_DIAG_H
#define SPECC_DIAG_H

#include "util.h"

typedef struct {
    const char *file; /* spec file name as given on the command line */
    u64map_t lines;   /* path hash -> 1-based line, filled by the reader */
    unsigned errors;
} diag_t;

/* Report an error at `line` (0: unknown) for `path` (NULL: none). */
void diag_error(diag_t *d, unsigned line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The line recorded for a path hash, or 0. */
unsigned diag_line(const diag_t *d, uint64_t path);

/* Whether the document has a node at that path (i.e. the key was written). */
int diag_present(const diag_t *d, uint64_t path);

#endif /* SPECC_DIAG_H */
