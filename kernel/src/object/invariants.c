/*
 * The invariant checker (see invariants.h).
 *
 * Passes: (1) walk the derivation list once, checking links, untyped containment with a
 * stack of untyped ancestors, IRQ handler states, and collecting one entry per object;
 * (2) sort the objects by address (heap sort: no allocation) and check overlap, agreement
 * and alignment; (3) visit each live object's own state (CNode and TCB slots, queues,
 * bindings); (4) the deletion chain and the CancelBadgedSends walk.
 */
#include <lib/kprintf.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/invariants.h>
#include <object/irq.h>
#include <object/notification.h>
#include <object/reply.h>

#define MAX_LIST 100000000u
#define UT_STACK 64u

static char msg[200];
static inv_object_t *objs;
static size_t nobjs;
static size_t max_objs;
static word_t zombies_seen;
static word_t blocked_seen;
static word_t queued_seen;
static word_t tickets_seen;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        ksnprintf(msg, sizeof(msg), __VA_ARGS__);                                                  \
        return msg;                                                                                \
    } while (0)

static word_t addr(const void *p)
{
    return (word_t)(uintptr_t)p;
}

static unsigned obj_type(cap_t c)
{
    if (cap_type(c) != Sigil_CapZombie) {
        return cap_type(c);
    }
    switch (cap_zombie_kind(c)) {
    case ZOMBIE_CNODE:
        return Sigil_CapCNode;
    case ZOMBIE_TCB:
        return Sigil_CapTCB;
    case ZOMBIE_ENDPOINT:
        return Sigil_CapEndpoint;
    default:
        return Sigil_CapNotification;
    }
}

/* Record the object of `c` unless it repeats the previous entry. */
static void collect(cap_t c)
{
    bool zombie_cnode = cap_type(c) == Sigil_CapZombie && cap_zombie_kind(c) == ZOMBIE_CNODE;
    word_t info = (zombie_cnode ? 0 : cap_object_size_bits(c)) | ((word_t)obj_type(c) << 8);
    word_t base = addr(cap_ptr(c));
    if (nobjs > max_objs) {
        return; /* out of room: reported after the walk */
    }
    if (nobjs > 0 && objs[nobjs - 1].base == base && objs[nobjs - 1].info == info) {
        return;
    }
    if (nobjs < max_objs) {
        objs[nobjs] = (inv_object_t){base, info};
    }
    nobjs++;
}

static const char *check_in_untyped(const cte_t *ut, const cte_t *n)
{
    word_t base = addr(cap_ptr(ut->cap));
    word_t limit = base + cap_untyped_watermark(ut->cap);
    word_t b = addr(cap_ptr(n->cap));
    word_t bits = cap_object_size_bits(n->cap);
    if (b < base || b + BIT(bits) > limit) {
        FAIL("object %p (cap type %u) outside untyped %p below watermark %#lx", cap_ptr(n->cap),
             cap_type(n->cap), cap_ptr(ut->cap), (unsigned long)cap_untyped_watermark(ut->cap));
    }
    return NULL;
}

static const char *check_irq_cap(cap_t c)
{
    if (cap_type(c) == Sigil_CapIRQHandler && irq_state(cap_irq(c)) != IRQ_SIGNAL) {
        FAIL("IRQ handler cap for irq %lu but the line is not active", (unsigned long)cap_irq(c));
    }
    return NULL;
}

/* Pass 1: the derivation list. */
static const char *walk_cdt(void)
{
    const cte_t *ut_stack[UT_STACK];
    unsigned depth = 0;
    const cte_t *prev = &cdt_sentinel;
    word_t count = 0;
    for (const cte_t *n = cdt_next(&cdt_sentinel); n != &cdt_sentinel; n = cdt_next(n)) {
        if (n == NULL || cdt_prev(n) != prev || ++count > MAX_LIST) {
            FAIL("derivation list broken at %p (after %lu nodes)", (const void *)n,
                 (unsigned long)count);
        }
        if (cap_is_null(n->cap)) {
            FAIL("empty slot %p linked in the derivation list", (const void *)n);
        }
        while (depth > 0 && !cdt_is_parent_of(ut_stack[depth - 1], n)) {
            depth--;
        }
        const char *e = NULL;
        if (depth > 0 && cap_names_memory(n->cap)) {
            e = check_in_untyped(ut_stack[depth - 1], n);
        }
        if (e == NULL) {
            e = check_irq_cap(n->cap);
        }
        if (e != NULL) {
            return e;
        }
        if (cap_type(n->cap) == Sigil_CapZombie) {
            zombies_seen++;
        }
        if (cap_type(n->cap) == Sigil_CapUntyped) {
            if (depth == UT_STACK) {
                FAIL("untyped %p nested deeper than the checker's %u levels: not checked",
                     cap_ptr(n->cap), UT_STACK);
            }
            ut_stack[depth++] = n;
        } else if (cap_names_memory(n->cap) && cap_type(n->cap) != Sigil_CapUntyped) {
            collect(n->cap);
        }
        prev = n;
    }
    if (cdt_prev(&cdt_sentinel) != prev) {
        FAIL("derivation list: sentinel's prev is not the last node");
    }
    return NULL;
}

/* Heap sort of objs[0..nobjs) by base. */
static bool obj_less(size_t a, size_t b)
{
    return objs[a].base < objs[b].base ||
           (objs[a].base == objs[b].base && objs[a].info < objs[b].info);
}

static void sift(size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n) {
            return;
        }
        if (c + 1 < n && obj_less(c, c + 1)) {
            c++;
        }
        if (!obj_less(root, c)) {
            return;
        }
        inv_object_t t = objs[root];
        objs[root] = objs[c];
        objs[c] = t;
        root = c;
    }
}

static void sort_objects(void)
{
    for (size_t i = nobjs / 2; i-- > 0;) {
        sift(i, nobjs);
    }
    for (size_t n = nobjs; n-- > 1;) {
        inv_object_t t = objs[0];
        objs[0] = objs[n];
        objs[n] = t;
        sift(0, n);
    }
}

/* Pass 2: overlap, agreement, alignment, contiguity. */
static const char *check_objects(void)
{
    for (size_t i = 0; i < nobjs; i++) {
        word_t bits = objs[i].info & 0xff;
        if (!IS_ALIGNED(objs[i].base, bits)) {
            FAIL("object %#lx not aligned to 2^%lu", (unsigned long)objs[i].base,
                 (unsigned long)bits);
        }
        if (i == 0) {
            continue;
        }
        if (objs[i].base == objs[i - 1].base) {
            FAIL("object %#lx named by caps that disagree or are not contiguous",
                 (unsigned long)objs[i].base);
        }
        if (objs[i - 1].base + BIT(objs[i - 1].info & 0xff) > objs[i].base) {
            FAIL("objects %#lx and %#lx overlap", (unsigned long)objs[i - 1].base,
                 (unsigned long)objs[i].base);
        }
    }
    return NULL;
}

/* Whether a live object of cap type `type` starts at `p`. */
static bool live(const void *p, unsigned type)
{
    size_t lo = 0, hi = nobjs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (objs[mid].base < addr(p)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < nobjs && objs[lo].base == addr(p) && (objs[lo].info >> 8) == type;
}

static const char *check_slots(const cte_t *slots, word_t n)
{
    for (word_t i = 0; i < n; i++) {
        const cte_t *s = &slots[i];
        if (cap_is_null(s->cap)) {
            if (s->prev != 0 || s->next != 0) {
                FAIL("empty slot %p has derivation links", (const void *)s);
            }
        } else if (cdt_next(cdt_prev(s)) != s || cdt_prev(cdt_next(s)) != s) {
            FAIL("slot %p holds a cap but is not linked", (const void *)s);
        }
    }
    return NULL;
}

/* A wait queue (endpoint or notification) `head`..`tail` owned by `owner`. */
static const char *check_queue(const void *owner, const tcb_queue_t *q, const tcb_t *cursor,
                               bool *cursor_found)
{
    const tcb_t *head = q->head;
    const tcb_t *prev = NULL;
    for (const tcb_t *t = head; t != NULL; t = t->q_next) {
        if (!live(t, Sigil_CapTCB) || t->q_prev != prev || t->blocked_on != owner) {
            FAIL("queue of %p: thread %p dead or mislinked", owner, (const void *)t);
        }
        if (head->state != t->state) {
            FAIL("queue of %p mixes thread states", owner);
        }
        if (t == cursor) {
            *cursor_found = true;
        }
        queued_seen++;
        prev = t;
    }
    if (q->tail != prev) {
        FAIL("queue of %p: tail is not the last thread", owner);
    }
    return NULL;
}

static bool is_blocked(const tcb_t *t)
{
    return t->state == TCB_BLOCKED_ON_SEND || t->state == TCB_BLOCKED_ON_RECEIVE ||
           t->state == TCB_BLOCKED_ON_NOTIFICATION;
}

static const char *check_tcb(const tcb_t *t)
{
    const char *e = check_slots(t->slots, TCB_NUM_SLOTS);
    if (e != NULL) {
        return e;
    }
    if (is_blocked(t)) {
        unsigned type =
            t->state == TCB_BLOCKED_ON_NOTIFICATION ? Sigil_CapNotification : Sigil_CapEndpoint;
        if (!live(t->blocked_on, type)) {
            FAIL("thread %p blocked on dead object %p", (const void *)t, t->blocked_on);
        }
        blocked_seen++;
    } else if (t->q_next != NULL || t->q_prev != NULL || t->blocked_on != NULL) {
        FAIL("thread %p is not blocked but has queue links", (const void *)t);
    }
    if (t->bound_ntfn != NULL &&
        (!live(t->bound_ntfn, Sigil_CapNotification) || ntfn_bound_tcb(t->bound_ntfn) != t)) {
        FAIL("thread %p bound to a dead or foreign notification", (const void *)t);
    }
    if (t->reply != NULL && (!live(t->reply, Sigil_CapReply) || t->reply->tcb != t)) {
        FAIL("thread %p linked to a dead or foreign reply", (const void *)t);
    }
    if (t->cancel_ep != NULL) {
        tickets_seen++;
    }
    if (t->fault_type != 0 && t->state != TCB_BLOCKED_ON_SEND && t->state != TCB_BLOCKED_ON_REPLY) {
        FAIL("thread %p keeps a fault it no longer sends", (const void *)t);
    }
    return NULL;
}

static const char *check_object(const inv_object_t *o, bool *cursor_found)
{
    void *p = (void *)(uintptr_t)o->base;
    endpoint_walk_t w = endpoint_current_walk();
    switch (o->info >> 8) {
    case Sigil_CapCNode:
        return (o->info & 0xff) == 0 ? NULL
                                     : check_slots(p, BIT((o->info & 0xff) - Sigil_CNodeSlotBits));
    case Sigil_CapTCB:
        return check_tcb(p);
    case Sigil_CapEndpoint: {
        const endpoint_t *ep = p;
        return check_queue(ep, &ep->queue, w.ep == ep ? w.cursor : NULL, cursor_found);
    }
    case Sigil_CapNotification: {
        const notification_t *n = p;
        const tcb_t *b = ntfn_bound_tcb(n);
        if (b != NULL && (!live(b, Sigil_CapTCB) || b->bound_ntfn != n)) {
            FAIL("notification %p bound to a dead or foreign thread", p);
        }
        return check_queue(n, &n->queue, NULL, cursor_found);
    }
    case Sigil_CapReply: {
        const reply_t *r = p;
        if (r->tcb != NULL && (!live(r->tcb, Sigil_CapTCB) || r->tcb->reply != r)) {
            FAIL("reply %p linked to a dead or foreign thread", p);
        }
        return NULL;
    }
    default:
        return NULL;
    }
}

/* Whether the container zombie `parent` is working where `child` says it is: its current
 * slot holds the child, or (after a cycle was found) the chain's bottom. */
static bool parent_works_on(const cte_t *parent, const cte_t *child, const cte_t *bottom)
{
    cap_t p = parent->cap;
    word_t count = cap_zombie_count(p);
    zombie_kind_t k = cap_zombie_kind(p);
    if (count == 0 || k == ZOMBIE_ENDPOINT || k == ZOMBIE_NOTIFICATION) {
        return false;
    }
    const cte_t *cur = delete_zombie_slot(p, count - 1);
    return cur == child || cur == bottom;
}

/* Every CancelBadgedSends ticket is held by a live thread, on the holders' list, and names a
 * live endpoint (deletion forgets the tickets naming an endpoint). */
static const char *check_tickets(void)
{
    const tcb_t *prev = NULL;
    word_t held = 0;
    for (const tcb_t *t = endpoint_ticket_holders(); t != NULL; t = t->cancel_next) {
        if (++held > tickets_seen || !live(t, Sigil_CapTCB) || t->cancel_prev != prev) {
            FAIL("ticket list broken at thread %p", (const void *)t);
        }
        if (t->cancel_ep == NULL || !live(t->cancel_ep, Sigil_CapEndpoint)) {
            FAIL("thread %p holds a CancelBadgedSends ticket for dead endpoint %p", (const void *)t,
                 (const void *)t->cancel_ep);
        }
        prev = t;
    }
    if (held != tickets_seen) {
        FAIL("%lu threads hold a ticket but %lu are on the list", (unsigned long)tickets_seen,
             (unsigned long)held);
    }
    return NULL;
}

/* Pass 4: the deletion chain, the CancelBadgedSends walk and tickets. */
static const char *check_chain(bool cursor_found)
{
    word_t n = 0;
    const cte_t *bottom = delete_chain_top();
    while (bottom != NULL && delete_zombie_parent(bottom) != NULL && n++ <= zombies_seen) {
        bottom = delete_zombie_parent(bottom);
    }
    n = 0;
    for (const cte_t *z = delete_chain_top(); z != NULL; z = delete_zombie_parent(z)) {
        if (cap_type(z->cap) != Sigil_CapZombie || ++n > zombies_seen) {
            FAIL("deletion chain: %p is not a zombie or the chain loops", (const void *)z);
        }
        const cte_t *parent = delete_zombie_parent(z);
        if (parent != NULL && !parent_works_on(parent, z, bottom)) {
            FAIL("deletion chain: zombie %p is not where its parent works", (const void *)z);
        }
    }
    if (n != zombies_seen) {
        FAIL("%lu zombies but %lu on the deletion chain", (unsigned long)zombies_seen,
             (unsigned long)n);
    }
    endpoint_walk_t w = endpoint_current_walk();
    if (w.ep != NULL && (!live(w.ep, Sigil_CapEndpoint) || (w.cursor != NULL && !cursor_found))) {
        FAIL("CancelBadgedSends walk on a dead endpoint or with its cursor outside the queue");
    }
    return check_tickets();
}

static const char *check_irq_table(void)
{
    for (word_t i = 0; i < IRQ_COUNT; i++) {
        cap_t c = irq_notification(i);
        if (!cap_is_null(c) && cap_type(c) != Sigil_CapNotification &&
            cap_type(c) != Sigil_CapZombie) {
            FAIL("IRQ %lu table slot holds a cap of type %u", (unsigned long)i, cap_type(c));
        }
        if (!cap_is_null(c) && irq_state(i) != IRQ_SIGNAL) {
            FAIL("IRQ %lu has a notification but is not active", (unsigned long)i);
        }
    }
    return check_slots(irq_slot(0), IRQ_COUNT);
}

const char *invariants_check(inv_object_t *scratch, size_t scratch_len)
{
    objs = scratch;
    max_objs = scratch_len;
    nobjs = zombies_seen = blocked_seen = queued_seen = tickets_seen = 0;
    const char *e = walk_cdt();
    if (e == NULL) {
        e = check_irq_table();
    }
    if (e != NULL) {
        return e;
    }
    if (nobjs > max_objs) {
        /* Never report "hold" for checks not made: running out of room is a failure. */
        FAIL("checker has room for %lu objects, the system has more: overlaps, queues and "
             "chains not checked",
             (unsigned long)max_objs);
    }
    sort_objects();
    if ((e = check_objects()) != NULL) {
        return e;
    }
    bool cursor_found = false;
    for (size_t i = 0; i < nobjs && e == NULL; i++) {
        e = check_object(&objs[i], &cursor_found);
    }
    if (e == NULL && blocked_seen != queued_seen) {
        FAIL("%lu blocked threads but %lu queued", (unsigned long)blocked_seen,
             (unsigned long)queued_seen);
    }
    return e != NULL ? e : check_chain(cursor_found);
}
