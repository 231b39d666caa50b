/*
 * FDT structure-block walker. The walk keeps a depth counter and, per level, whether the
 * path so far still matches; a property is reported only inside the node that matches the
 * whole path. All reads are checked against the structure block's size.
 */
#include "lib/fdt.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define MAX_DEPTH      16

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

uint64_t fdt_read_cells(const void *p, unsigned cells)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (unsigned i = 0; i < cells; i++) {
        v = (v << 32) | be32(b + 4 * i);
    }
    return v;
}

bool fdt_check(const void *blob, size_t max_size, fdt_t *fdt)
{
    const uint8_t *b = blob;
    if (max_size < 40 || be32(b) != FDT_MAGIC) {
        return false;
    }
    uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
    uint32_t size_strings = be32(b + 32), size_struct = be32(b + 36);
    if (total > max_size || off_struct > total || size_struct > total - off_struct ||
        off_strings > total || size_strings > total - off_strings) {
        return false;
    }
    fdt->blob = b;
    fdt->size = total;
    fdt->structs = b + off_struct;
    fdt->structs_size = size_struct;
    fdt->strings = (const char *)b + off_strings;
    fdt->strings_size = size_strings;
    return true;
}

/* Length of a NUL-terminated string starting at p, bounded by end; -1 if unterminated. */
static long bounded_strlen(const char *p, const char *end)
{
    for (const char *q = p; q < end; q++) {
        if (*q == '\0') {
            return q - p;
        }
    }
    return -1;
}

/* Does path component [c, c+clen) match node name `name`? */
static bool component_matches(const char *c, size_t clen, const char *name)
{
    size_t i = 0;
    for (; i < clen; i++) {
        if (name[i] != c[i]) {
            return false;
        }
    }
    return name[i] == '\0' || (name[i] == '@' && clen > 0);
}

/* The path component of `path` at `depth` (1-based); false if the path is shorter. */
static bool path_component(const char *path, unsigned depth, const char **c, size_t *clen)
{
    const char *p = path;
    for (unsigned d = 0; d < depth; d++) {
        if (*p != '/') {
            return false;
        }
        p++;
        const char *start = p;
        while (*p != '\0' && *p != '/') {
            p++;
        }
        *c = start;
        *clen = (size_t)(p - start);
    }
    return *clen > 0;
}

static unsigned path_depth(const char *path)
{
    unsigned d = 0;
    for (const char *p = path; *p != '\0'; p++) {
        if (*p == '/' && p[1] != '\0') {
            d++;
        }
    }
    return d;
}

const void *fdt_get_prop(const fdt_t *fdt, const char *path, const char *prop, size_t *len)
{
    const uint8_t *p = fdt->structs, *end = fdt->structs + fdt->structs_size;
    unsigned want = path_depth(path);
    int depth = -1;   /* the root node is depth 0 */
    int matched = -1; /* deepest depth whose node matches the path so far */
    while (p + 4 <= end) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            long n = bounded_strlen((const char *)p, (const char *)end);
            if (n < 0 || ++depth >= MAX_DEPTH) {
                return NULL;
            }
            if (depth == 0) {
                matched = 0;
            } else if (matched == depth - 1 && (unsigned)depth <= want) {
                const char *c;
                size_t clen;
                if (path_component(path, (unsigned)depth, &c, &clen) &&
                    component_matches(c, clen, (const char *)p)) {
                    matched = depth;
                }
            }
            p += ((size_t)n + 1 + 3) & ~(size_t)3;
        } else if (tok == FDT_END_NODE) {
            if (depth < 0) {
                return NULL;
            }
            if (matched == depth) {
                matched--;
            }
            depth--;
        } else if (tok == FDT_PROP) {
            if (p + 8 > end) {
                return NULL;
            }
            uint32_t plen = be32(p), nameoff = be32(p + 4);
            p += 8;
            if (plen > (size_t)(end - p) || nameoff >= fdt->strings_size) {
                return NULL;
            }
            const char *pname = fdt->strings + nameoff;
            long nlen = bounded_strlen(pname, fdt->strings + fdt->strings_size);
            if (nlen >= 0 && matched == depth && (unsigned)depth == want) {
                const char *a = pname, *b = prop;
                while (*a != '\0' && *a == *b) {
                    a++, b++;
                }
                if (*a == '\0' && *b == '\0') {
                    *len = plen;
                    return p;
                }
            }
            p += ((size_t)plen + 3) & ~(size_t)3;
        } else if (tok == FDT_NOP) {
            continue;
        } else {
            return NULL; /* FDT_END or garbage */
        }
    }
    return NULL;
}

bool fdt_memory(const fdt_t *fdt, uint64_t *base, uint64_t *size)
{
    size_t len;
    unsigned ac = 2, sc = 1;
    const void *v = fdt_get_prop(fdt, "/", "#address-cells", &len);
    if (v != NULL && len == 4) {
        ac = (unsigned)fdt_read_cells(v, 1);
    }
    v = fdt_get_prop(fdt, "/", "#size-cells", &len);
    if (v != NULL && len == 4) {
        sc = (unsigned)fdt_read_cells(v, 1);
    }
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
        return false;
    }
    const uint8_t *reg = fdt_get_prop(fdt, "/memory", "reg", &len);
    if (reg == NULL || len < 4 * (ac + sc)) {
        return false;
    }
    *base = fdt_read_cells(reg, ac);
    *size = fdt_read_cells(reg + 4 * ac, sc);
    return true;
}
