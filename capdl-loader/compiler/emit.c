/*
 * Packing the model into the binary spec (see emit.h and <sigil/spec.h>).
 *
 * Records that belong to an object (caps of a CNode, entries of a table, fills of a frame)
 * are sorted by (owner id, slot/index/offset) so each owner's records form one range. Model
 * indices are translated to final ids on the way out.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

typedef struct {
    uint64_t key;
    uint32_t idx;
} keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Room for the sort keys of `n` records. */
static keyed_t *sorted(size_t n)
{
    return xmalloc((n + 1) * sizeof(keyed_t));
}

typedef struct {
    uint8_t *buf;
    size_t size, cap;
} out_t;

static uint64_t reserve(out_t *o, size_t bytes, size_t align)
{
    size_t at = (o->size + align - 1) & ~(align - 1);
    if (at + bytes > o->cap) {
        while (at + bytes > o->cap) {
            o->cap = o->cap ? o->cap * 2 : 1 << 16;
        }
        o->buf = xrealloc(o->buf, o->cap);
    }
    memset(o->buf + o->size, 0, at + bytes - o->size);
    o->size = at + bytes;
    return at;
}

/* Reserve a section of `n` records of `size` bytes and record it in the header range at
 * byte `range` of the header. */
static void *section(out_t *o, size_t range, size_t n, size_t size)
{
    uint64_t at = reserve(o, n * size, 8);
    sigil_spec_range_t *r = (sigil_spec_range_t *)(void *)(o->buf + range);
    r->offset = at;
    r->count = n;
    return o->buf + at;
}

#define SECTION(o, h, field, n, type)                                                              \
    ((type *)section((o), offsetof(sigil_spec_header_t, field), (n), sizeof(type)))
#define HDR(o)             ((sigil_spec_header_t *)(void *)(o)->buf)
#define AT(o, field, type) ((type *)(void *)((o)->buf + HDR(o)->field.offset))

/* The blob is written from host structs: the host must be little-endian like the target. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sigil-specc writes the binary spec from host structs and needs a little-endian host"
#endif

static uint32_t id_of(const spec_t *s, uint32_t model)
{
    return model == SPECC_NONE ? SIGIL_SPEC_NONE : s->objs[model].id;
}

/* String table: names in a fixed order; returns offsets via the callback order. */
typedef struct {
    char *bytes;
    size_t n, cap;
} strtab_t;

static uint32_t str_add(strtab_t *t, const char *sname)
{
    size_t len = strlen(sname) + 1;
    while (t->n + len > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->bytes = xrealloc(t->bytes, t->cap);
    }
    memcpy(t->bytes + t->n, sname, len);
    t->n += len;
    return (uint32_t)(t->n - len);
}

static void emit_objects(const spec_t *s, out_t *o, strtab_t *st)
{
    sigil_spec_object_t *objs = SECTION(o, HDR(o), objects, s->nobjs, sigil_spec_object_t);
    for (size_t id = 0; id < s->nobjs; id++) {
        const m_object_t *m = &s->objs[s->order[id]];
        sigil_spec_object_t *r = &objs[id];
        r->name = str_add(st, m->name);
        r->type = m->type;
        r->size_bits = m->size_bits;
        r->flags = m->flags;
        r->extra = m->type == Sigil_CNodeObject                                          ? m->radix
                   : (m->type == Sigil_VSpaceObject || m->type == Sigil_PageTableObject) ? m->level
                                                                                         : 0;
        r->component = m->comp == SPECC_NONE ? SIGIL_SPEC_NONE : m->comp;
        r->first = SIGIL_SPEC_NONE;
        r->original = SIGIL_SPEC_NONE;
        r->paddr = (m->flags & SIGIL_SPEC_OBJ_IN_PARENT) ? id_of(s, (uint32_t)m->paddr) : m->paddr;
    }
}

/* Records owned by objects (caps of a CNode, entries of a table, fills of a frame): sort by
 * (owner id, position within the owner) and return the order. `owner(i)` and `pos(i)` give the
 * model owner and position of record i. */
static keyed_t *owner_order(const spec_t *s, size_t n, uint32_t (*owner)(const spec_t *, size_t),
                            uint32_t (*pos)(const spec_t *, size_t))
{
    keyed_t *k = sorted(n);
    for (size_t i = 0; i < n; i++) {
        k[i] = (keyed_t){(uint64_t)id_of(s, owner(s, i)) << 32 | pos(s, i), (uint32_t)i};
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    return k;
}

/* Record `i` of the output belongs to `obj`: extend the object's first/count range. */
static void extend_range(sigil_spec_object_t *obj, uint32_t i)
{
    if (obj->first == SIGIL_SPEC_NONE) {
        obj->first = i;
    }
    obj->count++;
}

static uint32_t cap_owner(const spec_t *s, size_t i)
{
    return s->caps[i].cnode;
}

static uint32_t cap_pos(const spec_t *s, size_t i)
{
    return s->caps[i].c.slot;
}

static uint32_t entry_owner(const spec_t *s, size_t i)
{
    return s->entries[i].table;
}

static uint32_t entry_pos(const spec_t *s, size_t i)
{
    return s->entries[i].e.index;
}

static uint32_t fill_owner(const spec_t *s, size_t i)
{
    return s->fills[i].frame;
}

static uint32_t fill_pos(const spec_t *s, size_t i)
{
    return s->fills[i].f.dest_offset;
}

static void emit_caps(const spec_t *s, out_t *o)
{
    keyed_t *k = owner_order(s, s->ncaps, cap_owner, cap_pos);
    sigil_spec_cap_t *caps = SECTION(o, HDR(o), caps, s->ncaps, sigil_spec_cap_t);
    sigil_spec_object_t *objs = AT(o, objects, sigil_spec_object_t);
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const m_cap_t *c = &s->caps[k[i].idx];
        caps[i] = c->c;
        caps[i].object = id_of(s, c->c.object);
        extend_range(&objs[id_of(s, c->cnode)], i);
        if (c->c.flags & SIGIL_SPEC_CAP_ORIGINAL) {
            objs[caps[i].object].original = i;
        }
    }
    free(k);
}

static void emit_entries(const spec_t *s, out_t *o)
{
    keyed_t *k = owner_order(s, s->nentries, entry_owner, entry_pos);
    sigil_spec_entry_t *es = SECTION(o, HDR(o), entries, s->nentries, sigil_spec_entry_t);
    sigil_spec_object_t *objs = AT(o, objects, sigil_spec_object_t);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const m_entry_t *e = &s->entries[k[i].idx];
        es[i] = e->e;
        es[i].object = id_of(s, e->e.object);
        es[i].vspace = id_of(s, e->e.vspace);
        extend_range(&objs[id_of(s, e->table)], i);
    }
    free(k);
}

static void emit_fills(const spec_t *s, out_t *o)
{
    keyed_t *k = owner_order(s, s->nfills, fill_owner, fill_pos);
    sigil_spec_fill_t *fs = SECTION(o, HDR(o), fills, s->nfills, sigil_spec_fill_t);
    sigil_spec_object_t *objs = AT(o, objects, sigil_spec_object_t);
    for (uint32_t i = 0; i < s->nfills; i++) {
        fs[i] = s->fills[k[i].idx].f; /* data_offset is rebased when the data is placed */
        extend_range(&objs[id_of(s, s->fills[k[i].idx].frame)], i);
    }
    free(k);
}

/* TCB and IRQ records in object id order. */
static void emit_tcbs_irqs(const spec_t *s, out_t *o)
{
    SECTION(o, HDR(o), tcbs, s->ntcbs, sigil_spec_tcb_t);
    SECTION(o, HDR(o), irqs, s->nirqs, sigil_spec_irq_t);
    sigil_spec_tcb_t *ts = AT(o, tcbs, sigil_spec_tcb_t);
    sigil_spec_irq_t *is = AT(o, irqs, sigil_spec_irq_t);
    sigil_spec_object_t *objs = AT(o, objects, sigil_spec_object_t);
    uint32_t nt = 0, ni = 0;
    for (size_t id = 0; id < s->nobjs; id++) {
        const m_object_t *m = &s->objs[s->order[id]];
        if (m->type == Sigil_TCBObject && m->detail != SPECC_NONE) {
            sigil_spec_tcb_t *t = &ts[nt];
            *t = s->tcbs[m->detail];
            t->cspace = id_of(s, t->cspace);
            t->vspace = id_of(s, t->vspace);
            t->ipc_frame = id_of(s, t->ipc_frame);
            t->fault_ep = id_of(s, t->fault_ep);
            t->bound_ntfn = id_of(s, t->bound_ntfn);
            extend_range(&objs[id], nt++);
        } else if (m->type == SIGIL_SPEC_TYPE_IRQ_HANDLER && m->detail != SPECC_NONE) {
            is[ni] = s->irqs[m->detail];
            is[ni].notification = id_of(s, is[ni].notification);
            extend_range(&objs[id], ni++);
        }
    }
}

static size_t count_words(const spec_t *s)
{
    size_t n = s->nobjs;
    for (size_t i = 0; i < s->nclients; i++) {
        n += s->clients[i].p.num_smc + s->clients[i].p.num_caps +
             SIGIL_SPEC_REGION_WORDS * s->clients[i].p.num_regions;
    }
    return n + s->rm.r.num_boot_pages;
}

static void emit_components_policy(const spec_t *s, out_t *o, strtab_t *st)
{
    SECTION(o, HDR(o), components, s->ncomps, sigil_spec_component_t);
    SECTION(o, HDR(o), policy, s->nclients, sigil_spec_policy_client_t);
    SECTION(o, HDR(o), rm, s->rm.present ? 1 : 0, sigil_spec_rm_t);
    SECTION(o, HDR(o), words, count_words(s), uint32_t);
    sigil_spec_component_t *cs = AT(o, components, sigil_spec_component_t);
    sigil_spec_policy_client_t *ps = AT(o, policy, sigil_spec_policy_client_t);
    uint32_t *w = AT(o, words, uint32_t);
    /* Members by component in id order: a counting sort over the objects. */
    uint32_t k = 0;
    for (size_t id = 0; id < s->nobjs; id++) {
        uint32_t c = s->objs[s->order[id]].comp;
        if (c != SPECC_NONE) {
            cs[c].num_members++;
        }
    }
    for (uint32_t c = 0; c < s->ncomps; c++) {
        cs[c].name = str_add(st, s->comps[c].name);
        cs[c].flags = s->comps[c].flags;
        cs[c].tcb = id_of(s, s->comps[c].tcb);
        cs[c].cspace = id_of(s, s->comps[c].cspace);
        cs[c].vspace = id_of(s, s->comps[c].vspace);
        cs[c].first_member = k;
        k += cs[c].num_members;
        cs[c].num_members = 0;
    }
    for (size_t id = 0; id < s->nobjs; id++) {
        uint32_t c = s->objs[s->order[id]].comp;
        if (c != SPECC_NONE) {
            w[cs[c].first_member + cs[c].num_members++] = (uint32_t)id;
        }
    }
    for (size_t i = 0; i < s->nclients; i++) {
        const m_client_t *mc = &s->clients[i];
        ps[i] = mc->p;
        ps[i].first_smc = k;
        for (uint32_t j = 0; j < mc->p.num_smc; j++) {
            w[k++] = mc->smc[j];
        }
        ps[i].first_cap = k;
        for (uint32_t j = 0; j < mc->p.num_caps; j++) {
            w[k++] = id_of(s, mc->caps[j]);
        }
        ps[i].memory_object = id_of(s, mc->p.memory_object);
        ps[i].first_region = k;
        for (uint32_t j = 0; j < mc->p.num_regions; j++) {
            const m_region_t *r = &mc->regions[j];
            w[k++] = (uint32_t)r->vaddr;
            w[k++] = (uint32_t)(r->vaddr >> 32);
            w[k++] = (uint32_t)r->size;
            w[k++] = (uint32_t)(r->size >> 32);
            w[k++] = r->rights;
        }
    }
    if (s->rm.present) {
        sigil_spec_rm_t *r = AT(o, rm, sigil_spec_rm_t);
        *r = s->rm.r;
        r->endpoint = id_of(s, r->endpoint);
        r->reply = id_of(s, r->reply);
        r->first_boot_page = k;
        for (uint32_t j = 0; j < s->rm.r.num_boot_pages; j++) {
            w[k++] = id_of(s, s->rm.boot_pages[j]);
        }
    }
    HDR(o)->words.count = k;
}

/* The data section, laid out in fill order: whole-page fills on page boundaries (so the loader
 * can donate them), others 8-byte aligned. The layout depends only on the fills, not on the
 * order the compiler read them in. */
static void emit_data(const spec_t *s, out_t *o)
{
    uint64_t start = reserve(o, 0, SIGIL_SPEC_DATA_ALIGN);
    for (uint64_t i = 0; i < HDR(o)->fills.count; i++) {
        sigil_spec_fill_t *f = &AT(o, fills, sigil_spec_fill_t)[i];
        int page = f->dest_offset == 0 && f->length == SIGIL_SPEC_DATA_ALIGN;
        uint64_t at = reserve(o, f->length, page ? SIGIL_SPEC_DATA_ALIGN : 8);
        f = &AT(o, fills, sigil_spec_fill_t)[i];
        memcpy(o->buf + at, s->data + f->data_offset, f->length);
        f->data_offset = at;
    }
    reserve(o, 0, 8);
    HDR(o)->data.offset = start;
    HDR(o)->data.count = o->size - start;
}

uint8_t *emit_blob(const spec_t *s, size_t *size)
{
    out_t o = {0};
    strtab_t st = {0};
    reserve(&o, sizeof(sigil_spec_header_t), 8);
    emit_objects(s, &o, &st);
    emit_caps(s, &o);
    emit_entries(s, &o);
    emit_fills(s, &o);
    emit_tcbs_irqs(s, &o);
    emit_components_policy(s, &o, &st);
    uint64_t so = reserve(&o, st.n, 8);
    if (st.n) {
        memcpy(o.buf + so, st.bytes, st.n);
    }
    free(st.bytes);
    emit_data(s, &o);
    sigil_spec_header_t *h = HDR(&o);
    h->magic = SIGIL_SPEC_MAGIC;
    h->version = SIGIL_SPEC_VERSION;
    h->header_size = sizeof *h;
    h->reserve = s->reserve;
    h->num_ram_objects = (uint32_t)s->nram;
    h->num_device_objects = (uint32_t)s->ndev;
    h->strings.offset = so;
    h->strings.count = st.n;
    h->total_size = o.size;
    *size = o.size;
    return o.buf;
}
