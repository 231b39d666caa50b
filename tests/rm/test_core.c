/*
 * Host unit tests of the manager's core (resource-manager/core) against the kernel model
 * (kmodel.c): exact charging (rounding included), OutOfQuota details, every argument error,
 * errors that change nothing, stale and foreign handles, kernel refusals rolled back, reclamation
 * to whole roots, donated allocations left by their client's reclaim, batches of demand-zero
 * frames (one retype for many pages, charged page by page, given back and released), and a long
 * deterministic-random run with the invariant checked after every step.
 */
#include <stdlib.h>
#include <string.h>

#include "../host/check.h"
#include "kmodel.h"
#include "rm_core.h"

#define NODES       4096u
#define ROOTS       4u
#define PAIR_SLOT0  16u
#define OWN_SLOT0   (PAIR_SLOT0 + NODES)
#define OWN_SLOTS   64u
#define ALLOCS      1024u
#define NCLIENTS    3u
#define BATCH_SLOT0 (OWN_SLOT0 + OWN_SLOTS)
#define NBATCHES    4u

static km_t km;
static rm_block_t nodes[NODES];
static rm_client_t clients[NCLIENTS];
static rm_alloc_t allocs[ALLOCS];
static uint32_t slot_next[OWN_SLOTS];
static rm_batch_t batches[NBATCHES];
static rm_core_t core;

/* A pool of two roots (1 MiB in slot 1, 64 KiB in slot 2) and three clients. */
static void setup(uint64_t quota_bytes, uint64_t quota_objects)
{
    km_init(&km);
    km_add_root(&km, 1, 20);
    km_add_root(&km, 2, 16);
    memset(clients, 0, sizeof(clients));
    for (unsigned i = 0; i < NCLIENTS; i++) {
        clients[i] = (rm_client_t){.id = i + 1,
                                   .name = "c",
                                   .live = 1,
                                   .cnode = KM_CNODE_BASE + i,
                                   .cnode_bits = 8,
                                   .quota_bytes = quota_bytes,
                                   .quota_objects = quota_objects};
        for (unsigned t = 0; t < Sigil_NumObjectTypes; t++) {
            clients[i].quota_per_type[t] = 0xffffffffu;
        }
    }
    rm_core_init(&core, clients, NCLIENTS, allocs, ALLOCS, slot_next, OWN_SLOTS, OWN_SLOT0, 0);
    rm_buddy_init(&core.pool, nodes, NODES, ROOTS, PAIR_SLOT0, &km_ops, &km);
    CHECK(rm_buddy_add_root(&core.pool, 1, 20, 0x40000000) == 0);
    CHECK(rm_buddy_add_root(&core.pool, 2, 16, 0x40100000) == 0);
    CHECK_EQ_U64(rm_core_check(&core), 0);
}

static int roots_whole(void)
{
    return rm_buddy_root_whole(&core.pool, 0) && rm_buddy_root_whole(&core.pool, 1) &&
           km_whole(&km, 1) && km_whole(&km, 2) && km_live_caps(&km) == 2;
}

/* A snapshot of everything an error must leave alone. */
typedef struct {
    uint64_t free_bytes, free_blocks, pairs, used[NCLIENTS], objects[NCLIENTS];
    unsigned caps;
} snap_t;

static snap_t snap(void)
{
    snap_t s = {.free_bytes = core.pool.free_bytes,
                .free_blocks = core.pool.free_blocks,
                .pairs = core.pool.npairs_free,
                .caps = km_live_caps(&km)};
    for (unsigned i = 0; i < NCLIENTS; i++) {
        s.used[i] = clients[i].used_bytes;
        s.objects[i] = clients[i].used_objects;
    }
    return s;
}

static int same(snap_t a, snap_t b)
{
    return memcmp(&a, &b, sizeof(a)) == 0;
}

static void test_charge_and_free(void)
{
    setup(1 << 20, 100);
    rm_word_t h;
    rm_result_t r = rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 5, &h);
    CHECK_EQ_U64(r.err, Rm_ErrOk);
    CHECK_EQ_U64(clients[0].used_bytes, 16);
    CHECK_EQ_U64(clients[0].used_objects, 1);
    CHECK_EQ_U64(clients[0].per_type[Sigil_EndpointObject], 1);
    CHECK(km.client[0][5].present);
    CHECK_EQ_U64(core.pool.free_bytes, (1u << 20) + (1u << 16) - 16);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* Three notifications: 3 * 32 rounds up to a block of 128 bytes, all charged. */
    rm_word_t h3;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_NotificationObject, 0, 3, 10, &h3).err, Rm_ErrOk);
    CHECK_EQ_U64(clients[0].used_bytes, 16 + 128);
    CHECK_EQ_U64(clients[0].used_objects, 4);
    CHECK(km.client[0][10].present && km.client[0][11].present && km.client[0][12].present);
    /* A CNode of 2^4 slots is 2^9 bytes; an untyped of 2^12 is 2^12. */
    rm_word_t hc, hu;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_CNodeObject, 4, 1, 20, &hc).err, Rm_ErrOk);
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_UntypedObject, 12, 1, 21, &hu).err, Rm_ErrOk);
    CHECK_EQ_U64(clients[0].used_bytes, 16 + 128 + 512 + 4096);
    rm_word_t stats[RM_NUM_STATS];
    rm_core_stats(&core, 0, stats);
    CHECK_EQ_U64(stats[Rm_StatUsedBytes], 16 + 128 + 512 + 4096);
    CHECK_EQ_U64(stats[Rm_StatPeakBytes], 16 + 128 + 512 + 4096);
    CHECK_EQ_U64(stats[Rm_StatUsedObjects], 6);
    CHECK_EQ_U64(stats[Rm_StatObjectsOfType + Sigil_CNodeObject], 1);
    CHECK_EQ_U64(stats[Rm_StatQuotaBytes], 1 << 20);
    /* Free: the objects are gone from the client's CSpace, the charge too. */
    CHECK_EQ_U64(rm_core_free(&core, 0, h3).err, Rm_ErrOk);
    CHECK(!km.client[0][10].present && !km.client[0][11].present && !km.client[0][12].present);
    CHECK_EQ_U64(clients[0].used_bytes, 16 + 512 + 4096);
    /* The same handle again, and another client's handle, name nothing. */
    rm_result_t stale = rm_core_free(&core, 0, h3);
    CHECK_EQ_U64(stale.err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(stale.detail[0], 0);
    CHECK_EQ_U64(rm_core_free(&core, 1, h).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(rm_core_free(&core, 0, 0).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(rm_core_free(&core, 0, ~0ull).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(rm_core_free(&core, 0, h).err, Rm_ErrOk);
    CHECK_EQ_U64(rm_core_free(&core, 0, hc).err, Rm_ErrOk);
    CHECK_EQ_U64(rm_core_free(&core, 0, hu).err, Rm_ErrOk);
    CHECK_EQ_U64(clients[0].used_bytes, 0);
    CHECK_EQ_U64(clients[0].peak_bytes, 16 + 128 + 512 + 4096);
    CHECK(roots_whole());
    CHECK_EQ_U64(rm_core_check(&core), 0);
}

static void test_errors_change_nothing(void)
{
    setup(4096, 3);
    rm_word_t h, keep;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 1, &keep).err, Rm_ErrOk);
    snap_t before = snap();
    struct {
        rm_word_t type, size_bits, count, dest, err, detail0, detail1;
    } cases[] = {
        {99, 0, 1, 2, Rm_ErrInvalidArgument, 0, 0},
        {Sigil_NumObjectTypes, 0, 1, 2, Rm_ErrInvalidArgument, 0, 0},
        {Sigil_UntypedObject, 3, 1, 2, Rm_ErrInvalidArgument, 1, 0},
        {Sigil_UntypedObject, 48, 1, 2, Rm_ErrInvalidArgument, 1, 0},
        {Sigil_CNodeObject, 0, 1, 2, Rm_ErrInvalidArgument, 1, 0},
        {Sigil_CNodeObject, 29, 1, 2, Rm_ErrInvalidArgument, 1, 0},
        {Sigil_EndpointObject, 0, 0, 2, Rm_ErrInvalidArgument, 2, 0},
        {Sigil_EndpointObject, 0, RM_MAX_COUNT + 1, 2, Rm_ErrInvalidArgument, 2, 0},
        {Sigil_EndpointObject, 0, 1, 256, Rm_ErrInvalidSlot, 3, 0},
        {Sigil_EndpointObject, 0, 2, 255, Rm_ErrInvalidSlot, 3, 0},
        {Sigil_EndpointObject, 0, 1, ~0ull, Rm_ErrInvalidSlot, 3, 0},
        {Sigil_EndpointObject, 0, 1, 1, Rm_ErrInvalidSlot, 3, 0}, /* occupied by `keep` */
        /* 4 KiB quota, 16 bytes used: a frame misses 16 bytes; 3 more objects miss 1. */
        {Sigil_Frame4KObject, 0, 1, 2, Rm_ErrOutOfQuota, 16, 0},
        {Sigil_EndpointObject, 0, 3, 2, Rm_ErrOutOfQuota, 0, 1},
        {Sigil_Frame2MObject, 0, 4, 2, Rm_ErrOutOfQuota, (8u << 20) + 16 - 4096, 2},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rm_result_t r = rm_core_alloc(&core, 0, cases[i].type, cases[i].size_bits, cases[i].count,
                                      cases[i].dest, &h);
        CHECK_EQ_U64(r.err, cases[i].err);
        CHECK_EQ_U64(r.detail[0], cases[i].detail0);
        CHECK_EQ_U64(r.detail[1], cases[i].detail1);
        CHECK(same(before, snap()));
        CHECK_EQ_U64(rm_core_check(&core), 0);
    }
    CHECK_EQ_U64(clients[0].out_of_quota, 3);
    rm_result_t r;
    /* A per-type quota: one TCB allowed, two asked for: one object missing. */
    clients[0].quota_per_type[Sigil_TCBObject] = 1;
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 1 << 20, 10).err, Rm_ErrOk);
    before = snap();
    r = rm_core_alloc(&core, 0, Sigil_TCBObject, 0, 2, 2, &h);
    CHECK_EQ_U64(r.err, Rm_ErrOutOfQuota);
    CHECK_EQ_U64(r.detail[0], 0);
    CHECK_EQ_U64(r.detail[1], 1);
    CHECK(same(before, snap()));
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 4096, 3).err, Rm_ErrOk);
    /* A slot the client filled itself: InvalidSlot from the kernel, the split undone. */
    km_occupy(&km, 0, 7);
    before = snap();
    r = rm_core_alloc(&core, 0, Sigil_Frame4KObject, 0, 1, 7, &h);
    CHECK_EQ_U64(r.err, Rm_ErrOutOfQuota); /* quota first: 4 KiB + 16 > 4 KiB */
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 1 << 20, 10).err, Rm_ErrOk);
    before = snap();
    r = rm_core_alloc(&core, 0, Sigil_Frame4KObject, 0, 1, 7, &h);
    CHECK_EQ_U64(r.err, Rm_ErrInvalidSlot);
    CHECK_EQ_U64(r.detail[0], 3);
    CHECK(same(before, snap()));
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* SetQuota below use changes nothing. */
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 15, 10).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 1 << 20, 0).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(clients[0].quota_bytes, 1 << 20);
    CHECK_EQ_U64(clients[0].quota_objects, 10);
    /* NoMemory: more than the pool has, within quota. */
    CHECK_EQ_U64(rm_core_set_quota(&core, 0, 1ull << 40, 1000).err, Rm_ErrOk);
    before = snap();
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_Frame2MObject, 0, 1, 9, &h).err, Rm_ErrNoMemory);
    CHECK(same(before, snap()));
    CHECK_EQ_U64(rm_core_free(&core, 0, keep).err, Rm_ErrOk);
    km.client[0][7].present = 0; /* the client's own cap, not the pool's */
    CHECK(roots_whole());
}

static void test_kernel_refusals_roll_back(void)
{
    setup(1 << 20, 100);
    rm_word_t h;
    snap_t before = snap();
    km.fail_split_at = 5; /* the fifth split of this allocation is refused */
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 1, &h).err, Rm_ErrNoMemory);
    CHECK(same(before, snap()));
    CHECK(roots_whole());
    km.fail_split_at = 0;
    km.fail_retype_at = 1;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 1, &h).err, Rm_ErrNoMemory);
    CHECK(same(before, snap()));
    CHECK(roots_whole());
    CHECK_EQ_U64(rm_core_check(&core), 0);
}

static void test_own_objects_and_slots(void)
{
    setup(1 << 20, 100);
    rm_word_t slot, h;
    uint32_t entry;
    CHECK_EQ_U64(rm_core_alloc_own(&core, 1, Sigil_PageTableObject, &slot, &entry).err, Rm_ErrOk);
    CHECK(slot >= OWN_SLOT0 && slot < OWN_SLOT0 + OWN_SLOTS);
    CHECK(km.own[slot].present);
    CHECK_EQ_U64(clients[1].used_bytes, 4096);
    CHECK_EQ_U64(clients[1].per_type[Sigil_PageTableObject], 1);
    /* Its handle is not a handle for the client: the manager frees it, not the client. */
    CHECK_EQ_U64(rm_core_lookup(&core, 1, entry + 1), RM_NONE);
    CHECK_EQ_U64(rm_core_alloc(&core, 1, Sigil_Frame4KObject, 0, 1, 3, &h).err, Rm_ErrOk);
    uint32_t fe = rm_core_lookup(&core, 1, h);
    CHECK(fe != RM_NONE);
    rm_word_t copy = rm_core_take_slot(&core, fe);
    CHECK(copy != 0 && copy != slot);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    CHECK_EQ_U64(rm_core_reclaim(&core, 1), 8192);
    CHECK(!km.own[slot].present);
    CHECK(roots_whole());
    /* Every own slot is free again. */
    unsigned n = 0;
    for (uint32_t s = core.free_slot; s != RM_NONE; s = core.slot_next[s]) {
        n++;
    }
    CHECK_EQ_U64(n, OWN_SLOTS);
}

/* A donated allocation: the donor can no longer name it, its reclaim leaves it (still charged to
 * it), and releasing it later gives back exactly its block. A slot in the middle of an
 * allocation's chain can be given back alone. */
static void test_donated_and_drop_slot(void)
{
    setup(1 << 20, 100);
    rm_word_t h, keep;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_Frame4KObject, 0, 2, 3, &h).err, Rm_ErrOk);
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 5, &keep).err, Rm_ErrOk);
    uint32_t e = rm_core_lookup(&core, 0, h);
    CHECK(e != RM_NONE);
    rm_word_t s1 = rm_core_take_slot(&core, e), s2 = rm_core_take_slot(&core, e);
    rm_word_t s3 = rm_core_take_slot(&core, e);
    CHECK_EQ_U64(rm_core_drop_slot(&core, e, s2), 0); /* the middle of the chain */
    CHECK_EQ_U64(rm_core_drop_slot(&core, e, s2), (uint64_t)-1);
    CHECK_EQ_U64(core.free_slot, s2 - OWN_SLOT0);
    core.allocs[e].donated = 1;
    CHECK_EQ_U64(rm_core_lookup(&core, 0, h), RM_NONE);
    CHECK_EQ_U64(rm_core_free(&core, 0, h).err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(rm_core_reclaim(&core, 0), 16);
    CHECK_EQ_U64(clients[0].used_bytes, 8192);
    CHECK_EQ_U64(clients[0].used_objects, 2);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    CHECK(!roots_whole());
    CHECK_EQ_U64(rm_core_release(&core, e), 0);
    CHECK_EQ_U64(clients[0].used_bytes, 0);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    CHECK(roots_whole());
    (void)s1;
    (void)s3;
    unsigned n = 0;
    for (uint32_t s = core.free_slot; s != RM_NONE; s = core.slot_next[s]) {
        n++;
    }
    CHECK_EQ_U64(n, OWN_SLOTS);
}

/* Deterministic random requests from three clients; the invariant holds after each. */
static uint64_t rng = 0x5eed5eedull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_random_run(void)
{
    setup(96 << 10, 64);
    static rm_word_t handles[NCLIENTS][64];
    static unsigned nh[NCLIENTS];
    memset(nh, 0, sizeof(nh));
    unsigned oks = 0, broken = 0;
    for (unsigned step = 0; step < 40000; step++) {
        uint32_t ci = (uint32_t)(next_random() % NCLIENTS);
        uint64_t op = next_random() % 10;
        if (op < 6) {
            rm_word_t type = next_random() % 12, size = next_random() % 30;
            rm_word_t count = 1 + next_random() % 5, dest = next_random() % 270, h;
            rm_result_t r = rm_core_alloc(&core, ci, type, size, count, dest, &h);
            if (r.err == Rm_ErrOk && nh[ci] < 64) {
                handles[ci][nh[ci]++] = h;
                oks++;
            } else if (r.err == Rm_ErrOk) {
                CHECK_EQ_U64(rm_core_free(&core, ci, h).err, Rm_ErrOk);
            }
        } else if (op < 9 && nh[ci]) {
            unsigned i = (unsigned)(next_random() % nh[ci]);
            CHECK_EQ_U64(rm_core_free(&core, ci, handles[ci][i]).err, Rm_ErrOk);
            handles[ci][i] = handles[ci][--nh[ci]];
        } else if (op == 9 && next_random() % 50 == 0) {
            rm_core_reclaim(&core, ci);
            nh[ci] = 0;
        } else {
            rm_word_t junk = next_random();
            CHECK(rm_core_free(&core, ci, junk).err == Rm_ErrInvalidArgument ||
                  rm_core_lookup(&core, ci, junk) != RM_NONE);
        }
        if (rm_core_check(&core) != 0) {
            broken++;
        }
    }
    CHECK_EQ_U64(broken, 0);
    CHECK(oks > 1000);
    for (uint32_t ci = 0; ci < NCLIENTS; ci++) {
        rm_core_reclaim(&core, ci);
        CHECK_EQ_U64(clients[ci].used_bytes, 0);
    }
    CHECK(roots_whole());
    CHECK_EQ_U64(core.pool.free_bytes, (1u << 20) + (1u << 16));
    CHECK_EQ_U64(rm_core_check(&core), 0);
}

/* Demand-zero regions: every argument error, overlaps, the table's limit, lookups. */
static void test_regions(void)
{
    setup(1 << 20, 100);
    const rm_word_t rw = Sigil_CanRead | Sigil_CanWrite;
    rm_result_t r = rm_core_add_region(&core, 0, 0x10001, 4096, rw);
    CHECK_EQ_U64(r.err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(r.detail[0], 0);
    r = rm_core_add_region(&core, 0, SIGIL_PLAT_USER_TOP, 4096, rw);
    CHECK_EQ_U64(r.detail[0], 0);
    r = rm_core_add_region(&core, 0, 0x10000, 0, rw);
    CHECK_EQ_U64(r.detail[0], 1);
    r = rm_core_add_region(&core, 0, 0x10000, 100, rw);
    CHECK_EQ_U64(r.detail[0], 1);
    r = rm_core_add_region(&core, 0, SIGIL_PLAT_USER_TOP - 4096, 8192, rw);
    CHECK_EQ_U64(r.detail[0], 1);
    r = rm_core_add_region(&core, 0, 0x10000, 4096, Sigil_CanGrant);
    CHECK_EQ_U64(r.detail[0], 2);
    CHECK_EQ_U64(clients[0].nregions, 0);
    CHECK_EQ_U64(rm_core_add_region(&core, 0, 0x10000, 0x4000, rw).err, Rm_ErrOk);
    r = rm_core_add_region(&core, 0, 0xf000, 0x2000, rw); /* overlaps the start */
    CHECK_EQ_U64(r.err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(r.detail[0], 0);
    CHECK_EQ_U64(rm_core_add_region(&core, 0, 0x13000, 0x1000, rw).detail[0], 0); /* its end */
    CHECK_EQ_U64(rm_core_add_region(&core, 0, 0xf000, 0x1000, rw).err, Rm_ErrOk); /* touching */
    CHECK(rm_core_find_region(&core, 0, 0x10000) == &clients[0].regions[0]);
    CHECK(rm_core_find_region(&core, 0, 0x13fff) == &clients[0].regions[0]);
    CHECK(rm_core_find_region(&core, 0, 0x14000) == 0);
    CHECK(rm_core_find_region(&core, 0, 0xf000) == &clients[0].regions[1]);
    CHECK(rm_core_find_region(&core, 1, 0x10000) == 0); /* another client's */
    for (unsigned i = 2; i < RM_MAX_REGIONS; i++) {
        CHECK_EQ_U64(rm_core_add_region(&core, 0, 0x100000 * i, 4096, rw).err, Rm_ErrOk);
    }
    r = rm_core_add_region(&core, 0, 0x10000000, 4096, rw);
    CHECK_EQ_U64(r.err, Rm_ErrInvalidArgument);
    CHECK_EQ_U64(r.detail[0], 1);
    CHECK_EQ_U64(clients[0].nregions, RM_MAX_REGIONS);
}

/* Take one batch frame for client `ci`; returns its slot (0 when the general path must serve). */
static rm_word_t take(uint32_t ci, uint32_t *e, unsigned *i, rm_result_t *r)
{
    rm_word_t slot = 0;
    return rm_core_batch_take(&core, ci, 64, &slot, e, i, r) ? slot : 0;
}

/* Batches of demand-zero frames: one retype makes 16 frames, each page handed out is charged
 * 4 KiB and one object and the rest is reserved (used + reserved + free = pool); a frame given
 * back clean is handed out again, one given back written is gone; a batch with nothing handed out
 * goes back to the pool; the batch size follows what the quota can pay; errors and kernel
 * refusals change nothing; a client's reclaim returns its batches whole. */
static void test_batches(void)
{
    setup(1 << 20, 100);
    rm_core_init_batches(&core, batches, NBATCHES, BATCH_SLOT0);
    const uint64_t page = 4096;
    uint64_t pool_free = core.pool.free_bytes;
    long retypes = km.retypes;
    rm_result_t r;
    uint32_t e, e2;
    unsigned i;
    CHECK_EQ_U64(take(0, &e, &i, &r), BATCH_SLOT0);
    CHECK_EQ_U64(r.err, Rm_ErrOk);
    CHECK_EQ_U64(i, 0);
    CHECK_EQ_U64(km.retypes - retypes, 1);
    CHECK_EQ_U64(allocs[e].count, RM_BATCH_PAGES);
    CHECK(km.own[BATCH_SLOT0 + RM_BATCH_PAGES - 1].present);
    CHECK_EQ_U64(clients[0].used_bytes, page);
    CHECK_EQ_U64(clients[0].used_objects, 1);
    CHECK_EQ_U64(clients[0].per_type[Sigil_Frame4KObject], 1);
    CHECK_EQ_U64(core.reserved_bytes, (RM_BATCH_PAGES - 1) * page);
    CHECK_EQ_U64(core.pool.free_bytes + core.reserved_bytes + clients[0].used_bytes, pool_free);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    for (unsigned n = 1; n < RM_BATCH_PAGES; n++) {
        CHECK_EQ_U64(take(0, &e2, &i, &r), BATCH_SLOT0 + n);
        CHECK_EQ_U64(e2, e);
    }
    CHECK_EQ_U64(km.retypes - retypes, 1); /* no kernel call for the other 15 */
    CHECK_EQ_U64(clients[0].used_bytes, RM_BATCH_PAGES * page);
    CHECK_EQ_U64(clients[0].used_objects, RM_BATCH_PAGES);
    CHECK_EQ_U64(core.reserved_bytes, 0);
    CHECK_EQ_U64(take(0, &e2, &i, &r), BATCH_SLOT0 + RM_BATCH_PAGES); /* the next batch */
    CHECK(e2 != e);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* A frame given back clean is the next one handed out; one given back written is gone. */
    CHECK_EQ_U64(rm_core_batch_give(&core, e, 5, 1), 0);
    CHECK_EQ_U64(clients[0].used_bytes, RM_BATCH_PAGES * page);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    CHECK_EQ_U64(take(0, &e2, &i, &r), BATCH_SLOT0 + 5);
    CHECK_EQ_U64(rm_core_batch_give(&core, e, 6, 0), 0);
    CHECK_EQ_U64(take(0, &e2, &i, &r), BATCH_SLOT0 + RM_BATCH_PAGES + 1);
    CHECK_EQ_U64(clients[0].used_bytes, (RM_BATCH_PAGES + 1) * page);
    CHECK_EQ_U64(core.reserved_bytes, (RM_BATCH_PAGES - 1) * page);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* A batch with no frame handed out goes back to the pool. */
    uint64_t free_before = core.pool.free_bytes;
    for (unsigned n = 0; n < RM_BATCH_PAGES; n++) {
        if (n != 6) {
            CHECK_EQ_U64(rm_core_batch_give(&core, e, n, 1), 0);
        }
    }
    CHECK_EQ_U64(core.pool.free_bytes, free_before + RM_BATCH_PAGES * page);
    CHECK_EQ_U64(allocs[e].block, RM_NONE);
    CHECK(!km.own[BATCH_SLOT0].present && !km.own[BATCH_SLOT0 + 6].present);
    CHECK_EQ_U64(clients[0].used_bytes, 2 * page);
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* The quota bounds a batch: 3 pages' worth makes a batch of 2; with one page left there is
     * no batch (the general path serves); with none, OutOfQuota. None of them changes a thing. */
    clients[1].quota_bytes = 3 * page;
    CHECK(take(1, &e2, &i, &r) != 0);
    CHECK_EQ_U64(allocs[e2].count, 2);
    CHECK(take(1, &e2, &i, &r) != 0);
    CHECK_EQ_U64(core.reserved_bytes, (RM_BATCH_PAGES - 2) * page);
    snap_t before = snap();
    CHECK_EQ_U64(take(1, &e2, &i, &r), 0);
    CHECK(same(before, snap()));
    clients[1].quota_bytes = 2 * page;
    uint64_t refused = clients[1].out_of_quota;
    CHECK(rm_core_batch_take(&core, 1, 64, &(rm_word_t){0}, &e2, &i, &r) == 1);
    CHECK_EQ_U64(r.err, Rm_ErrOutOfQuota);
    CHECK_EQ_U64(r.detail[0], page);
    CHECK_EQ_U64(clients[1].out_of_quota, refused + 1);
    CHECK(same(before, snap()));
    /* A region of one page, a kernel refusal: no batch, nothing changed. */
    clients[1].quota_bytes = 1 << 20;
    CHECK_EQ_U64(rm_core_batch_take(&core, 1, 1, &(rm_word_t){0}, &e2, &i, &r), 0);
    km.fail_retype_at = 1;
    CHECK_EQ_U64(take(1, &e2, &i, &r), 0);
    CHECK(same(before, snap()));
    CHECK_EQ_U64(rm_core_check(&core), 0);
    /* The checker catches a broken batch. */
    rm_batch_t *x = &batches[allocs[e2].batch], saved = *x;
    x->clean |= x->handed; /* a frame both clean and handed out */
    CHECK_EQ_U64(rm_core_check(&core), -16);
    *x = saved;
    core.reserved_bytes += page;
    CHECK_EQ_U64(rm_core_check(&core), -16);
    core.reserved_bytes -= page;
    /* Reclaim: every batch whole in the pool again, every batch index free. */
    CHECK_EQ_U64(rm_core_reclaim(&core, 0), 2 * page);
    CHECK_EQ_U64(rm_core_reclaim(&core, 1), 2 * page);
    CHECK_EQ_U64(core.reserved_bytes, 0);
    CHECK(roots_whole());
    CHECK_EQ_U64(rm_core_check(&core), 0);
    unsigned n = 0;
    for (uint32_t b = core.free_batch; b != RM_NONE; b = batches[b].next) {
        n++;
    }
    CHECK_EQ_U64(n, NBATCHES);
}

/* The checker itself must catch a broken invariant. */
static void test_checker_catches(void)
{
    setup(1 << 20, 100);
    rm_word_t h;
    CHECK_EQ_U64(rm_core_alloc(&core, 0, Sigil_EndpointObject, 0, 1, 1, &h).err, Rm_ErrOk);
    clients[0].used_bytes += 16;
    CHECK_EQ_U64(rm_core_check(&core), -13);
    clients[0].used_bytes -= 16;
    core.pool.free_bytes -= 16;
    CHECK(rm_core_check(&core) < 0);
    core.pool.free_bytes += 16;
    CHECK_EQ_U64(rm_core_check(&core), 0);
}

int main(void)
{
    test_charge_and_free();
    test_errors_change_nothing();
    test_kernel_refusals_roll_back();
    test_own_objects_and_slots();
    test_donated_and_drop_slot();
    test_random_run();
    test_regions();
    test_batches();
    test_checker_catches();
    return check_summary("rm.core");
}
