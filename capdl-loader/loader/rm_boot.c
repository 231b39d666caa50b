/*
 * The resource manager's boot page (<sigil/rm_boot.h>), written in the handover phase.
 *
 * The compiler added the page's frames to the manager (mapped read-only in its VSpace; its
 * address is the manager's x0) and sized them: the header, one record per policy client, their
 * demand-zero regions, SMC ids and names, then room for rm->pool_capacity untyped records. The
 * handover reports each untyped cap it puts in the manager's CNode (loader_rm_boot_pool), and at
 * its end loader_rm_boot_finish writes everything else. The page is written through the loader's
 * scratch page, one frame mapped at a time, so the spec stays read-only and nothing is kept.
 *
 * Layout: header | clients[] | regions[] | words[] (SMC ids) | strings | pool[] (the end, so that
 * the only part whose length is known late comes last).
 *
 * With the check built in, loader_rm_boot_check reads every pool slot back through the
 * introspection interface and compares it with its record, and requires the first free slot
 * to be empty: the manager can trust the page.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>

#include <stddef.h>

#include "internal.h"
#include "lib/kstring.h"

#define NOT_MAPPED UINT64_MAX

static loader_status_t fail(uint32_t object, const char *message)
{
    return loader_fail(LOADER_PHASE_HANDOVER, object, SIGIL_SPEC_NONE, 0, message);
}

/* Cptr of slot `slot` of the manager's `cspace` in the manager's own CSpace (its TCB names
 * that CNode as root with a guard; a program's guard is 0). */
static uint64_t manager_cptr(const loader_t *l, uint32_t slot)
{
    if (slot == SIGIL_SPEC_NONE) {
        return 0;
    }
    const sigil_spec_component_t *c = &l->components[l->manager];
    uint64_t guard = 0;
    if (c->tcb != SIGIL_SPEC_NONE) {
        const sigil_spec_tcb_t *t = &l->tcbs[l->objects[c->tcb].first];
        guard = t->cspace == c->cspace ? t->cspace_guard : 0;
    }
    return guard << l->objects[c->cspace].extra | slot;
}

/* Map page `p` of the boot page at the scratch address (unmapping the one mapped before). */
static loader_status_t map_page(loader_t *l, loader_rm_boot_t *w, uint64_t p)
{
    const uint32_t *pages = sigil_spec_words(l->spec) + w->rm->first_boot_page;
    if (w->mapped == p) {
        return loader_ok();
    }
    if (w->mapped != NOT_MAPPED) {
        uint32_t old = pages[w->mapped];
        LOADER_TRY(LOADER_PHASE_HANDOVER, old, SIGIL_SPEC_NONE,
                   sigil_frame_unmap(loader_obj_slot(l, old)), "cannot unmap the boot page");
        w->mapped = NOT_MAPPED;
    }
    if (p == NOT_MAPPED) {
        return loader_ok();
    }
    LOADER_TRY(LOADER_PHASE_HANDOVER, pages[p], SIGIL_SPEC_NONE,
               sigil_frame_map(loader_obj_slot(l, pages[p]),
                               loader_root_slot(l, Sigil_SlotInitThreadVSpace), l->scratch_vaddr,
                               Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
               "cannot map the boot page to write it");
    w->mapped = p;
    return loader_ok();
}

/* Write `n` bytes at offset `off` of the boot page. */
static loader_status_t put(loader_t *l, loader_rm_boot_t *w, uint64_t off, const void *src,
                           uint64_t n)
{
    const uint8_t *s = src;
    while (n > 0) {
        uint64_t in = off % LOADER_PAGE, chunk = LOADER_PAGE - in < n ? LOADER_PAGE - in : n;
        LOADER_PROPAGATE(map_page(l, w, off / LOADER_PAGE));
        memcpy((uint8_t *)(uintptr_t)l->scratch_vaddr + in, s, chunk);
        off += chunk, s += chunk, n -= chunk;
    }
    return loader_ok();
}

static uint64_t align8(uint64_t x)
{
    return (x + 7) & ~(uint64_t)7;
}

loader_status_t loader_rm_boot_begin(loader_t *l, loader_rm_boot_t *w)
{
    *w = (loader_rm_boot_t){NULL, NOT_MAPPED, 0, 0, 0, 0, 0, 0, 0};
    if (l->spec->rm.count == 0 || sigil_spec_rm(l->spec)->num_boot_pages == 0) {
        return loader_ok();
    }
    w->rm = sigil_spec_rm(l->spec);
    const sigil_spec_policy_client_t *p = sigil_spec_policy(l->spec);
    uint64_t smc = 0, names = 1, regions = 0;
    for (uint64_t i = 0; i < l->spec->policy.count; i++) {
        smc += p[i].num_smc;
        regions += p[i].num_regions;
        names += strlen(sigil_spec_string(l->spec, l->components[p[i].component].name)) + 1;
    }
    w->clients_at = sizeof(sigil_rm_boot_t);
    w->regions_at = w->clients_at + l->spec->policy.count * sizeof(sigil_rm_boot_client_t);
    w->words_at = w->regions_at + regions * sizeof(sigil_rm_boot_region_t);
    w->strings_at = w->words_at + smc * sizeof(uint64_t);
    w->strings_len = names;
    w->pool_at = align8(w->strings_at + names);
    uint64_t room = (uint64_t)w->rm->num_boot_pages * LOADER_PAGE;
    if (w->pool_at > room) {
        return fail(w->rm->component, "the boot page is too small for the policy");
    }
    return loader_ok();
}

loader_status_t loader_rm_boot_pool(loader_t *l, loader_rm_boot_t *w, uint64_t slot,
                                    const sigil_untyped_t *u)
{
    if (!w->rm) {
        return loader_ok();
    }
    uint64_t off = w->pool_at + w->pool * sizeof(sigil_rm_boot_untyped_t);
    if (off + sizeof(sigil_rm_boot_untyped_t) > (uint64_t)w->rm->num_boot_pages * LOADER_PAGE) {
        return fail(l->components[w->rm->component].cspace,
                    "no room left in the resource manager's boot page for untyped records");
    }
    sigil_rm_boot_untyped_t r = {
        manager_cptr(l, (uint32_t)slot), u->paddr, u->size_bits, u->is_device, {0}};
    w->pool++;
#ifdef SIGIL_LOADER_CHECK
    /* The check covers the page: the slot holds exactly the untyped its record describes. */
    uint32_t cn = l->components[w->rm->component].cspace;
    sigil_cap_info_t got = {0};
    loader_read_slot(l, cn, slot, &got);
    loader_expect(l, cn, (uint32_t)slot, "boot page: untyped cap type", got.type, Sigil_CapUntyped);
    loader_expect(l, cn, (uint32_t)slot, "boot page: untyped paddr", got.paddr, u->paddr);
    loader_expect(l, cn, (uint32_t)slot, "boot page: untyped size", sigil_cap_info_size_bits(&got),
                  u->size_bits);
    loader_expect(l, cn, (uint32_t)slot, "boot page: device untyped", sigil_cap_info_device(&got),
                  u->is_device);
#endif
    return put(l, w, off, &r, sizeof r);
}

/* The record of policy client `i`. */
static sigil_rm_boot_client_t client_record(const loader_t *l, uint64_t i, uint32_t name,
                                            uint64_t smc_at, uint64_t regions_at)
{
    const sigil_spec_policy_client_t *p = &sigil_spec_policy(l->spec)[i];
    const sigil_spec_component_t *c = &l->components[p->component];
    sigil_rm_boot_client_t r;
    memset(&r, 0, sizeof r);
    r.id = p->id;
    r.name = name;
    r.flags =
        ((p->flags & SIGIL_SPEC_CLIENT_ADMIN) ? SIGIL_RM_CLIENT_ADMIN : 0) |
        ((p->flags & SIGIL_SPEC_CLIENT_NO_GRANT_REPLY) ? SIGIL_RM_CLIENT_NO_GRANT_REPLY : 0) |
        ((p->flags & SIGIL_SPEC_CLIENT_ON_FAULT_REPORT) ? SIGIL_RM_CLIENT_ON_FAULT_REPORT : 0) |
        ((p->flags & SIGIL_SPEC_CLIENT_ON_FAULT_RECOVER) ? SIGIL_RM_CLIENT_ON_FAULT_RECOVER : 0) |
        ((p->flags & SIGIL_SPEC_CLIENT_PAGEABLE) ? SIGIL_RM_CLIENT_PAGEABLE : 0);
    r.quota_bytes = p->memory;
    r.quota_objects = p->objects;
    for (unsigned t = 0; t < SIGIL_RM_BOOT_TYPES; t++) {
        r.quota_per_type[t] = SIGIL_RM_BOOT_NO_LIMIT;
    }
    r.cspace.cptr = manager_cptr(l, p->rm_cspace_slot);
    r.vspace = manager_cptr(l, p->rm_vspace_slot);
    r.tcb = manager_cptr(l, p->rm_tcb_slot);
    r.memory.cptr = manager_cptr(l, p->rm_memory_slot);
    if (p->memory_object != SIGIL_SPEC_NONE) {
        r.memory.size_bits = l->objects[p->memory_object].size_bits; /* paddr: memory_placed */
    }
    (void)i;
    if (c->tcb != SIGIL_SPEC_NONE) {
        const sigil_spec_tcb_t *t = &l->tcbs[l->objects[c->tcb].first];
        r.cspace.radix = t->cspace != SIGIL_SPEC_NONE ? l->objects[t->cspace].extra : 0;
        r.client_guard = t->cspace_guard;
        r.client_guard_size = t->cspace_guard_size;
    }
    r.reply_objects = p->reply_objects;
    r.request_slot = p->request_slot;
    r.smc.offset = smc_at;
    r.smc.count = p->num_smc;
    r.regions.offset = regions_at;
    r.regions.count = p->num_regions;
    return r;
}

typedef struct {
    loader_rm_boot_t *w;
    loader_status_t st;
} memory_ctx_t;

/* The placement walk found where object `id` starts: if it is a client's own untyped, that is
 * the `memory.paddr` of the client's record. */
static void memory_placed(loader_t *l, uint32_t id, uint64_t paddr, void *ctx)
{
    memory_ctx_t *m = ctx;
    const sigil_spec_policy_client_t *p = sigil_spec_policy(l->spec);
    if (!(l->objects[id].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY) || loader_failed(m->st)) {
        return;
    }
    for (uint64_t i = 0; i < l->spec->policy.count; i++) {
        if (p[i].memory_object == id) {
            uint64_t at = m->w->clients_at + i * sizeof(sigil_rm_boot_client_t) +
                          offsetof(sigil_rm_boot_client_t, memory.paddr);
            m->st = put(l, m->w, at, &paddr, sizeof paddr);
        }
    }
}

loader_status_t loader_rm_boot_finish(loader_t *l, loader_rm_boot_t *w, uint64_t first_free)
{
    if (!w->rm) {
        return loader_ok();
    }
    const sigil_spec_policy_client_t *p = sigil_spec_policy(l->spec);
    const uint32_t *words = sigil_spec_words(l->spec);
    uint64_t smc = 0, name = 0, regions = 0, nclients = l->spec->policy.count;
    for (uint64_t i = 0; i < nclients; i++) {
        const char *s = sigil_spec_string(l->spec, l->components[p[i].component].name);
        uint64_t len = strlen(s) + 1;
        sigil_rm_boot_client_t r = client_record(l, i, (uint32_t)name, smc, regions);
        LOADER_PROPAGATE(put(l, w, w->clients_at + i * sizeof r, &r, sizeof r));
        LOADER_PROPAGATE(put(l, w, w->strings_at + name, s, len));
        for (uint32_t k = 0; k < p[i].num_smc; k++, smc++) {
            uint64_t id = words[p[i].first_smc + k];
            LOADER_PROPAGATE(put(l, w, w->words_at + smc * sizeof id, &id, sizeof id));
        }
        for (uint32_t k = 0; k < p[i].num_regions; k++, regions++) {
            const uint32_t *x = words + p[i].first_region + SIGIL_SPEC_REGION_WORDS * k;
            sigil_rm_boot_region_t g = {x[0] | (uint64_t)x[1] << 32, x[2] | (uint64_t)x[3] << 32,
                                        x[4]};
            LOADER_PROPAGATE(put(l, w, w->regions_at + regions * sizeof g, &g, sizeof g));
        }
        name += len;
    }
    /* Where the clients' own untypeds are: the object phase's placement walk once more, on a
     * copy of the boot untypeds' watermarks (the same code, so the same places). */
    sigil_alloc_t sim;
    uint64_t padding;
    memory_ctx_t m = {w, loader_ok()};
    sigil_alloc_init(&sim, l->untypeds, l->sim_watermark, l->bi->num_untypeds);
    LOADER_PROPAGATE(loader_place_objects(l, &sim, 1, &padding, memory_placed, &m));
    LOADER_PROPAGATE(m.st);
    static const uint8_t nul = 0;
    LOADER_PROPAGATE(put(l, w, w->strings_at + name, &nul, 1));
    const sigil_spec_component_t *c = &l->components[w->rm->component];
    sigil_rm_boot_t h;
    memset(&h, 0, sizeof h);
    h.magic = SIGIL_RM_BOOT_MAGIC;
    h.version = SIGIL_RM_BOOT_VERSION;
    h.header_size = sizeof h;
    h.total_size = w->pool_at + w->pool * sizeof(sigil_rm_boot_untyped_t);
    h.capacity = (uint64_t)w->rm->num_boot_pages * LOADER_PAGE;
    h.endpoint = manager_cptr(l, w->rm->endpoint_slot);
    h.reply = manager_cptr(l, w->rm->reply_slot);
    h.vspace = manager_cptr(l, w->rm->vspace_slot);
    h.tcb = manager_cptr(l, w->rm->tcb_slot);
    h.smc = manager_cptr(l, w->rm->smc_slot);
    h.cspace.cptr = manager_cptr(l, w->rm->cspace_slot);
    h.cspace.radix = l->objects[c->cspace].extra;
    h.first_free_slot = first_free;
    h.pool = (sigil_rm_boot_range_t){w->pool_at, w->pool};
    h.clients = (sigil_rm_boot_range_t){w->clients_at, nclients};
    h.words = (sigil_rm_boot_range_t){w->words_at, smc};
    h.strings = (sigil_rm_boot_range_t){w->strings_at, name + 1};
    h.regions = (sigil_rm_boot_range_t){w->regions_at, regions};
    LOADER_PROPAGATE(put(l, w, 0, &h, sizeof h));
    return map_page(l, w, NOT_MAPPED);
}
