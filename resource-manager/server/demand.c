/*
 * Demand-zero memory: DemandRegion and the VM faults it serves.
 *
 * A region costs nothing until it is touched. The first touch of a page raises a VM fault that
 * the kernel delivers to the manager (the client's fault handler, badge = its id); if the address
 * lies in one of the client's regions, the manager makes a 4 KiB frame as an allocation of the
 * client's (charged: 4 KiB and one object, plus any page table the mapping needs), maps it with
 * the region's rights and answers the fault, which restarts the client at the faulting
 * instruction: it cannot tell, except by time. The frame is zero because the kernel clears
 * untyped memory before it is used again. The common case takes the fast path: the frame is a
 * clean one of a batch made ahead for the client (core/batch.c: one Retype makes up to
 * RM_BATCH_PAGES frames, charged one by one as they are handed out), so the fault costs one
 * kernel call, the mapping. A page no batch can give (none can be made: a quota that pays for
 * one page only, no block of the batch's size, no batch index left) is made on its own. A page the
 * quota cannot pay for ends the client (reason out_of_quota); so does any other VM fault (reason
 * unhandled). A page the pool cannot pay for takes pages from pageable clients first
 * (rm_pressure_evict). Every page is an allocation on the client's list, so it is reclaimed with
 * the rest. A page an eviction stored gets its contents back before it is mapped (evict.c).
 */
#include <sigil/invocations.h>

#include "server.h"

rm_result_t rm_demand_region(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    return rm_core_add_region(&s->core, ci, msg[0], msg[1], msg[2]);
}

/* Make, fill (a page an eviction stored) and map the page at `page` of region `g`. */
static rm_result_t demand_page(rm_server_t *s, uint32_t ci, const rm_region_t *g, rm_word_t page)
{
    rm_core_t *c = &s->core;
    rm_word_t frame;
    uint32_t entry;
    rm_result_t r = rm_core_alloc_own(c, ci, Sigil_Frame4KObject, &frame, &entry);
    if (r.err != Rm_ErrOk) {
        return r;
    }
    if (rm_evict_restore(s, ci, entry, page, frame, &r) >= 0) {
        r = rm_map_into_client(s, ci, frame, page, g->rights);
    }
    if (r.err != Rm_ErrOk) {
        (void)rm_core_release(c, entry);
    } else {
        c->allocs[entry].page = page;
    }
    return r;
}

/* The fast path: a clean frame of one of the client's batches, mapped at `page` (the contents
 * an eviction stored copied in first). Returns 1 when it decided, *r saying how (on an error the
 * frame is back in its batch, or gone if it was written, and nothing else changed); 0 when no
 * batch could give a frame and nothing changed. */
static int demand_batch(rm_server_t *s, uint32_t ci, const rm_region_t *g, rm_word_t page,
                        rm_result_t *r)
{
    rm_core_t *c = &s->core;
    rm_word_t frame;
    uint32_t e;
    unsigned i;
    if (!rm_core_batch_take(c, ci, g->size >> Sigil_Frame4KBits, &frame, &e, &i, r)) {
        return 0;
    }
    if (r->err != Rm_ErrOk) {
        return 1;
    }
    int restored = rm_evict_restore(s, ci, e, page, frame, r);
    if (restored >= 0) {
        *r = rm_map_into_client(s, ci, frame, page, g->rights);
    }
    if (r->err == Rm_ErrOk) {
        c->batches[c->allocs[e].batch].page[i] = page;
        return 1;
    }
    if (restored > 0) {
        (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, frame), s->own_depth);
    }
    (void)rm_core_batch_give(c, e, i, restored <= 0);
    return 1;
}

static rm_result_t demand_any(rm_server_t *s, uint32_t ci, const rm_region_t *g, rm_word_t page)
{
    rm_result_t r;
    if (demand_batch(s, ci, g, page, &r)) {
        return r;
    }
    return demand_page(s, ci, g, page);
}

int rm_demand_fault(rm_server_t *s, uint32_t ci, rm_word_t addr, const char **reason)
{
    const rm_region_t *g = rm_core_find_region(&s->core, ci, addr);
    if (!g) {
        *reason = "unhandled";
        return -1;
    }
    rm_word_t page = addr & ~(rm_word_t)((1u << Sigil_Frame4KBits) - 1);
    rm_result_t r = demand_any(s, ci, g, page);
    while (r.err == Rm_ErrNoMemory && rm_pressure_evict(s, ci) != 0) {
        r = demand_any(s, ci, g, page); /* the pool was short: pages of others went */
    }
    if (r.err == Rm_ErrOk) {
        return 0;
    }
    *reason = r.err == Rm_ErrOutOfQuota ? "out_of_quota"
              : r.err == Rm_ErrNoMemory ? "no_memory"
                                        : "unhandled";
    return -1;
}
