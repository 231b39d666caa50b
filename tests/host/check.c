/*
 * Shared state and summary for the host test harness (check.h).
 */
#include "check.h"

int check_failures;
int check_count;

int check_summary(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}
