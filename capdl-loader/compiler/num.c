/*
 * Scalars of the spec format (see num.h).
 */
#include "num.h"

#include <sigil/abi.h>
#include <string.h>
#include <strings.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return 99;
}

static unsigned base_of(const char **s)
{
    const char *p = *s;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        *s = p + 2;
        return 16;
    }
    if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
        *s = p + 2;
        return 8;
    }
    if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        *s = p + 2;
        return 2;
    }
    return 10;
}

static unsigned suffix_shift(char c)
{
    switch (c) {
    case 'K':
    case 'k':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    default:
        return 64;
    }
}

num_status_t parse_u64(const char *s, int suffix, uint64_t *out)
{
    unsigned base = base_of(&s);
    uint64_t v = 0;
    int digits = 0, overflow = 0;
    for (; *s; s++) {
        if (*s == '_' && digits) {
            continue;
        }
        int dv = digit_value(*s);
        if (dv >= (int)base) {
            break;
        }
        if (v > (UINT64_MAX - (uint64_t)dv) / base) {
            overflow = 1;
        }
        v = v * base + (uint64_t)dv;
        digits++;
    }
    if (!digits) {
        return NUM_BAD;
    }
    if (*s && suffix && s[1] == '\0' && suffix_shift(*s) < 64) {
        unsigned sh = suffix_shift(*s++);
        overflow |= (v >> (64 - sh)) != 0;
        v <<= sh;
    }
    if (*s) {
        return NUM_BAD;
    }
    *out = v;
    return overflow ? NUM_RANGE : NUM_OK;
}

int parse_bool(const char *s)
{
    static const char *const yes[] = {"true", "yes", "on", "y"};
    static const char *const no[] = {"false", "no", "off", "n"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            return 1;
        }
        if (strcasecmp(s, no[i]) == 0) {
            return 0;
        }
    }
    return -1;
}

int get_uint(diag_t *d, const char *s, uint64_t h, const char *path, const char *what,
             unsigned bits, int suffix, uint64_t *out)
{
    uint64_t v = 0;
    if (!s) {
        return 0;
    }
    num_status_t st = parse_u64(s, suffix, &v);
    if (st == NUM_BAD) {
        diag_error(d, diag_line(d, h), path, "%s '%s' is not a number", what, s);
        return 0;
    }
    if (st == NUM_RANGE || (bits < 64 && (v >> bits) != 0)) {
        diag_error(d, diag_line(d, h), path, "%s %s does not fit in %u bits", what, s, bits);
        return 0;
    }
    *out = v;
    return 1;
}

int get_bool(diag_t *d, const char *s, uint64_t h, const char *path, int *out)
{
    if (!s) {
        return 1;
    }
    int b = parse_bool(s);
    if (b < 0) {
        diag_error(d, diag_line(d, h), path, "'%s' is not a boolean", s);
        return 0;
    }
    *out = b;
    return 1;
}

int get_rights(diag_t *d, char **list, unsigned n, uint64_t h, const char *path, uint8_t *out)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } names[] = {
        {"Write", Sigil_CanWrite},
        {"Read", Sigil_CanRead},
        {"Grant", Sigil_CanGrant},
        {"GrantReply", Sigil_CanGrantReply},
    };
    uint8_t r = 0;
    int ok = 1;
    for (unsigned i = 0; i < n; i++) {
        size_t k = 0;
        while (k < 4 && strcmp(list[i], names[k].name) != 0) {
            k++;
        }
        if (k == 4) {
            diag_error(d, diag_line(d, path_index(h, i)), path, "unknown right '%s'", list[i]);
            ok = 0;
        } else {
            r |= names[k].bit;
        }
    }
    *out = r;
    return ok;
}
