/*
 * Stage 1 of the model: components and objects with their intrinsic properties (type, size,
 * device address, IRQ number, frame contents). References between objects are resolved by
 * later stages, once every name exists.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "num.h"

#define TBIT(t) (1ull << (t))
#define FIELD(k, K)                                                                                \
    {                                                                                              \
#k, offsetof(y_object_t, k), SIGIL_SPEC_FIELD_##K                                          \
    }

/* Which object fields apply to which types: kernel/abi/sigil.yaml `spec_fields` (the Python
 * object classes take the same table). */
static const struct {
    const char *key;
    size_t offset;
    uint64_t types;
} field_types[] = {
    FIELD(bits, BITS),
    FIELD(paddr, PADDR),
    FIELD(covers, COVERS),
    FIELD(irq, IRQ),
    FIELD(notification, NOTIFICATION),
    FIELD(badge, BADGE),
    FIELD(trigger, TRIGGER),
    FIELD(fill, FILL),
    FIELD(slots, SLOTS),
    FIELD(entries, ENTRIES),
    FIELD(mappings, MAPPINGS),
    FIELD(cspace, CSPACE),
    FIELD(vspace, VSPACE),
    FIELD(ipc_buffer, IPC_BUFFER),
    FIELD(fault_handler, FAULT_HANDLER),
    FIELD(bound_notification, BOUND_NOTIFICATION),
    FIELD(entry, ENTRY),
    FIELD(stack, STACK),
    FIELD(args, ARGS),
    FIELD(priority, PRIORITY),
    FIELD(max_priority, MAX_PRIORITY),
    FIELD(fpu, FPU),
    FIELD(tls, TLS),
    FIELD(start, START),
};

/* Names: [A-Za-z_][A-Za-z0-9_]* */
static int valid_name(const char *n)
{
    if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '_')) {
        return 0;
    }
    for (n++; *n; n++) {
        if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '_' ||
              (*n >= '0' && *n <= '9'))) {
            return 0;
        }
    }
    return 1;
}

static void check_fields_apply(spec_t *s, const m_object_t *o)
{
    for (size_t i = 0; i < sizeof field_types / sizeof field_types[0]; i++) {
        const void *v = *(void *const *)((const char *)o->y + field_types[i].offset);
        if (v && !(field_types[i].types & TBIT(o->type))) {
            diag_error(s->d, diag_line(s->d, path_key(o->yh, field_types[i].key)), o->path,
                       "'%s' does not apply to %s objects", field_types[i].key,
                       spec_type_name(o->type));
        }
    }
}

static void set_bits(spec_t *s, m_object_t *o)
{
    int is_ut = o->type == Sigil_UntypedObject;
    if (!is_ut && o->type != Sigil_CNodeObject) {
        return;
    }
    uint64_t h = path_key(o->yh, "bits"), bits = 0;
    if (!o->y->bits) {
        diag_error(s->d, o->line, o->path, "missing required key 'bits'");
        return;
    }
    if (!get_uint(s->d, o->y->bits, h, o->path, "bits", 8, 0, &bits)) {
        return;
    }
    uint64_t lo = is_ut ? Sigil_UntypedMinBits : Sigil_CNodeMinBits;
    uint64_t hi = is_ut ? Sigil_UntypedMaxBits : Sigil_CNodeMaxBits;
    if (bits < lo || bits > hi) {
        diag_error(s->d, diag_line(s->d, h), o->path, "%s bits %llu outside %llu..%llu",
                   spec_type_name(o->type), (unsigned long long)bits, (unsigned long long)lo,
                   (unsigned long long)hi);
        return;
    }
    o->radix = (uint8_t)bits;
    o->size_bits = (uint8_t)(is_ut ? bits : bits + Sigil_CNodeSlotBits);
}

static void set_paddr(spec_t *s, m_object_t *o)
{
    uint64_t h = path_key(o->yh, "paddr"), pa = 0;
    if (!o->y->paddr || !get_uint(s->d, o->y->paddr, h, o->path, "paddr", 64, 0, &pa)) {
        return;
    }
    o->flags |= SIGIL_SPEC_OBJ_DEVICE;
    o->paddr = pa;
    if (o->size_bits && (pa & ((1ull << o->size_bits) - 1))) {
        diag_error(s->d, diag_line(s->d, h), o->path,
                   "paddr %s is not aligned to the object size (2^%u)", o->y->paddr, o->size_bits);
    }
}

static uint8_t parse_trigger(spec_t *s, const m_object_t *o)
{
    const char *t = o->y->trigger;
    if (!t || strcmp(t, "level") == 0) {
        return SIGIL_SPEC_IRQ_LEVEL;
    }
    if (strcmp(t, "edge") == 0) {
        return SIGIL_SPEC_IRQ_EDGE;
    }
    diag_error(s->d, diag_line(s->d, path_key(o->yh, "trigger")), o->path, "unknown trigger '%s'",
               t);
    return SIGIL_SPEC_IRQ_LEVEL;
}

static void set_irq(spec_t *s, uint32_t idx)
{
    m_object_t *o = &s->objs[idx];
    uint64_t h = path_key(o->yh, "irq"), irq = 0, badge = 0;
    if (!o->y->irq) {
        diag_error(s->d, o->line, o->path, "missing required key 'irq'");
        return;
    }
    if (!get_uint(s->d, o->y->irq, h, o->path, "irq", 32, 0, &irq)) {
        return;
    }
    if (irq > SIGIL_PLAT_MAX_IRQ) {
        diag_error(s->d, diag_line(s->d, h), o->path, "irq %llu is above max_irq %llu",
                   (unsigned long long)irq, (unsigned long long)SIGIL_PLAT_MAX_IRQ);
        return;
    }
    if (!s->unchecked_irqs && irq < SIGIL_IRQ_FIRST_GRANTABLE) {
        diag_error(s->d, diag_line(s->d, h), o->path,
                   "irq %llu is below %u: SGIs and PPIs (the timer's %u among them) are the "
                   "kernel's",
                   (unsigned long long)irq, SIGIL_IRQ_FIRST_GRANTABLE,
                   (unsigned)SIGIL_PLAT_TIMER_IRQ);
        return;
    }
    if (!s->unchecked_irqs && sigil_irq_kernel_owned(irq)) {
        diag_error(s->d, diag_line(s->d, h), o->path, "irq %llu is the kernel's own (platform %s)",
                   (unsigned long long)irq, sigil_irq_kernel_owned(irq));
        return;
    }
    uint32_t prev = u64map_get(&s->irqnums, irq);
    if (prev != SPECC_NONE) {
        diag_error(s->d, diag_line(s->d, h), o->path, "irq %llu already has a handler ('%s')",
                   (unsigned long long)irq, s->objs[prev].name);
        return;
    }
    u64map_put(&s->irqnums, irq, idx);
    get_uint(s->d, o->y->badge, path_key(o->yh, "badge"), o->path, "badge", 64, 0, &badge);
    o->paddr = irq;
    o->detail = (uint32_t)s->nirqs;
    sigil_spec_irq_t *r = VEC_PUSH(s->irqs, s->capirqs, s->nirqs);
    r->irq = (uint32_t)irq;
    r->badge = badge;
    r->notification = SPECC_NONE; /* caps.c resolves it */
    r->trigger = parse_trigger(s, o);
}

static void set_singleton(spec_t *s, uint32_t idx, uint32_t *slot)
{
    if (*slot != SPECC_NONE) {
        diag_error(s->d, s->objs[idx].line, s->objs[idx].path, "more than one %s object ('%s')",
                   spec_type_name(s->objs[idx].type), s->objs[*slot].name);
        return;
    }
    *slot = idx;
}

/* Read `len` bytes at `off` of a file named relative to the spec; NULL after an error. */
static uint8_t *read_file_part(spec_t *s, const char *name, uint64_t off, uint64_t len,
                               unsigned line, const char *path)
{
    char *full = spec_file_path(s, name);
    FILE *f = NULL;
    uint64_t size = 0;
    const char *why = open_regular(full, SIGIL_SPEC_MAX_FILE_BYTES, &f, &size);
    int fits = !why && off <= size && len <= size - off;
    uint8_t *buf = fits ? xmalloc(len) : NULL;
    int ok = fits && fseek(f, (long)off, SEEK_SET) == 0 && fread(buf, 1, len, f) == len;
    if (why) {
        diag_error(s->d, line, path, "cannot open '%s': %s", name, why);
    } else if (!ok) {
        diag_error(s->d, line, path, "cannot read %llu bytes at offset %llu of '%s'",
                   (unsigned long long)len, (unsigned long long)off, name);
    }
    if (f) {
        fclose(f);
    }
    free(full);
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Hex digits (whitespace ignored) to bytes; returns the count or -1. */
static long parse_hex(const char *hex, uint8_t **out)
{
    size_t n = strlen(hex), k = 0;
    uint8_t *buf = xmalloc(n / 2 + 1);
    int nib = -1;
    for (; *hex; hex++) {
        int v = *hex >= '0' && *hex <= '9'   ? *hex - '0'
                : *hex >= 'a' && *hex <= 'f' ? *hex - 'a' + 10
                : *hex >= 'A' && *hex <= 'F' ? *hex - 'A' + 10
                                             : -1;
        if (v < 0 && (*hex == ' ' || *hex == '\n')) {
            continue;
        }
        if (v < 0) {
            free(buf);
            return -1;
        }
        if (nib < 0) {
            nib = v;
        } else {
            buf[k++] = (uint8_t)(nib << 4 | v);
            nib = -1;
        }
    }
    if (nib >= 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    return (long)k;
}

/* Whether `len` bytes at `off` (both below 2^32) fit in a frame of 2^bits bytes; reports if not. */
static int fill_fits(spec_t *s, uint64_t h, const char *path, uint64_t off, uint64_t len,
                     unsigned bits)
{
    if (off + len <= (1ull << bits)) {
        return 1;
    }
    diag_error(s->d, diag_line(s->d, h), path, "fill %llu..%llu exceeds the frame size",
               (unsigned long long)off, (unsigned long long)(off + len));
    return 0;
}

/* The bytes of a fill that goes to `off` in a frame of 2^bits bytes, NULL after an error. A
 * file's part is read only once it is known to fit (a length comes from the spec, not the file). */
static uint8_t *fill_bytes(spec_t *s, const y_fill_t *f, uint64_t h, const char *path, uint64_t off,
                           unsigned bits, uint64_t *len)
{
    unsigned line = diag_line(s->d, h);
    uint64_t foff = 0;
    if (f->data && !f->file) {
        uint8_t *buf = NULL;
        long n = parse_hex(f->data, &buf);
        if (n < 0) {
            diag_error(s->d, line, path, "fill data is not hex bytes");
            return NULL;
        }
        *len = (uint64_t)n;
        if (!fill_fits(s, h, path, off, *len, bits)) {
            free(buf);
            return NULL;
        }
        return buf;
    }
    if (!f->file || f->data || !f->length) {
        diag_error(s->d, line, path, "fill needs 'file' and 'length', or 'data'");
        return NULL;
    }
    if (!get_uint(s->d, f->length, path_key(h, "length"), path, "length", 32, 1, len) ||
        (f->file_offset && !get_uint(s->d, f->file_offset, path_key(h, "file_offset"), path,
                                     "file_offset", 63, 1, &foff)) ||
        !fill_fits(s, h, path, off, *len, bits)) {
        return NULL;
    }
    return read_file_part(s, f->file, foff, *len, line, path);
}

static void add_fill(spec_t *s, uint32_t idx, const y_fill_t *f, uint64_t h, const char *path)
{
    uint64_t off = 0, len = 0;
    if (!get_uint(s->d, f->offset, path_key(h, "offset"), path, "offset", 32, 1, &off)) {
        return;
    }
    uint8_t *bytes = fill_bytes(s, f, h, path, off, s->objs[idx].size_bits, &len);
    if (!bytes) {
        return;
    }
    if (len) {
        m_fill_t *mf = VEC_PUSH(s->fills, s->capfills, s->nfills);
        mf->frame = idx;
        mf->f.dest_offset = (uint32_t)off;
        mf->f.length = (uint32_t)len;
        mf->f.data_offset = spec_add_data(s, bytes, len, 8);
    }
    free(bytes);
}

static void set_fills(spec_t *s, uint32_t idx)
{
    const m_object_t *o = &s->objs[idx];
    if (!sigil_spec_is_frame(o->type) || !o->y->fill_count) {
        return;
    }
    if (o->flags & SIGIL_SPEC_OBJ_DEVICE) {
        diag_error(s->d, diag_line(s->d, path_key(o->yh, "fill")), o->path,
                   "a device frame cannot be filled");
        return;
    }
    for (unsigned i = 0; i < o->y->fill_count; i++) {
        uint64_t h = path_index(path_key(o->yh, "fill"), i);
        char *path = spec_subpath(s, idx, ".fill[%u]", i);
        add_fill(s, idx, &o->y->fill[i], h, path);
        free(path);
    }
}

/* Create one object from its YAML node (comp may be SPECC_NONE). */
static void add_yaml_object(spec_t *s, uint32_t comp, const y_object_t *y, uint64_t h)
{
    unsigned line = diag_line(s->d, h);
    if (!valid_name(y->name)) {
        diag_error(s->d, line, NULL, "invalid name '%s'", y->name);
        return;
    }
    uint8_t type = spec_type_parse(y->type);
    if (type == 0xff) {
        char *path = comp == SPECC_NONE
                         ? xasprintf("objects.%s", y->name)
                         : xasprintf("components.%s.%s", s->comps[comp].name, y->name);
        diag_error(s->d, diag_line(s->d, path_key(h, "type")), path, "unknown object type '%s'",
                   y->type);
        free(path);
        return;
    }
    uint32_t idx = spec_add_object(s, comp, y->name, type, line);
    if (idx == SPECC_NONE) {
        return;
    }
    s->objs[idx].y = y;
    s->objs[idx].yh = h;
    check_fields_apply(s, &s->objs[idx]);
    set_bits(s, &s->objs[idx]);
    set_paddr(s, &s->objs[idx]);
    set_fills(s, idx);
    if (type == SIGIL_SPEC_TYPE_IRQ_HANDLER) {
        set_irq(s, idx);
    } else if (type == SIGIL_SPEC_TYPE_IRQ_CONTROL) {
        set_singleton(s, idx, &s->irq_control);
    } else if (type == SIGIL_SPEC_TYPE_SMC) {
        set_singleton(s, idx, &s->smc);
    } else if (type == SIGIL_SPEC_TYPE_DEBUG) {
        set_singleton(s, idx, &s->debug);
    }
}

/* A component's `cspace:` shorthand: a CNode named `cspace` (its slots are read by caps.c). */
static void add_cspace(spec_t *s, uint32_t comp)
{
    const y_cspace_t *cs = s->comps[comp].y->cspace;
    uint64_t h = path_key(s->comps[comp].yh, "cspace");
    uint32_t idx = spec_add_object(s, comp, "cspace", Sigil_CNodeObject, diag_line(s->d, h));
    if (idx == SPECC_NONE) {
        return;
    }
    m_object_t *o = &s->objs[idx];
    uint64_t bits = 0;
    if (!get_uint(s->d, cs->bits, path_key(h, "bits"), o->path, "bits", 8, 0, &bits)) {
        return;
    }
    if (bits < Sigil_CNodeMinBits || bits > Sigil_CNodeMaxBits) {
        diag_error(s->d, diag_line(s->d, path_key(h, "bits")), o->path,
                   "CNode bits %llu outside %u..%u", (unsigned long long)bits, Sigil_CNodeMinBits,
                   Sigil_CNodeMaxBits);
        return;
    }
    o->radix = (uint8_t)bits;
    o->size_bits = (uint8_t)(bits + Sigil_CNodeSlotBits);
}

static void add_component(spec_t *s, const y_component_t *y, uint64_t h)
{
    unsigned line = diag_line(s->d, h);
    if (!valid_name(y->name)) {
        diag_error(s->d, line, NULL, "invalid name '%s'", y->name);
        return;
    }
    char *path = xasprintf("components.%s", y->name);
    uint32_t prev = u64map_get(&s->cnames, hash_str(y->name));
    if (prev != SPECC_NONE) {
        diag_error(s->d, line, path, "duplicate component '%s' (first at line %u)", y->name,
                   s->comps[prev].line);
        free(path);
        return;
    }
    uint32_t idx = (uint32_t)s->ncomps;
    m_comp_t *c = VEC_PUSH(s->comps, s->capcomps, s->ncomps);
    c->name = xstrdup(y->name);
    c->path = path;
    c->line = line;
    c->tcb = c->cspace = c->vspace = SPECC_NONE;
    c->y = y;
    c->yh = h;
    u64map_put(&s->cnames, hash_str(y->name), idx);
    int rm = 0;
    get_bool(s->d, y->resource_manager, path_key(h, "resource_manager"), path, &rm);
    if (rm && s->manager != SPECC_NONE) {
        diag_error(s->d, line, path, "more than one resource manager ('%s')",
                   s->comps[s->manager].name);
    } else if (rm) {
        s->manager = idx;
        c->flags |= SIGIL_SPEC_COMP_RESOURCE_MANAGER;
    }
}

static void check_version(spec_t *s)
{
    uint64_t v = 0, h = path_key(PATH_ROOT, "version");
    if (get_uint(s->d, s->doc->version, h, "version", "version", 32, 0, &v) && v != 1) {
        diag_error(s->d, diag_line(s->d, h), "version",
                   "unsupported spec version %llu (this compiler reads version 1)",
                   (unsigned long long)v);
    }
}

void build_objects(spec_t *s)
{
    const y_spec_t *doc = s->doc;
    check_version(s);
    uint64_t ch = path_key(PATH_ROOT, "components");
    for (unsigned i = 0; i < doc->components_count; i++) {
        add_component(s, &doc->components[i], path_index(ch, i));
    }
    uint64_t oh = path_key(PATH_ROOT, "objects");
    for (unsigned i = 0; i < doc->objects_count; i++) {
        add_yaml_object(s, SPECC_NONE, &doc->objects[i], path_index(oh, i));
    }
    for (uint32_t c = 0; c < s->ncomps; c++) {
        const y_component_t *y = s->comps[c].y;
        uint64_t coh = path_key(s->comps[c].yh, "objects");
        for (unsigned i = 0; i < y->objects_count; i++) {
            add_yaml_object(s, c, &y->objects[i], path_index(coh, i));
        }
        if (y->cspace) {
            add_cspace(s, c);
        }
    }
}
