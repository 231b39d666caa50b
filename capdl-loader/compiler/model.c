/*
 * The compiler's model: construction, names and references (see model.h).
 */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    uint8_t type;
} type_names[] = {
    {"Untyped", Sigil_UntypedObject},
    {"TCB", Sigil_TCBObject},
    {"Endpoint", Sigil_EndpointObject},
    {"Notification", Sigil_NotificationObject},
    {"CNode", Sigil_CNodeObject},
    {"Reply", Sigil_ReplyObject},
    {"VSpace", Sigil_VSpaceObject},
    {"PageTable", Sigil_PageTableObject},
    {"Frame4K", Sigil_Frame4KObject},
    {"Frame2M", Sigil_Frame2MObject},
    {"Frame1G", Sigil_Frame1GObject},
    {"IRQHandler", SIGIL_SPEC_TYPE_IRQ_HANDLER},
    {"IRQControl", SIGIL_SPEC_TYPE_IRQ_CONTROL},
    {"SMC", SIGIL_SPEC_TYPE_SMC},
    {"Debug", SIGIL_SPEC_TYPE_DEBUG},
};
#define NUM_TYPE_NAMES (sizeof type_names / sizeof type_names[0])

const char *spec_type_name(unsigned type)
{
    if (type == SPECC_WANT_FRAME) {
        return "frame";
    }
    for (size_t i = 0; i < NUM_TYPE_NAMES; i++) {
        if (type_names[i].type == type) {
            return type_names[i].name;
        }
    }
    return "?";
}

uint8_t spec_type_parse(const char *name)
{
    for (size_t i = 0; i < NUM_TYPE_NAMES; i++) {
        if (strcmp(type_names[i].name, name) == 0) {
            return type_names[i].type;
        }
    }
    return 0xff;
}

uint8_t spec_fixed_bits(unsigned type)
{
    /* Fixed-size types only: Untyped and CNode (sized by their spec) give 0 here. */
    if (type == Sigil_UntypedObject || type == Sigil_CNodeObject) {
        return 0;
    }
    return (uint8_t)sigil_object_size_bits(type, 0);
}

void spec_init(spec_t *s, diag_t *d, const y_spec_t *doc, const char *dir, uint64_t reserve)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->doc = doc;
    s->dir = dir;
    s->reserve = reserve;
    s->irq_control = s->smc = s->debug = s->manager = SPECC_NONE;
}

char *spec_file_path(const spec_t *s, const char *name)
{
    if (name[0] == '/') {
        return xstrdup(name);
    }
    char *path = xasprintf("%s/%s", s->dir, name);
    for (size_t i = 0; i < s->nsearch && access(path, F_OK) != 0; i++) {
        char *there = xasprintf("%s/%s", s->search[i], name);
        if (access(there, F_OK) == 0) {
            free(path);
            return there;
        }
        free(there);
    }
    return path;
}

void spec_free(spec_t *s)
{
    for (size_t i = 0; i < s->nobjs; i++) {
        free(s->objs[i].name);
        free(s->objs[i].path);
    }
    for (size_t i = 0; i < s->ncomps; i++) {
        free(s->comps[i].name);
        free(s->comps[i].path);
    }
    for (size_t i = 0; i < s->ncaps; i++) {
        free(s->caps[i].path);
    }
    for (size_t i = 0; i < s->nentries; i++) {
        free(s->entries[i].path);
    }
    for (size_t i = 0; i < s->nmaps; i++) {
        free(s->maps[i].path);
    }
    for (size_t i = 0; i < s->nclients; i++) {
        free(s->clients[i].smc);
        free(s->clients[i].caps);
        for (uint32_t k = 0; k < s->clients[i].p.num_regions; k++) {
            free(s->clients[i].regions[k].path);
        }
        free(s->clients[i].regions);
        free(s->clients[i].path);
    }
    free(s->rm.boot_pages);
    free(s->uts);
    free(s->where);
    free(s->objs);
    free(s->comps);
    free(s->caps);
    free(s->entries);
    free(s->fills);
    free(s->tcbs);
    free(s->irqs);
    free(s->maps);
    free(s->clients);
    free(s->data);
    free(s->order);
    u64map_free(&s->names);
    u64map_free(&s->cnames);
    u64map_free(&s->slots);
    u64map_free(&s->tslots);
    u64map_free(&s->irqnums);
    u64map_free(&s->client_ids);
    u64map_free(&s->bound);
}

static uint32_t lookup_name(const spec_t *s, const char *full)
{
    uint32_t i = u64map_get(&s->names, hash_str(full));
    return i != SPECC_NONE && strcmp(s->objs[i].name, full) == 0 ? i : SPECC_NONE;
}

uint32_t spec_add_object(spec_t *s, uint32_t comp, const char *name, uint8_t type, unsigned line)
{
    char *full = comp == SPECC_NONE ? xstrdup(name) : xasprintf("%s.%s", s->comps[comp].name, name);
    char *path = comp == SPECC_NONE ? xasprintf("objects.%s", name)
                                    : xasprintf("components.%s.%s", s->comps[comp].name, name);
    uint32_t prev = lookup_name(s, full);
    uint32_t top = comp == SPECC_NONE ? SPECC_NONE : lookup_name(s, name);
    if (prev != SPECC_NONE || top != SPECC_NONE) {
        if (prev != SPECC_NONE) {
            diag_error(s->d, line, path, "duplicate object '%s' (first at line %u)", full,
                       s->objs[prev].line);
        } else {
            diag_error(s->d, line, path, "'%s' is also the name of a top-level object (line %u)",
                       name, s->objs[top].line);
        }
        free(full);
        free(path);
        return SPECC_NONE;
    }
    uint32_t idx = (uint32_t)s->nobjs;
    m_object_t *o = VEC_PUSH(s->objs, s->capobjs, s->nobjs);
    o->name = full;
    o->path = path;
    o->line = line;
    o->type = type;
    o->size_bits = spec_fixed_bits(type);
    o->comp = comp;
    o->original = o->detail = o->mapped_by = o->vspace = SPECC_NONE;
    o->level = SIGIL_SPEC_LEVEL_UNMAPPED;
    o->id = SPECC_NONE;
    u64map_put(&s->names, hash_str(full), idx);
    if (comp != SPECC_NONE) {
        m_comp_t *c = &s->comps[comp];
        if (type == Sigil_TCBObject && strcmp(name, "tcb") == 0) {
            c->tcb = idx;
        } else if (type == Sigil_CNodeObject && strcmp(name, "cspace") == 0) {
            c->cspace = idx;
        } else if (type == Sigil_VSpaceObject && strcmp(name, "vspace") == 0) {
            c->vspace = idx;
        }
    }
    return idx;
}

uint32_t spec_lookup(const spec_t *s, uint32_t comp, const char *ref)
{
    uint32_t idx = SPECC_NONE;
    if (strchr(ref, '.')) {
        idx = lookup_name(s, ref);
    } else {
        if (comp != SPECC_NONE) {
            char *full = xasprintf("%s.%s", s->comps[comp].name, ref);
            idx = lookup_name(s, full);
            free(full);
        }
        if (idx == SPECC_NONE) {
            idx = lookup_name(s, ref);
        }
    }
    return idx;
}

uint32_t spec_resolve(spec_t *s, uint32_t comp, const char *ref, unsigned line, const char *path)
{
    uint32_t idx = spec_lookup(s, comp, ref);
    if (idx == SPECC_NONE) {
        diag_error(s->d, line, path, "no object named '%s'", ref);
    }
    return idx;
}

uint32_t spec_resolve_type(spec_t *s, uint32_t comp, const char *ref, unsigned want, unsigned line,
                           const char *path)
{
    uint32_t idx = spec_resolve(s, comp, ref, line, path);
    if (idx == SPECC_NONE) {
        return idx;
    }
    unsigned t = s->objs[idx].type;
    int ok = want == SPECC_WANT_FRAME ? sigil_spec_is_frame(t) : t == want;
    if (!ok) {
        diag_error(s->d, line, path, "'%s' is a %s, expected %s", ref, spec_type_name(t),
                   spec_type_name(want));
        return SPECC_NONE;
    }
    return idx;
}

uint64_t spec_add_data(spec_t *s, const void *bytes, size_t n, size_t align)
{
    size_t at = (s->ndata + align - 1) & ~(align - 1);
    if (at + n > s->capdata) {
        while (at + n > s->capdata) {
            s->capdata = s->capdata ? s->capdata * 2 : 65536;
        }
        s->data = xrealloc(s->data, s->capdata);
    }
    memset(s->data + s->ndata, 0, at - s->ndata);
    if (bytes) {
        memcpy(s->data + at, bytes, n);
    } else {
        memset(s->data + at, 0, n);
    }
    s->ndata = at + n;
    return at;
}

char *spec_subpath(const spec_t *s, uint32_t obj, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return xasprintf("%s%s", s->objs[obj].path, buf);
}
