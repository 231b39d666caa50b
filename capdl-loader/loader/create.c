/*
 * The first four phases of sys-init: create the objects, make the IRQ handler caps, make the
 * extra caps the loader needs to map frames, and bind IRQ handlers to their notifications.
 *
 * Objects are created in id order, which is allocation order (spec.h): RAM objects largest
 * first, each where sigil_alloc_ram() puts it, so the real placement is the one the compiler
 * checked (on the real untyped list). Runs of objects of one type that land back to back in one
 * untyped are made by one Untyped_Retype (up to the fan-out limit). A Frame4K whose contents
 * are one whole page of the blob is not made at all: the loader's own image frame holding that
 * page becomes the object (donated, no copy). Device objects are retyped from the device
 * untyped containing them at their exact offset: the gap below is first filled with padding
 * untypeds cut by sigil_split_region(), so the kernel's watermark arrives exactly there.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>

#include "internal.h"

typedef struct {
    uint32_t first; /* first object id of the run */
    uint32_t count;
    uint64_t src; /* loader slot of the untyped cap it is retyped from */
    uint64_t end; /* offset in the untyped after the run */
} batch_t;

static uint64_t retype_size_arg(const sigil_spec_object_t *o)
{
    if (o->type == Sigil_UntypedObject) {
        return o->size_bits;
    }
    return o->type == Sigil_CNodeObject ? o->extra : 0;
}

static loader_status_t retype(loader_t *l, uint64_t src, uint32_t first, uint32_t count)
{
    const sigil_spec_object_t *o = &l->objects[first];
    LOADER_TRY(LOADER_PHASE_OBJECTS, first, SIGIL_SPEC_NONE,
               sigil_untyped_retype(src, o->type, retype_size_arg(o), LOADER_DEST(l),
                                    loader_offset(l, loader_obj_slot(l, first)), count),
               "Untyped_Retype failed");
    return loader_ok();
}

static loader_status_t flush(loader_t *l, batch_t *b)
{
    if (b->count == 0) {
        return loader_ok();
    }
    loader_status_t st = retype(l, b->src, b->first, b->count);
    b->count = 0;
    return st;
}

/* Whether object `id`, placed at `offset` of the untyped at loader slot `src`, continues the
 * run in `b`. */
static int extends(const loader_t *l, const batch_t *b, uint32_t id, uint64_t src, uint64_t offset)
{
    const sigil_spec_object_t *o = &l->objects[id], *f = &l->objects[b->first];
    return b->count > 0 && b->count < LOADER_FANOUT && b->src == src && b->end == offset &&
           o->type == f->type && o->size_bits == f->size_bits && o->extra == f->extra &&
           b->first + b->count == id;
}

static loader_status_t donate(loader_t *l, uint32_t id)
{
    uint64_t page = loader_image_page_slot(l, l->fills[l->objects[id].first].data_offset);
    LOADER_TRY(LOADER_PHASE_OBJECTS, id, SIGIL_SPEC_NONE,
               sigil_cnode_move(LOADER_AT(l, loader_obj_slot(l, id)), LOADER_AT(l, page)),
               "cannot take the image page");
    l->stats.donated++;
    return loader_ok();
}

/* RAM objects in id order where `a` places them; unless `dry`, retyped in runs (or donated).
 * A managed client's object is retyped from the client's own untyped, made earlier (a smaller
 * id), where the kernel's watermark puts it: objects come largest first, so each lands right
 * after the previous one, as the compiler counted. `placed`, if not NULL, learns the physical
 * address of each object placed in a boot untyped. */
static loader_status_t place_ram(loader_t *l, sigil_alloc_t *a, int dry, loader_placed_t placed,
                                 void *ctx)
{
    batch_t b = {0, 0, 0, 0};
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        uint64_t size = (uint64_t)1 << o->size_bits, src, offset;
        if (loader_donatable(l, id)) {
            if (!dry) {
                LOADER_PROPAGATE(flush(l, &b));
                LOADER_PROPAGATE(donate(l, id));
            }
            continue;
        }
        if (o->flags & SIGIL_SPEC_OBJ_IN_PARENT) {
            src = loader_obj_slot(l, (uint32_t)o->paddr);
            offset = b.count > 0 && b.src == src ? b.end : 0;
        } else {
            sigil_place_t p;
            if (sigil_alloc_ram(a, o->size_bits, &p) != SIGIL_ALLOC_OK) {
                return loader_fail(LOADER_PHASE_OBJECTS, id, SIGIL_SPEC_NONE, 0,
                                   "does not fit in the boot untypeds");
            }
            if (placed) {
                placed(l, id, l->untypeds[p.untyped].paddr + p.offset, ctx);
            }
            src = loader_untyped(l, p.untyped);
            offset = p.offset;
        }
        if (dry) {
            continue;
        }
        if (extends(l, &b, id, src, offset)) {
            b.count++;
            b.end += size;
            continue;
        }
        LOADER_PROPAGATE(flush(l, &b));
        b = (batch_t){id, 1, src, offset + size};
    }
    return flush(l, &b);
}

loader_status_t loader_retype_split(loader_t *l, uint32_t ut, uint64_t from, uint64_t to,
                                    loader_dest_t *d, loader_phase_t phase, uint32_t object,
                                    const char *no_room)
{
    uint64_t base = l->untypeds[ut].paddr, cur = base + from;
    uint32_t who = d->owner != SIGIL_SPEC_NONE ? d->owner : object;
    sigil_untyped_t block;
    while (sigil_split_next(&cur, base + to, l->untypeds[ut].is_device, &block)) {
        uint32_t at = d->owner != SIGIL_SPEC_NONE ? (uint32_t)d->next : SIGIL_SPEC_NONE;
        if (d->next >= d->end) {
            return loader_fail(phase, who, at, 0, no_room);
        }
        LOADER_TRY(phase, who, at,
                   sigil_untyped_retype(loader_untyped(l, ut), Sigil_UntypedObject, block.size_bits,
                                        d->root, d->index, d->depth, d->next, 1),
                   "cannot retype part of an untyped as a smaller untyped");
        d->next++;
    }
    return loader_ok();
}

/* Fill [gap, offset) of untyped `ut` with padding untypeds in the loader's free slots. */
static loader_status_t pad(loader_t *l, uint32_t id, uint32_t ut, uint64_t gap, uint64_t offset)
{
    uint64_t first = loader_offset(l, l->free_next);
    loader_dest_t d = {LOADER_DEST(l), first, first + (l->free_end - l->free_next),
                       SIGIL_SPEC_NONE};
    LOADER_PROPAGATE(loader_retype_split(l, ut, gap, offset, &d, LOADER_PHASE_OBJECTS, id,
                                         "no free slot for a padding untyped"));
    l->free_next += d.next - first;
    l->pad_end = l->free_next;
    return loader_ok();
}

/* Device objects in id order where `a` places them; unless `dry`, padded and retyped. Adds the
 * padding untypeds they need to *padding. */
static loader_status_t place_devices(loader_t *l, sigil_alloc_t *a, int dry, uint64_t *padding)
{
    uint32_t first = l->spec->num_ram_objects, end = first + l->spec->num_device_objects;
    for (uint32_t id = first; id < end; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        sigil_place_t p;
        if (sigil_alloc_device(a, o->paddr, o->size_bits, &p) != SIGIL_ALLOC_OK) {
            return loader_fail(LOADER_PHASE_OBJECTS, id, SIGIL_SPEC_NONE, 0,
                               "no device untyped covers it");
        }
        uint64_t base = l->untypeds[p.untyped].paddr;
        *padding += sigil_split_region(base + p.gap, base + p.offset, 1, NULL, 0);
        if (!dry && p.offset > p.gap) {
            LOADER_PROPAGATE(pad(l, id, p.untyped, p.gap, p.offset));
        }
        if (!dry) {
            LOADER_PROPAGATE(retype(l, loader_untyped(l, p.untyped), id, 1));
        }
    }
    return loader_ok();
}

loader_status_t loader_place_objects(loader_t *l, sigil_alloc_t *a, int dry, uint64_t *padding,
                                     loader_placed_t placed, void *ctx)
{
    *padding = 0;
    LOADER_PROPAGATE(place_ram(l, a, dry, placed, ctx));
    return place_devices(l, a, dry, padding);
}

/* IRQControl and the SMC master cap become the spec's objects of those types by moving. */
static loader_status_t take_boot_cap(loader_t *l, uint32_t id, uint64_t *slot)
{
    LOADER_TRY(LOADER_PHASE_OBJECTS, id, SIGIL_SPEC_NONE,
               sigil_cnode_move(LOADER_AT(l, loader_obj_slot(l, id)), LOADER_AT(l, *slot)),
               "cannot take the boot cap");
    *slot = loader_obj_slot(l, id);
    return loader_ok();
}

/* The Debug object is a copy of the master Debug cap: the loader keeps the master itself (its
 * check phase needs Introspect), mints the spec's Debug caps from the copy and deletes the copy
 * at clean-up; the minted caps stay children of the master. */
static loader_status_t copy_debug_master(loader_t *l, uint32_t id)
{
    LOADER_TRY(LOADER_PHASE_OBJECTS, id, SIGIL_SPEC_NONE,
               sigil_cnode_copy(LOADER_AT(l, loader_obj_slot(l, id)),
                                LOADER_AT(l, loader_root_slot(l, Sigil_SlotDebug)),
                                Sigil_AllRights),
               "cannot copy the master Debug cap");
    return loader_ok();
}

static loader_status_t create_memoryless(loader_t *l)
{
    uint32_t first = l->spec->num_ram_objects + l->spec->num_device_objects;
    for (uint32_t id = first; id < l->num_objects; id++) {
        uint8_t type = l->objects[id].type;
        if (type == SIGIL_SPEC_TYPE_IRQ_CONTROL) {
            LOADER_PROPAGATE(take_boot_cap(l, id, &l->irq_control));
        } else if (type == SIGIL_SPEC_TYPE_SMC) {
            LOADER_PROPAGATE(take_boot_cap(l, id, &l->smc_master));
        } else if (type == SIGIL_SPEC_TYPE_DEBUG) {
            LOADER_PROPAGATE(copy_debug_master(l, id));
        }
    }
    return loader_ok();
}

#ifdef SIGIL_LOADER_ASSERTS
/* Every object except IRQ handlers has a cap of its type at its slot. */
static loader_status_t objects_exist(loader_t *l)
{
    for (uint32_t id = 0; id < l->num_objects; id++) {
        uint8_t type = l->objects[id].type;
        if (type == SIGIL_SPEC_TYPE_IRQ_HANDLER) {
            continue;
        }
        sigil_cap_info_t c = sigil_debug_cap_inspect(loader_obj_slot(l, id));
        LOADER_ENSURE(LOADER_PHASE_OBJECTS, id, c.type == loader_cap_type(type),
                      "the object's cap is not in its slot");
    }
    return loader_ok();
}
#endif

/*
 * Create objects. Pre: the spec phase's postcondition; slots from obj_base on are empty.
 * Post: for every object id except IRQ handlers, slot obj_base + id holds the object's only
 * cap, an original (created by retype, or an image page / boot cap moved there); RAM objects
 * sit where sigil_alloc_ram() placed them, device objects at their paddr; padding untypeds are
 * in [pad_first, pad_end).
 */
loader_status_t loader_create_objects(loader_t *l)
{
    uint64_t padding;
    l->irq_control = loader_root_slot(l, Sigil_SlotIRQControl);
    l->smc_master = loader_root_slot(l, Sigil_SlotSMC);
    l->pad_first = l->pad_end = l->free_next;
    LOADER_PROPAGATE(loader_place_objects(l, &l->alloc, 0, &padding, NULL, NULL));
    LOADER_PROPAGATE(create_memoryless(l));
#ifdef SIGIL_LOADER_ASSERTS
    LOADER_PROPAGATE(objects_exist(l));
#endif
    return loader_ok();
}

/*
 * IRQ handler caps. Pre: objects created; IRQControl at l->irq_control.
 * Post: every IRQHandler object's slot holds the handler cap for its IRQ number.
 */
loader_status_t loader_create_irqs(loader_t *l)
{
    uint32_t first = l->spec->num_ram_objects + l->spec->num_device_objects;
    for (uint32_t id = first; id < l->num_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        if (o->type != SIGIL_SPEC_TYPE_IRQ_HANDLER) {
            continue;
        }
        LOADER_TRY(LOADER_PHASE_IRQS, id, SIGIL_SPEC_NONE,
                   sigil_irq_control_get(l->irq_control, l->irqs[o->first].irq,
                                         LOADER_AT(l, loader_obj_slot(l, id))),
                   "IRQControl_Get failed");
    }
    return loader_ok();
}

/*
 * Duplicate caps. Pre: objects created. Post: for every frame entry e of a table reached from a
 * VSpace, slot dup_base + e holds an unmapped copy of the frame's cap (a frame cap maps once,
 * so a frame mapped in n places needs n caps; the object's own cap stays unmapped for filling).
 */
loader_status_t loader_duplicate_caps(loader_t *l)
{
    for (uint32_t e = 0; e < l->num_entries; e++) {
        const sigil_spec_entry_t *en = &l->entries[e];
        if ((en->attrs & SIGIL_SPEC_MAP_TABLE) || en->vspace == SIGIL_SPEC_NONE) {
            continue;
        }
        LOADER_TRY(LOADER_PHASE_DUPLICATES, en->object, SIGIL_SPEC_NONE,
                   sigil_cnode_copy(LOADER_AT(l, loader_dup_slot(l, e)),
                                    LOADER_AT(l, loader_obj_slot(l, en->object)), Sigil_AllRights),
                   "cannot copy the frame cap for a mapping");
    }
    return loader_ok();
}

/*
 * Bind IRQs. Pre: IRQ handler caps made. Post: every IRQHandler with a notification signals
 * it through a cap with the spec's badge; the scratch slot is empty again.
 */
loader_status_t loader_bind_irqs(loader_t *l)
{
    uint32_t first = l->spec->num_ram_objects + l->spec->num_device_objects;
    for (uint32_t id = first; id < l->num_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        if (o->type != SIGIL_SPEC_TYPE_IRQ_HANDLER) {
            continue;
        }
        const sigil_spec_irq_t *irq = &l->irqs[o->first];
        if (irq->notification == SIGIL_SPEC_NONE) {
            continue;
        }
        LOADER_TRY(LOADER_PHASE_BIND_IRQS, id, SIGIL_SPEC_NONE,
                   sigil_cnode_mint(LOADER_AT(l, l->scratch_slot),
                                    LOADER_AT(l, loader_obj_slot(l, irq->notification)),
                                    Sigil_AllRights, irq->badge),
                   "cannot mint the notification cap");
        LOADER_TRY(LOADER_PHASE_BIND_IRQS, id, SIGIL_SPEC_NONE,
                   sigil_irq_handler_set_notification(loader_obj_slot(l, id), l->scratch_slot),
                   "IRQHandler_SetNotification failed");
        LOADER_TRY(LOADER_PHASE_BIND_IRQS, id, SIGIL_SPEC_NONE,
                   sigil_cnode_delete(LOADER_AT(l, l->scratch_slot)),
                   "cannot clear the scratch slot");
    }
    return loader_ok();
}
