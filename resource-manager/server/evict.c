/*
 * Transparent paging of demand-zero pages: Evict, and giving pages back on the next fault.
 *
 * The invariant (the seed's): a paged client cannot tell, except by time. Evict takes demand-zero
 * pages away from a client: the manager reads each page through a window of its own VSpace (a
 * copy of the frame cap mapped at RM_WINDOW); a page of zeros is dropped, any other is copied
 * into the store, a table in the manager's own memory (RM_STORE_PAGES pages: while it is full,
 * non-zero pages stay where they are). Then the page's allocation is released: its frame is
 * revoked (unmapped from the client, the copy gone too), its memory back in the pool and its
 * charge off the client's quota. A page of a batch (core/batch.c) is unmapped and uncharged
 * instead, and its frame, cleared through the window if it held anything, goes back to the
 * batch as clean; the batch's block goes back to the pool once none of its frames is handed out
 * (so memory comes back batch by batch, which pressure eviction's rounds allow for). The region
 * stays, so the next touch faults as for a fresh page (demand.c); before mapping the new zero frame
 * there, the manager copies the stored contents into it through the window. A dropped page comes
 * back as zeros, which is what it held.
 *
 * The window's page tables are made at boot (boot.c), outside the pool, so that paging needs no
 * pool memory: under memory pressure (rm_pressure_evict) the pool is empty. (Should they be
 * missing, the first eviction makes them, charged to the client being paged.)
 *
 * Memory pressure: when a request or demand fault of one client fails with NoMemory for want of
 * a block of at most one page, the manager takes demand pages from the clients the policy marks
 * `pageable` (never from the client asking), RM_PRESSURE_BATCH at a time, and tries again; each
 * round is an evict event whose `by` is the client that needed the memory.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

#define RM_STORE_PAGES 64u
#define PAGE           SIGIL_PAGE_SIZE

static uint64_t store[RM_STORE_PAGES][PAGE / 8];
static struct {
    uint32_t used;
    uint32_t client;
    uint64_t page;
} stored[RM_STORE_PAGES];

static const rm_word_t rw = Sigil_CanRead | Sigil_CanWrite;

/* A copy of the frame cap in `frame` (own slot) on allocation `e`'s chain, mapped at the window;
 * returns its slot, or 0 with *r set. */
static rm_word_t window_open(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t frame,
                             rm_result_t *r)
{
    rm_word_t copy = rm_core_take_slot(&s->core, e);
    if (!copy) {
        *r = (rm_result_t){.err = Rm_ErrNoMemory};
        return 0;
    }
    if (sigil_cnode_copy(s->own_cnode, rm_own_index(s, copy), s->own_depth, s->own_cnode,
                         rm_own_index(s, frame), s->own_depth, Sigil_AllRights) != 0) {
        rm_core_untake_slot(&s->core, e, copy);
        *r = (rm_result_t){.err = Rm_ErrNoMemory};
        return 0;
    }
    *r = rm_map_with_tables(s, ci, s->boot->vspace, copy, RM_WINDOW, rw);
    if (r->err != Rm_ErrOk) {
        (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, copy), s->own_depth);
        rm_core_untake_slot(&s->core, e, copy);
        return 0;
    }
    return copy;
}

static void window_close(rm_server_t *s, uint32_t e, rm_word_t copy)
{
    (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, copy), s->own_depth); /* unmaps */
    rm_core_untake_slot(&s->core, e, copy);
}

static uint32_t free_store_slot(void)
{
    for (uint32_t k = 0; k < RM_STORE_PAGES; k++) {
        if (!stored[k].used) {
            return k;
        }
    }
    return RM_NONE;
}

/* Read client `ci`'s page at `page` (the frame in own slot `frame`, allocation `e`) through the
 * window: a zero page is dropped (*dropped + 1), any other copied into the store (*kept + 1)
 * and then, if `zero`, cleared in the frame. Returns 1 when the page was taken, 0 when it stays
 * (the store is full), -1 when the window could not be opened (*r says why). */
static int evict_one(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t frame, uint64_t page,
                     int zero, rm_word_t *dropped, rm_word_t *kept, rm_result_t *r)
{
    rm_word_t copy = window_open(s, ci, e, frame, r);
    if (!copy) {
        return -1;
    }
    uint64_t *w = (uint64_t *)(uintptr_t)RM_WINDOW;
    uint64_t any = 0;
    for (unsigned i = 0; i < PAGE / 8; i++) {
        any |= w[i];
    }
    uint32_t k = any ? free_store_slot() : RM_NONE;
    if (any && k == RM_NONE) {
        window_close(s, e, copy); /* the store is full: this page stays */
        return 0;
    }
    if (any) {
        for (unsigned i = 0; i < PAGE / 8; i++) {
            store[k][i] = w[i];
        }
        if (zero) {
            for (unsigned i = 0; i < PAGE / 8; i++) {
                w[i] = 0; /* clean again: the client's next fault may take this frame */
            }
        }
        stored[k].used = 1;
        stored[k].client = ci;
        stored[k].page = page;
        s->core.clients[ci].stored_pages++;
        (*kept)++;
    } else {
        (*dropped)++;
    }
    window_close(s, e, copy);
    return 1;
}

/* Take up to `max` pages (*dropped + *kept so far) of batch allocation `e`, last frame first:
 * each page taken is unmapped and its frame, zero again, goes back to the batch uncharged; the
 * batch is released when none is left handed out. Returns -1 when the window failed (*r), else
 * 0. */
static int evict_batch(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t max, rm_word_t *dropped,
                       rm_word_t *kept, rm_result_t *r)
{
    rm_core_t *c = &s->core;
    const rm_alloc_t *al = &c->allocs[e];
    const rm_batch_t *x = &c->batches[al->batch];
    for (unsigned i = al->count; i-- > 0 && *dropped + *kept < max;) {
        if (!(x->handed & (1u << i))) {
            continue;
        }
        rm_word_t frame = al->dest + i;
        int t = evict_one(s, ci, e, frame, x->page[i], 1, dropped, kept, r);
        if (t < 0) {
            return -1;
        }
        if (t == 0) {
            continue;
        }
        (void)sigil_frame_unmap(frame);
        int last = x->nhanded == 1;
        (void)rm_core_batch_give(c, e, i, 1);
        if (last) {
            break; /* the batch is released */
        }
    }
    return 0;
}

/* Take up to `max` demand pages of client `ci`, most recent first: a zero page is dropped, any
 * other stored (while the store has room; else it stays). *r is Ok, or why the window could not
 * be opened (what was taken so far stays taken). */
static void evict_pages(rm_server_t *s, uint32_t ci, rm_word_t max, rm_word_t *dropped,
                        rm_word_t *stored_n, rm_result_t *r)
{
    rm_core_t *c = &s->core;
    rm_word_t kept = 0;
    uint32_t next;
    *r = (rm_result_t){.err = Rm_ErrOk};
    *dropped = 0;
    for (uint32_t e = c->clients[ci].allocs; e != RM_NONE && *dropped + kept < max; e = next) {
        next = c->allocs[e].next;
        rm_alloc_t *al = &c->allocs[e];
        if (al->batch != RM_NONE) {
            if (evict_batch(s, ci, e, max, dropped, &kept, r) < 0) {
                break;
            }
            continue;
        }
        if (!al->page) {
            continue;
        }
        int t = evict_one(s, ci, e, al->dest, al->page, 0, dropped, &kept, r);
        if (t < 0) {
            break;
        }
        if (t > 0) {
            (void)rm_core_release(c, e); /* the frame goes: unmapped from the client, uncharged */
        }
    }
    *stored_n = kept;
}

void rm_evict(rm_server_t *s, uint32_t by, const rm_word_t *msg, rm_answer_t *a)
{
    rm_core_t *c = &s->core;
    uint32_t ci = rm_core_client(c, msg[0]);
    if (ci == RM_NONE || !c->clients[ci].live) {
        a->r = (rm_result_t){.err = Rm_ErrInvalidArgument, .detail = {0, 0}};
        return;
    }
    rm_word_t dropped = 0, kept = 0;
    evict_pages(s, ci, msg[1], &dropped, &kept, &a->r);
    if (dropped + kept > 0 || a->r.err == Rm_ErrOk) {
        a->r = (rm_result_t){.err = Rm_ErrOk};
        a->words[RM_EVICT_DROPPED] = dropped;
        a->words[RM_EVICT_STORED] = kept;
        a->nwords = 2;
        sigil_printf(RM_EVENT_EVICT, c->clients[ci].name, c->clients[by].name,
                     (unsigned long)dropped, (unsigned long)kept);
    }
}

unsigned rm_pressure_evict(rm_server_t *s, uint32_t ci)
{
    rm_core_t *c = &s->core;
    if (c->short_bits > Sigil_Frame4KBits) {
        return 0; /* pages a page apart would rarely make a larger block: no paging for it */
    }
    for (uint32_t n = 0; n < c->nclients; n++) {
        uint32_t v = (s->pressure_next + n) % c->nclients;
        const rm_client_t *vc = &c->clients[v];
        if (v == ci || !vc->live || !vc->pageable) {
            continue;
        }
        rm_word_t dropped = 0, kept = 0;
        rm_result_t r;
        evict_pages(s, v, RM_PRESSURE_BATCH, &dropped, &kept, &r);
        if (dropped + kept == 0) {
            continue;
        }
        s->pressure_next = (v + 1) % c->nclients;
        sigil_printf(RM_EVENT_EVICT, vc->name, c->clients[ci].name, (unsigned long)dropped,
                     (unsigned long)kept);
        return (unsigned)(dropped + kept);
    }
    return 0;
}

int rm_evict_restore(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t page, rm_word_t frame,
                     rm_result_t *r)
{
    if (s->core.clients[ci].stored_pages == 0) {
        return 0; /* nothing of its stored: a zero page is right */
    }
    uint32_t k = 0;
    while (k < RM_STORE_PAGES &&
           !(stored[k].used && stored[k].client == ci && stored[k].page == page)) {
        k++;
    }
    if (k == RM_STORE_PAGES) {
        return 0; /* never stored: a zero page is right */
    }
    rm_word_t copy = window_open(s, ci, e, frame, r);
    if (!copy) {
        return -1;
    }
    uint64_t *w = (uint64_t *)(uintptr_t)RM_WINDOW;
    for (unsigned i = 0; i < PAGE / 8; i++) {
        w[i] = store[k][i];
    }
    window_close(s, e, copy);
    stored[k].used = 0;
    s->core.clients[ci].stored_pages--;
    return 1;
}

void rm_evict_forget(rm_server_t *s, uint32_t ci)
{
    s->core.clients[ci].stored_pages = 0;
    for (uint32_t k = 0; k < RM_STORE_PAGES; k++) {
        if (stored[k].used && stored[k].client == ci) {
            stored[k].used = 0;
        }
    }
}
