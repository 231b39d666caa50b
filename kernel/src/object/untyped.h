/*
 * Untyped memory and Untyped_Retype.
 *
 * An untyped cap names a naturally aligned block of 2^size_bits bytes and carries a
 * watermark: the offset below which objects may have been made. Retype places objects at
 * the watermark aligned up to the object size and moves the watermark past them. When the
 * untyped has no children left, Retype first resets it: the watermark goes back to 0 and the
 * memory below it is cleared, one RESET_CHUNK_BYTES chunk per preemption unit, from the top
 * down, the cap's watermark recording the progress. So memory above the watermark of a
 * (non-device) untyped is always zero, and new objects start zeroed without further work.
 * Device untypeds make only frames and untypeds and are never written.
 */
#ifndef OBJECT_UNTYPED_H
#define OBJECT_UNTYPED_H

#include <api/invocation.h>
#include <kernel/preempt.h>

#define RETYPE_FAN_OUT_LIMIT SIGIL_RETYPE_FAN_OUT_LIMIT /* kernel/abi/sigil.yaml */
#define RESET_CHUNK_BITS     8u

typedef struct untyped_op {
    cte_t *slot;       /* the untyped being retyped */
    word_t type;       /* sigil_object_type_t */
    word_t user_size;  /* size_bits argument (Untyped: log2 bytes; CNode: radix) */
    unsigned obj_bits; /* log2 of each object's size */
    bool reset;        /* the untyped has no children: reset it first */
    word_t offset;     /* offset of the first object from the untyped's base */
    cte_t *dest;       /* first destination slot */
    word_t count;      /* number of objects */
} untyped_op_t;

/* log2 of the size of an object of `type` with size argument `user_size`. */
unsigned untyped_object_bits(word_t type, word_t user_size);

/* Decode Untyped_Retype on the untyped cap in `slot` (errors: see KERNEL-FACTS). */
syserr_t untyped_decode(cte_t *slot, const invocation_t *inv, untyped_op_t *op);

/* Reset if needed (preemptible), then make the objects and their caps. */
invoke_result_t untyped_invoke(const untyped_op_t *op);

#endif /* OBJECT_UNTYPED_H */
