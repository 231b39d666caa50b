/*
 * A tiny in-QEMU test framework for root-task test programs.
 *
 * Each check has a stable id of its own (e.g. "CNODE-COPY-003": the label up to its first space;
 * a reused id fails the check) and prints `PASS id` or
 * `FAIL id: expr = got, want want`. ktest_finish() prints the totals; a test program returns
 * its result, so the kernel powers off with status 0 only when every check passed.
 */
#ifndef TESTS_QEMU_KTEST_H
#define TESTS_QEMU_KTEST_H

#include <stdint.h>

#define KTEST_EQ(id, got, want) ktest_check((id), #got, (uint64_t)(got), (uint64_t)(want))

void ktest_check(const char *id, const char *expr, uint64_t got, uint64_t want);

/* Print the summary line `ktest: N checks, M failed`; returns M (0 = all passed). */
int ktest_finish(void);

#endif /* TESTS_QEMU_KTEST_H */
