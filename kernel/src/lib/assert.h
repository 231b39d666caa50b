/*
 * Kernel assertions and panics.
 *
 * kassert() checks an invariant in debug builds (SIGIL_DEBUG) and compiles to nothing in
 * release builds. kpanic() is for states the kernel cannot continue from: it prints the
 * message and stops the system with a failure status. User input must never reach either:
 * bad input is answered with an error code, not a panic.
 */
#ifndef LIB_ASSERT_H
#define LIB_ASSERT_H

/* Provided by the arch layer (target: report and power off) or the test harness (host). */
_Noreturn void kpanic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#if defined(SIGIL_DEBUG) && SIGIL_DEBUG
#define kassert(cond)                                                                              \
    ((cond) ? (void)0 : kpanic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__))
#else
#define kassert(cond) ((void)0)
#endif

#define KSTATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

#endif /* LIB_ASSERT_H */
