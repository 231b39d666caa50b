/*
 * Stage 2 of the model: the high-level address-space form. A component's `program:` (an ELF
 * file) and `regions:` become plain objects and queued mappings:
 *   - TCB `tcb` and VSpace `vspace` in the component;
 *   - one Frame4K `image_<vaddr>` per page of every PT_LOAD segment, holding the segment's file
 *     bytes (one whole 4 KiB data page, so the loader may donate it instead of copying), with
 *     the union of the rights of the segments touching the page;
 *   - frames for the stack, IPC buffer, anonymous, heap and device regions; shared regions map
 *     frames that exist already. Regions without vaddr follow the image, one guard page apart;
 *   - for a heap region, its bounds written into the program's variable `sigil_heap_region`
 *     (SIGIL_HEAP_REGION_SYMBOL, <sigil/heap.h>), from which the C runtime's malloc takes them.
 * Stage 4 (vspace.c) then builds the tables; program_resolve fills in the TCB.
 */
#include <stdlib.h>
#include <string.h>

#include <sigil/heap.h>

#include "elf.h"
#include "model.h"
#include "num.h"

#define PAGE SIGIL_PAGE_SIZE

typedef enum { R_STACK, R_IPC, R_ANON, R_SHARED, R_DEVICE, R_HEAP, R_BAD } region_kind_t;

static const char *const kind_names[] = {"stack",  "ipc_buffer", "anonymous",
                                         "shared", "device",     "heap"};

typedef struct {
    const char *name;
    region_kind_t kind;
    uint64_t vaddr, size;
    uint64_t align; /* of a chosen vaddr: the largest frame of a shared region, else a page */
    int placed;     /* vaddr given or chosen, and no overlap */
    int read_only;  /* the resource manager's boot page */
    unsigned line;
} region_t;

/* One page of the image being assembled. */
typedef struct {
    uint64_t vaddr;
    uint64_t data; /* offset in the data buffer, or UINT64_MAX if the page has no file bytes */
    uint8_t rights, exec;
} page_t;

typedef struct {
    spec_t *s;
    uint32_t comp, vs, tcb;
    uint64_t image_start; /* lowest image address */
    page_t *pages;        /* the image's pages, kept until the heap's bounds are written */
    size_t npages;
    uint64_t heap_var;             /* address of sigil_heap_region, 0 if none */
    uint64_t heap_start, heap_end; /* the heap region, once placed */
} prog_t;

static region_kind_t parse_kind(const char *k)
{
    for (unsigned i = 0; i < R_BAD; i++) {
        if (strcmp(kind_names[i], k) == 0) {
            return (region_kind_t)i;
        }
    }
    return R_BAD;
}

static char *prog_path(const spec_t *s, uint32_t comp, const char *suffix)
{
    return xasprintf("%s.%s", s->comps[comp].path, suffix);
}

/* Copy segment `sg` into the pages; returns 0 if it is outside user space. */
static int add_segment(spec_t *s, const elf_segment_t *sg, page_t **pages, size_t *npages,
                       size_t *cap, u64map_t *index)
{
    if (sg->vaddr + sg->memsz > SIGIL_PLAT_USER_TOP) {
        return 0;
    }
    uint8_t rights =
        (uint8_t)((sg->readable ? Sigil_CanRead : 0) | (sg->writable ? Sigil_CanWrite : 0));
    for (uint64_t va = sg->vaddr & ~(PAGE - 1); va < sg->vaddr + sg->memsz; va += PAGE) {
        uint32_t pi = u64map_get(index, va);
        if (pi == SPECC_NONE) {
            pi = (uint32_t)*npages;
            page_t *p = VEC_PUSH(*pages, *cap, *npages);
            p->vaddr = va;
            p->data = UINT64_MAX;
            u64map_put(index, va, pi);
        }
        page_t *p = &(*pages)[pi];
        p->rights |= rights;
        p->exec |= sg->executable;
        uint64_t lo = va > sg->vaddr ? va : sg->vaddr;
        uint64_t hi = va + PAGE < sg->vaddr + sg->filesz ? va + PAGE : sg->vaddr + sg->filesz;
        if (lo < hi) {
            if (p->data == UINT64_MAX) {
                p->data = spec_add_data(s, NULL, PAGE, PAGE);
            }
            memcpy(s->data + p->data + (lo - va), sg->contents + (lo - sg->vaddr), hi - lo);
        }
    }
    return 1;
}

/* Frames and mappings for the image; returns the end of the image (page aligned). The pages
 * stay in p->pages; the page holding p->heap_var (if any) gets file bytes even if it is bss,
 * so that the heap's bounds can be written there. */
static uint64_t add_image(prog_t *p, const elf_file_t *img, const char *elf_name, unsigned line,
                          const char *path)
{
    spec_t *s = p->s;
    uint32_t comp = p->comp, vs = p->vs;
    page_t *pages = NULL;
    size_t npages = 0, cap = 0;
    u64map_t index = {0};
    uint64_t end = 0;
    for (size_t i = 0; i < img->nsegs; i++) {
        if (!add_segment(s, &img->segs[i], &pages, &npages, &cap, &index)) {
            diag_error(s->d, line, path, "segment %zu of '%s' is not below user_top", i, elf_name);
            continue;
        }
        uint64_t e = (img->segs[i].vaddr + img->segs[i].memsz + PAGE - 1) & ~(PAGE - 1);
        end = e > end ? e : end;
    }
    for (size_t i = 0; i < npages; i++) {
        if (p->heap_var && (p->heap_var & ~(PAGE - 1)) == pages[i].vaddr &&
            pages[i].data == UINT64_MAX) {
            pages[i].data = spec_add_data(s, NULL, PAGE, PAGE);
        }
        char *name = xasprintf("image_%llx", (unsigned long long)pages[i].vaddr);
        uint32_t f = spec_add_object(s, comp, name, Sigil_Frame4KObject, line);
        free(name);
        if (f == SPECC_NONE) {
            continue;
        }
        if (pages[i].data != UINT64_MAX) {
            m_fill_t *mf = VEC_PUSH(s->fills, s->capfills, s->nfills);
            mf->frame = f;
            mf->f.data_offset = pages[i].data;
            mf->f.length = (uint32_t)PAGE;
        }
        vspace_queue(s, vs, f, pages[i].vaddr, pages[i].rights,
                     pages[i].exec ? SIGIL_SPEC_MAP_EXECUTABLE : 0, line, path);
    }
    p->pages = pages;
    p->npages = npages;
    u64map_free(&index);
    return end;
}

/* The program's heap variable, if it has a heap region: its address in p->heap_var (0 when
 * the program has no heap region; an error when it has one but no variable to tell it). */
static void find_heap_var(prog_t *p, const elf_file_t *img, const char *elf_name, unsigned line,
                          const char *path)
{
    const y_component_t *y = p->s->comps[p->comp].y;
    int want = 0;
    for (unsigned i = 0; i < y->regions_count; i++) {
        want |= parse_kind(y->regions[i].kind) == R_HEAP;
    }
    uint64_t va, size;
    if (!want) {
        return;
    }
    if (!elf_file_symbol(img, SIGIL_HEAP_REGION_SYMBOL, &va, &size)) {
        diag_error(
            p->s->d, line, path,
            "a heap region needs the variable '%s' in '%s' (libsigil's C runtime defines it)",
            SIGIL_HEAP_REGION_SYMBOL, elf_name);
        return;
    }
    int writable = 0;
    for (size_t i = 0; i < img->nsegs; i++) {
        const elf_segment_t *sg = &img->segs[i];
        writable |= sg->writable && size <= sg->memsz && va >= sg->vaddr &&
                    va - sg->vaddr <= sg->memsz - size;
    }
    if (size != sizeof(sigil_heap_region_t) || (va & 7) || (va & (PAGE - 1)) > PAGE - size ||
        !writable) {
        diag_error(p->s->d, line, path,
                   "'%s' in '%s' is not a %zu-byte aligned variable in a writable segment",
                   SIGIL_HEAP_REGION_SYMBOL, elf_name, sizeof(sigil_heap_region_t));
        return;
    }
    p->heap_var = va;
}

/* Write the heap's bounds into the page holding the heap variable (little-endian words). */
static void write_heap_var(prog_t *p)
{
    if (!p->heap_var || p->heap_end == 0) {
        return;
    }
    for (size_t i = 0; i < p->npages; i++) {
        if (p->pages[i].vaddr != (p->heap_var & ~(PAGE - 1)) || p->pages[i].data == UINT64_MAX) {
            continue;
        }
        uint8_t *at = p->s->data + p->pages[i].data + (p->heap_var & (PAGE - 1));
        uint64_t words[2] = {p->heap_start, p->heap_end};
        for (unsigned w = 0; w < 2; w++) {
            for (unsigned b = 0; b < 8; b++) {
                at[8 * w + b] = (uint8_t)(words[w] >> (8 * b));
            }
        }
    }
}

/* Read the region list; adds a default stack and IPC buffer if missing. */
static size_t read_regions(spec_t *s, uint32_t comp, region_t *out)
{
    const y_component_t *y = s->comps[comp].y;
    uint64_t lh = path_key(s->comps[comp].yh, "regions");
    size_t n = 0;
    int have[R_BAD] = {0};
    for (unsigned i = 0; i < y->regions_count; i++) {
        const y_region_t *r = &y->regions[i];
        uint64_t h = path_index(lh, i);
        char *path = xasprintf("%s.regions.%s", s->comps[comp].path, r->name);
        region_t *o = &out[n];
        memset(o, 0, sizeof *o);
        o->name = r->name;
        o->kind = parse_kind(r->kind);
        o->size = o->kind == R_STACK || o->kind == R_HEAP ? 16 * 1024 : PAGE;
        o->align = PAGE;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(out[k].name, r->name) == 0) {
                diag_error(s->d, diag_line(s->d, h), path, "duplicate region '%s'", r->name);
                o->kind = R_BAD;
            }
        }
        if (parse_kind(r->kind) == R_BAD) {
            diag_error(s->d, diag_line(s->d, path_key(h, "kind")), path, "unknown region kind '%s'",
                       r->kind);
        } else if (o->kind == R_HEAP && have[R_HEAP]) {
            diag_error(s->d, diag_line(s->d, h), path, "a program has at most one heap region");
            o->kind = R_BAD;
        }
        if (o->kind != R_BAD) {
            have[o->kind] = 1;
            n++;
        }
        free(path);
    }
    if (!have[R_STACK]) {
        out[n++] = (region_t){.name = "stack", .kind = R_STACK, .size = 16 * 1024, .align = PAGE};
    }
    if (!have[R_IPC]) {
        out[n++] = (region_t){.name = "ipc_buffer", .kind = R_IPC, .size = PAGE, .align = PAGE};
    }
    uint64_t boot = policy_boot_page_size(s, comp);
    if (boot) {
        out[n++] = (region_t){.name = SPECC_RM_BOOT_PAGE,
                              .kind = R_ANON,
                              .size = (boot + PAGE - 1) & ~(PAGE - 1),
                              .align = PAGE,
                              .read_only = 1};
    }
    return n;
}

/* Which region fields apply to which kinds (bit per kind). */
static void check_region_fields(spec_t *s, const y_region_t *r, region_kind_t kind, uint64_t h,
                                const char *path)
{
    const struct {
        const char *key;
        const void *v;
        unsigned kinds;
    } f[] = {
        {"size", r->size, 1u << R_STACK | 1u << R_ANON | 1u << R_DEVICE | 1u << R_HEAP},
        {"paddr", r->paddr, 1u << R_DEVICE},
        {"frames", r->frames, 1u << R_SHARED},
        {"rights", r->rights, 1u << R_ANON | 1u << R_SHARED | 1u << R_DEVICE},
        {"cached", r->cached, 1u << R_SHARED | 1u << R_DEVICE},
        {"executable", r->executable, 1u << R_ANON | 1u << R_SHARED},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i].v && !(f[i].kinds & (1u << kind))) {
            diag_error(s->d, diag_line(s->d, path_key(h, f[i].key)), path,
                       "'%s' does not apply to %s regions", f[i].key, kind_names[kind]);
        }
    }
}

/* Map the frames of a shared region (lay them out only, unless `really`); returns the region's
 * size and, in *align, the size of its largest frame, to which the region must be aligned. */
static uint64_t map_shared(spec_t *s, uint32_t comp, uint32_t vs, const y_region_t *r, uint64_t h,
                           uint64_t vaddr, uint8_t rights, uint8_t attrs, const char *path,
                           int really, uint64_t *align)
{
    uint64_t off = 0;
    *align = PAGE;
    for (unsigned i = 0; i < r->frames_count; i++) {
        unsigned line = diag_line(s->d, path_index(path_key(h, "frames"), i));
        uint32_t f = really ? spec_resolve_type(s, comp, r->frames[i], SPECC_WANT_FRAME, line, path)
                            : spec_lookup(s, comp, r->frames[i]);
        if (f == SPECC_NONE) {
            continue;
        }
        uint64_t sz = 1ull << s->objs[f].size_bits;
        off = (off + sz - 1) & ~(sz - 1);
        *align = sz > *align ? sz : *align;
        if (really) {
            vspace_queue(s, vs, f, vaddr + off, rights, attrs, line, path);
        }
        off += sz;
    }
    return off;
}

static void region_frames(prog_t *p, const region_t *rg, const y_region_t *r, uint64_t h,
                          const char *path)
{
    spec_t *s = p->s;
    unsigned line = r ? diag_line(s->d, h) : s->comps[p->comp].line;
    int cached = 1, exec = 0;
    uint8_t rights = Sigil_CanRead | Sigil_CanWrite;
    uint64_t paddr = 0;
    if (r) {
        cached = rg->kind != R_DEVICE;
        if (diag_present(s->d, path_key(h, "rights"))) {
            get_rights(s->d, r->rights, r->rights_count, path_key(h, "rights"), path, &rights);
        }
        get_bool(s->d, r->cached, path_key(h, "cached"), path, &cached);
        get_bool(s->d, r->executable, path_key(h, "executable"), path, &exec);
        get_uint(s->d, r->paddr, path_key(h, "paddr"), path, "paddr", 64, 0, &paddr);
        if (rg->kind == R_DEVICE && !r->paddr) {
            diag_error(s->d, line, path, "missing required key 'paddr'");
        }
    }
    uint8_t attrs =
        (uint8_t)((cached ? 0 : SIGIL_SPEC_MAP_UNCACHED) | (exec ? SIGIL_SPEC_MAP_EXECUTABLE : 0));
    if (rg->read_only) {
        rights = Sigil_CanRead;
        s->rm_boot_vaddr = rg->vaddr;
    }
    if (rg->kind == R_SHARED) {
        uint64_t align;
        map_shared(s, p->comp, p->vs, r, h, rg->vaddr, rights, attrs, path, 1, &align);
        return;
    }
    for (uint64_t off = 0; off < rg->size; off += PAGE) {
        char *name = rg->kind == R_IPC
                         ? xstrdup(rg->name)
                         : xasprintf("%s_%llu", rg->name, (unsigned long long)(off / PAGE));
        uint32_t f = spec_add_object(s, p->comp, name, Sigil_Frame4KObject, line);
        free(name);
        if (f == SPECC_NONE) {
            continue;
        }
        if (rg->kind == R_DEVICE) {
            s->objs[f].flags |= SIGIL_SPEC_OBJ_DEVICE;
            s->objs[f].paddr = paddr + off;
        }
        if (rg->kind == R_IPC) {
            s->tcbs[s->objs[p->tcb].detail].ipc_frame = f;
            s->tcbs[s->objs[p->tcb].detail].ipc_vaddr = rg->vaddr;
        }
        vspace_queue(s, p->vs, f, rg->vaddr + off, rights, attrs, line, path);
    }
    if (rg->kind == R_STACK) {
        s->tcbs[s->objs[p->tcb].detail].stack = rg->vaddr + rg->size;
    }
    if (rg->kind == R_HEAP) {
        p->heap_start = rg->vaddr;
        p->heap_end = rg->vaddr + rg->size;
    }
}

/* Sizes and addresses of the regions (`end`: end of the image). */
static void size_region(prog_t *p, region_t *rg, const y_region_t *r, uint64_t h, const char *path,
                        uint64_t *cursor)
{
    spec_t *s = p->s;
    unsigned line = r ? diag_line(s->d, h) : s->comps[p->comp].line;
    if (r) {
        check_region_fields(s, r, rg->kind, h, path);
        unsigned sline = diag_line(s->d, path_key(h, "size"));
        if (!get_uint(s->d, r->size, path_key(h, "size"), path, "size", 64, 1, &rg->size)) {
            /* absent (the default stays) or reported */
        } else if (rg->size == 0 || (rg->size & (PAGE - 1))) {
            diag_error(s->d, sline, path, "region size %s is not a multiple of 4 KiB", r->size);
            rg->size = PAGE;
        } else if (rg->size > SIGIL_PLAT_RAM_SIZE_DEFAULT) { /* one Frame4K object per page */
            diag_error(s->d, sline, path, "region size %s exceeds the RAM size 0x%llx", r->size,
                       (unsigned long long)SIGIL_PLAT_RAM_SIZE_DEFAULT);
            rg->size = PAGE;
        }
        if (rg->kind == R_SHARED) {
            rg->size = map_shared(s, p->comp, p->vs, r, h, 0, 0, 0, path, 0, &rg->align);
        }
        rg->placed =
            get_uint(s->d, r->vaddr, path_key(h, "vaddr"), path, "vaddr", 64, 0, &rg->vaddr);
    }
    if (!rg->placed) {
        rg->vaddr = (*cursor + PAGE + rg->align - 1) & ~(rg->align - 1);
        rg->placed = 1;
    }
    if (rg->vaddr >= SIGIL_PLAT_USER_TOP || rg->size > SIGIL_PLAT_USER_TOP - rg->vaddr) {
        diag_error(s->d, line, path, "region 0x%llx..0x%llx is not below user_top 0x%llx",
                   (unsigned long long)rg->vaddr, (unsigned long long)(rg->vaddr + rg->size),
                   (unsigned long long)SIGIL_PLAT_USER_TOP);
        rg->placed = 0;
        return;
    }
    if (rg->vaddr + rg->size > *cursor) {
        *cursor = rg->vaddr + rg->size;
    }
}

/* Report overlapping regions; marks each region that overlaps something as not placed. */
static void check_overlaps(prog_t *p, region_t *rg, size_t n, uint64_t image_end)
{
    for (size_t i = 0; i < n; i++) {
        const region_t *a = &rg[i];
        char *path = xasprintf("%s.regions.%s", p->s->comps[p->comp].path, a->name);
        if (a->vaddr < image_end && p->image_start < a->vaddr + a->size) {
            diag_error(p->s->d, a->line, path, "region '%s' overlaps '%s'", a->name, "image");
            rg[i].placed = 0;
        }
        for (size_t k = i + 1; k < n; k++) {
            region_t *b = &rg[k];
            if (a->vaddr < b->vaddr + b->size && b->vaddr < a->vaddr + a->size) {
                diag_error(p->s->d, a->line, path, "region '%s' overlaps '%s'", a->name, b->name);
                rg[i].placed = b->placed = 0;
            }
        }
        free(path);
    }
}

/* The path hash of a region's YAML node (0 for default regions). */
static uint64_t region_hash(const spec_t *s, uint32_t comp, const y_region_t *r)
{
    const y_component_t *y = s->comps[comp].y;
    return r ? path_index(path_key(s->comps[comp].yh, "regions"), (size_t)(r - y->regions)) : 0;
}

static void add_regions(prog_t *p, uint64_t image_end)
{
    spec_t *s = p->s;
    const y_component_t *y = s->comps[p->comp].y;
    region_t *rg = xmalloc((y->regions_count + 3) * sizeof *rg);
    size_t n = read_regions(s, p->comp, rg);
    uint64_t lh = path_key(s->comps[p->comp].yh, "regions"), cursor = image_end;
    const y_region_t **src = xmalloc((n + 1) * sizeof *src);
    for (size_t i = 0; i < n; i++) {
        src[i] = NULL;
        for (unsigned k = 0; k < y->regions_count; k++) {
            if (y->regions[k].name == rg[i].name) {
                src[i] = &y->regions[k];
                rg[i].line = diag_line(s->d, path_index(lh, k));
            }
        }
        char *path = xasprintf("%s.regions.%s", s->comps[p->comp].path, rg[i].name);
        size_region(p, &rg[i], src[i], region_hash(s, p->comp, src[i]), path, &cursor);
        free(path);
    }
    check_overlaps(p, rg, n, image_end);
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s.regions.%s", s->comps[p->comp].path, rg[i].name);
        if (rg[i].placed) {
            region_frames(p, &rg[i], src[i], region_hash(s, p->comp, src[i]), path);
        }
        free(path);
    }
    free(src);
    free(rg);
}

/* The entry point must lie in an executable segment. */
static void check_entry(spec_t *s, const elf_file_t *img, const char *elf_name, unsigned line,
                        const char *path)
{
    for (size_t i = 0; i < img->nsegs; i++) {
        const elf_segment_t *sg = &img->segs[i];
        if (sg->executable && img->entry >= sg->vaddr && img->entry - sg->vaddr < sg->memsz) {
            return;
        }
    }
    diag_error(s->d, line, path, "entry 0x%llx of '%s' is not in an executable segment",
               (unsigned long long)img->entry, elf_name);
}

static void create_program(spec_t *s, uint32_t comp)
{
    const y_program_t *y = s->comps[comp].y->program;
    uint64_t h = path_key(s->comps[comp].yh, "program");
    unsigned line = diag_line(s->d, h);
    char *path = prog_path(s, comp, "program");
    prog_t p = {s, comp, SPECC_NONE, SPECC_NONE, 0, NULL, 0, 0, 0, 0};
    elf_file_t img;
    char *file = spec_file_path(s, y->elf);
    const char *err = elf_file_load(file, &img);
    free(file);
    if (!s->comps[comp].y->cspace) {
        diag_error(s->d, line, path, "program needs a cspace");
    }
    p.tcb = spec_add_object(s, comp, "tcb", Sigil_TCBObject, line);
    p.vs = spec_add_object(s, comp, "vspace", Sigil_VSpaceObject, line);
    if (err) {
        diag_error(s->d, diag_line(s->d, path_key(h, "elf")), path, "%s", err);
    }
    if (p.tcb != SPECC_NONE && p.vs != SPECC_NONE) {
        uint32_t ti = caps_new_tcb(s, p.tcb);
        sigil_spec_tcb_t *t = &s->tcbs[ti];
        t->vspace = p.vs;
        s->objs[p.vs].level = 0;
        uint64_t end = 0;
        if (!err) {
            t->entry = img.entry;
            check_entry(s, &img, y->elf, diag_line(s->d, path_key(h, "elf")), path);
            find_heap_var(&p, &img, y->elf, diag_line(s->d, path_key(h, "elf")), path);
            end = add_image(&p, &img, y->elf, line, path);
            p.image_start = end;
            for (size_t i = 0; i < img.nsegs; i++) {
                uint64_t lo = img.segs[i].vaddr & ~(PAGE - 1);
                p.image_start = lo < p.image_start ? lo : p.image_start;
            }
        }
        add_regions(&p, end);
        write_heap_var(&p);
    }
    free(p.pages);
    if (!err) {
        elf_file_free(&img);
    }
    free(path);
}

void program_create(spec_t *s)
{
    for (uint32_t c = 0; c < s->ncomps; c++) {
        const y_component_t *y = s->comps[c].y;
        if (y->program) {
            create_program(s, c);
        } else if (y->regions_count) {
            diag_error(s->d, diag_line(s->d, path_key(s->comps[c].yh, "regions")), s->comps[c].path,
                       "regions need a program");
        }
    }
}

void program_resolve(spec_t *s)
{
    for (uint32_t c = 0; c < s->ncomps; c++) {
        const y_program_t *y = s->comps[c].y->program;
        uint32_t tcb = s->comps[c].tcb, cs = s->comps[c].cspace;
        if (!y || tcb == SPECC_NONE || s->objs[tcb].y || s->objs[tcb].detail == SPECC_NONE) {
            continue;
        }
        sigil_spec_tcb_t *t = &s->tcbs[s->objs[tcb].detail];
        if (cs != SPECC_NONE && s->objs[cs].radix) {
            t->cspace = cs;
            t->cspace_guard_size = (uint8_t)(64 - s->objs[cs].radix);
        }
        tcb_fields_t f = {y->fault_handler, y->bound_notification, y->priority, y->max_priority,
                          y->args,          y->args_count,         y->fpu,      y->tls,
                          y->start};
        char *path = prog_path(s, c, "program");
        caps_tcb_common(s, t, c, &f, path_key(s->comps[c].yh, "program"), path);
        if (policy_boot_page_size(s, c)) {
            /* The manager's main() receives its boot page: x0; the spec's args follow. */
            if (t->num_args == SIGIL_SPEC_MAX_ARGS) {
                diag_error(s->d, diag_line(s->d, path_key(s->comps[c].yh, "program")), path,
                           "the resource manager's x0 is its boot page: at most %u args",
                           SIGIL_SPEC_MAX_ARGS - 1);
            } else {
                memmove(&t->args[1], &t->args[0], t->num_args * sizeof t->args[0]);
                t->args[0] = s->rm_boot_vaddr;
                t->num_args++;
            }
        }
        free(path);
    }
}
