/*
 * Shared fixture for the core's host tests: a booted kernel state over the host arena, a
 * caller thread (the root TCB), helpers to invoke caps by CPtr, run preempted calls to
 * completion, snapshot the whole state to prove an error changed nothing, and run the
 * invariant checker.
 */
#ifndef TESTS_CORE_FIXTURE_H
#define TESTS_CORE_FIXTURE_H

#include "host_arch.h"

#include <api/invocation.h>
#include <api/labels.h>
#include <kernel/boot_caps.h>
#include <object/invariants.h>
#include <stdio.h>

#define FX_RADIX       12u
#define FX_NO_CAP      (~0ull)
#define FX_DEVICE_BASE (HOST_PHYS_BASE + 0x8000)
#define FX_DEVICE_END  (HOST_PHYS_BASE + 0x10000)

extern boot_state_t fx;
extern int fx_failures;
extern int fx_cases;
/* fx_call runs the invariant checker after every `fx_check_every`-th call (default 1: after
 * each; bulk set-up loops raise it). */
extern unsigned fx_check_every;

/* Boot a fresh kernel over a 2^arena_bits arena (RAM from 64 KiB up, device 32-64 KiB). */
void fx_boot(unsigned arena_bits);
/* The same with a root CNode of 2^radix slots. */
void fx_boot_with(unsigned arena_bits, unsigned radix);

tcb_t *fx_caller(void);
cte_t *fx_slot(word_t index);
/* Slot index of the largest RAM untyped. */
word_t fx_big_untyped(void);
/* Slot index of the device untyped. */
word_t fx_device_untyped(void);
/* First free root slot (above everything boot placed). */
word_t fx_free_slot(void);

/* Invoke the cap at `cptr` (root CNode index) with `label`, `n` args and `ne` extra caps
 * (root indices; FX_NO_CAP for a missing one). One attempt: may return PREEMPTED. */
sigil_status_t fx_call(invocation_t *inv, word_t cptr, word_t label, unsigned n, const word_t *args,
                       unsigned ne, const word_t *extra);
/* Repeat fx_call until it is not PREEMPTED; *restarts counts the re-executions. */
sigil_status_t fx_call_all(invocation_t *inv, word_t cptr, word_t label, unsigned n,
                           const word_t *args, unsigned ne, const word_t *extra,
                           unsigned long *restarts);

/* Common invocations (run to completion, no preemption). Return the status. */
sigil_status_t fx_retype(word_t ut, word_t type, word_t size_bits, word_t dest, word_t count);
sigil_status_t fx_copy(word_t dest, word_t src, word_t rights);
sigil_status_t fx_mint(word_t dest, word_t src, word_t rights, word_t data);
sigil_status_t fx_delete(word_t slot);
sigil_status_t fx_revoke(word_t slot);

/* Run the invariant checker; a violation is a test failure. */
void fx_check(const char *where);

/* Snapshot all kernel state; fx_unchanged() compares it with the present. */
void fx_snapshot(void);
bool fx_unchanged(void);

/* Expect an error reply: status ERROR, label `code`, and (if n > 0) the first n words. */
void fx_expect_error(const char *where, sigil_status_t st, const invocation_t *inv,
                     sigil_error_t code, unsigned n, const word_t *words);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            fx_failures++;                                                                         \
        }                                                                                          \
    } while (0)

/* Snapshot, run `call` (which fills the local `inv_`), expect error `code` with detail words,
 * and that nothing changed. Counts one case. */
#define EXPECT(name, code, call, ...)                                                              \
    do {                                                                                           \
        invocation_t inv_;                                                                         \
        fx_snapshot();                                                                             \
        sigil_status_t st_ = call;                                                                 \
        fx_expect_error(name, st_, &inv_, code, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__));            \
        fx_cases++;                                                                                \
    } while (0)

#define ARGS(...)  ((const word_t[]){__VA_ARGS__})
#define NARGS(...) (sizeof((const word_t[]){__VA_ARGS__}) / sizeof(word_t))

/* Print the summary and return the process exit status. */
int fx_finish(const char *name);

#endif /* TESTS_CORE_FIXTURE_H */
