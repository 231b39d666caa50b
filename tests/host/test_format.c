/*
 * kvsnprintf: every conversion, flag and length modifier, and truncation at the buffer's end.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "lib/kprintf.h"

static int same(const char *want, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int same(const char *want, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (strcmp(buf, want) != 0 || n != (int)strlen(want)) {
        fprintf(stderr, "format \"%s\": got \"%s\" (%d), want \"%s\"\n", fmt, buf, n, want);
        return 0;
    }
    return 1;
}

int main(void)
{
    CHECK(same("plain", "plain"));
    CHECK(same("42 -42 0", "%d %i %d", 42, -42, 0));
    CHECK(same("-9223372036854775808", "%lld", (long long)INT64_MIN));
    CHECK(same("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX));
    CHECK(same("ff FF", "%x %X", 255u, 255u));
    CHECK(same("0x1000", "%p", (void *)0x1000));
    CHECK(same("[   7] [7   ] [0007]", "[%4d] [%-4d] [%04d]", 7, 7, 7));
    CHECK(same("[-007]", "[%04d]", -7));
    CHECK(same("[  ab]", "[%4s]", "ab"));
    CHECK(same("[ab  ]", "[%-4s]", "ab"));
    const char *volatile nothing = NULL; /* hidden from the compiler's format checks */
    CHECK(same("(null)", "%s", nothing));
    CHECK(same("c%", "%c%%", 'c'));
    CHECK(same("123", "%zu", (size_t)123));
    CHECK(same("-5", "%ld", -5L));
    CHECK(same("0000000000000010", "%016llx", 16ull));

    /* Truncation: always terminated, returns the full length. */
    char small[4];
    int n = ksnprintf(small, sizeof(small), "%s", "abcdef");
    CHECK(n == 6);
    CHECK(strcmp(small, "abc") == 0);
    char none[1] = {'x'};
    CHECK(ksnprintf(none, 0, "abc") == 3);
    CHECK(none[0] == 'x');
    CHECK(ksnprintf(none, 1, "abc") == 3 && none[0] == '\0');
    return check_summary("test_format");
}
