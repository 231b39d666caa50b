/*
 * Diagnostics (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_error(diag_t *d, unsigned line, const char *path, const char *fmt, ...)
{
    va_list ap;
    if (line) {
        fprintf(stderr, "%s:%u: ", d->file, line);
    } else {
        fprintf(stderr, "%s: ", d->file);
    }
    if (path && *path) {
        fprintf(stderr, "%s: ", path);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    d->errors++;
}

unsigned diag_line(const diag_t *d, uint64_t path)
{
    uint32_t line = u64map_get(&d->lines, path);
    return line == SPECC_NONE ? 0 : line;
}

int diag_present(const diag_t *d, uint64_t path)
{
    return u64map_get(&d->lines, path) != SPECC_NONE;
}
