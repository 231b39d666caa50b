/*
 * The buddy allocator over untyped caps.
 *
 * Every block of 2^k bytes is an untyped cap in a slot of the manager's CSpace. The pool's top
 * blocks are the untypeds the loader handed over ("roots"). Splitting a free block retypes it
 * into two child untypeds of 2^(k-1) (its "pair"); an allocation of 2^s bytes takes a free block
 * of exactly 2^s, so the only padding is the rounding to a power of two, and it is charged. Freeing
 * a block revokes its cap: every object made from it and every cap derived from those, anywhere,
 * is deleted. Two free buddies merge at once by revoking their parent (which deletes both child
 * caps), so the tree is always as coarse as the live blocks allow, and after everything is freed
 * each root is one whole untyped again with no children (tests retype it as one object to prove
 * it).
 *
 * Storage is the caller's: an array of nodes (roots first, then pairs of children) and the slot
 * range the pairs' caps live in (pair p's caps are in slots pair_slot0 + 2p and + 2p + 1). All
 * operations are O(levels); nothing walks the whole tree except rm_buddy_check().
 */
#ifndef RM_CORE_BUDDY_H
#define RM_CORE_BUDDY_H

#include "kops.h"

#define RM_NONE     0xffffffffu
#define RM_MIN_BITS 4u  /* the kernel's smallest untyped */
#define RM_MAX_BITS 47u /* the kernel's largest untyped */

typedef enum { RM_BLOCK_UNUSED, RM_BLOCK_FREE, RM_BLOCK_SPLIT, RM_BLOCK_USED } rm_block_state_t;

typedef struct {
    rm_word_t slot;  /* the cptr of this block's untyped cap (manager's CSpace) */
    uint64_t paddr;  /* its physical address */
    uint32_t parent; /* node index, RM_NONE for a root */
    uint32_t child;  /* SPLIT: index of the first of the two children (the second follows) */
    uint32_t next;   /* FREE: next in its order's free list; UNUSED pair: next free pair */
    uint32_t prev;   /* FREE: previous in its free list (RM_NONE at the head) */
    uint8_t bits;    /* log2 of the size */
    uint8_t state;   /* rm_block_state_t */
    uint16_t pad;
    uint32_t owner; /* USED: the allocation table entry that holds it */
} rm_block_t;

typedef struct {
    rm_block_t *nodes; /* roots in [0, nroots), pairs after */
    uint32_t capacity; /* entries in nodes[] */
    uint32_t nroots;
    uint32_t pairs_base; /* nodes[pairs_base..] are pairs; roots are below */
    uint32_t free_pairs; /* head of the list of unused pairs (node index), or RM_NONE */
    uint32_t npairs_free;
    rm_word_t pair_slot0;
    uint32_t free_head[RM_MAX_BITS + 1]; /* per order: first free block, or RM_NONE */
    uint64_t total_bytes;                /* sum of the roots */
    uint64_t free_bytes;                 /* sum of the free blocks */
    uint32_t free_blocks;
    const rm_kops_t *k;
    void *kctx;
} rm_buddy_t;

/* Set up an empty pool over `nodes` (capacity entries, reserving `max_roots` for roots) whose
 * pairs' caps go to own slots pair_slot0 .. pair_slot0 + (capacity - max_roots) - 1. */
void rm_buddy_init(rm_buddy_t *b, rm_block_t *nodes, uint32_t capacity, uint32_t max_roots,
                   rm_word_t pair_slot0, const rm_kops_t *k, void *kctx);

/* Add a root: the untyped in own slot `slot`, 2^bits bytes at `paddr`, with no children.
 * Returns 0, or -1 when the root table is full or bits is outside [RM_MIN_BITS, RM_MAX_BITS]. */
int rm_buddy_add_root(rm_buddy_t *b, rm_word_t slot, unsigned bits, uint64_t paddr);

/* Take a free block of exactly 2^bits bytes (splitting a larger one), mark it USED by `owner`
 * and return its node index; RM_NONE when no block can be had (no free block large enough, no
 * pair of slots left, or a split refused by the kernel). On failure nothing changed. */
uint32_t rm_buddy_alloc(rm_buddy_t *b, unsigned bits, uint32_t owner);

/* Give back the USED block `node`: revoke its cap (deleting everything made from it), then merge
 * it with its buddy while both are free. Returns the kernel's error of the revoke (0 when all
 * went well; the block is freed either way only if the revoke succeeded). */
rm_word_t rm_buddy_free(rm_buddy_t *b, uint32_t node);

/* Whether a root is whole: free and unsplit. */
int rm_buddy_root_whole(const rm_buddy_t *b, uint32_t root);

/* Check every structural invariant (free lists, pair links, byte counts); returns 0 or a
 * negative number naming the first broken rule (see buddy.c). O(nodes). */
int rm_buddy_check(const rm_buddy_t *b, uint64_t used_bytes);

#endif /* RM_CORE_BUDDY_H */
