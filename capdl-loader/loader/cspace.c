/*
 * The CSpaces phase: a copy pass, then a move pass (sys-init's order).
 *
 * The copy pass puts every cap that is not marked original into its slot: a Mint where the
 * spec gives a badge (endpoint, notification, SMC) or a guard (CNode), else a Copy, with the
 * spec's rights, from the loader's cap to the object. Only then does the move pass move each
 * object's original cap (the loader's, created by retype) into the one slot marked original,
 * so the derivation tree the spec describes is exactly the kernel's: every copy is a child of
 * the original. Caps the loader still needs afterwards (TCBs to start, CNodes, VSpaces and TCBs
 * to check) are copied back into the loader's slot (see loader_keeps_copy). Every cap lands in an
 * empty slot; a CNode slot is addressed from the loader's cap to the CNode with depth = the CNode's
 * radix.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>

#include "internal.h"

/* CNode cap data (sigil_cnode_cap_data) or badge the cap needs, 0 for none. */
static uint64_t cap_data(const loader_t *l, const sigil_spec_cap_t *c)
{
    uint8_t type = l->objects[c->object].type;
    if (type == Sigil_CNodeObject) {
        return sigil_cnode_cap_data(c->badge, c->guard_size);
    }
    return sigil_spec_has_badge(type) ? c->badge : 0;
}

static loader_status_t copy_cap(loader_t *l, uint32_t cnode, const sigil_spec_cap_t *c)
{
    uint64_t dest = loader_obj_slot(l, cnode), src = loader_obj_slot(l, c->object);
    uint8_t depth = l->objects[cnode].extra;
    uint64_t data = cap_data(l, c);
    uint64_t rights = c->rights;
    uint64_t err = data != 0
                       ? sigil_cnode_mint(dest, c->slot, depth, LOADER_AT(l, src), rights, data)
                       : sigil_cnode_copy(dest, c->slot, depth, LOADER_AT(l, src), rights);
    if (err != Sigil_NoError) {
        return loader_fail(LOADER_PHASE_CSPACES, cnode, c->slot, err, "cannot copy the cap");
    }
    return loader_ok();
}

static loader_status_t move_cap(loader_t *l, uint32_t cnode, const sigil_spec_cap_t *c)
{
    uint64_t dest = loader_obj_slot(l, cnode), src = loader_obj_slot(l, c->object);
    uint8_t depth = l->objects[cnode].extra;
    sigil_cap_info_t info = sigil_debug_cap_inspect(src);
    unsigned have =
        sigil_cap_info_rights(&info) & sigil_spec_rights_that_apply(l->objects[c->object].type);
    if ((have & c->rights) != have) {
        return loader_fail(LOADER_PHASE_CSPACES, cnode, c->slot, 0,
                           "an original cap keeps all its rights: Move cannot take any away");
    }
    uint64_t data = cap_data(l, c);
    uint64_t err = data != 0 ? sigil_cnode_mutate(dest, c->slot, depth, LOADER_AT(l, src), data)
                             : sigil_cnode_move(dest, c->slot, depth, LOADER_AT(l, src));
    if (err != Sigil_NoError) {
        return loader_fail(LOADER_PHASE_CSPACES, cnode, c->slot, err, "cannot move the original");
    }
    if (loader_keeps_copy(&l->objects[c->object])) {
        LOADER_TRY(LOADER_PHASE_CSPACES, cnode, c->slot,
                   sigil_cnode_copy(LOADER_AT(l, src), dest, c->slot, depth, Sigil_AllRights),
                   "cannot keep a copy of the moved original");
    }
    return loader_ok();
}

/* One pass over every cap of every CNode: originals only, or all others. */
static loader_status_t pass(loader_t *l, int originals)
{
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        if (o->type != Sigil_CNodeObject) {
            continue;
        }
        for (uint32_t i = o->first; i < o->first + o->count; i++) {
            const sigil_spec_cap_t *c = &l->caps[i];
            if (((c->flags & SIGIL_SPEC_CAP_ORIGINAL) != 0) != originals) {
                continue;
            }
            LOADER_PROPAGATE(originals ? move_cap(l, id, c) : copy_cap(l, id, c));
        }
    }
    return loader_ok();
}

/*
 * CSpaces. Pre: all objects exist, the loader's caps to them are originals at their slots, and
 * the spec's CNodes are empty. Post: every CNode slot of the spec holds its cap (type, rights,
 * badge or guard as specified); each cap marked original is the loader's original, moved; the
 * loader holds a copy of each moved original it can copy (loader_keeps_copy).
 */
loader_status_t loader_init_cspaces(loader_t *l)
{
    LOADER_PROPAGATE(pass(l, 0));
    return pass(l, 1);
}
