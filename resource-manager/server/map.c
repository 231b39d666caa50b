/*
 * MapFrame: map a frame of one of the client's frame allocations into the client's VSpace.
 *
 * The manager maps through a copy of the client's frame cap kept in an own slot of the
 * allocation (so revoking the allocation's block deletes it and unmaps the frame). The copy is
 * taken from the allocation's slot in the client's CSpace and checked against the block's
 * physical address, so a client that moved another frame cap into that slot gets InvalidSlot,
 * not a mapping of something else. Page tables the mapping needs are made one level at a time,
 * each one an allocation charged to the client (OutOfQuota names what is missing); if any step
 * fails, the tables made for this request and the copy are removed again, so an error changes
 * nothing. Each frame can be mapped once (RM_MAP_INDEXES frames per allocation).
 */
#include <sigil/invocations.h>

#include "server.h"

#define MAX_TABLES 3 /* levels 1-3 below the VSpace root */

static rm_result_t error(rm_word_t err, rm_word_t d0, rm_word_t d1)
{
    return (rm_result_t){.err = err, .detail = {d0, d1}};
}

static int is_frame(unsigned type)
{
    return type == Sigil_Frame4KObject || type == Sigil_Frame2MObject ||
           type == Sigil_Frame1GObject;
}

rm_result_t rm_map_into_client(rm_server_t *s, uint32_t ci, rm_word_t frame, rm_word_t vaddr,
                               rm_word_t rights)
{
    return rm_map_with_tables(s, ci, s->core.clients[ci].vspace, frame, vaddr, rights);
}

rm_result_t rm_map_with_tables(rm_server_t *s, uint32_t ci, rm_word_t vspace, rm_word_t frame,
                               rm_word_t vaddr, rm_word_t rights)
{
    rm_core_t *c = &s->core;
    uint32_t tables[MAX_TABLES];
    unsigned ntables = 0;
    rm_result_t r = error(Rm_ErrOk, 0, 0);
    for (;;) {
        rm_word_t err = sigil_frame_map(frame, vspace, vaddr, rights, SIGIL_VM_CACHEABLE);
        if (err == 0) {
            return r;
        }
        if (err != Sigil_FailedLookup || ntables == MAX_TABLES) {
            r = error(Rm_ErrInvalidArgument, 2, 0);
            break;
        }
        rm_word_t pt;
        r = rm_core_alloc_own(c, ci, Sigil_PageTableObject, &pt, &tables[ntables]);
        if (r.err != Rm_ErrOk) {
            break;
        }
        ntables++;
        if (sigil_page_table_map(pt, vspace, vaddr, SIGIL_VM_CACHEABLE) != 0) {
            r = error(Rm_ErrInvalidArgument, 2, 0);
            break;
        }
    }
    while (ntables > 0) {
        (void)rm_core_release(c, tables[--ntables]);
    }
    return r;
}

rm_result_t rm_map_frame(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    rm_core_t *c = &s->core;
    rm_client_t *cl = &c->clients[ci];
    rm_word_t handle = msg[0], index = msg[1], vaddr = msg[2], rights = msg[3];
    uint32_t e = rm_core_lookup(c, ci, handle);
    if (e == RM_NONE || !is_frame(c->allocs[e].type)) {
        return error(Rm_ErrInvalidArgument, 0, 0);
    }
    rm_alloc_t *a = &c->allocs[e];
    if (index >= a->count || index >= RM_MAP_INDEXES || (a->mapped >> index) & 1u) {
        return error(Rm_ErrInvalidArgument, 1, 0);
    }
    uint64_t size = 1ull << a->obj_bits;
    if ((vaddr & (size - 1)) || vaddr >= SIGIL_PLAT_USER_TOP ||
        size > SIGIL_PLAT_USER_TOP - vaddr) {
        return error(Rm_ErrInvalidArgument, 2, 0);
    }
    if (rights == 0 || (rights & ~(rm_word_t)(Sigil_CanRead | Sigil_CanWrite))) {
        return error(Rm_ErrInvalidArgument, 3, 0);
    }
    rm_word_t copy = rm_core_take_slot(c, e);
    if (!copy) {
        return error(Rm_ErrNoMemory, 0, 0);
    }
    if (sigil_cnode_copy(s->own_cnode, rm_own_index(s, copy), s->own_depth, cl->cnode,
                         (cl->cnode_guard << cl->cnode_bits) | (a->dest + index), cl->cnode_depth,
                         Sigil_AllRights) != 0) {
        rm_core_untake_slot(c, e, copy);
        return error(Rm_ErrInvalidSlot, 1, 0);
    }
    rm_word_t paddr = 0;
    rm_result_t r = error(Rm_ErrOk, 0, 0);
    if (sigil_frame_get_address(copy, &paddr) != 0 ||
        paddr != c->pool.nodes[a->block].paddr + index * size) {
        r = error(Rm_ErrInvalidSlot, 1, 0);
    } else {
        r = rm_map_into_client(s, ci, copy, vaddr, rights);
    }
    if (r.err == Rm_ErrOk) {
        a->mapped |= 1ull << index;
        return r;
    }
    (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, copy), s->own_depth);
    rm_core_untake_slot(c, e, copy);
    return r;
}
