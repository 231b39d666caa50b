/*
 * The manager's boot: everything it knows comes from the rm boot page (<sigil/rm_boot.h>).
 *
 * The page is checked before anything is used (sigil_rm_boot_valid: magic, version, every range
 * and name inside the page), then each record; a bad page is reported and the manager ends. The
 * free part of the manager's CNode (first_free_slot ..) is divided between the own slots for
 * caps kept per allocation (mapping copies, page tables: a quarter), the groups of
 * RM_BATCH_PAGES slots of the demand-zero batches (a quarter, core/batch.c) and the buddy
 * allocator's pairs of child untypeds (the rest), after one slot per SMC id of the policy for the
 * SMC grants (smc.c); the tables live in .bss, sized for the largest CNode the manager may be
 * given.
 *
 * Before that, the page tables of the eviction window (RM_WINDOW, evict.c) are made from the
 * smallest pool untyped that holds them, which stays out of the pool: paging under memory
 * pressure, when the pool is empty, must not need pool memory. They take the first three free
 * slots.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

#define RM_MAX_ROOTS     256u
#define RM_MAX_NODES     (RM_MAX_ROOTS + 65536u)
#define RM_MAX_ALLOCS    32768u
#define RM_MAX_OWN_SLOTS 32768u
#define RM_MAX_BATCHES   2048u

_Static_assert(Sigil_NumObjectTypes <= SIGIL_RM_BOOT_TYPES, "per-type quotas cover every type");

static rm_block_t nodes[RM_MAX_NODES];
static rm_client_t clients[RM_MAX_CLIENTS];
static rm_word_t client_untyped[RM_MAX_CLIENTS];
static rm_alloc_t allocs[RM_MAX_ALLOCS];
static uint32_t slot_next[RM_MAX_OWN_SLOTS];
static rm_batch_t batches[RM_MAX_BATCHES];

static int fail(const char *what)
{
    sigil_printf("rm: bad boot page: %s\n", what);
    return -1;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* One client record into the core's table; 0 or -1. */
static int read_client(const sigil_rm_boot_t *boot, const sigil_rm_boot_client_t *bc,
                       rm_client_t *cl)
{
    if (bc->cspace.radix > 28 || bc->id < RM_CLIENT_ID_MIN || bc->id > RM_CLIENT_ID_MAX ||
        (bc->memory.cptr && (bc->memory.size_bits < RM_MIN_BITS ||
                             bc->memory.size_bits > RM_MAX_BITS || bc->memory.is_device))) {
        return -1;
    }
    *cl = (rm_client_t){.id = bc->id,
                        .name = sigil_rm_boot_name(boot, bc->name),
                        .admin = (bc->flags & SIGIL_RM_CLIENT_ADMIN) != 0,
                        .pageable = (bc->flags & SIGIL_RM_CLIENT_PAGEABLE) != 0,
                        .live = 1,
                        .cnode = bc->cspace.cptr,
                        .cnode_bits = bc->cspace.radix,
                        .cnode_depth = (unsigned)sigil_rm_boot_slot_depth(&bc->cspace),
                        .cnode_guard = bc->cspace.guard,
                        .vspace = bc->vspace,
                        .tcb = bc->tcb,
                        .quota_bytes = bc->quota_bytes,
                        .quota_objects = bc->quota_objects,
                        .own_bytes = bc->memory.cptr ? 1ull << bc->memory.size_bits : 0};
    for (unsigned t = 0; t < Sigil_NumObjectTypes; t++) {
        cl->quota_per_type[t] = bc->quota_per_type[t];
    }
    /* The policy's reply-object allowance bounds the Reply objects it can be given (replies.c);
     * as a per-type limit it is also checked by the core's invariants. */
    cl->quota_per_type[Sigil_ReplyObject] =
        (uint64_t)min_u64(bc->quota_per_type[Sigil_ReplyObject], bc->reply_objects);
    return 0;
}

/* The window's three page tables into own slots slot0 .. slot0 + 2, mapped at RM_WINDOW, from
 * the smallest RAM pool untyped of at least 16 KiB; returns its index (kept out of the pool),
 * or boot->pool.count when none could be made (the first eviction then makes them). */
static uint64_t window_tables(rm_server_t *s, const sigil_rm_boot_t *boot, rm_word_t slot0)
{
    const sigil_rm_boot_untyped_t *ut = sigil_rm_boot_pool(boot);
    uint64_t best = boot->pool.count;
    for (uint64_t i = 0; i < boot->pool.count; i++) {
        if (!ut[i].is_device && ut[i].cptr && ut[i].size_bits >= Sigil_PageTableBits + 2 &&
            (best == boot->pool.count || ut[i].size_bits < ut[best].size_bits)) {
            best = i;
        }
    }
    if (best == boot->pool.count || sigil_untyped_retype(ut[best].cptr, Sigil_PageTableObject, 0,
                                                         s->own_cnode, 0, 0, slot0, 3) != 0) {
        return boot->pool.count;
    }
    for (rm_word_t k = 0; k < 3; k++) {
        (void)sigil_page_table_map(slot0 + k, boot->vspace, RM_WINDOW, SIGIL_VM_CACHEABLE);
    }
    return best;
}

int rm_boot(rm_server_t *s, const sigil_rm_boot_t *boot)
{
    if (!boot || boot->magic != SIGIL_RM_BOOT_MAGIC || !sigil_rm_boot_valid(boot, boot->capacity)) {
        return fail("no valid rm boot page (magic, version or a range)");
    }
    if (boot->clients.count > RM_MAX_CLIENTS) {
        return fail("too many clients");
    }
    if (boot->cspace.radix < 2 || boot->cspace.radix > 28 ||
        boot->cspace.guard_size + boot->cspace.radix > 64 ||
        boot->first_free_slot + 3 >= (1ull << boot->cspace.radix)) {
        return fail("own CSpace");
    }
    s->boot = boot;
    s->own_cnode = boot->cspace.cptr;
    s->own_depth = sigil_rm_boot_slot_depth(&boot->cspace);
    s->endpoint = boot->endpoint;
    s->reply = boot->reply;
    s->client_untyped = client_untyped;
    const sigil_rm_boot_client_t *bc = sigil_rm_boot_clients(boot);
    for (uint32_t i = 0; i < boot->clients.count; i++) {
        if (read_client(boot, &bc[i], &clients[i]) != 0) {
            return fail("client record");
        }
        client_untyped[i] = bc[i].memory.cptr;
    }
    uint64_t window = window_tables(s, boot, boot->first_free_slot);
    rm_word_t first = boot->first_free_slot + 3;
    uint64_t ngrants, free_slots = (1ull << boot->cspace.radix) - first;
    if (rm_smc_boot(s, (uint32_t)boot->clients.count, first, &ngrants) != 0 ||
        ngrants >= free_slots / 2) {
        return fail("SMC ids (0, wider than 32 bits, or too many for the manager's CSpace)");
    }
    uint64_t own0 = first + ngrants;
    free_slots -= ngrants;
    uint32_t nown = (uint32_t)min_u64(free_slots / 4, RM_MAX_OWN_SLOTS);
    uint32_t nbatches = (uint32_t)min_u64(free_slots / 4 / RM_BATCH_PAGES, RM_MAX_BATCHES);
    uint64_t batch_slots = (uint64_t)nbatches * RM_BATCH_PAGES;
    uint64_t pair_slots = free_slots - nown - batch_slots;
    uint32_t capacity = (uint32_t)min_u64(RM_MAX_ROOTS + pair_slots, RM_MAX_NODES);
    rm_core_init(&s->core, clients, (uint32_t)boot->clients.count, allocs, RM_MAX_ALLOCS, slot_next,
                 nown, own0, s->own_cnode);
    rm_core_init_batches(&s->core, batches, nbatches, own0 + nown);
    rm_buddy_init(&s->core.pool, nodes, capacity, RM_MAX_ROOTS, own0 + nown + batch_slots,
                  &rm_kernel_ops, s);
    /* The policy's demand-zero regions: checked by the compiler, and again here. */
    for (uint32_t i = 0; i < boot->clients.count; i++) {
        const sigil_rm_boot_region_t *g = sigil_rm_boot_regions(boot, &bc[i]);
        for (uint64_t k = 0; k < bc[i].regions.count; k++) {
            if (rm_core_add_region(&s->core, i, g[k].vaddr, g[k].size, g[k].rights).err) {
                return fail("demand-zero region");
            }
        }
    }
    const sigil_rm_boot_untyped_t *ut = sigil_rm_boot_pool(boot);
    for (uint32_t i = 0; i < boot->pool.count; i++) {
        if (ut[i].is_device || !ut[i].cptr || i == window) {
            continue;
        }
        if (rm_buddy_add_root(&s->core.pool, ut[i].cptr, ut[i].size_bits, ut[i].paddr) != 0) {
            return fail("pool untyped (too many, or a size out of range)");
        }
    }
    sigil_printf(RM_EVENT_START, (unsigned long)boot->clients.count,
                 (unsigned long)s->core.pool.total_bytes, (unsigned long)s->core.pool.free_bytes);
    return 0;
}
