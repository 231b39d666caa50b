/*
 * The kernel operations the manager's core needs, as an interface.
 *
 * The core (buddy allocator, accounting, allocation table) is plain C with no system calls, so
 * the host unit tests can run it against a model of the kernel's untyped semantics
 * (tests/rm/kmodel.c) and the manager runs it against the real kernel (server/kernel.c). Every
 * operation returns the kernel's error code (0 = success) and, on error, changed nothing — the
 * kernel's decode-then-invoke contract; the core relies on it to leave no trace of a failed
 * request.
 *
 * Slots of the manager's own CSpace are named by their cptr (the manager's CSpace root is one
 * CNode addressed at depth 64, so slot number = cptr).
 */
#ifndef RM_CORE_KOPS_H
#define RM_CORE_KOPS_H

#include <stdint.h>

typedef uint64_t rm_word_t;

typedef struct rm_kops {
    /* Retype the untyped in own slot `ut` into two untypeds of 2^child_bits bytes, in own slots
     * `first` and `first + 1`. */
    rm_word_t (*split)(void *ctx, rm_word_t ut, unsigned child_bits, rm_word_t first);
    /* Revoke the cap in own slot `slot`: delete every cap derived from it, anywhere. */
    rm_word_t (*revoke)(void *ctx, rm_word_t slot);
    /* Retype `count` objects of kernel type `type` (size `size_bits` for Untyped and CNode) from
     * the untyped in own slot `ut` into slots dest .. dest+count-1 of the CNode `cnode` (a cptr
     * of the manager's CSpace; the client's CSpace root or the manager's own). */
    rm_word_t (*retype)(void *ctx, rm_word_t ut, unsigned type, unsigned size_bits, rm_word_t cnode,
                        rm_word_t dest, rm_word_t count);
} rm_kops_t;

#endif /* RM_CORE_KOPS_H */
