/*
 * Transparent paging of demand-zero pages: Evict, and giving pages back on the next fault.
 *
 * The invariant (the seed's): a paged client cannot tell, except by time. Evict takes demand-zero
 * pages away from a client: the manager reads each page through a window of its own VSpace (a
 * copy of the frame cap mapped at RM_WINDOW); a page of zeros is dropped, any other is copied
 * into the store, a table in the manager's own memory (RM_STORE_PAGES pages: while it is full,
 * non-zero pages stay where they are). Then the page's allocation is released: its frame is
 * revoked (unmapped from the client, the copy gone too), its memory back in the pool and its
 * charge off the client's quota. The region stays, so the next touch faults as for a fresh page
 * (demand.c); before mapping the new zero frame there, the manager copies the stored contents
 * into it through the window. A dropped page comes back as zeros, which is what it held.
 *
 * The window's page tables are made when first needed, charged to the client being paged (they
 * are made on its behalf), and go when that client ends; a client at its quota without them
 * gets OutOfQuota from Evict and nothing changes.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

#define RM_STORE_PAGES 64u
#define RM_WINDOW      0x7ff000000000ull /* one page of the manager's VSpace, nothing else there */
#define PAGE           4096u

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

void rm_evict(rm_server_t *s, uint32_t by, const rm_word_t *msg, rm_answer_t *a)
{
    rm_core_t *c = &s->core;
    uint32_t ci = rm_core_client(c, msg[0]);
    if (ci == RM_NONE || !c->clients[ci].live) {
        a->r = (rm_result_t){.err = Rm_ErrInvalidArgument, .detail = {0, 0}};
        return;
    }
    rm_word_t dropped = 0, kept = 0;
    uint32_t next;
    for (uint32_t e = c->clients[ci].allocs; e != RM_NONE && dropped + kept < msg[1]; e = next) {
        next = c->allocs[e].next;
        rm_alloc_t *al = &c->allocs[e];
        if (!al->page) {
            continue;
        }
        rm_word_t copy = window_open(s, ci, e, al->dest, &a->r);
        if (!copy) {
            break; /* a->r says why; what was evicted so far stays evicted */
        }
        const uint64_t *w = (const uint64_t *)(uintptr_t)RM_WINDOW;
        uint64_t any = 0;
        for (unsigned i = 0; i < PAGE / 8; i++) {
            any |= w[i];
        }
        uint32_t k = any ? free_store_slot() : RM_NONE;
        if (any && k == RM_NONE) {
            window_close(s, e, copy); /* the store is full: this page stays */
            continue;
        }
        if (any) {
            for (unsigned i = 0; i < PAGE / 8; i++) {
                store[k][i] = w[i];
            }
            stored[k].used = 1;
            stored[k].client = ci;
            stored[k].page = al->page;
            c->clients[ci].stored_pages++;
            kept++;
        } else {
            dropped++;
        }
        window_close(s, e, copy);
        (void)rm_core_release(c, e); /* the frame goes: unmapped from the client, uncharged */
    }
    if (dropped + kept > 0 || a->r.err == Rm_ErrOk) {
        a->r = (rm_result_t){.err = Rm_ErrOk};
        a->words[RM_EVICT_DROPPED] = dropped;
        a->words[RM_EVICT_STORED] = kept;
        a->nwords = 2;
        sigil_printf(RM_EVENT_EVICT, c->clients[ci].name, c->clients[by].name,
                     (unsigned long)dropped, (unsigned long)kept);
    }
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
    return 0;
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
