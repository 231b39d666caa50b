/*
 * The loader's pipeline: the spec phase sets up the context, then the phases of l4v's sys-init
 * run in order, each handing the next a state that satisfies its precondition. The first
 * failure stops the pipeline; sigil_loader_report() prints it.
 */
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "internal.h"
#include "spec_check.h"

static loader_t the_loader; /* the one context: static storage, no heap */

static const char *const phase_names[LOADER_NUM_PHASES] = {
    "spec", "create objects", "IRQ caps", "duplicate caps",   "bind IRQs",     "VSpaces",
    "TCBs", "CSpaces",        "check",    "hand over memory", "start threads", "clean up",
};

const char *loader_phase_name(loader_phase_t phase)
{
    return phase < LOADER_NUM_PHASES ? phase_names[phase] : "done";
}

unsigned loader_cap_type(uint8_t type)
{
    static const uint8_t kinds[Sigil_NumObjectTypes] = {
        [Sigil_UntypedObject] = Sigil_CapUntyped,
        [Sigil_TCBObject] = Sigil_CapTCB,
        [Sigil_EndpointObject] = Sigil_CapEndpoint,
        [Sigil_NotificationObject] = Sigil_CapNotification,
        [Sigil_CNodeObject] = Sigil_CapCNode,
        [Sigil_ReplyObject] = Sigil_CapReply,
        [Sigil_VSpaceObject] = Sigil_CapVSpace,
        [Sigil_PageTableObject] = Sigil_CapPageTable,
        [Sigil_Frame4KObject] = Sigil_CapFrame,
        [Sigil_Frame2MObject] = Sigil_CapFrame,
        [Sigil_Frame1GObject] = Sigil_CapFrame,
    };
    switch (type) {
    case SIGIL_SPEC_TYPE_IRQ_HANDLER:
        return Sigil_CapIRQHandler;
    case SIGIL_SPEC_TYPE_IRQ_CONTROL:
        return Sigil_CapIRQControl;
    case SIGIL_SPEC_TYPE_SMC:
        return Sigil_CapSMC;
    case SIGIL_SPEC_TYPE_DEBUG:
        return Sigil_CapDebug;
    default:
        return type < Sigil_NumObjectTypes ? kinds[type] : Sigil_CapNone;
    }
}

uint64_t loader_image_page_slot(const loader_t *l, uint64_t offset)
{
    const sigil_bootinfo_t *bi = l->bi;
    uint64_t vaddr = l->blob_vaddr + offset;
    if (vaddr % LOADER_PAGE != 0 || vaddr < bi->image_vaddr) {
        return 0;
    }
    uint64_t slot = bi->image_frames_start + (vaddr - bi->image_vaddr) / LOADER_PAGE;
    return slot < bi->image_frames_end ? loader_root_slot(l, slot) : 0;
}

int loader_donatable(const loader_t *l, uint32_t id)
{
    const sigil_spec_object_t *o = &l->objects[id];
    /* a managed client's frames come from its own untyped, so they can all come back */
    if (o->type != Sigil_Frame4KObject || o->count != 1 ||
        (o->flags & (SIGIL_SPEC_OBJ_DEVICE | SIGIL_SPEC_OBJ_IN_PARENT))) {
        return 0;
    }
    const sigil_spec_fill_t *f = &l->fills[o->first];
    return f->dest_offset == 0 && f->length == LOADER_PAGE &&
           loader_image_page_slot(l, f->data_offset) != 0;
}

/* Find the resource manager component (at most one; the compiler checked). */
static uint32_t find_manager(const loader_t *l)
{
    for (uint32_t i = 0; i < l->spec->components.count; i++) {
        if (l->components[i].flags & SIGIL_SPEC_COMP_RESOURCE_MANAGER) {
            return i;
        }
    }
    return SIGIL_SPEC_NONE;
}

static void read_spec(loader_t *l, const void *blob)
{
    const sigil_spec_header_t *h = blob;
    l->spec = h;
    l->objects = sigil_spec_objects(h);
    l->caps = sigil_spec_caps(h);
    l->entries = sigil_spec_entries(h);
    l->fills = sigil_spec_fills(h);
    l->tcbs = sigil_spec_tcbs(h);
    l->irqs = sigil_spec_irqs(h);
    l->components = sigil_spec_components(h);
    l->num_objects = (uint32_t)h->objects.count;
    l->num_entries = (uint32_t)h->entries.count;
    l->blob_vaddr = (uint64_t)(uintptr_t)blob;
    l->manager = find_manager(l);
}

/* Insert boot untyped `i` into the address-sorted list of the first `n` (the kernel lists RAM
 * before devices, each run sorted, so this is cheap; the list has a fixed maximum length). */
static void insert_untyped(loader_t *l, uint64_t n, uint64_t i)
{
    const sigil_untyped_desc_t *d = &l->bi->untyped[i];
    uint64_t k = n;
    for (; k > 0 && l->untypeds[k - 1].paddr > d->paddr; k--) {
        l->untypeds[k] = l->untypeds[k - 1];
        l->untyped_slot[k] = l->untyped_slot[k - 1];
    }
    l->untypeds[k] = (sigil_untyped_t){d->paddr, d->size_bits, d->is_device};
    l->untyped_slot[k] = l->bi->untyped_start + i;
}

/* The boot untyped list, sorted by address for the placement code. */
static loader_status_t read_untypeds(loader_t *l)
{
    const sigil_bootinfo_t *bi = l->bi;
    if (bi->num_untypeds > SIGIL_BOOTINFO_MAX_UNTYPEDS ||
        bi->untyped_end - bi->untyped_start != bi->num_untypeds) {
        return loader_fail(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, 0,
                           "the boot-info page's untyped list is inconsistent");
    }
    for (uint64_t i = 0; i < bi->num_untypeds; i++) {
        insert_untyped(l, i, i);
    }
    sigil_alloc_init(&l->alloc, l->untypeds, l->watermark, bi->num_untypeds);
    return loader_ok();
}

/*
 * Spec phase. Pre: none. Post: the blob passed sigil_spec_check, the context's spec pointers,
 * untyped list, placement state and slot layout are set, and all slots from obj_base on are
 * empty (the boot-info page says so).
 */
static loader_status_t load_spec(loader_t *l, const sigil_bootinfo_t *bi, const void *blob,
                                 uint64_t size)
{
    if (bi->magic != SIGIL_BOOTINFO_MAGIC) {
        return loader_fail(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, 0,
                           "bad boot-info page");
    }
    sigil_spec_check_t c = sigil_spec_check(blob, size);
    if (c.status != SIGIL_SPEC_CHECK_OK) {
        return loader_fail(LOADER_PHASE_SPEC, SIGIL_SPEC_NONE, (uint32_t)c.index, 0,
                           sigil_spec_check_name(c.status));
    }
    l->bi = bi;
    read_spec(l, blob);
    LOADER_PROPAGATE(read_untypeds(l));
    return loader_lay_out(l);
}

loader_status_t sigil_loader_run(const sigil_bootinfo_t *bi, const void *blob, uint64_t size,
                                 loader_stats_t *stats)
{
    static loader_status_t (*const phases[])(loader_t *) = {
        loader_create_objects, loader_create_irqs,   loader_duplicate_caps, loader_bind_irqs,
        loader_init_vspaces,   loader_init_tcbs,     loader_init_cspaces,   loader_check,
        loader_hand_over,      loader_start_threads, loader_clean_up,
    };
    loader_t *l = &the_loader;
    loader_status_t st = load_spec(l, bi, blob, size);
    for (size_t i = 0; !loader_failed(st) && i < sizeof phases / sizeof phases[0]; i++) {
        st = phases[i](l);
    }
    l->stats.objects = l->num_objects;
    *stats = l->stats;
    return st;
}

void sigil_loader_report(const void *blob, loader_status_t st)
{
    const sigil_spec_header_t *h = blob;
    const char *name = "spec";
    if (st.object != SIGIL_SPEC_NONE && st.phase != LOADER_PHASE_SPEC) {
        name = sigil_spec_object_name(h, st.object);
    }
    sigil_printf("loader: FAILED in %s: %s", loader_phase_name(st.phase), name);
    if (st.index != SIGIL_SPEC_NONE) {
        sigil_printf("[%u]", st.index);
    }
    sigil_printf(": %s", st.message ? st.message : "failed");
    if (st.error != 0) {
        sigil_printf(" (%s)", sigil_error_name(st.error));
    }
    sigil_printf("\n");
}
