/*
 * The in-QEMU test framework (see ktest.h).
 *
 * Ids are checked as the checks run: a second check with an id already used fails, so every
 * PASS line names one check and a test can pin an image's exact count of checks.
 */
#include "ktest.h"

#include <sigil/runtime.h>

#define KTEST_MAX_CHECKS 512

static int checks, failures;
static const char *ids[KTEST_MAX_CHECKS];

/* The id is the label up to its first space: "SMC-010a revoke the master" -> "SMC-010a". */
static int same_id(const char *a, const char *b)
{
    for (; *a == *b; a++, b++) {
        if (*a == ' ' || *a == '\0') {
            return 1;
        }
    }
    return (*a == ' ' || *a == '\0') && (*b == ' ' || *b == '\0');
}

static int id_is_new(const char *id)
{
    int n = checks < KTEST_MAX_CHECKS ? checks : KTEST_MAX_CHECKS;
    for (int i = 0; i < n; i++) {
        if (same_id(ids[i], id)) {
            return 0;
        }
    }
    return 1;
}

void ktest_check(const char *id, const char *expr, uint64_t got, uint64_t want)
{
    if (!id_is_new(id)) {
        failures++;
        sigil_printf("FAIL %s: the id of an earlier check\n", id);
    } else if (checks >= KTEST_MAX_CHECKS) {
        failures++;
        sigil_printf("FAIL %s: more than %d checks in one image\n", id, KTEST_MAX_CHECKS);
    } else {
        ids[checks] = id;
    }
    checks++;
    if (got == want) {
        sigil_printf("PASS %s\n", id);
        return;
    }
    failures++;
    sigil_printf("FAIL %s: %s = 0x%llx, want 0x%llx\n", id, expr, (unsigned long long)got,
                 (unsigned long long)want);
}

int ktest_finish(void)
{
    sigil_printf("ktest: %d checks, %d failed\n", checks, failures);
    return failures;
}
