/*
 * The C library in a component (tests/loader/libc.yaml): picolibc's snprintf, string.h and
 * stdlib.h give exact, known results, malloc hands out the spec's heap region and nothing
 * outside it, and printf reaches the kernel console. Each check prints the line and the
 * expression when it fails; the last line counts the checks that passed.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sigil/heap.h>
#include <sigil/runtime.h>

static int passed, failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            printf("libc: FAILED line %d: %s\n", __LINE__, #cond);                                 \
        }                                                                                          \
    } while (0)

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void check_snprintf(void)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%d|%5s|%-4x|%lu|%c|%%|%08.3f", -42, "ab", 0xbe,
                     1234567890123ul, 'z', 3.14159);
    CHECK(strcmp(buf, "-42|   ab|be  |1234567890123|z|%|0003.142") == 0);
    CHECK(n == 41);
    n = snprintf(buf, 8, "%s", "0123456789");
    CHECK(n == 10 && strcmp(buf, "0123456") == 0);
    CHECK(snprintf(NULL, 0, "%llx", 0xdeadbeefcafeull) == 12);
}

static void check_string(void)
{
    char buf[32] = "hello, world";
    CHECK(strlen(buf) == 12);
    CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0);
    CHECK(strncmp("component", "compose", 5) == 0);
    CHECK(strchr(buf, 'o') == buf + 4 && strrchr(buf, 'o') == buf + 8);
    CHECK(strstr(buf, "world") == buf + 7 && strstr(buf, "moon") == NULL);
    memmove(buf + 2, buf, 5); /* overlapping: "hehello world" */
    CHECK(memcmp(buf, "hehellorld", 7) == 0);
    memset(buf, 'x', 3);
    CHECK(memcmp(buf, "xxxello", 7) == 0);
    char dst[8];
    strncpy(dst, "abc", sizeof dst);
    CHECK(strcmp(dst, "abc") == 0 && dst[7] == '\0');
    CHECK(strspn("aabbc", "ab") == 4 && strcspn("hello", "l") == 2);
}

static void check_stdlib(void)
{
    char *end;
    CHECK(strtol("-0x1f", &end, 0) == -31 && *end == '\0');
    CHECK(strtoul("777", NULL, 8) == 511);
    CHECK(atoi("  42x") == 42);
    errno = 0;
    CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE);
    int v[] = {5, -3, 9, 0, 7, -8};
    qsort(v, 6, sizeof v[0], compare_ints);
    CHECK(v[0] == -8 && v[1] == -3 && v[2] == 0 && v[3] == 5 && v[4] == 7 && v[5] == 9);
    int key = 7;
    CHECK(bsearch(&key, v, 6, sizeof v[0], compare_ints) == &v[4]);
    div_t d = div(-17, 5);
    CHECK(d.quot == -3 && d.rem == -2 && abs(-12) == 12 && labs(-5l) == 5);
}

/* Is [p, p + n) inside the heap region the spec declared? */
static int in_heap(const void *p, size_t n)
{
    uintptr_t a = (uintptr_t)p;
    return a >= sigil_heap_region.start && a + n <= sigil_heap_region.end;
}

static void check_malloc(void)
{
    /* The spec's heap: 64 KiB at 0x1000_0000. */
    CHECK(sigil_heap_region.start == 0x10000000 && sigil_heap_region.end == 0x10010000);
    char *a = malloc(100), *b = malloc(1000);
    CHECK(a && b && in_heap(a, 100) && in_heap(b, 1000) && (a + 100 <= b || b + 1000 <= a));
    memset(a, 0xa5, 100);
    memset(b, 0x5a, 1000);
    CHECK((unsigned char)a[99] == 0xa5 && (unsigned char)b[0] == 0x5a);
    strcpy(a, "kept by realloc");
    char *c = realloc(a, 4000);
    CHECK(c && in_heap(c, 4000) && strcmp(c, "kept by realloc") == 0);
    int *z = calloc(256, sizeof(int));
    int zero = z != NULL && in_heap(z, 256 * sizeof(int));
    for (int i = 0; zero && i < 256; i++) {
        zero = z[i] == 0;
    }
    CHECK(zero);
    free(b);
    free(c);
    free(z);
    errno = 0;
    CHECK(malloc(64 * 1024) == NULL && errno == ENOMEM); /* more than the whole heap */
    void *again = malloc(32 * 1024);                     /* what was freed is reused */
    CHECK(again && in_heap(again, 32 * 1024));
    free(again);
}

int main(const void *arg)
{
    (void)arg;
    check_snprintf();
    check_string();
    check_stdlib();
    check_malloc();
    printf("libc: printf reaches the console: %s %d\n", "picolibc", 16);
    sigil_printf("libc: sigil_printf still works: %x\n", 0x5161u);
    printf("libc: %d checks passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
