/*
 * Batches of demand-zero frames: the fast path of a demand-zero fault (design in rm_core.h).
 *
 * A demand page made on its own costs two kernel calls besides the mapping: the Retype of its
 * frame and, for about every page, the buddy split that makes a 4 KiB block. A batch makes up to
 * RM_BATCH_PAGES frames with one Retype from one block (one split at most), so a fault served
 * from a batch makes no kernel call but the mapping.
 *
 * Charging stays per page: a client is charged 4 KiB and one Frame4K object for each frame
 * handed out to it, exactly as for a page made on its own, and nothing for the frames still
 * clean. Those are the batch's reserve (c->reserved_bytes): in no free block and charged to no
 * client. The reserve is bounded when the batch is made: a batch never has more frames than the
 * client's quota could still pay for at that moment, nor more than its region has pages, so a
 * client with little quota holds a small batch (and one that can pay for one page takes the
 * general path). Each frame is checked against the quota again when it is handed out.
 *
 * A frame given back (an eviction) is unmapped and uncharged; if it reads zero again it is clean
 * and the next fault of the client may take it, otherwise its cap is deleted and it is gone.
 * When no frame of a batch is handed out, the batch is released: its block is revoked (every
 * frame and every cap derived from them deleted) and goes back to the pool, whose reset clears
 * it before it is used again. A client's end releases its batches like its other allocations.
 */
#include "core_private.h"

void rm_core_init_batches(rm_core_t *c, rm_batch_t *batches, uint32_t nbatches, rm_word_t slot0)
{
    c->batches = batches;
    c->nbatches = nbatches;
    c->batch_slot0 = slot0;
    c->free_batch = RM_NONE;
    for (uint32_t b = nbatches; b-- > 0;) {
        batches[b] = (rm_batch_t){.alloc = RM_NONE, .next = c->free_batch};
        c->free_batch = b;
    }
}

static void list_push(rm_core_t *c, rm_client_t *cl, uint32_t b)
{
    c->batches[b].next = cl->batches;
    c->batches[b].listed = 1;
    cl->batches = b;
}

static void list_remove(rm_core_t *c, rm_client_t *cl, uint32_t b)
{
    for (uint32_t *link = &cl->batches; *link != RM_NONE; link = &c->batches[*link].next) {
        if (*link == b) {
            *link = c->batches[b].next;
            c->batches[b].listed = 0;
            return;
        }
    }
}

/* The frames a new batch of client `cl` gets: a power of two, at most `max_pages`,
 * RM_BATCH_PAGES and what the quota could still pay (bytes, objects, Frame4K objects). */
static unsigned batch_frames(const rm_client_t *cl, uint64_t max_pages)
{
    uint64_t n = RM_BATCH_PAGES < max_pages ? RM_BATCH_PAGES : max_pages;
    uint64_t bytes = (cl->quota_bytes - cl->used_bytes) >> Sigil_Frame4KBits;
    uint64_t objects = cl->quota_objects - cl->used_objects;
    uint64_t frames = cl->quota_per_type[Sigil_Frame4KObject] - cl->per_type[Sigil_Frame4KObject];
    n = n < bytes ? n : bytes;
    n = n < objects ? n : objects;
    n = n < frames ? n : frames;
    unsigned f = 1;
    while (2ull * f <= n) {
        f *= 2;
    }
    return f;
}

/* A new batch for client `ci` of 2^k frames, charged nothing yet; its index, or RM_NONE. */
static uint32_t batch_make(rm_core_t *c, uint32_t ci, unsigned frames)
{
    uint32_t b = c->free_batch;
    if (b == RM_NONE) {
        return RM_NONE;
    }
    unsigned k = 0;
    while ((1u << k) < frames) {
        k++;
    }
    uint32_t e = rm_core_take_entry(c, Sigil_Frame4KBits + k);
    if (e == RM_NONE) {
        return RM_NONE;
    }
    rm_alloc_t *a = &c->allocs[e];
    rm_word_t dest = c->batch_slot0 + (rm_word_t)b * RM_BATCH_PAGES;
    if (c->pool.k->retype(c->pool.kctx, c->pool.nodes[a->block].slot, Sigil_Frame4KObject, 0,
                          c->own_cnode, dest, frames)) {
        (void)rm_buddy_free(&c->pool, a->block);
        rm_core_drop_entry(c, e);
        return RM_NONE;
    }
    c->free_batch = c->batches[b].next;
    a->type = Sigil_Frame4KObject;
    a->obj_bits = Sigil_Frame4KBits;
    a->count = frames;
    a->dest = dest;
    a->own = 1;
    a->batch = b;
    rm_core_charge(c, ci, e); /* on the client's list; charged per frame below */
    c->batches[b] = (rm_batch_t){.alloc = e, .clean = (uint32_t)((1ull << frames) - 1)};
    c->reserved_bytes += (uint64_t)frames << Sigil_Frame4KBits;
    list_push(c, &c->clients[ci], b);
    return b;
}

int rm_core_batch_take(rm_core_t *c, uint32_t ci, uint64_t max_pages, rm_word_t *slot,
                       uint32_t *entry, unsigned *index, rm_result_t *r)
{
    rm_client_t *cl = &c->clients[ci];
    if (!rm_core_fits_quota(cl, Sigil_Frame4KObject, 1ull << Sigil_Frame4KBits, 1, r)) {
        cl->out_of_quota++;
        return 1;
    }
    uint32_t b = cl->batches;
    if (b == RM_NONE) {
        unsigned frames = batch_frames(cl, max_pages);
        if (frames < 2 || (b = batch_make(c, ci, frames)) == RM_NONE) {
            return 0;
        }
    }
    rm_batch_t *x = &c->batches[b];
    unsigned i = (unsigned)__builtin_ctz(x->clean);
    x->clean &= ~(1u << i);
    x->handed |= 1u << i;
    x->nhanded++;
    if (x->clean == 0) {
        cl->batches = x->next;
        x->listed = 0;
    }
    c->reserved_bytes -= 1ull << Sigil_Frame4KBits;
    cl->used_bytes += 1ull << Sigil_Frame4KBits;
    cl->used_objects++;
    cl->per_type[Sigil_Frame4KObject]++;
    if (cl->used_bytes > cl->peak_bytes) {
        cl->peak_bytes = cl->used_bytes;
    }
    *slot = c->batch_slot0 + (rm_word_t)b * RM_BATCH_PAGES + i;
    *entry = x->alloc;
    *index = i;
    *r = rm_core_result(Rm_ErrOk, 0, 0);
    return 1;
}

rm_word_t rm_core_batch_give(rm_core_t *c, uint32_t e, unsigned i, int clean)
{
    rm_alloc_t *a = &c->allocs[e];
    rm_batch_t *x = &c->batches[a->batch];
    rm_client_t *cl = &c->clients[a->client];
    x->handed &= ~(1u << i);
    x->nhanded--;
    x->page[i] = 0;
    c->reserved_bytes += 1ull << Sigil_Frame4KBits;
    cl->used_bytes -= 1ull << Sigil_Frame4KBits;
    cl->used_objects--;
    cl->per_type[Sigil_Frame4KObject]--;
    if (x->nhanded == 0) {
        return rm_core_release(c, e);
    }
    if (clean) {
        x->clean |= 1u << i;
        if (!x->listed) {
            list_push(c, cl, a->batch);
        }
    }
    return 0;
}

void rm_core_batch_end(rm_core_t *c, uint32_t e)
{
    rm_alloc_t *a = &c->allocs[e];
    uint32_t b = a->batch;
    rm_batch_t *x = &c->batches[b];
    rm_client_t *cl = &c->clients[a->client];
    cl->used_bytes -= (uint64_t)x->nhanded << Sigil_Frame4KBits;
    cl->used_objects -= x->nhanded;
    cl->per_type[Sigil_Frame4KObject] -= x->nhanded;
    c->reserved_bytes -=
        (1ull << c->pool.nodes[a->block].bits) - ((uint64_t)x->nhanded << Sigil_Frame4KBits);
    if (x->listed) {
        list_remove(c, cl, b);
    }
    *x = (rm_batch_t){.alloc = RM_NONE, .next = c->free_batch};
    c->free_batch = b;
    a->batch = RM_NONE;
}

static uint32_t bits_set(uint32_t m)
{
    uint32_t n = 0;
    for (; m; m &= m - 1) {
        n++;
    }
    return n;
}

/* Rule -16: a batch allocation names a batch that names it back, of Frame4K frames filling its
 * block; its clean and handed frames are disjoint frames it made, nhanded counts the handed ones
 * and the client's list holds exactly its batches with clean frames; the reserves add up to
 * c->reserved_bytes; every batch not in use is on the free list. */
int rm_core_batch_check(const rm_core_t *c, uint64_t *reserve)
{
    uint64_t sum = 0;
    uint32_t used = 0, unused = 0;
    for (uint32_t b = 0; b < c->nbatches; b++) {
        const rm_batch_t *x = &c->batches[b];
        if (x->alloc == RM_NONE) {
            continue;
        }
        used++;
        if (x->alloc >= c->nallocs_max) {
            return -16;
        }
        const rm_alloc_t *a = &c->allocs[x->alloc];
        uint32_t made = (uint32_t)((1ull << a->count) - 1);
        if (a->block == RM_NONE || a->batch != b || a->type != Sigil_Frame4KObject ||
            a->count > RM_BATCH_PAGES || (x->clean & x->handed) ||
            ((x->clean | x->handed) & ~made) || bits_set(x->handed) != x->nhanded ||
            x->nhanded == 0 ||
            (1ull << c->pool.nodes[a->block].bits) != (uint64_t)a->count << Sigil_Frame4KBits ||
            x->listed != (x->clean != 0)) {
            return -16;
        }
        sum += (uint64_t)(a->count - x->nhanded) << Sigil_Frame4KBits;
    }
    for (uint32_t ci = 0; ci < c->nclients; ci++) {
        uint32_t n = 0;
        for (uint32_t b = c->clients[ci].batches; b != RM_NONE; b = c->batches[b].next) {
            if (b >= c->nbatches || !c->batches[b].listed || ++n > c->nbatches ||
                c->allocs[c->batches[b].alloc].client != ci) {
                return -16;
            }
        }
    }
    for (uint32_t b = c->free_batch; b != RM_NONE; b = c->batches[b].next) {
        if (b >= c->nbatches || c->batches[b].alloc != RM_NONE || ++unused > c->nbatches) {
            return -16;
        }
    }
    if (used + unused != c->nbatches || sum != c->reserved_bytes) {
        return -16;
    }
    *reserve = sum;
    return 0;
}
