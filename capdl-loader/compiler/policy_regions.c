/*
 * Demand-zero regions of the policy (docs/resource-manager.md, "Demand-zero memory"): a client
 * entry's `demand_regions`, each {vaddr, size, rights}. The loader copies them into the
 * manager's boot page and the manager serves each first touch of a page in them from the
 * client's quota; so the compiler checks here, with the line of the region at fault, what would
 * otherwise only show at run time as a fault that ends the client:
 *   - vaddr and size are 4 KiB multiples, size is not 0, the region ends below user_top;
 *   - rights are Read and/or Write (at least one);
 *   - at most SIGIL_RM_MAX_REGIONS regions (the manager's table, shared with DemandRegion);
 *   - no two regions of the client overlap (policy_read_regions, from the document alone);
 *   - no region overlaps a frame the spec maps in the client's VSpace, and the client's quota
 *     can pay for at least one page of it: a 4 KiB frame plus the page tables missing on the
 *     way to the cheapest page, as the manager charges them (policy_check_regions, once the
 *     address spaces are built).
 */
#include <stdlib.h>

#include <sigil/rm_boot.h>

#include "model.h"
#include "num.h"

#define PAGE SIGIL_PAGE_SIZE

/* The span of a level-`level` entry (level 0: the VSpace's own entries). */
static uint64_t entry_span(unsigned level)
{
    return 1ull << (39 - 9 * level);
}

static int overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

/* One entry of `demand_regions` into *r; 0 after reporting what is wrong with it. */
static int read_region(spec_t *s, const y_demand_t *y, uint64_t h, m_region_t *r)
{
    int ok = get_uint(s->d, y->vaddr, path_key(h, "vaddr"), r->path, "vaddr", 64, 0, &r->vaddr) &
             get_uint(s->d, y->size, path_key(h, "size"), r->path, "size", 64, 1, &r->size);
    if (!ok) {
        return 0;
    }
    if (r->size == 0 || (r->vaddr | r->size) & (PAGE - 1)) {
        diag_error(s->d, r->line, r->path,
                   "demand region 0x%llx size 0x%llx: vaddr and size must be multiples of 4 KiB "
                   "(size at least one page)",
                   (unsigned long long)r->vaddr, (unsigned long long)r->size);
        return 0;
    }
    if (r->vaddr >= SIGIL_PLAT_USER_TOP || r->size > SIGIL_PLAT_USER_TOP - r->vaddr) {
        diag_error(s->d, r->line, r->path,
                   "demand region 0x%llx..0x%llx is not below user_top 0x%llx",
                   (unsigned long long)r->vaddr, (unsigned long long)(r->vaddr + r->size),
                   (unsigned long long)SIGIL_PLAT_USER_TOP);
        return 0;
    }
    uint8_t rights = 0;
    if (!get_rights(s->d, y->rights, y->rights_count, path_key(h, "rights"), r->path, &rights)) {
        return 0;
    }
    if (rights == 0 || (rights & ~(Sigil_CanRead | Sigil_CanWrite))) {
        diag_error(s->d, r->line, r->path, "demand region rights must be Read and/or Write");
        return 0;
    }
    r->rights = rights;
    return 1;
}

void policy_read_regions(spec_t *s, m_client_t *c, const y_client_t *y, uint64_t h)
{
    uint64_t lh = path_key(h, "demand_regions");
    c->regions = xmalloc((y->demand_regions_count + 1) * sizeof(m_region_t));
    if (y->demand_regions_count > SIGIL_RM_MAX_REGIONS) {
        diag_error(s->d, diag_line(s->d, lh), c->path,
                   "%u demand regions: the resource manager keeps at most %u a client",
                   y->demand_regions_count, SIGIL_RM_MAX_REGIONS);
        return;
    }
    for (unsigned i = 0; i < y->demand_regions_count; i++) {
        uint64_t rh = path_index(lh, i);
        m_region_t *r = &c->regions[c->p.num_regions];
        *r = (m_region_t){.line = diag_line(s->d, rh),
                          .path = xasprintf("%s.demand_regions[%u]", c->path, i)};
        if (!read_region(s, &y->demand_regions[i], rh, r)) {
            free(r->path);
            continue;
        }
        for (uint32_t k = 0; k < c->p.num_regions; k++) {
            const m_region_t *o = &c->regions[k];
            if (overlaps(r->vaddr, r->size, o->vaddr, o->size)) {
                diag_error(s->d, r->line, r->path,
                           "demand region 0x%llx..0x%llx overlaps %s (line %u)",
                           (unsigned long long)r->vaddr, (unsigned long long)(r->vaddr + r->size),
                           o->path, o->line);
            }
        }
        c->p.num_regions++;
    }
}

/* Check the client's regions against its VSpace `vspace` (model index) and its quota. */
static void check_client(spec_t *s, const m_client_t *c, uint32_t vspace)
{
    for (uint32_t k = 0; k < c->p.num_regions; k++) {
        const m_region_t *r = &c->regions[k];
        unsigned missing = 3; /* page tables (levels 1-3) missing on the way to its cheapest page */
        for (size_t i = 0; i < s->nentries; i++) {
            const m_entry_t *e = &s->entries[i];
            if (e->e.vspace != vspace || e->e.level == SIGIL_SPEC_LEVEL_UNMAPPED ||
                !overlaps(r->vaddr, r->size, e->e.vaddr, entry_span(e->e.level))) {
                continue;
            }
            if (!(e->e.attrs & SIGIL_SPEC_MAP_TABLE)) {
                diag_error(s->d, r->line, r->path,
                           "demand region 0x%llx..0x%llx overlaps the client's mapping of '%s' at "
                           "0x%llx (%s)",
                           (unsigned long long)r->vaddr, (unsigned long long)(r->vaddr + r->size),
                           s->objs[e->e.object].name, (unsigned long long)e->e.vaddr, e->path);
            } else if (2u - e->e.level < missing) {
                missing = 2u - e->e.level; /* it maps a table of level e->e.level + 1 */
            }
        }
        uint64_t bytes = PAGE * (1 + missing), objects = 1 + missing;
        if (c->p.memory < bytes || c->p.objects < objects) {
            diag_error(s->d, r->line, r->path,
                       "the client's quota (%llu bytes, %u objects) can never pay for a page of "
                       "demand region 0x%llx..0x%llx: its cheapest page takes %llu bytes and %llu "
                       "objects (a frame and %u page tables)",
                       (unsigned long long)c->p.memory, c->p.objects, (unsigned long long)r->vaddr,
                       (unsigned long long)(r->vaddr + r->size), (unsigned long long)bytes,
                       (unsigned long long)objects, missing);
        }
    }
}

void policy_check_regions(spec_t *s)
{
    for (size_t i = 0; i < s->nclients; i++) {
        const m_client_t *c = &s->clients[i];
        const sigil_spec_tcb_t *t =
            c->p.component == SPECC_NONE ? NULL : client_thread(s, &s->comps[c->p.component]);
        if (t && c->p.num_regions) {
            check_client(s, c, t->vspace);
        }
    }
}
