/*
 * Capability slots and the capability derivation tree (CDT).
 *
 * A slot (cte_t, 32 bytes = 2^Sigil_CNodeSlotBits) holds a cap and its CDT node. The tree is
 * stored as seL4 stores it: one doubly linked list in depth-first order, so that a cap's
 * descendants are exactly the run of nodes after it for which cdt_is_parent_of(cap, node)
 * holds. Two flags per node make that decidable locally: `revocable` (this cap may have
 * children: untyped caps, IRQ handlers from IRQ control, caps whose badge differs from their
 * source, and every cap made by retype) and `first_badged` (this badged cap starts a new run
 * of its badge, so it is not a child of an earlier cap with the same badge).
 *
 * Sigil keeps all live slots on one circular list through a static sentinel node (which
 * holds the null cap and is never anyone's parent), so the invariant checker can visit every
 * cap. A slot is empty exactly when it holds the null cap; an empty slot is on no list.
 *
 * Properties the rest of the kernel relies on (checked by invariants.c):
 *  - a child is inserted right after its parent, so all caps to one object are contiguous;
 *    cdt_is_final() therefore only has to look at the two neighbours;
 *  - every operation here is O(1).
 */
#ifndef OBJECT_CDT_H
#define OBJECT_CDT_H

#include <object/cap.h>

typedef struct cte {
    _Alignas(32) cap_t cap; /* null cap <=> slot empty and unlinked */
    uintptr_t prev;         /* previous node | revocable (bit 0) | first_badged (bit 1) */
    uintptr_t next;         /* next node (never NULL while linked: the list is circular) */
} cte_t;

_Static_assert(sizeof(cte_t) == (1u << Sigil_CNodeSlotBits), "slot size is part of the ABI");

#define CDT_REVOCABLE    1u
#define CDT_FIRST_BADGED 2u
#define CDT_FLAGS        3u

/* The sentinel that starts and ends the list. */
extern cte_t cdt_sentinel;

/* Reset the tree to empty. Only for boot and host tests (no slot may be linked). */
void cdt_init(void);

static inline cte_t *cdt_next(const cte_t *s)
{
    return (cte_t *)s->next;
}
static inline cte_t *cdt_prev(const cte_t *s)
{
    return (cte_t *)(s->prev & ~(uintptr_t)CDT_FLAGS);
}
static inline bool cdt_revocable(const cte_t *s)
{
    return (s->prev & CDT_REVOCABLE) != 0;
}
static inline bool cdt_first_badged(const cte_t *s)
{
    return (s->prev & CDT_FIRST_BADGED) != 0;
}

/* Put `cap` into empty `dest` as a root of the tree (boot time). Revocable. */
void cdt_insert_root(cte_t *dest, cap_t cap);

/* Put `cap`, derived from the cap in `parent`, into empty `dest` right after `parent`.
 * Revocability follows cap_is_revocable(cap, parent->cap). */
void cdt_insert_derived(cte_t *parent, cte_t *dest, cap_t cap);

/* Put `cap`, a cap to an object just made by retype, into empty `dest` right after the
 * untyped in `parent`. Revocable and first_badged, as for every fresh object. */
void cdt_insert_new(cte_t *parent, cte_t *dest, cap_t cap);

/* Move the cap in `src` (replaced by `cap`, which must name the same thing) to empty `dest`,
 * keeping its place in the tree. `src` becomes empty. src == dest is allowed. */
void cdt_move(cte_t *src, cte_t *dest, cap_t cap);

/* Exchange the contents of two non-empty slots, writing `cap_a` (the cap from `a`, maybe
 * updated) into `b` and `cap_b` into `a`; tree positions travel with the caps. */
void cdt_swap(cte_t *a, cap_t cap_a, cte_t *b, cap_t cap_b);

/* Unlink `slot` and make it empty. Its children become children of its parent. */
void cdt_remove(cte_t *slot);

/* Whether the cap in `b` is a child of the cap in `a`, given that b follows a (directly or
 * through a's other descendants). */
bool cdt_is_parent_of(const cte_t *a, const cte_t *b);

/* Whether the cap in `slot` has any descendant. O(1). */
bool cdt_has_children(const cte_t *slot);

/* Whether the cap in `slot` is the last cap to its object. O(1). */
bool cdt_is_final(const cte_t *slot);

#endif /* OBJECT_CDT_H */
