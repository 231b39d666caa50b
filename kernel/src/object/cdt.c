/*
 * The capability derivation tree as one circular, doubly linked list in depth-first order.
 *
 * See cdt.h for the representation. Each function here is a handful of pointer updates; the
 * callers (cnode.c, untyped.c, delete.c) have checked everything beforehand, so these only
 * assert their preconditions.
 */
#include <lib/assert.h>
#include <lib/kstate.h>
#include <object/cdt.h>

KSTATE cte_t cdt_sentinel;

static void set_prev(cte_t *s, cte_t *p)
{
    s->prev = (uintptr_t)p | (s->prev & CDT_FLAGS);
}

static void link_after(cte_t *pos, cte_t *s, uintptr_t flags)
{
    cte_t *n = cdt_next(pos);
    s->prev = (uintptr_t)pos | flags;
    s->next = (uintptr_t)n;
    set_prev(n, s);
    pos->next = (uintptr_t)s;
}

void cdt_init(void)
{
    cdt_sentinel.cap = cap_null();
    cdt_sentinel.prev = (uintptr_t)&cdt_sentinel;
    cdt_sentinel.next = (uintptr_t)&cdt_sentinel;
}

static void assert_empty(const cte_t *s)
{
    kassert(cap_is_null(s->cap) && s->prev == 0 && s->next == 0);
    (void)s;
}

void cdt_insert_root(cte_t *dest, cap_t cap)
{
    assert_empty(dest);
    dest->cap = cap;
    link_after(cdt_prev(&cdt_sentinel), dest, CDT_REVOCABLE | CDT_FIRST_BADGED);
}

void cdt_insert_derived(cte_t *parent, cte_t *dest, cap_t cap)
{
    assert_empty(dest);
    kassert(!cap_is_null(parent->cap) && !cap_is_null(cap));
    bool rev = cap_is_revocable(cap, parent->cap);
    dest->cap = cap;
    link_after(parent, dest, rev ? (CDT_REVOCABLE | CDT_FIRST_BADGED) : 0);
}

void cdt_insert_new(cte_t *parent, cte_t *dest, cap_t cap)
{
    assert_empty(dest);
    kassert(cap_type(parent->cap) == Sigil_CapUntyped);
    dest->cap = cap;
    link_after(parent, dest, CDT_REVOCABLE | CDT_FIRST_BADGED);
}

void cdt_move(cte_t *src, cte_t *dest, cap_t cap)
{
    if (src == dest) {
        src->cap = cap;
        return;
    }
    assert_empty(dest);
    cte_t *p = cdt_prev(src);
    cte_t *n = cdt_next(src);
    *dest = *src;
    dest->cap = cap;
    p->next = (uintptr_t)dest;
    set_prev(n, dest);
    src->cap = cap_null();
    src->prev = 0;
    src->next = 0;
}

void cdt_swap(cte_t *a, cap_t cap_a, cte_t *b, cap_t cap_b)
{
    kassert(a != b);
    cte_t tmp = {.cap = cap_null(), .prev = 0, .next = 0};
    cdt_move(a, &tmp, cap_a);
    cdt_move(b, a, cap_b);
    cdt_move(&tmp, b, cap_a);
}

void cdt_remove(cte_t *slot)
{
    kassert(!cap_is_null(slot->cap) && slot != &cdt_sentinel);
    cte_t *p = cdt_prev(slot);
    cte_t *n = cdt_next(slot);
    p->next = (uintptr_t)n;
    set_prev(n, p);
    /* A copy that followed a first-badged cap now starts its badge's run itself. */
    if (n != &cdt_sentinel && cdt_first_badged(slot)) {
        n->prev |= CDT_FIRST_BADGED;
    }
    slot->cap = cap_null();
    slot->prev = 0;
    slot->next = 0;
}

bool cdt_is_parent_of(const cte_t *a, const cte_t *b)
{
    if (!cdt_revocable(a) || !cap_same_region_as(a->cap, b->cap)) {
        return false;
    }
    if (cap_has_badge(a->cap) && cap_type(a->cap) == cap_type(b->cap)) {
        word_t badge = cap_badge(a->cap);
        return badge == 0 || (badge == cap_badge(b->cap) && !cdt_first_badged(b));
    }
    return true;
}

bool cdt_has_children(const cte_t *slot)
{
    const cte_t *n = cdt_next(slot);
    return n != &cdt_sentinel && cdt_is_parent_of(slot, n);
}

bool cdt_is_final(const cte_t *slot)
{
    const cte_t *p = cdt_prev(slot);
    const cte_t *n = cdt_next(slot);
    return !cap_same_object_as(p->cap, slot->cap) && !cap_same_object_as(slot->cap, n->cap);
}
