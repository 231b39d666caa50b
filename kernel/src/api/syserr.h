/*
 * Errors of invocations, returned as values.
 *
 * A decode step returns a syserr_t: code Sigil_NoError, or one of seL4's error codes with
 * its details (the words a Call receives as message registers, see KERNEL-FACTS). There are
 * no global error variables: the detail travels with the code.
 *
 * Reasons (seL4's userError). Every error site says in a few words which check failed:
 * SYSERR(code, a0, a1, "why") and SYSERR_LOOKUP(source, fault, "why"). A debug kernel
 * (SIGIL_DEBUG) keeps the text in the error and prints it for threads that ask (TCB flag
 * PrintErrors, api/invoke.c); in a release kernel these macros drop the text before
 * compilation, so the release image holds none of it and its errors are what they were.
 */
#ifndef API_SYSERR_H
#define API_SYSERR_H

#include <object/types.h>
#include <sigil/abi.h>

#if defined(SIGIL_DEBUG) && SIGIL_DEBUG
#define SYSERR_REASONS 1
#else
#define SYSERR_REASONS 0
#endif

/* Why a CSpace lookup failed (seL4's lookup failure), with its detail words. */
typedef struct lookup_fault {
    sigil_lookup_failure_t type;
    word_t bits_left;   /* MissingCapability, DepthMismatch, GuardMismatch */
    word_t bits_found;  /* DepthMismatch: bits the level needed; GuardMismatch: guard size */
    word_t guard_found; /* GuardMismatch: the guard of the CNode cap */
} lookup_fault_t;

typedef struct syserr {
    sigil_error_t code;
    word_t arg0;          /* InvalidArgument / InvalidCapability: index; RangeError: min;
                             NotEnoughMemory: bytes left */
    word_t arg1;          /* RangeError: max */
    bool lookup_source;   /* FailedLookup: the source (not the destination) failed */
    lookup_fault_t fault; /* FailedLookup */
#if SYSERR_REASONS
    const char *reason; /* which check failed (a string literal), NULL if none was given */
#endif
} syserr_t;

/* An error reply's words: FailedLookup's source flag and lookup failure are the most. */
#define SYSERR_MAX_WORDS (1 + SIGIL_LOOKUP_FAILURE_MAX_LENGTH)

static inline syserr_t syserr_make(sigil_error_t code, word_t a0, word_t a1)
{
    /* Field by field: an initializer list lets GCC clear the padding with a memset call. */
    syserr_t e;
    e.code = code;
    e.arg0 = a0;
    e.arg1 = a1;
    e.lookup_source = false;
    e.fault = (lookup_fault_t){Sigil_NoFailure, 0, 0, 0};
#if SYSERR_REASONS
    e.reason = NULL;
#endif
    return e;
}
static inline syserr_t syserr_ok(void)
{
    return syserr_make(Sigil_NoError, 0, 0);
}
static inline syserr_t syserr_lookup(bool source, lookup_fault_t f)
{
    syserr_t e = syserr_make(Sigil_FailedLookup, 0, 0);
    e.lookup_source = source;
    e.fault = f;
    return e;
}
#if SYSERR_REASONS
static inline syserr_t syserr_because(syserr_t e, const char *why)
{
    e.reason = why;
    return e;
}
#define SYSERR(code, a0, a1, why)     syserr_because(syserr_make(code, a0, a1), why)
#define SYSERR_LOOKUP(source, f, why) syserr_because(syserr_lookup(source, f), why)
#else
#define SYSERR(code, a0, a1, why)     syserr_make(code, a0, a1)
#define SYSERR_LOOKUP(source, f, why) syserr_lookup(source, f)
#endif

static inline lookup_fault_t lookup_fault_make(sigil_lookup_failure_t type, word_t left,
                                               word_t found, word_t guard)
{
    lookup_fault_t f = {type, left, found, guard};
    return f;
}
static inline bool syserr_failed(syserr_t e)
{
    return e.code != Sigil_NoError;
}

/* Write a lookup failure as message words (type, then its details): returns the count. */
unsigned lookup_fault_to_words(lookup_fault_t f, word_t *out);

/* Write the message registers of an error reply (label = e.code): returns the count. */
unsigned syserr_to_words(syserr_t e, word_t out[SYSERR_MAX_WORDS]);

#endif /* API_SYSERR_H */
