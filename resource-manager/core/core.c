/*
 * The manager's core: allocation, charging, freeing and reclamation (design in rm_core.h).
 *
 * Every request follows decode-then-act: all arguments and the quota are checked before the pool
 * is touched; the pool operation itself either succeeds or leaves the tree as it was (buddy.c);
 * only the kernel's retype into the client's CSpace can still fail (an occupied slot), and then
 * the block just taken is given back, which restores the tree exactly. Charging happens last,
 * when nothing can fail any more.
 */
#include "core_private.h"

void rm_core_init(rm_core_t *c, rm_client_t *clients, uint32_t nclients, rm_alloc_t *allocs,
                  uint32_t nallocs, uint32_t *slot_next, uint32_t nslots, rm_word_t own_slot0,
                  rm_word_t own_cnode)
{
    c->clients = clients;
    c->nclients = nclients;
    c->allocs = allocs;
    c->nallocs_max = nallocs;
    c->free_alloc = RM_NONE;
    for (uint32_t i = nallocs; i-- > 0;) {
        allocs[i] = (rm_alloc_t){.block = RM_NONE,
                                 .next = c->free_alloc,
                                 .prev = RM_NONE,
                                 .slots = RM_NONE,
                                 .client = RM_NONE};
        c->free_alloc = i;
    }
    c->own_slot0 = own_slot0;
    c->slot_next = slot_next;
    c->nslots = nslots;
    c->free_slot = RM_NONE;
    for (uint32_t i = nslots; i-- > 0;) {
        slot_next[i] = c->free_slot;
        c->free_slot = i;
    }
    c->own_cnode = own_cnode;
    c->batches = 0;
    c->nbatches = 0;
    c->free_batch = RM_NONE;
    c->reserved_bytes = 0;
    for (uint32_t i = 0; i < nclients; i++) {
        clients[i].allocs = RM_NONE;
        clients[i].nallocs = 0;
        clients[i].batches = RM_NONE;
    }
}

uint32_t rm_core_client(const rm_core_t *c, uint64_t id)
{
    for (uint32_t i = 0; i < c->nclients; i++) {
        if (c->clients[i].id == id) {
            return i;
        }
    }
    return RM_NONE;
}

#define result rm_core_result

/* log2 of one object of `type`, or 0 when `type` cannot be allocated or size_bits is out of
 * range for it (*bad_arg says which argument). */
static unsigned object_bits(rm_word_t type, rm_word_t size_bits, rm_word_t *bad_arg)
{
    *bad_arg = 0;
    switch (type) {
    case Sigil_UntypedObject:
        *bad_arg = 1;
        return size_bits >= Sigil_UntypedMinBits && size_bits <= Sigil_UntypedMaxBits
                   ? (unsigned)size_bits
                   : 0;
    case Sigil_CNodeObject:
        *bad_arg = 1;
        return size_bits >= Sigil_CNodeMinBits && size_bits <= Sigil_CNodeMaxBits
                   ? sigil_object_size_bits((unsigned)type, (unsigned)size_bits)
                   : 0;
    case Sigil_TCBObject:
    case Sigil_EndpointObject:
    case Sigil_NotificationObject:
    case Sigil_ReplyObject:
    case Sigil_VSpaceObject:
    case Sigil_PageTableObject:
    case Sigil_Frame4KObject:
    case Sigil_Frame2MObject:
    case Sigil_Frame1GObject:
        return sigil_object_size_bits((unsigned)type, 0);
    default:
        return 0;
    }
}

static unsigned ceil_log2(uint64_t n)
{
    unsigned b = 0;
    while ((1ull << b) < n) {
        b++;
    }
    return b;
}

int rm_core_fits_quota(const rm_client_t *cl, unsigned type, uint64_t bytes, uint64_t objects,
                       rm_result_t *r)
{
    uint64_t need_b = cl->used_bytes + bytes, need_o = cl->used_objects + objects;
    uint64_t need_t = cl->per_type[type] + objects;
    uint64_t miss_o = need_o > cl->quota_objects ? need_o - cl->quota_objects : 0;
    uint64_t miss_t = need_t > cl->quota_per_type[type] ? need_t - cl->quota_per_type[type] : 0;
    if (need_b <= cl->quota_bytes && !miss_o && !miss_t) {
        return 1;
    }
    *r = result(Rm_ErrOutOfQuota, need_b > cl->quota_bytes ? need_b - cl->quota_bytes : 0,
                miss_o > miss_t ? miss_o : miss_t);
    return 0;
}

uint32_t rm_core_take_entry(rm_core_t *c, unsigned bits)
{
    uint32_t e = c->free_alloc;
    c->short_bits = bits; /* what was missing, if this fails (the server's pressure eviction) */
    if (e == RM_NONE) {
        return RM_NONE;
    }
    uint32_t block = rm_buddy_alloc(&c->pool, bits, e);
    if (block == RM_NONE) {
        return RM_NONE;
    }
    c->free_alloc = c->allocs[e].next;
    c->allocs[e].block = block;
    c->allocs[e].slots = RM_NONE;
    c->allocs[e].mapped = 0;
    c->allocs[e].page = 0;
    c->allocs[e].donated = 0;
    c->allocs[e].batch = RM_NONE;
    return e;
}

void rm_core_drop_entry(rm_core_t *c, uint32_t e)
{
    rm_alloc_t *a = &c->allocs[e];
    a->block = RM_NONE;
    a->client = RM_NONE;
    a->gen++;
    a->prev = RM_NONE;
    a->next = c->free_alloc;
    c->free_alloc = e;
}

void rm_core_charge(rm_core_t *c, uint32_t ci, uint32_t e)
{
    rm_client_t *cl = &c->clients[ci];
    rm_alloc_t *a = &c->allocs[e];
    a->client = ci;
    a->prev = RM_NONE;
    a->next = cl->allocs;
    if (cl->allocs != RM_NONE) {
        c->allocs[cl->allocs].prev = e;
    }
    cl->allocs = e;
    cl->nallocs++;
    if (a->batch != RM_NONE) {
        return; /* charged frame by frame as they are handed out (batch.c) */
    }
    cl->used_bytes += 1ull << c->pool.nodes[a->block].bits;
    cl->used_objects += a->count;
    cl->per_type[a->type] += a->count;
    if (cl->used_bytes > cl->peak_bytes) {
        cl->peak_bytes = cl->used_bytes;
    }
}

/* The kernel's retype error as the protocol's: a slot problem is InvalidSlot (argument 3). */
static rm_result_t retype_error(rm_word_t kerr)
{
    switch (kerr) {
    case Sigil_DeleteFirst:
    case Sigil_RangeError:
    case Sigil_FailedLookup:
    case Sigil_InvalidCapability:
        return result(Rm_ErrInvalidSlot, 3, 0);
    default:
        return result(Rm_ErrNoMemory, 0, 0);
    }
}

rm_result_t rm_core_alloc(rm_core_t *c, uint32_t ci, rm_word_t type, rm_word_t size_bits,
                          rm_word_t count, rm_word_t dest, rm_word_t *handle)
{
    rm_client_t *cl = &c->clients[ci];
    rm_word_t bad;
    unsigned obits = object_bits(type, size_bits, &bad);
    if (!obits) {
        return result(Rm_ErrInvalidArgument, bad, 0);
    }
    if (count == 0 || count > RM_MAX_COUNT) {
        return result(Rm_ErrInvalidArgument, 2, 0);
    }
    unsigned bits = obits + ceil_log2(count);
    if (bits > RM_MAX_BITS) {
        return result(Rm_ErrInvalidArgument, 2, 0);
    }
    uint64_t slots = 1ull << cl->cnode_bits;
    if (dest >= slots || count > slots - dest) {
        return result(Rm_ErrInvalidSlot, 3, 0);
    }
    rm_result_t r;
    if (!rm_core_fits_quota(cl, (unsigned)type, 1ull << bits, count, &r)) {
        cl->out_of_quota++;
        return r;
    }
    uint32_t e = rm_core_take_entry(c, bits);
    if (e == RM_NONE) {
        return result(Rm_ErrNoMemory, 0, 0);
    }
    rm_alloc_t *a = &c->allocs[e];
    rm_word_t kerr = c->pool.k->retype(c->pool.kctx, c->pool.nodes[a->block].slot, (unsigned)type,
                                       (unsigned)size_bits, cl->cnode, dest, count);
    if (kerr) {
        (void)rm_buddy_free(&c->pool, a->block);
        rm_core_drop_entry(c, e);
        return retype_error(kerr);
    }
    a->type = (uint8_t)type;
    a->obj_bits = (uint8_t)obits;
    a->count = (uint32_t)count;
    a->dest = dest;
    a->own = 0;
    rm_core_charge(c, ci, e);
    *handle = ((rm_word_t)a->gen << 32) | (e + 1u);
    return result(Rm_ErrOk, 0, 0);
}

rm_result_t rm_core_alloc_own(rm_core_t *c, uint32_t ci, unsigned type, rm_word_t *slot,
                              uint32_t *entry)
{
    rm_word_t bad;
    unsigned bits = object_bits(type, 0, &bad);
    rm_result_t r;
    if (!bits) {
        return result(Rm_ErrInvalidArgument, 0, 0);
    }
    if (!rm_core_fits_quota(&c->clients[ci], type, 1ull << bits, 1, &r)) {
        c->clients[ci].out_of_quota++;
        return r;
    }
    if (c->free_slot == RM_NONE) {
        c->short_bits = bits;
        return result(Rm_ErrNoMemory, 0, 0);
    }
    uint32_t e = rm_core_take_entry(c, bits);
    if (e == RM_NONE) {
        return result(Rm_ErrNoMemory, 0, 0);
    }
    rm_word_t s = rm_core_take_slot(c, e);
    rm_alloc_t *a = &c->allocs[e];
    rm_word_t kerr =
        c->pool.k->retype(c->pool.kctx, c->pool.nodes[a->block].slot, type, 0, c->own_cnode, s, 1);
    if (kerr) {
        rm_core_untake_slot(c, e, s);
        (void)rm_buddy_free(&c->pool, a->block);
        rm_core_drop_entry(c, e);
        return result(Rm_ErrNoMemory, 0, 0);
    }
    a->type = (uint8_t)type;
    a->obj_bits = (uint8_t)bits;
    a->count = 1;
    a->dest = s;
    a->own = 1;
    rm_core_charge(c, ci, e);
    *slot = s;
    *entry = e;
    return result(Rm_ErrOk, 0, 0);
}

uint32_t rm_core_lookup(const rm_core_t *c, uint32_t ci, rm_word_t handle)
{
    uint64_t idx = handle & 0xffffffffu;
    if (idx == 0 || idx > c->nallocs_max) {
        return RM_NONE;
    }
    uint32_t e = (uint32_t)(idx - 1);
    const rm_alloc_t *a = &c->allocs[e];
    if (a->block == RM_NONE || a->client != ci || a->own || a->donated ||
        a->gen != (uint32_t)(handle >> 32)) {
        return RM_NONE;
    }
    return e;
}

rm_word_t rm_core_take_slot(rm_core_t *c, uint32_t e)
{
    uint32_t s = c->free_slot;
    if (s == RM_NONE) {
        return 0;
    }
    c->free_slot = c->slot_next[s];
    c->slot_next[s] = c->allocs[e].slots;
    c->allocs[e].slots = s;
    return c->own_slot0 + s;
}

void rm_core_untake_slot(rm_core_t *c, uint32_t e, rm_word_t slot)
{
    uint32_t s = (uint32_t)(slot - c->own_slot0);
    c->allocs[e].slots = c->slot_next[s];
    c->slot_next[s] = c->free_slot;
    c->free_slot = s;
}

int rm_core_drop_slot(rm_core_t *c, uint32_t e, rm_word_t slot)
{
    uint32_t s = (uint32_t)(slot - c->own_slot0);
    for (uint32_t *link = &c->allocs[e].slots; *link != RM_NONE; link = &c->slot_next[*link]) {
        if (*link == s) {
            *link = c->slot_next[s];
            c->slot_next[s] = c->free_slot;
            c->free_slot = s;
            return 0;
        }
    }
    return -1;
}

rm_word_t rm_core_release(rm_core_t *c, uint32_t e)
{
    rm_alloc_t *a = &c->allocs[e];
    rm_word_t err = rm_buddy_free(&c->pool, a->block);
    if (err) {
        return err;
    }
    rm_client_t *cl = &c->clients[a->client];
    if (a->batch != RM_NONE) {
        rm_core_batch_end(c, e);
    } else {
        cl->used_bytes -= 1ull << c->pool.nodes[a->block].bits;
        cl->used_objects -= a->count;
        cl->per_type[a->type] -= a->count;
    }
    cl->nallocs--;
    if (a->prev != RM_NONE) {
        c->allocs[a->prev].next = a->next;
    } else {
        cl->allocs = a->next;
    }
    if (a->next != RM_NONE) {
        c->allocs[a->next].prev = a->prev;
    }
    /* The revoke deleted every cap in the allocation's own slots: they are free again. */
    while (a->slots != RM_NONE) {
        uint32_t s = a->slots;
        a->slots = c->slot_next[s];
        c->slot_next[s] = c->free_slot;
        c->free_slot = s;
    }
    rm_core_drop_entry(c, e);
    return 0;
}

rm_result_t rm_core_free(rm_core_t *c, uint32_t ci, rm_word_t handle)
{
    uint32_t e = rm_core_lookup(c, ci, handle);
    if (e == RM_NONE) {
        return result(Rm_ErrInvalidArgument, 0, 0);
    }
    return rm_core_release(c, e) ? result(Rm_ErrNoMemory, 0, 0) : result(Rm_ErrOk, 0, 0);
}

uint64_t rm_core_reclaim(rm_core_t *c, uint32_t ci)
{
    rm_client_t *cl = &c->clients[ci];
    uint64_t before = cl->used_bytes;
    uint32_t e = cl->allocs;
    while (e != RM_NONE) {
        uint32_t next = c->allocs[e].next;
        if (!c->allocs[e].donated && rm_core_release(c, e)) {
            break; /* the kernel refused a revoke: keep the rest charged (check reports it) */
        }
        e = next;
    }
    return before - cl->used_bytes;
}

rm_result_t rm_core_set_quota(rm_core_t *c, uint32_t ci, rm_word_t bytes, rm_word_t objects)
{
    rm_client_t *cl = &c->clients[ci];
    if (bytes < cl->used_bytes) {
        return result(Rm_ErrInvalidArgument, 1, 0);
    }
    if (objects < cl->used_objects) {
        return result(Rm_ErrInvalidArgument, 2, 0);
    }
    cl->quota_bytes = bytes;
    cl->quota_objects = objects;
    return result(Rm_ErrOk, 0, 0);
}

rm_result_t rm_core_add_region(rm_core_t *c, uint32_t ci, rm_word_t vaddr, rm_word_t size,
                               rm_word_t rights)
{
    rm_client_t *cl = &c->clients[ci];
    const uint64_t page = 1ull << Sigil_Frame4KBits;
    if ((vaddr & (page - 1)) || vaddr >= SIGIL_PLAT_USER_TOP) {
        return result(Rm_ErrInvalidArgument, 0, 0);
    }
    if (size == 0 || (size & (page - 1)) || size > SIGIL_PLAT_USER_TOP - vaddr) {
        return result(Rm_ErrInvalidArgument, 1, 0);
    }
    if (rights == 0 || (rights & ~(rm_word_t)(Sigil_CanRead | Sigil_CanWrite))) {
        return result(Rm_ErrInvalidArgument, 2, 0);
    }
    for (uint32_t i = 0; i < cl->nregions; i++) {
        const rm_region_t *g = &cl->regions[i];
        if (vaddr < g->vaddr + g->size && g->vaddr < vaddr + size) {
            return result(Rm_ErrInvalidArgument, 0, 0);
        }
    }
    if (cl->nregions == RM_MAX_REGIONS) {
        return result(Rm_ErrInvalidArgument, 1, 0);
    }
    cl->regions[cl->nregions++] = (rm_region_t){.vaddr = vaddr, .size = size, .rights = rights};
    return result(Rm_ErrOk, 0, 0);
}

const rm_region_t *rm_core_find_region(const rm_core_t *c, uint32_t ci, rm_word_t addr)
{
    const rm_client_t *cl = &c->clients[ci];
    for (uint32_t i = 0; i < cl->nregions; i++) {
        if (addr - cl->regions[i].vaddr < cl->regions[i].size) {
            return &cl->regions[i];
        }
    }
    return 0;
}

void rm_core_stats(const rm_core_t *c, uint32_t ci, rm_word_t out[RM_NUM_STATS])
{
    const rm_client_t *cl = &c->clients[ci];
    out[Rm_StatQuotaBytes] = cl->quota_bytes;
    out[Rm_StatUsedBytes] = cl->used_bytes;
    out[Rm_StatPeakBytes] = cl->peak_bytes;
    out[Rm_StatQuotaObjects] = cl->quota_objects;
    out[Rm_StatUsedObjects] = cl->used_objects;
    out[Rm_StatFaults] = cl->faults;
    out[Rm_StatOutOfQuota] = cl->out_of_quota;
    out[Rm_StatOwnBytes] = cl->own_bytes;
    for (unsigned t = 0; t < Sigil_NumObjectTypes; t++) {
        out[Rm_StatObjectsOfType + t] = cl->per_type[t];
    }
}

/* Rules (rm_core_check's results below -10; buddy.c's are -1 .. -7):
 * -11 a client's allocation list is broken (back link, owner, length);
 * -12 an allocation's block is not USED by it;
 * -13 a client's used bytes/objects/per-type counts differ from its allocations' sums;
 * -14 a client is over its quota;
 * -15 the unused entries plus every client's allocations are not the whole table;
 * -16 a batch is broken (batch.c: its entry, its frames' states, the reserve's sum). */
int rm_core_check(const rm_core_t *c)
{
    uint64_t used_total = 0, entries = 0;
    for (uint32_t ci = 0; ci < c->nclients; ci++) {
        const rm_client_t *cl = &c->clients[ci];
        uint64_t bytes = 0, objects = 0, per_type[Sigil_NumObjectTypes] = {0}, n = 0;
        uint32_t prev = RM_NONE;
        for (uint32_t e = cl->allocs; e != RM_NONE; e = c->allocs[e].next) {
            const rm_alloc_t *a = &c->allocs[e];
            if (a->prev != prev || a->client != ci || ++n > c->nallocs_max) {
                return -11;
            }
            if (a->block >= c->pool.capacity || c->pool.nodes[a->block].state != RM_BLOCK_USED ||
                c->pool.nodes[a->block].owner != e || a->type >= Sigil_NumObjectTypes) {
                return -12;
            }
            uint64_t n_obj = a->batch != RM_NONE && a->batch < c->nbatches
                                 ? c->batches[a->batch].nhanded
                                 : a->count;
            bytes += a->batch != RM_NONE ? n_obj << Sigil_Frame4KBits
                                         : 1ull << c->pool.nodes[a->block].bits;
            objects += n_obj;
            per_type[a->type] += n_obj;
            prev = e;
        }
        if (n != cl->nallocs) {
            return -11;
        }
        if (bytes != cl->used_bytes || objects != cl->used_objects) {
            return -13;
        }
        for (unsigned t = 0; t < Sigil_NumObjectTypes; t++) {
            if (per_type[t] != cl->per_type[t]) {
                return -13;
            }
        }
        if (cl->used_bytes > cl->quota_bytes || cl->used_objects > cl->quota_objects) {
            return -14;
        }
        for (unsigned t = 0; t < Sigil_NumObjectTypes; t++) {
            if (cl->per_type[t] > cl->quota_per_type[t]) {
                return -14;
            }
        }
        used_total += bytes;
        entries += n;
    }
    for (uint32_t e = c->free_alloc; e != RM_NONE; e = c->allocs[e].next) {
        if (c->allocs[e].block != RM_NONE || ++entries > c->nallocs_max) {
            return -15;
        }
    }
    if (entries != c->nallocs_max) {
        return -15;
    }
    uint64_t reserve = 0;
    int rule = rm_core_batch_check(c, &reserve);
    if (rule != 0) {
        return rule;
    }
    return rm_buddy_check(&c->pool, used_total + reserve);
}
