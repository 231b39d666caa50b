/*
 * The in-QEMU test framework (see ktest.h).
 */
#include "ktest.h"

#include <sigil/runtime.h>

static int checks, failures;

void ktest_check(const char *id, const char *expr, uint64_t got, uint64_t want)
{
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
