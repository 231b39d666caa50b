/*
 * Host-side helpers for the spec compiler (see util.h).
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fprintf(stderr, "sigil-specc: out of memory\n");
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        out_of_memory();
    }
    return q;
}

const char *open_regular(const char *path, uint64_t max, FILE **f, uint64_t *size)
{
    static char msg[64];
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    if (fd < 0) {
        return strerror(errno);
    }
    if (fstat(fd, &st) != 0) {
        why = strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        why = "not a regular file";
    } else if ((uint64_t)st.st_size > max) {
        snprintf(msg, sizeof msg, "larger than the limit of %llu bytes", (unsigned long long)max);
        why = msg;
    } else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
               !(*f = fdopen(fd, "rb"))) {
        why = strerror(errno);
    }
    if (why) {
        close(fd);
        return why;
    }
    *size = (uint64_t)st.st_size;
    return NULL;
}

const char *read_whole_file(const char *path, uint64_t max, uint8_t **out, size_t *size)
{
    FILE *f = NULL;
    uint64_t n = 0;
    const char *why = open_regular(path, max, &f, &n);
    if (why) {
        return why;
    }
    /* One byte more than the size: a file that grew since is read to the limit, never past. */
    uint8_t *buf = xmalloc((size_t)n + 1);
    *size = fread(buf, 1, (size_t)n + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || *size > n) {
        free(buf);
        return failed ? "read error" : "the file changed while it was read";
    }
    *out = buf;
    return NULL;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void *vec_push(void **items, size_t *cap, size_t count, size_t size)
{
    if (count >= *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *items = xrealloc(*items, *cap * size);
    }
    char *slot = (char *)*items + count * size;
    memset(slot, 0, size);
    return slot;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void u64map_resize(u64map_t *m, size_t cap)
{
    u64map_t bigger = {xmalloc(cap * sizeof(u64slot_t)), cap, 0};
    for (size_t i = 0; i < cap; i++) {
        bigger.slots[i].val = SPECC_NONE;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].val != SPECC_NONE) {
            u64map_put(&bigger, m->slots[i].key, m->slots[i].val);
        }
    }
    u64map_free(m);
    *m = bigger;
}

void u64map_reserve(u64map_t *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    while (cap < 2 * n + 2) {
        cap *= 2;
    }
    if (cap != m->cap) {
        u64map_resize(m, cap);
    }
}

void u64map_put(u64map_t *m, uint64_t key, uint32_t val)
{
    if ((m->used + 1) * 2 > m->cap) {
        u64map_resize(m, m->cap ? m->cap * 2 : 64);
    }
    size_t mask = m->cap - 1;
    for (size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
        u64slot_t *sl = &m->slots[i];
        if (sl->val == SPECC_NONE) {
            sl->key = key;
            sl->val = val;
            m->used++;
            return;
        }
        if (sl->key == key) {
            sl->val = val;
            return;
        }
    }
}

uint32_t u64map_get(const u64map_t *m, uint64_t key)
{
    if (m->cap == 0) {
        return SPECC_NONE;
    }
    size_t mask = m->cap - 1;
    for (size_t i = mix64(key) & mask; m->slots[i].val != SPECC_NONE; i = (i + 1) & mask) {
        if (m->slots[i].key == key) {
            return m->slots[i].val;
        }
    }
    return SPECC_NONE;
}

void u64map_free(u64map_t *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->used = 0;
}

uint64_t hash_str(const char *s)
{
    uint64_t h = PATH_ROOT;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    }
    return h;
}

uint64_t path_key(uint64_t parent, const char *key)
{
    return mix64(parent * 31 + hash_str(key));
}

uint64_t path_index(uint64_t parent, size_t index)
{
    return mix64(parent * 37 + 0x9e3779b97f4a7c15ull + index);
}
