/*
 * The last phases: hand the remaining untyped memory to the resource manager, and after the
 * threads have started, delete every cap the spec does not need the loader to keep.
 *
 * Handover convention (docs/loader.md, "What remains"): the untyped caps go to consecutive
 * slots of the resource manager component's `cspace` CNode, starting right after the highest
 * slot the spec fills there (slot 1 at the earliest), in this order: boot untypeds the loader
 * never used (moved whole), then for each boot untyped it did use, the free memory above its
 * watermark cut into maximal aligned blocks (retyped as child untypeds straight into the
 * manager's CNode), then the padding untypeds below device objects. The slot after the last
 * one is empty (or the CNode ends). A spec without a resource manager gets no handover; the
 * memory is then dropped with the loader's untyped caps. With a policy, each untyped is also
 * recorded in the manager's boot page (rm_boot.c), which is written last.
 */
#include <sigil/invocations.h>

#include "internal.h"

typedef struct {
    uint32_t cnode;        /* the manager's cspace object id */
    uint64_t next;         /* next slot in it */
    uint64_t slots;        /* its size */
    loader_rm_boot_t page; /* its boot page */
} handover_t;

#define NO_ROOM "no room left in the resource manager's CSpace for untyped caps"

static loader_status_t room(const handover_t *h)
{
    if (h->next >= h->slots) {
        return loader_fail(LOADER_PHASE_HANDOVER, h->cnode, (uint32_t)h->next, 0, NO_ROOM);
    }
    return loader_ok();
}

/* Move the untyped cap at loader slot `slot`, which is `u`, to the manager. */
static loader_status_t give_cap(loader_t *l, handover_t *h, uint64_t slot, const sigil_untyped_t *u)
{
    LOADER_PROPAGATE(room(h));
    LOADER_TRY(LOADER_PHASE_HANDOVER, h->cnode, (uint32_t)h->next,
               sigil_cnode_move(loader_obj_slot(l, h->cnode), h->next, l->objects[h->cnode].extra,
                                LOADER_AT(l, slot)),
               "cannot move an untyped cap to the resource manager");
    LOADER_PROPAGATE(loader_rm_boot_pool(l, &h->page, h->next, u));
    h->next++;
    l->stats.handed_over++;
    return loader_ok();
}

/* Record the blocks loader_retype_split() cut from [from, to) of boot untyped `i` into slots
 * `first`.. of the manager's CNode (the same arithmetic gives the same blocks). */
static loader_status_t record_split(loader_t *l, handover_t *h, uint32_t i, uint64_t from,
                                    uint64_t to, uint64_t first)
{
    uint64_t base = l->untypeds[i].paddr, cur = base + from;
    sigil_untyped_t block;
    while (sigil_split_next(&cur, base + to, l->untypeds[i].is_device, &block)) {
        LOADER_PROPAGATE(loader_rm_boot_pool(l, &h->page, first++, &block));
    }
    return loader_ok();
}

/* Cut the free part of boot untyped `i` into child untypeds in the manager's CNode. */
static loader_status_t give_rest(loader_t *l, handover_t *h, uint32_t i)
{
    uint64_t end = (uint64_t)1 << l->untypeds[i].size_bits, first = h->next;
    loader_dest_t d = {loader_obj_slot(l, h->cnode), 0, 0, h->next, h->slots, h->cnode};
    loader_status_t st = loader_retype_split(l, i, l->watermark[i], end, &d, LOADER_PHASE_HANDOVER,
                                             h->cnode, NO_ROOM);
    l->stats.handed_over += d.next - h->next;
    h->next = d.next;
    LOADER_PROPAGATE(st);
    return record_split(l, h, i, l->watermark[i], end, first);
}

/* The padding untypeds [pad_first, pad_end): the object phase cut them below each device
 * object in id order; placing the device objects again (device untypeds only, so RAM
 * placement does not matter) gives the same gaps, hence the same blocks in the same order. */
static loader_status_t give_padding(loader_t *l, handover_t *h)
{
    sigil_alloc_t a;
    sigil_alloc_init(&a, l->untypeds, l->sim_watermark, l->bi->num_untypeds);
    uint64_t s = l->pad_first;
    uint32_t first = l->spec->num_ram_objects, end = first + l->spec->num_device_objects;
    for (uint32_t id = first; id < end; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        sigil_place_t p;
        if (sigil_alloc_device(&a, o->paddr, o->size_bits, &p) != SIGIL_ALLOC_OK) {
            return loader_fail(LOADER_PHASE_HANDOVER, id, SIGIL_SPEC_NONE, 0,
                               "condition broken: device placement differs from the object phase");
        }
        uint64_t base = l->untypeds[p.untyped].paddr, cur = base + p.gap;
        sigil_untyped_t block;
        while (sigil_split_next(&cur, base + p.offset, 1, &block)) {
            if (s >= l->pad_end) {
                return loader_fail(LOADER_PHASE_HANDOVER, id, SIGIL_SPEC_NONE, 0,
                                   "condition broken: padding differs from the object phase");
            }
            LOADER_PROPAGATE(give_cap(l, h, s++, &block));
        }
    }
    return loader_ok();
}

static uint64_t first_free_slot(const loader_t *l, uint32_t cnode)
{
    const sigil_spec_object_t *o = &l->objects[cnode];
    uint64_t last = o->count == 0 ? 0 : l->caps[o->first + o->count - 1].slot;
    return last + 1;
}

/*
 * Hand over. Pre: the system is built and checked; the placement state holds every boot
 * untyped's watermark. Post: with a resource manager, its CSpace holds, after its last spec
 * slot, untyped caps covering all free memory of the boot untypeds and all padding (see the
 * top of this file); the loader holds no untyped cap with free memory except used boot
 * untypeds (whose free part now belongs to the children it made).
 */
loader_status_t loader_hand_over(loader_t *l)
{
    if (l->manager == SIGIL_SPEC_NONE || l->components[l->manager].cspace == SIGIL_SPEC_NONE) {
        return loader_ok();
    }
    uint32_t cnode = l->components[l->manager].cspace;
    handover_t h = {cnode, first_free_slot(l, cnode), (uint64_t)1 << l->objects[cnode].extra, {0}};
    uint32_t differences = l->differences;
    LOADER_PROPAGATE(loader_rm_boot_begin(l, &h.page));
    for (uint32_t i = 0; i < l->bi->num_untypeds; i++) {
        if (l->watermark[i] == 0) {
            LOADER_PROPAGATE(give_cap(l, &h, loader_untyped(l, i), &l->untypeds[i]));
        }
    }
    for (uint32_t i = 0; i < l->bi->num_untypeds; i++) {
        if (l->watermark[i] != 0) {
            LOADER_PROPAGATE(give_rest(l, &h, i));
        }
    }
    LOADER_PROPAGATE(give_padding(l, &h));
    LOADER_PROPAGATE(loader_rm_boot_finish(l, &h.page, h.next));
    if (l->differences != differences) {
        return loader_fail(LOADER_PHASE_HANDOVER, cnode, SIGIL_SPEC_NONE, 0,
                           "the boot page differs from the handed-over caps (listed above)");
    }
    return loader_ok();
}

static loader_status_t delete_slot(const loader_t *l, uint32_t id, uint64_t slot)
{
    LOADER_TRY(LOADER_PHASE_CLEANUP, id, SIGIL_SPEC_NONE, sigil_cnode_delete(LOADER_AT(l, slot)),
               "CNode_Delete failed");
    return loader_ok();
}

/*
 * Clean up. Pre: threads started. Post: the loader's CSpace holds only
 *   - for each object whose original the spec places nowhere: that original (the root of the
 *     object's derivation tree, which keeps the object alive), except IRQControl, SMC and Debug
 *     caps;
 *   - the caps that map frames into the spec's VSpaces (deleting one would unmap the frame);
 *   - its own TCB, CNode, VSpace, page tables, image frames not donated, stack, IPC buffer and
 *     boot-info frame;
 *   - the master Debug cap in its boot slot (the root of every Debug cap the spec hands on;
 *     the loader suspends itself for good, so nobody can use it);
 * and no untyped, IRQControl or SMC cap, and no other Debug cap.
 */
loader_status_t loader_clean_up(loader_t *l)
{
    for (uint32_t id = 0; id < l->num_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        int boot_cap = o->type == SIGIL_SPEC_TYPE_IRQ_CONTROL || o->type == SIGIL_SPEC_TYPE_SMC ||
                       o->type == SIGIL_SPEC_TYPE_DEBUG;
        if (o->original != SIGIL_SPEC_NONE || boot_cap) {
            LOADER_PROPAGATE(delete_slot(l, id, loader_obj_slot(l, id)));
        }
    }
    for (uint32_t i = 0; i < l->bi->num_untypeds; i++) {
        LOADER_PROPAGATE(delete_slot(l, SIGIL_SPEC_NONE, loader_untyped(l, i)));
    }
    for (uint64_t s = l->pad_first; s < l->pad_end; s++) {
        LOADER_PROPAGATE(delete_slot(l, SIGIL_SPEC_NONE, s));
    }
    if (l->irq_control == loader_root_slot(l, Sigil_SlotIRQControl)) {
        LOADER_PROPAGATE(delete_slot(l, SIGIL_SPEC_NONE, l->irq_control));
    }
    if (l->smc_master == loader_root_slot(l, Sigil_SlotSMC)) {
        LOADER_PROPAGATE(delete_slot(l, SIGIL_SPEC_NONE, l->smc_master));
    }
    return loader_leave_own_cnode(l);
}
