/*
 * The manager's core: clients, quotas, the allocation table and the pool, with no system calls.
 *
 * Everything the manager makes for a client is one *allocation*: a buddy block of the pool
 * (buddy.h) retyped into `count` objects, either into the client's CSpace (what Alloc asks for)
 * or into a slot of the manager's own CSpace (page tables made to map the client's frames). Each
 * allocation is charged to its client — the block's bytes (rounding to a power of two included)
 * and its objects — and sits on the client's list, so reclaiming a client is one walk of that
 * list: O(its allocations), no search. A handle names an allocation to its client: index + 1 in
 * the low 32 bits, a generation in the high 32, so a stale or guessed handle names nothing.
 *
 * The accounting invariant, checked by rm_core_check (after every request in debug builds):
 * for every client, used bytes/objects/per-type counts equal the sums over its allocations and
 * are within its quotas; the sum of every client's used bytes plus the pool's free bytes equals
 * the pool, less the part of batches not handed out (reserved_bytes, charged to no one); every
 * allocation's block is USED and owned by it; and the buddy tree is sound. A batch allocation
 * (batch.c) is charged for its handed-out frames only.
 *
 * Own slots: caps the manager keeps for a client's allocation (a mapping copy of a frame, a
 * page table) live in slots of the manager's CSpace taken from a free list and chained on the
 * allocation; when the allocation's block is revoked those caps are gone and the slots return.
 */
#ifndef RM_CORE_H
#define RM_CORE_H

#include <sigil/rm_boot.h>
#include <sigil/rm_protocol.h>

#include "buddy.h"

#define RM_MAX_COUNT   SIGIL_RETYPE_FAN_OUT_LIMIT /* objects in one allocation: one Retype */
#define RM_MAP_INDEXES 64u                        /* frames of one allocation MapFrame can map */
#define RM_MAX_REGIONS SIGIL_RM_MAX_REGIONS       /* demand-zero regions per client */
#define RM_BATCH_PAGES 16u                        /* frames of one demand-zero batch (batch.c) */

typedef struct {
    rm_word_t err;       /* rm_error_t */
    rm_word_t detail[2]; /* the error's details (protocol.yaml) */
} rm_result_t;

/* A demand-zero region: [vaddr, vaddr + size) of the client's VSpace, mapped with `rights`. */
typedef struct {
    uint64_t vaddr, size, rights;
} rm_region_t;

typedef struct {
    uint64_t id;          /* client id (fault badge; request badge = id | RM_BADGE_REQUEST) */
    const char *name;     /* component name, for event lines */
    int admin;            /* may make admin requests */
    int live;             /* 0 once ended: every request from it is ignored */
    int pageable;         /* policy `pageable`: its demand pages may go to serve others */
    rm_word_t cnode;      /* manager's cptr to the client's CSpace root CNode */
    unsigned cnode_bits;  /* its radix: Alloc's slots are 0 .. 2^bits - 1 */
    unsigned cnode_depth; /* guard_size + radix of that cap: depth that names one slot */
    uint64_t cnode_guard; /* its guard: slot s is index (guard << radix) | s at cnode_depth */
    rm_word_t vspace;     /* manager's cptr to the client's VSpace */
    rm_word_t tcb;        /* manager's cptr to the client's TCB */
    uint64_t quota_bytes, used_bytes, peak_bytes;
    uint64_t quota_objects, used_objects;
    uint64_t faults, out_of_quota;
    uint64_t own_bytes; /* its own untyped (the loader's objects for it): not charged, see
                         * rm_end_client */
    uint64_t per_type[Sigil_NumObjectTypes];
    uint64_t quota_per_type[Sigil_NumObjectTypes]; /* live objects per type allowed */
    uint32_t allocs;                               /* head of its allocation list, or RM_NONE */
    uint32_t nallocs;
    rm_region_t regions[RM_MAX_REGIONS]; /* demand-zero regions */
    uint32_t nregions;
    uint32_t stored_pages; /* its pages in the manager's eviction store */
    uint32_t batches;      /* head of its list of batches with clean frames, or RM_NONE */
} rm_client_t;

typedef struct {
    uint32_t block;  /* buddy node; RM_NONE for an unused entry */
    uint32_t client; /* client index */
    uint32_t next;   /* client's list (unused entries: the free list) */
    uint32_t prev;
    uint32_t gen;   /* bumped on every free: stale handles do not match */
    uint32_t slots; /* head of its own-slot chain, or RM_NONE */
    uint32_t count;
    uint8_t type;     /* kernel object type */
    uint8_t obj_bits; /* log2 size of one object */
    uint8_t own;      /* 1: objects in the manager's own slots (not the client's) */
    uint8_t donated;  /* 1: given to a server (Donate): still charged to its client, but the
                       * client can no longer name it and its end does not free it */
    uint64_t mapped;  /* Frames: bit i = frame i has a mapping copy (MapFrame) */
    rm_word_t dest;   /* first destination slot */
    uint64_t page;    /* a demand-zero page: the client address it is mapped at; else 0 */
    uint32_t batch;   /* a batch of demand-zero frames (batch.c): its index; else RM_NONE */
} rm_alloc_t;

/* A batch of demand-zero frames: one allocation whose block was retyped into `count` 4 KiB
 * frames at once, into the group of RM_BATCH_PAGES own slots of the batch's index. A frame is
 * clean (made, never handed out or given back zeroed: it reads zero), handed (mapped in the
 * client at page[i] and charged to it), or gone (its cap deleted). Only handed frames are
 * charged; the clean ones are the batch's reserve (see batch.c). */
typedef struct {
    uint32_t alloc;   /* its allocation entry; RM_NONE for an unused batch */
    uint32_t next;    /* the client's list of batches with clean frames; unused: the free list */
    uint32_t clean;   /* bit i: frame i is clean */
    uint32_t handed;  /* bit i: frame i is handed out */
    uint32_t nhanded; /* frames handed out */
    uint8_t listed;   /* on its client's list */
    uint64_t page[RM_BATCH_PAGES];
} rm_batch_t;

typedef struct {
    rm_buddy_t pool;
    rm_client_t *clients;
    uint32_t nclients;
    rm_alloc_t *allocs;
    uint32_t nallocs_max;
    uint32_t free_alloc; /* head of unused entries */
    unsigned short_bits; /* the block size (log2) of the last allocation tried: after NoMemory,
                          * what was missing */
    /* Own slots: slot own_slot0 + i is free iff on the list; slot_next[i] chains it. */
    rm_word_t own_slot0;
    uint32_t *slot_next;
    uint32_t nslots;
    uint32_t free_slot;
    rm_word_t own_cnode; /* the manager's cptr to its own CSpace root */
    /* Batches (batch.c): batch b's frames are in own slots batch_slot0 + RM_BATCH_PAGES * b.. */
    rm_batch_t *batches;
    uint32_t nbatches;
    uint32_t free_batch;
    rm_word_t batch_slot0;
    uint64_t reserved_bytes; /* bytes of batches not handed out: in no free block, charged to no
                              * client */
} rm_core_t;

/* Set up the core over caller storage: clients[0..nclients) already filled in (ids, caps,
 * quotas; usage zero), `allocs` with room for nallocs entries, slot_next for nslots own slots
 * starting at own_slot0. The pool (c->pool) is set up separately with rm_buddy_init/add_root. */
void rm_core_init(rm_core_t *c, rm_client_t *clients, uint32_t nclients, rm_alloc_t *allocs,
                  uint32_t nallocs, uint32_t *slot_next, uint32_t nslots, rm_word_t own_slot0,
                  rm_word_t own_cnode);

/* Give the core nbatches batches over caller storage, batch b's frames in own slots
 * slot0 + RM_BATCH_PAGES * b .. (none until this is called: every demand page is then an
 * allocation of its own). */
void rm_core_init_batches(rm_core_t *c, rm_batch_t *batches, uint32_t nbatches, rm_word_t slot0);

/* Hand out one clean frame for a demand-zero page of client `ci`: the quota is checked for one
 * 4 KiB frame (OutOfQuota as for Alloc, and nothing changes), then the frame comes from the
 * client's batch with clean frames, or from a new batch of up to `max_pages` frames (at most
 * RM_BATCH_PAGES, at most what the quota could still pay, a power of two, at least 2). The frame
 * is charged (4 KiB, one Frame4K object). Returns 1 with *r Ok and *slot, *entry, *index set, or
 * with *r the quota's error; 0 when no batch could be had (no batch index or no block of its
 * size left, or the kernel refused): nothing changed, and the caller takes the general path. */
int rm_core_batch_take(rm_core_t *c, uint32_t ci, uint64_t max_pages, rm_word_t *slot,
                       uint32_t *entry, unsigned *index, rm_result_t *r);

/* Give frame `index` of batch allocation `entry` back: it is no longer charged and must be
 * unmapped; `clean` says whether it still reads zero (it can be handed out again) or not (the
 * caller deleted its cap). A batch with no frame handed out is released (its block revoked).
 * Returns the kernel's error of that revoke (0 normally). */
rm_word_t rm_core_batch_give(rm_core_t *c, uint32_t entry, unsigned index, int clean);

/* The index of the client with id `id`, or RM_NONE. */
uint32_t rm_core_client(const rm_core_t *c, uint64_t id);

/* Alloc: `count` objects of kernel type `type` (size_bits for Untyped/CNode) into the client's
 * CSpace slots dest .. dest+count-1; *handle names the allocation. Errors change nothing. */
rm_result_t rm_core_alloc(rm_core_t *c, uint32_t client, rm_word_t type, rm_word_t size_bits,
                          rm_word_t count, rm_word_t dest, rm_word_t *handle);

/* One object of `type` made for the client into an own slot (page tables for its mappings);
 * charged like Alloc. *slot is its cap's slot, *entry the allocation (for rm_core_release). */
rm_result_t rm_core_alloc_own(rm_core_t *c, uint32_t client, unsigned type, rm_word_t *slot,
                              uint32_t *entry);

/* The allocation `handle` names if it is the client's and not donated, or RM_NONE. */
uint32_t rm_core_lookup(const rm_core_t *c, uint32_t client, rm_word_t handle);

/* Take a free own slot and chain it on allocation `entry`; returns the slot (cptr) or 0 when
 * none is left. Whatever cap is put there must derive from the allocation's objects, so that
 * revoking the allocation's block deletes it. */
rm_word_t rm_core_take_slot(rm_core_t *c, uint32_t entry);

/* Give back the last slot taken for `entry` (the cap put there is gone or was never made). */
void rm_core_untake_slot(rm_core_t *c, uint32_t entry, rm_word_t slot);

/* Give back slot `slot` of allocation `entry`'s chain, wherever it is in the chain (the cap put
 * there is gone). Returns 0, or -1 if the slot is not on the chain (nothing changes). */
int rm_core_drop_slot(rm_core_t *c, uint32_t entry, rm_word_t slot);

/* Free allocation `entry`: revoke its block (deleting its objects and everything derived from
 * them), uncharge the client. Returns the kernel's error of the revoke (0 normally). */
rm_word_t rm_core_release(rm_core_t *c, uint32_t entry);

/* Free: the client's allocation `handle` (InvalidArgument 0 if it names none of the client's). */
rm_result_t rm_core_free(rm_core_t *c, uint32_t client, rm_word_t handle);

/* Free everything the client holds except what it donated (those stay charged to it until
 * their server frees them); returns the bytes given back. The client stays in the table
 * (ended clients are marked by the server). O(its allocations). */
uint64_t rm_core_reclaim(rm_core_t *c, uint32_t client);

/* Set quotas; below current use is InvalidArgument (1 for bytes, 2 for objects). */
rm_result_t rm_core_set_quota(rm_core_t *c, uint32_t client, rm_word_t bytes, rm_word_t objects);

/* The client's statistics in protocol order (RM_NUM_STATS words). */
void rm_core_stats(const rm_core_t *c, uint32_t client, rm_word_t out[RM_NUM_STATS]);

/* DemandRegion: add [vaddr, vaddr + size) as a demand-zero region of the client with `rights`
 * (Read and/or Write). InvalidArgument names the argument at fault (an overlap is argument 0,
 * a full table argument 1). */
rm_result_t rm_core_add_region(rm_core_t *c, uint32_t client, rm_word_t vaddr, rm_word_t size,
                               rm_word_t rights);

/* The client's demand-zero region holding `addr`, or 0. */
const rm_region_t *rm_core_find_region(const rm_core_t *c, uint32_t client, rm_word_t addr);

/* Check every invariant (see above); 0 or a negative rule number (core.c, buddy.c). */
int rm_core_check(const rm_core_t *c);

#endif /* RM_CORE_H */
