/*
 * Where the loader keeps its caps (internal.h, "Slots").
 *
 * The spec phase first makes a dry run of the object phase's placement (the same calls on a
 * copy of the watermarks) to learn how many padding untypeds device objects will need and
 * which boot untypeds no object will touch. If the root CNode's empty slots hold every object
 * cap, mapping cap and padding untyped, the loader works there. Otherwise it retypes a CNode of
 * 2^R slots for itself from an untyped the dry run leaves untouched (so the compiler's
 * placement of every spec object stays exactly as checked), puts a copy of the root CNode cap
 * with guard 64 - 15 - R in its slot 0, and makes that its CSpace root: root slot j is then
 * cptr j << R, and slot k of its own CNode is cptr (X << R) | k, where X is the root slot
 * holding the new CNode's cap. All CNode operations go through the slot-0 cap (l->svc). At
 * the very end the loader returns to the boot layout, so the root task's fixed cptrs work again.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>

#include "internal.h"

#define ROOT_CNODE ((uint64_t)Sigil_SlotInitThreadCNode)

/* The object phase's placement, without retyping; counts the padding untypeds it will make. */
static loader_status_t dry_run(loader_t *l, uint64_t *padding)
{
    sigil_alloc_t sim;
    sigil_alloc_init(&sim, l->untypeds, l->sim_watermark, l->bi->num_untypeds);
    return loader_place_objects(l, &sim, 1, padding, NULL, NULL);
}

/* The first RAM untyped of at least 2^bits bytes that the dry run left untouched. */
static uint32_t untouched_untyped(const loader_t *l, unsigned bits)
{
    for (uint32_t i = 0; i < l->bi->num_untypeds; i++) {
        const sigil_untyped_t *u = &l->untypeds[i];
        if (!u->is_device && l->sim_watermark[i] == 0 && u->size_bits >= bits) {
            return i;
        }
    }
    return SIGIL_SPEC_NONE;
}

static loader_status_t own_fail(const char *message)
{
    return loader_fail(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, 0, message);
}

/* Make a CNode of at least `slots` slots and switch the CSpace to it (top of file). */
static loader_status_t make_own_cnode(loader_t *l, uint64_t slots)
{
    unsigned r = 1;
    while (((uint64_t)1 << r) < slots) {
        r++;
    }
    uint32_t u = untouched_untyped(l, r + Sigil_CNodeSlotBits);
    if (r > Sigil_CNodeMaxBits || u == SIGIL_SPEC_NONE) {
        return own_fail("no untouched untyped left for the loader's own CNode");
    }
    uint64_t x = l->bi->empty_start, guard = 64 - l->bi->root_cnode_radix - r;
    uint64_t err =
        sigil_untyped_retype(l->untyped_slot[u], Sigil_CNodeObject, r, ROOT_CNODE, 0, 0, x, 1);
    if (err == Sigil_NoError) {
        err = sigil_cnode_mint(x, 0, r, ROOT_CNODE, ROOT_CNODE, 64, Sigil_AllRights, guard);
    }
    if (err == Sigil_NoError) {
        err = sigil_tcb_set_space(Sigil_SlotInitThreadTCB, Sigil_SlotNull, 0, 0, ROOT_CNODE, guard,
                                  Sigil_SlotInitThreadVSpace, 0);
    }
    if (err != Sigil_NoError) {
        return loader_fail(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, err,
                           "cannot make the loader's own CNode");
    }
    l->watermark[u] = (uint64_t)1 << (r + Sigil_CNodeSlotBits);
    l->own_radix = r;
    l->stats.own_cnode_radix = r;
    sigil_debug_cap = loader_root_slot(l, Sigil_SlotDebug); /* its debug calls follow the move */
    l->own_index = x;
    l->svc = l->dest_root = x << r;
    l->dest_index = x;
    l->dest_depth = 64 - r;
    l->obj_base = l->svc + 1;
    l->free_end = l->svc + ((uint64_t)1 << r);
    LOADER_ENSURE(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE,
                  sigil_debug_cap_inspect(l->svc).type == Sigil_CapCNode,
                  "the new CSpace layout does not resolve");
    return loader_ok();
}

/*
 * Pre: the spec and untyped list are read. Post: obj_base, dup_base, free_next, free_end,
 * scratch_slot and scratch_vaddr are set; every loader slot from obj_base on is empty; the
 * addressing fields describe the CSpace the loader now runs in.
 */
loader_status_t loader_lay_out(loader_t *l)
{
    const sigil_bootinfo_t *bi = l->bi;
    uint64_t padding = 0;
    l->svc = l->dest_root = ROOT_CNODE;
    l->dest_index = l->dest_depth = 0;
    l->own_radix = 0;
    LOADER_PROPAGATE(dry_run(l, &padding));
    uint64_t need = (uint64_t)l->num_objects + l->num_entries + padding + 1;
    l->obj_base = bi->empty_start;
    l->free_end = bi->empty_end;
    if (need > bi->empty_end - bi->empty_start) {
        LOADER_PROPAGATE(make_own_cnode(l, need + 1));
    }
    l->dup_base = l->obj_base + l->num_objects;
    l->free_next = l->dup_base + l->num_entries;
    l->scratch_slot = loader_take_slot(l);
    /* Two pages below the stack: inside the stack's last-level table, one guard page apart. */
    l->scratch_vaddr = bi->stack_vaddr - 2 * LOADER_PAGE;
    if ((l->scratch_vaddr >> 21) != (bi->stack_vaddr >> 21)) {
        return own_fail("no page table for the scratch page below the stack");
    }
    if (l->blob_vaddr % LOADER_PAGE != 0) {
        return own_fail("the blob is not 4 KiB aligned in the loader's image");
    }
    return loader_ok();
}

/* Back to the boot CSpace layout (the own CNode stays, holding what the loader keeps).
 * Pre: nothing more to do with loader slots. Post: root slot j is cptr j again. */
loader_status_t loader_leave_own_cnode(loader_t *l)
{
    if (l->own_radix == 0) {
        return loader_ok();
    }
    LOADER_TRY(LOADER_PHASE_CLEANUP, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE,
               sigil_tcb_set_space(loader_root_slot(l, Sigil_SlotInitThreadTCB), Sigil_SlotNull, 0,
                                   0, l->svc, 64 - l->bi->root_cnode_radix,
                                   loader_root_slot(l, Sigil_SlotInitThreadVSpace), 0),
               "cannot return to the boot CSpace layout");
    l->own_radix = 0;
    sigil_debug_cap = SIGIL_DEBUG_CAP_DEFAULT;
    return loader_ok();
}
