/*
 * Structural check of a binary spec (contract in spec_check.h). Each record kind has one small
 * function; the first failure is returned with its section and index.
 */
#include <sigil/rm_boot.h>

#include "spec_check.h"

#define NONE        SIGIL_SPEC_NONE
#define FAIL(st, i) ((sigil_spec_check_t){(st), (i)})
#define OK          FAIL(SIGIL_SPEC_CHECK_OK, 0)

static int range_ok(const sigil_spec_range_t *r, uint64_t size, uint64_t rec, uint64_t align)
{
    if (r->offset % align || r->offset > size) {
        return 0;
    }
    return rec == 0 || r->count <= (size - r->offset) / rec;
}

static int in(uint32_t idx, uint64_t count)
{
    return idx < count;
}

static int in_or_none(uint32_t idx, uint64_t count)
{
    return idx == NONE || idx < count;
}

static int sub_range(uint32_t first, uint32_t count, uint64_t total)
{
    return count == 0 || (first < total && count <= total - first);
}

static int is_kernel_type(uint8_t t)
{
    return t < Sigil_NumObjectTypes;
}

static sigil_spec_check_t check_sections(const sigil_spec_header_t *h, uint64_t size)
{
    const struct {
        const sigil_spec_range_t *r;
        uint64_t rec, align;
    } s[] = {
        {&h->objects, sizeof(sigil_spec_object_t), 8},
        {&h->caps, sizeof(sigil_spec_cap_t), 8},
        {&h->entries, sizeof(sigil_spec_entry_t), 8},
        {&h->fills, sizeof(sigil_spec_fill_t), 8},
        {&h->tcbs, sizeof(sigil_spec_tcb_t), 8},
        {&h->irqs, sizeof(sigil_spec_irq_t), 8},
        {&h->components, sizeof(sigil_spec_component_t), 8},
        {&h->policy, sizeof(sigil_spec_policy_client_t), 8},
        {&h->words, sizeof(uint32_t), 4},
        {&h->strings, 1, 1},
        {&h->data, 1, SIGIL_SPEC_DATA_ALIGN},
        {&h->rm, sizeof(sigil_spec_rm_t), 8},
    };
    for (uint64_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        if (!range_ok(s[i].r, size, s[i].rec, s[i].align)) {
            return FAIL(SIGIL_SPEC_CHECK_SECTION, i);
        }
    }
    const uint8_t *str = (const uint8_t *)h + h->strings.offset;
    if (h->strings.count && str[h->strings.count - 1] != 0) {
        return FAIL(SIGIL_SPEC_CHECK_SECTION, 9);
    }
    return OK;
}

/* The array an object's first/count range points into, by type. */
static uint64_t detail_count(const sigil_spec_header_t *h, uint8_t type)
{
    switch (type) {
    case Sigil_CNodeObject:
        return h->caps.count;
    case Sigil_VSpaceObject:
    case Sigil_PageTableObject:
        return h->entries.count;
    case Sigil_Frame4KObject:
    case Sigil_Frame2MObject:
    case Sigil_Frame1GObject:
        return h->fills.count;
    case Sigil_TCBObject:
        return h->tcbs.count;
    case SIGIL_SPEC_TYPE_IRQ_HANDLER:
        return h->irqs.count;
    default:
        return 0;
    }
}

/* The object's first/count range lies inside its array; a TCB and an IRQ handler have exactly
 * one record, which the loader reads without looking at count. */
static int detail_ok(const sigil_spec_header_t *h, const sigil_spec_object_t *o)
{
    int one = o->type == Sigil_TCBObject || o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER;
    return (!one || o->count == 1) && sub_range(o->first, o->count, detail_count(h, o->type));
}

static int object_ok(const sigil_spec_header_t *h, const sigil_spec_object_t *o)
{
    int known = is_kernel_type(o->type) || o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER ||
                o->type == SIGIL_SPEC_TYPE_IRQ_CONTROL || o->type == SIGIL_SPEC_TYPE_SMC ||
                o->type == SIGIL_SPEC_TYPE_DEBUG;
    return known && o->name < h->strings.count && in_or_none(o->component, h->components.count) &&
           in_or_none(o->original, h->caps.count) && detail_ok(h, o) && o->size_bits <= 47;
}

/* Allocation order: RAM sizes non-increasing, device addresses increasing. */
static int order_ok(const sigil_spec_header_t *h, const sigil_spec_object_t *objs, uint64_t id)
{
    uint64_t nram = h->num_ram_objects, ndev = h->num_device_objects;
    const sigil_spec_object_t *o = &objs[id];
    if (id < nram) {
        /* a child (a managed client's object or a covered one): its parent is a RAM untyped
         * made earlier and at least as large */
        const sigil_spec_object_t *p = &objs[o->paddr < id ? o->paddr : 0];
        int child_ok = !(o->flags & SIGIL_SPEC_OBJ_IN_PARENT) ||
                       (o->paddr < id && p->type == Sigil_UntypedObject &&
                        !(p->flags & SIGIL_SPEC_OBJ_DEVICE) && p->size_bits >= o->size_bits);
        return o->size_bits && !(o->flags & SIGIL_SPEC_OBJ_DEVICE) && child_ok &&
               (id == 0 || objs[id - 1].size_bits >= o->size_bits);
    }
    if (id < nram + ndev) {
        return o->size_bits && (o->flags & SIGIL_SPEC_OBJ_DEVICE) &&
               (id == nram || objs[id - 1].paddr < o->paddr);
    }
    return o->size_bits == 0;
}

/* Every fill of frame `id` lies inside the frame (the loader copies it to frame + dest_offset).
 * Frames own disjoint fill ranges in id order (`*next` is where the previous range ended), so
 * each fill is looked at once. */
static sigil_spec_check_t check_frame_fills(const sigil_spec_header_t *h, uint64_t id,
                                            uint64_t *next)
{
    const sigil_spec_object_t *o = &sigil_spec_objects(h)[id];
    if (o->count == 0 || sigil_spec_frame_bits(o->type) == 0) {
        return OK;
    }
    if (o->first < *next) {
        return FAIL(SIGIL_SPEC_CHECK_OBJECT, id);
    }
    uint64_t size = (uint64_t)1 << sigil_spec_frame_bits(o->type);
    for (uint64_t i = o->first; i < (uint64_t)o->first + o->count; i++) {
        const sigil_spec_fill_t *f = &sigil_spec_fills(h)[i];
        if (f->dest_offset > size || f->length > size - f->dest_offset) {
            return FAIL(SIGIL_SPEC_CHECK_FILL, i);
        }
    }
    *next = (uint64_t)o->first + o->count;
    return OK;
}

static sigil_spec_check_t check_objects(const sigil_spec_header_t *h)
{
    const sigil_spec_object_t *objs = sigil_spec_objects(h);
    if ((uint64_t)h->num_ram_objects + h->num_device_objects > h->objects.count) {
        return FAIL(SIGIL_SPEC_CHECK_HEADER, 0);
    }
    uint64_t next_fill = 0;
    for (uint64_t id = 0; id < h->objects.count; id++) {
        if (!object_ok(h, &objs[id])) {
            return FAIL(SIGIL_SPEC_CHECK_OBJECT, id);
        }
        if (!order_ok(h, objs, id)) {
            return FAIL(SIGIL_SPEC_CHECK_ORDER, id);
        }
        sigil_spec_check_t r = check_frame_fills(h, id, &next_fill);
        if (r.status != SIGIL_SPEC_CHECK_OK) {
            return r;
        }
    }
    return OK;
}

static sigil_spec_check_t check_records(const sigil_spec_header_t *h)
{
    uint64_t n = h->objects.count;
    for (uint64_t i = 0; i < h->caps.count; i++) {
        if (!in(sigil_spec_caps(h)[i].object, n)) {
            return FAIL(SIGIL_SPEC_CHECK_CAP, i);
        }
    }
    for (uint64_t i = 0; i < h->entries.count; i++) {
        const sigil_spec_entry_t *e = &sigil_spec_entries(h)[i];
        if (!in(e->object, n) || !in_or_none(e->vspace, n) || e->index > 511) {
            return FAIL(SIGIL_SPEC_CHECK_ENTRY, i);
        }
    }
    for (uint64_t i = 0; i < h->fills.count; i++) {
        const sigil_spec_fill_t *f = &sigil_spec_fills(h)[i];
        uint64_t lo = h->data.offset, hi = h->data.offset + h->data.count;
        if (f->data_offset < lo || f->data_offset > hi || f->length > hi - f->data_offset) {
            return FAIL(SIGIL_SPEC_CHECK_FILL, i);
        }
    }
    for (uint64_t i = 0; i < h->tcbs.count; i++) {
        const sigil_spec_tcb_t *t = &sigil_spec_tcbs(h)[i];
        if (!in_or_none(t->cspace, n) || !in_or_none(t->vspace, n) ||
            !in_or_none(t->ipc_frame, n) || !in_or_none(t->fault_ep, n) ||
            !in_or_none(t->bound_ntfn, n) || t->num_args > SIGIL_SPEC_MAX_ARGS) {
            return FAIL(SIGIL_SPEC_CHECK_TCB, i);
        }
    }
    for (uint64_t i = 0; i < h->irqs.count; i++) {
        if (!in_or_none(sigil_spec_irqs(h)[i].notification, n)) {
            return FAIL(SIGIL_SPEC_CHECK_IRQ, i);
        }
    }
    return OK;
}

/* The manager's record: at most one; its objects exist; its boot page is Frame4K objects (the
 * loader maps and writes them without looking further). */
static sigil_spec_check_t check_rm(const sigil_spec_header_t *h)
{
    uint64_t n = h->objects.count, nw = h->words.count;
    const uint32_t *w = sigil_spec_words(h);
    if (h->rm.count > 1) {
        return FAIL(SIGIL_SPEC_CHECK_RM, 1);
    }
    for (uint64_t i = 0; i < h->rm.count; i++) {
        const sigil_spec_rm_t *r = &sigil_spec_rm(h)[i];
        int ok = in(r->component, h->components.count) && in_or_none(r->endpoint, n) &&
                 in_or_none(r->reply, n) && sub_range(r->first_boot_page, r->num_boot_pages, nw);
        for (uint32_t k = 0; ok && k < r->num_boot_pages; k++) {
            uint32_t id = w[r->first_boot_page + k];
            ok = in(id, n) && sigil_spec_objects(h)[id].type == Sigil_Frame4KObject;
        }
        if (!ok) {
            return FAIL(SIGIL_SPEC_CHECK_RM, i);
        }
    }
    return OK;
}

static sigil_spec_check_t check_groups(const sigil_spec_header_t *h)
{
    uint64_t n = h->objects.count, nw = h->words.count;
    const uint32_t *w = sigil_spec_words(h);
    for (uint64_t i = 0; i < h->components.count; i++) {
        const sigil_spec_component_t *c = &sigil_spec_components(h)[i];
        int ok = c->name < h->strings.count && in_or_none(c->tcb, n) && in_or_none(c->cspace, n) &&
                 in_or_none(c->vspace, n) && sub_range(c->first_member, c->num_members, nw);
        for (uint32_t k = 0; ok && k < c->num_members; k++) {
            ok = in(w[c->first_member + k], n);
        }
        if (!ok) {
            return FAIL(SIGIL_SPEC_CHECK_COMPONENT, i);
        }
    }
    for (uint64_t i = 0; i < h->policy.count; i++) {
        const sigil_spec_policy_client_t *p = &sigil_spec_policy(h)[i];
        int ok = in(p->component, h->components.count) && sub_range(p->first_smc, p->num_smc, nw) &&
                 sub_range(p->first_cap, p->num_caps, nw) && in_or_none(p->memory_object, n) &&
                 p->num_regions <= SIGIL_RM_MAX_REGIONS &&
                 sub_range(p->first_region, SIGIL_SPEC_REGION_WORDS * p->num_regions, nw);
        for (uint32_t k = 0; ok && k < p->num_caps; k++) {
            ok = in(w[p->first_cap + k], n);
        }
        if (!ok) {
            return FAIL(SIGIL_SPEC_CHECK_POLICY, i);
        }
    }
    return check_rm(h);
}

sigil_spec_check_t sigil_spec_check(const void *blob, uint64_t size)
{
    const sigil_spec_header_t *h = blob;
    if (size < sizeof *h || h->magic != SIGIL_SPEC_MAGIC || h->version != SIGIL_SPEC_VERSION ||
        h->header_size != sizeof *h || h->total_size != size) {
        return FAIL(SIGIL_SPEC_CHECK_HEADER, 0);
    }
    sigil_spec_check_t r = check_sections(h, size);
    if (r.status == SIGIL_SPEC_CHECK_OK) {
        r = check_objects(h);
    }
    if (r.status == SIGIL_SPEC_CHECK_OK) {
        r = check_records(h);
    }
    if (r.status == SIGIL_SPEC_CHECK_OK) {
        r = check_groups(h);
    }
    return r;
}

const char *sigil_spec_check_name(sigil_spec_check_status_t status)
{
    static const char *const names[] = {
        "ok",
        "bad header",
        "bad section",
        "bad object",
        "bad cap",
        "bad table entry",
        "bad fill",
        "bad tcb",
        "bad irq",
        "bad component",
        "bad policy",
        "objects out of allocation order",
        "bad resource manager record",
    };
    return (unsigned)status < sizeof names / sizeof names[0] ? names[status] : "unknown";
}
