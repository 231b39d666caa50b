/*
 * A minimal check macro for the spec tests: report the failed condition with its location and
 * count it; the test's main returns non-zero if `failures` is not zero at the end.
 */
#ifndef SPEC_TEST_CHECK_H
#define SPEC_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#endif /* SPEC_TEST_CHECK_H */
