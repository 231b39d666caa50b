/*
 * The VSpaces phase: page tables level by level, then frames, then frame contents.
 *
 * Every table entry in the spec carries its VSpace, virtual address and parent level, so no
 * walk is needed: PageTable_Map installs a table at the first missing level on the way to the
 * address, so mapping the tables of parent level 0, then 1, then 2 builds every path top
 * down (three passes over the entries). Frames are mapped with their duplicate caps. Contents:
 * donated frames already hold theirs; the others are mapped at the loader's scratch page and
 * their fills copied from the blob, then unmapped.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>

#include "internal.h"
#include "lib/kstring.h"

static loader_status_t map_tables(loader_t *l, uint8_t level)
{
    for (uint32_t e = 0; e < l->num_entries; e++) {
        const sigil_spec_entry_t *en = &l->entries[e];
        if (!(en->attrs & SIGIL_SPEC_MAP_TABLE) || en->level != level ||
            en->vspace == SIGIL_SPEC_NONE) {
            continue;
        }
        LOADER_TRY(LOADER_PHASE_VSPACES, en->object, SIGIL_SPEC_NONE,
                   sigil_page_table_map(loader_obj_slot(l, en->object),
                                        loader_obj_slot(l, en->vspace), en->vaddr, 0),
                   "PageTable_Map failed");
    }
    return loader_ok();
}

static uint64_t map_attr(uint8_t attrs)
{
    uint64_t a = (attrs & SIGIL_SPEC_MAP_UNCACHED) ? 0 : SIGIL_VM_CACHEABLE;
    return a | ((attrs & SIGIL_SPEC_MAP_EXECUTABLE) ? SIGIL_VM_EXECUTABLE : 0);
}

static loader_status_t map_frames(loader_t *l)
{
    for (uint32_t e = 0; e < l->num_entries; e++) {
        const sigil_spec_entry_t *en = &l->entries[e];
        if ((en->attrs & SIGIL_SPEC_MAP_TABLE) || en->vspace == SIGIL_SPEC_NONE) {
            continue;
        }
        LOADER_ENSURE(LOADER_PHASE_VSPACES, en->object,
                      sigil_debug_cap_inspect(loader_dup_slot(l, e)).vspace == 0,
                      "a mapping cap is mapped already");
        LOADER_TRY(LOADER_PHASE_VSPACES, en->object, SIGIL_SPEC_NONE,
                   sigil_frame_map(loader_dup_slot(l, e), loader_obj_slot(l, en->vspace), en->vaddr,
                                   en->rights, map_attr(en->attrs)),
                   "Frame_Map failed");
    }
    return loader_ok();
}

/* Copy the fills of frame `id` through the scratch page. */
static loader_status_t fill_frame(loader_t *l, uint32_t id)
{
    const sigil_spec_object_t *o = &l->objects[id];
    if (o->type != Sigil_Frame4KObject) {
        return loader_fail(LOADER_PHASE_VSPACES, id, SIGIL_SPEC_NONE, 0,
                           "the loader fills only 4 KiB frames");
    }
    uint64_t slot = loader_obj_slot(l, id);
    LOADER_TRY(LOADER_PHASE_VSPACES, id, SIGIL_SPEC_NONE,
               sigil_frame_map(slot, loader_root_slot(l, Sigil_SlotInitThreadVSpace),
                               l->scratch_vaddr, Sigil_CanRead | Sigil_CanWrite,
                               SIGIL_VM_CACHEABLE),
               "cannot map the frame to fill it");
    uint8_t *page = (uint8_t *)(uintptr_t)l->scratch_vaddr;
    const uint8_t *blob = (const uint8_t *)l->spec;
    for (uint32_t i = o->first; i < o->first + o->count; i++) {
        const sigil_spec_fill_t *f = &l->fills[i];
        memcpy(page + f->dest_offset, blob + f->data_offset, f->length);
    }
    LOADER_TRY(LOADER_PHASE_VSPACES, id, SIGIL_SPEC_NONE, sigil_frame_unmap(slot),
               "cannot unmap the filled frame");
    l->stats.copied++;
    return loader_ok();
}

static loader_status_t fill_frames(loader_t *l)
{
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        if (!sigil_spec_is_frame(o->type) || o->count == 0 || loader_donatable(l, id)) {
            continue;
        }
        LOADER_PROPAGATE(fill_frame(l, id));
    }
    return loader_ok();
}

/*
 * VSpaces. Pre: objects and mapping caps exist; no table or frame of the spec is mapped.
 * Post: every table entry reached from a VSpace is in place (tables by their own caps, frames
 * by their duplicate caps, with the entry's rights and attributes); every frame with fills
 * holds its contents; the loader's scratch page is unmapped.
 */
loader_status_t loader_init_vspaces(loader_t *l)
{
    for (uint8_t level = 0; level < 3; level++) {
        LOADER_PROPAGATE(map_tables(l, level));
    }
    LOADER_PROPAGATE(map_frames(l));
    return fill_frames(l);
}
