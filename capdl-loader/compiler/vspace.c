/*
 * Stage 4 of the model: address spaces. AArch64, 4 KiB granule, four levels: the VSpace is the
 * level-0 table; PageTables are levels 1-3; a level-L entry spans 2^(39 - 9L) bytes. Frame4K
 * maps at level 3, Frame2M at level 2 and Frame1G at level 1.
 *
 *  1. explicit `entries` of every table are read (index, table or frame, rights, attributes);
 *     a table may be mapped by one entry only;
 *  2. a walk from every VSpace gives each reachable table its level, VSpace and base address,
 *     and checks table depth and frame sizes against levels;
 *  3. queued mappings (`mappings:` and programs) are applied by walking down from the VSpace and
 *     creating the missing tables, so explicit and high-level forms merge.
 * (table << 9 | index) -> entry lookups go through one hash map, so all of this is linear.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "num.h"

static unsigned level_shift(unsigned level)
{
    return 39 - 9 * level;
}

static unsigned frame_level(unsigned type)
{
    return type == Sigil_Frame4KObject ? 3 : type == Sigil_Frame2MObject ? 2 : 1;
}

static uint32_t add_entry(spec_t *s, uint32_t table, unsigned index, uint32_t object,
                          uint8_t rights, uint8_t attrs, unsigned line, char *path)
{
    uint32_t ei = (uint32_t)s->nentries;
    m_entry_t *e = VEC_PUSH(s->entries, s->capentries, s->nentries);
    e->table = table;
    e->line = line;
    e->path = path;
    e->e.index = (uint16_t)index;
    e->e.object = object;
    e->e.rights = rights;
    e->e.attrs = attrs;
    e->e.vspace = SPECC_NONE;
    e->e.level = SIGIL_SPEC_LEVEL_UNMAPPED;
    u64map_put(&s->tslots, (uint64_t)table << 9 | index, ei);
    if (attrs & SIGIL_SPEC_MAP_TABLE) {
        s->objs[object].mapped_by = ei;
    }
    return ei;
}

/* Rights and attributes of a mapping: defaults RW, not executable, cached unless device. */
static int map_attrs(spec_t *s, const y_entry_t *y, uint64_t h, uint32_t frame, const char *path,
                     uint8_t *rights, uint8_t *attrs)
{
    int exec = 0, cached = !(s->objs[frame].flags & SIGIL_SPEC_OBJ_DEVICE);
    uint8_t r = Sigil_CanRead | Sigil_CanWrite;
    if (diag_present(s->d, path_key(h, "rights"))) {
        get_rights(s->d, y->rights, y->rights_count, path_key(h, "rights"), path, &r);
        if (r & ~(Sigil_CanRead | Sigil_CanWrite)) {
            diag_error(s->d, diag_line(s->d, h), path, "mapping rights must be Read and/or Write");
            return 0;
        }
    }
    if (!get_bool(s->d, y->executable, path_key(h, "executable"), path, &exec) ||
        !get_bool(s->d, y->cached, path_key(h, "cached"), path, &cached)) {
        return 0;
    }
    *rights = r;
    *attrs =
        (uint8_t)((exec ? SIGIL_SPEC_MAP_EXECUTABLE : 0) | (cached ? 0 : SIGIL_SPEC_MAP_UNCACHED));
    return 1;
}

static void explicit_entry(spec_t *s, uint32_t table, const y_entry_t *y, uint64_t h)
{
    unsigned line = diag_line(s->d, h);
    uint64_t index = 0;
    char *path = spec_subpath(s, table, ".entries");
    if (!get_uint(s->d, y->index, path_key(h, "index"), path, "index", 64, 0, &index)) {
        goto out;
    }
    if (index > 511) {
        diag_error(s->d, line, path, "index %llu outside 0..511", (unsigned long long)index);
        goto out;
    }
    free(path);
    path = spec_subpath(s, table, ".entries[%llu]", (unsigned long long)index);
    if (!y->table == !y->frame) {
        diag_error(s->d, line, path, "entry needs exactly one of 'table' or 'frame'");
        goto out;
    }
    uint32_t prev = u64map_get(&s->tslots, (uint64_t)table << 9 | index);
    if (prev != SPECC_NONE) {
        diag_error(s->d, line, path, "index %llu is already used (line %u)",
                   (unsigned long long)index, s->entries[prev].line);
        goto out;
    }
    uint32_t comp = s->objs[table].comp;
    if (y->table) {
        uint32_t t = spec_resolve_type(s, comp, y->table, Sigil_PageTableObject, line, path);
        if (t != SPECC_NONE && s->objs[t].mapped_by != SPECC_NONE) {
            diag_error(s->d, line, path, "page table '%s' is mapped twice (also at %s)",
                       s->objs[t].name, s->entries[s->objs[t].mapped_by].path);
        } else if (t != SPECC_NONE) {
            add_entry(s, table, (unsigned)index, t, 0, SIGIL_SPEC_MAP_TABLE, line, path);
            return;
        }
        goto out;
    }
    uint32_t f = spec_resolve_type(s, comp, y->frame, SPECC_WANT_FRAME, line, path);
    uint8_t rights = 0, attrs = 0;
    if (f != SPECC_NONE && map_attrs(s, y, h, f, path, &rights, &attrs)) {
        add_entry(s, table, (unsigned)index, f, rights, attrs, line, path);
        return;
    }
out:
    free(path);
}

/* Give the tables below `table` (at `level`, base `vaddr`) their level, VSpace and address. */
/* The explicit entries of each table as linked lists: head[table], next[entry]. */
typedef struct {
    uint32_t *head, *next;
} entry_lists_t;

static entry_lists_t entry_lists(const spec_t *s)
{
    entry_lists_t l = {xmalloc((s->nobjs + 1) * sizeof(uint32_t)),
                       xmalloc((s->nentries + 1) * sizeof(uint32_t))};
    memset(l.head, 0xff, (s->nobjs + 1) * sizeof(uint32_t));
    for (uint32_t ei = 0; ei < s->nentries; ei++) {
        l.next[ei] = l.head[s->entries[ei].table];
        l.head[s->entries[ei].table] = ei;
    }
    return l;
}

static void descend(spec_t *s, const entry_lists_t *l, uint32_t table, unsigned level,
                    uint32_t vspace, uint64_t vaddr)
{
    for (uint32_t ei = l->head[table]; ei != SPECC_NONE; ei = l->next[ei]) {
        m_entry_t *e = &s->entries[ei];
        e->e.vaddr = vaddr + ((uint64_t)e->e.index << level_shift(level));
        e->e.vspace = vspace;
        e->e.level = (uint8_t)level;
        if (e->e.vaddr >= SIGIL_PLAT_USER_TOP) {
            diag_error(s->d, e->line, e->path, "vaddr 0x%llx is not below user_top 0x%llx",
                       (unsigned long long)e->e.vaddr, (unsigned long long)SIGIL_PLAT_USER_TOP);
            continue;
        }
        m_object_t *child = &s->objs[e->e.object];
        if (!(e->e.attrs & SIGIL_SPEC_MAP_TABLE)) {
            if (frame_level(child->type) != level) {
                diag_error(s->d, e->line, e->path,
                           "%s cannot be mapped at level %u (needs level %u)",
                           spec_type_name(child->type), level, frame_level(child->type));
            }
            continue;
        }
        if (level == 3) {
            diag_error(s->d, e->line, e->path, "level-3 table cannot map a table");
            continue;
        }
        child->level = (uint8_t)(level + 1);
        child->vspace = vspace;
        child->vaddr = e->e.vaddr;
        descend(s, l, e->e.object, level + 1, vspace, e->e.vaddr);
    }
}

static void queue_yaml_mappings(spec_t *s, uint32_t vs)
{
    const m_object_t *o = &s->objs[vs];
    uint64_t lh = path_key(o->yh, "mappings");
    for (unsigned i = 0; i < o->y->mappings_count; i++) {
        const y_entry_t *y = &o->y->mappings[i];
        uint64_t h = path_index(lh, i), vaddr = 0;
        unsigned line = diag_line(s->d, h);
        char *path = spec_subpath(s, vs, ".mappings[%u]", i);
        uint32_t f = spec_resolve_type(s, o->comp, y->frame, SPECC_WANT_FRAME, line, path);
        uint8_t rights = 0, attrs = 0;
        if (f != SPECC_NONE &&
            get_uint(s->d, y->vaddr, path_key(h, "vaddr"), path, "vaddr", 64, 0, &vaddr) &&
            map_attrs(s, y, h, f, path, &rights, &attrs)) {
            vspace_queue(s, vs, f, vaddr, rights, attrs, line, path);
        }
        free(path);
    }
}

void vspace_queue(spec_t *s, uint32_t vspace, uint32_t frame, uint64_t vaddr, uint8_t rights,
                  uint8_t attrs, unsigned line, const char *path)
{
    m_mapping_t *m = VEC_PUSH(s->maps, s->capmaps, s->nmaps);
    m->vspace = vspace;
    m->frame = frame;
    m->vaddr = vaddr;
    m->rights = rights;
    m->attrs = attrs;
    m->line = line;
    m->path = xstrdup(path);
}

/* A table created for a mapping, named after its VSpace, level and span. */
static uint32_t new_table(spec_t *s, const m_mapping_t *m, uint32_t parent, unsigned level,
                          uint64_t vaddr, unsigned index)
{
    const m_object_t *vs = &s->objs[m->vspace];
    const char *local =
        vs->comp == SPECC_NONE ? vs->name : vs->name + strlen(s->comps[vs->comp].name) + 1;
    char *name = xasprintf("%s_pt%u_%llx", local, level, (unsigned long long)vaddr);
    uint32_t t = spec_add_object(s, vs->comp, name, Sigil_PageTableObject, m->line);
    free(name);
    if (t == SPECC_NONE) {
        return t;
    }
    s->objs[t].level = (uint8_t)level;
    s->objs[t].vspace = m->vspace;
    s->objs[t].vaddr = vaddr;
    uint32_t ei =
        add_entry(s, parent, index, t, 0, SIGIL_SPEC_MAP_TABLE, m->line, xstrdup(m->path));
    s->entries[ei].e.vaddr = vaddr;
    s->entries[ei].e.vspace = m->vspace;
    s->entries[ei].e.level = (uint8_t)(level - 1);
    return t;
}

static int mapping_in_range(spec_t *s, const m_mapping_t *m, unsigned bits)
{
    if (m->vaddr & ((1ull << bits) - 1)) {
        diag_error(s->d, m->line, m->path, "vaddr 0x%llx is not aligned to 0x%llx",
                   (unsigned long long)m->vaddr, 1ull << bits);
        return 0;
    }
    if (m->vaddr >= SIGIL_PLAT_USER_TOP || SIGIL_PLAT_USER_TOP - m->vaddr < (1ull << bits)) {
        diag_error(s->d, m->line, m->path, "vaddr 0x%llx is not below user_top 0x%llx",
                   (unsigned long long)m->vaddr, (unsigned long long)SIGIL_PLAT_USER_TOP);
        return 0;
    }
    return 1;
}

static void apply_mapping(spec_t *s, const m_mapping_t *m)
{
    unsigned target = frame_level(s->objs[m->frame].type);
    if (!mapping_in_range(s, m, s->objs[m->frame].size_bits)) {
        return;
    }
    uint32_t table = m->vspace;
    for (unsigned level = 0;; level++) {
        unsigned index = (unsigned)(m->vaddr >> level_shift(level)) & 511;
        uint32_t ei = u64map_get(&s->tslots, (uint64_t)table << 9 | index);
        if (level == target ||
            (ei != SPECC_NONE && !(s->entries[ei].e.attrs & SIGIL_SPEC_MAP_TABLE))) {
            if (ei != SPECC_NONE) {
                diag_error(s->d, m->line, m->path, "vaddr 0x%llx is already mapped in '%s'",
                           (unsigned long long)m->vaddr, s->objs[m->vspace].name);
                return;
            }
            ei = add_entry(s, table, index, m->frame, m->rights, m->attrs, m->line,
                           xstrdup(m->path));
            s->entries[ei].e.vaddr = m->vaddr;
            s->entries[ei].e.vspace = m->vspace;
            s->entries[ei].e.level = (uint8_t)level;
            return;
        }
        uint64_t span = (m->vaddr >> level_shift(level)) << level_shift(level);
        table = ei != SPECC_NONE ? s->entries[ei].e.object
                                 : new_table(s, m, table, level + 1, span, index);
        if (table == SPECC_NONE) {
            return;
        }
    }
}

void vspace_build(spec_t *s)
{
    size_t n = s->nobjs;
    for (uint32_t i = 0; i < n; i++) {
        const m_object_t *o = &s->objs[i];
        if ((o->type == Sigil_VSpaceObject || o->type == Sigil_PageTableObject) && o->y) {
            uint64_t lh = path_key(o->yh, "entries");
            for (unsigned k = 0; k < o->y->entries_count; k++) {
                explicit_entry(s, i, &o->y->entries[k], path_index(lh, k));
            }
        }
    }
    entry_lists_t lists = entry_lists(s);
    for (uint32_t i = 0; i < n; i++) {
        if (s->objs[i].type == Sigil_VSpaceObject) {
            s->objs[i].level = 0;
            s->objs[i].vspace = i;
            descend(s, &lists, i, 0, i, 0);
        }
    }
    free(lists.head);
    free(lists.next);
    for (uint32_t ei = 0; ei < s->nentries; ei++) {
        m_object_t *t = &s->objs[s->entries[ei].table];
        if (t->level == SIGIL_SPEC_LEVEL_UNMAPPED) {
            diag_error(s->d, t->line, t->path, "page table '%s' is not mapped in any VSpace",
                       t->name);
            t->level = SIGIL_SPEC_LEVEL_UNMAPPED - 1; /* reported; the spec is rejected anyway */
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (s->objs[i].type == Sigil_VSpaceObject && s->objs[i].y && s->objs[i].y->mappings_count) {
            queue_yaml_mappings(s, i);
        }
    }
    for (size_t i = 0; i < s->nmaps; i++) {
        apply_mapping(s, &s->maps[i]);
    }
}

uint32_t vspace_lookup(const spec_t *s, uint32_t vspace, uint64_t vaddr)
{
    uint32_t table = vspace;
    for (unsigned level = 0; level <= 3; level++) {
        unsigned index = (unsigned)(vaddr >> level_shift(level)) & 511;
        uint32_t ei = u64map_get(&s->tslots, (uint64_t)table << 9 | index);
        if (ei == SPECC_NONE) {
            return SPECC_NONE;
        }
        if (!(s->entries[ei].e.attrs & SIGIL_SPEC_MAP_TABLE)) {
            return s->entries[ei].e.object;
        }
        table = s->entries[ei].e.object;
    }
    return SPECC_NONE;
}
