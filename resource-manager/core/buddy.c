/*
 * The buddy allocator over untyped caps (design in buddy.h).
 *
 * A split is one Untyped_Retype of two child untypeds; a merge is one CNode_Revoke of the
 * parent. The kernel's answer is checked at every step: if a split is refused, the splits done
 * so far for this allocation are merged back, so a failed allocation leaves the tree as it was.
 */
#include "buddy.h"

static void list_push(rm_buddy_t *b, uint32_t n)
{
    rm_block_t *x = &b->nodes[n];
    uint32_t *head = &b->free_head[x->bits];
    x->state = RM_BLOCK_FREE;
    x->prev = RM_NONE;
    x->next = *head;
    if (*head != RM_NONE) {
        b->nodes[*head].prev = n;
    }
    *head = n;
    b->free_bytes += 1ull << x->bits;
    b->free_blocks++;
}

static void list_remove(rm_buddy_t *b, uint32_t n)
{
    rm_block_t *x = &b->nodes[n];
    if (x->prev != RM_NONE) {
        b->nodes[x->prev].next = x->next;
    } else {
        b->free_head[x->bits] = x->next;
    }
    if (x->next != RM_NONE) {
        b->nodes[x->next].prev = x->prev;
    }
    x->next = x->prev = RM_NONE;
    b->free_bytes -= 1ull << x->bits;
    b->free_blocks--;
}

void rm_buddy_init(rm_buddy_t *b, rm_block_t *nodes, uint32_t capacity, uint32_t max_roots,
                   rm_word_t pair_slot0, const rm_kops_t *k, void *kctx)
{
    *b = (rm_buddy_t){.nodes = nodes,
                      .capacity = capacity,
                      .nroots = 0,
                      .free_pairs = RM_NONE,
                      .pair_slot0 = pair_slot0,
                      .k = k,
                      .kctx = kctx};
    for (unsigned i = 0; i <= RM_MAX_BITS; i++) {
        b->free_head[i] = RM_NONE;
    }
    for (uint32_t i = 0; i < capacity; i++) {
        nodes[i] = (rm_block_t){.parent = RM_NONE,
                                .child = RM_NONE,
                                .next = RM_NONE,
                                .prev = RM_NONE,
                                .owner = RM_NONE,
                                .state = RM_BLOCK_UNUSED};
    }
    /* Pairs start after the roots; push them in reverse so the lowest slots are used first. */
    uint32_t first_pair = max_roots < capacity ? max_roots : capacity;
    uint32_t npairs = (capacity - first_pair) / 2;
    for (uint32_t p = npairs; p-- > 0;) {
        uint32_t n = first_pair + 2 * p;
        nodes[n].slot = pair_slot0 + 2 * (rm_word_t)p;
        nodes[n + 1].slot = nodes[n].slot + 1;
        nodes[n].next = b->free_pairs;
        b->free_pairs = n;
    }
    b->npairs_free = npairs;
    b->capacity = first_pair + 2 * npairs;
    b->pairs_base = first_pair;
}

int rm_buddy_add_root(rm_buddy_t *b, rm_word_t slot, unsigned bits, uint64_t paddr)
{
    if (b->nroots >= b->pairs_base || bits < RM_MIN_BITS || bits > RM_MAX_BITS) {
        return -1;
    }
    uint32_t n = b->nroots++;
    b->nodes[n] = (rm_block_t){.slot = slot,
                               .paddr = paddr,
                               .parent = RM_NONE,
                               .child = RM_NONE,
                               .owner = RM_NONE,
                               .bits = (uint8_t)bits};
    list_push(b, n);
    b->total_bytes += 1ull << bits;
    return 0;
}

/* Merge the two free children of `parent` back into it: revoke the parent (deleting both child
 * caps) and give the pair back. */
static rm_word_t merge(rm_buddy_t *b, uint32_t parent)
{
    rm_block_t *p = &b->nodes[parent];
    rm_word_t err = b->k->revoke(b->kctx, p->slot);
    if (err) {
        return err;
    }
    uint32_t c = p->child;
    list_remove(b, c);
    list_remove(b, c + 1);
    b->nodes[c].state = b->nodes[c + 1].state = RM_BLOCK_UNUSED;
    b->nodes[c].parent = b->nodes[c + 1].parent = RM_NONE;
    b->nodes[c].next = b->free_pairs;
    b->free_pairs = c;
    b->npairs_free++;
    p->child = RM_NONE;
    list_push(b, parent);
    return 0;
}

/* Split the free block `n` into its two children (both free); returns 0 or the kernel's error. */
static rm_word_t split(rm_buddy_t *b, uint32_t n)
{
    rm_block_t *x = &b->nodes[n];
    uint32_t c = b->free_pairs;
    rm_word_t err = b->k->split(b->kctx, x->slot, x->bits - 1u, b->nodes[c].slot);
    if (err) {
        return err;
    }
    b->free_pairs = b->nodes[c].next;
    b->npairs_free--;
    list_remove(b, n);
    x->state = RM_BLOCK_SPLIT;
    x->child = c;
    for (uint32_t i = 0; i < 2; i++) {
        rm_block_t *y = &b->nodes[c + i];
        y->parent = n;
        y->child = RM_NONE;
        y->owner = RM_NONE;
        y->bits = (uint8_t)(x->bits - 1u);
        y->paddr = x->paddr + (i ? 1ull << y->bits : 0);
    }
    list_push(b, c + 1); /* the upper half first: the lower one is taken next */
    list_push(b, c);
    return 0;
}

uint32_t rm_buddy_alloc(rm_buddy_t *b, unsigned bits, uint32_t owner)
{
    if (bits < RM_MIN_BITS || bits > RM_MAX_BITS) {
        return RM_NONE;
    }
    unsigned o = bits;
    while (o <= RM_MAX_BITS && b->free_head[o] == RM_NONE) {
        o++;
    }
    if (o > RM_MAX_BITS || b->npairs_free < o - bits) {
        return RM_NONE;
    }
    uint32_t n = b->free_head[o];
    uint32_t top = n;
    while (b->nodes[n].bits > bits) {
        if (split(b, n)) {
            /* Undo this allocation's splits: each level's two children are free again. */
            while (n != top) {
                n = b->nodes[n].parent;
                (void)merge(b, n);
            }
            return RM_NONE;
        }
        n = b->nodes[n].child;
    }
    list_remove(b, n);
    b->nodes[n].state = RM_BLOCK_USED;
    b->nodes[n].owner = owner;
    return n;
}

rm_word_t rm_buddy_free(rm_buddy_t *b, uint32_t node)
{
    rm_block_t *x = &b->nodes[node];
    rm_word_t err = b->k->revoke(b->kctx, x->slot);
    if (err) {
        return err;
    }
    x->owner = RM_NONE;
    list_push(b, node);
    for (uint32_t p = x->parent; p != RM_NONE; p = b->nodes[p].parent) {
        uint32_t c = b->nodes[p].child;
        if (b->nodes[c].state != RM_BLOCK_FREE || b->nodes[c + 1].state != RM_BLOCK_FREE) {
            break;
        }
        err = merge(b, p);
        if (err) {
            return err;
        }
    }
    return 0;
}

int rm_buddy_root_whole(const rm_buddy_t *b, uint32_t root)
{
    return root < b->nroots && b->nodes[root].state == RM_BLOCK_FREE;
}

/* Rules, by the number rm_buddy_check returns:
 *  -1 a free-list entry is not FREE, has the wrong order or a broken back link;
 *  -2 the free lists' bytes or count differ from the counters;
 *  -3 a SPLIT node's children do not point back to it or are not half its size;
 *  -4 two free buddies were left unmerged;
 *  -5 free + used bytes differ from the pool's total;
 *  -6 the unused-pair list's length differs from its counter;
 *  -7 a node reachable from no root is not UNUSED (leaked). */
int rm_buddy_check(const rm_buddy_t *b, uint64_t used_bytes)
{
    uint64_t bytes = 0;
    uint32_t blocks = 0;
    for (unsigned o = RM_MIN_BITS; o <= RM_MAX_BITS; o++) {
        uint32_t prev = RM_NONE;
        for (uint32_t n = b->free_head[o]; n != RM_NONE; n = b->nodes[n].next) {
            const rm_block_t *x = &b->nodes[n];
            if (x->state != RM_BLOCK_FREE || x->bits != o || x->prev != prev) {
                return -1;
            }
            bytes += 1ull << o;
            blocks++;
            prev = n;
            if (blocks > b->capacity) {
                return -1;
            }
        }
    }
    if (bytes != b->free_bytes || blocks != b->free_blocks) {
        return -2;
    }
    uint32_t pairs_base = b->pairs_base;
    uint32_t live = 0;
    uint64_t used = 0;
    for (uint32_t n = 0; n < b->capacity; n++) {
        const rm_block_t *x = &b->nodes[n];
        if (n >= b->nroots && n < pairs_base) {
            continue;
        }
        if (x->state == RM_BLOCK_UNUSED) {
            continue;
        }
        live++;
        if (n >= pairs_base &&
            (x->parent == RM_NONE || b->nodes[x->parent].state != RM_BLOCK_SPLIT)) {
            return -7;
        }
        if (x->state == RM_BLOCK_USED) {
            used += 1ull << x->bits;
        }
        if (x->state == RM_BLOCK_SPLIT) {
            const rm_block_t *c0 = &b->nodes[x->child], *c1 = &b->nodes[x->child + 1];
            if (c0->parent != n || c1->parent != n || c0->bits + 1u != x->bits ||
                c1->bits + 1u != x->bits || c0->paddr != x->paddr ||
                c1->paddr != x->paddr + (1ull << c0->bits)) {
                return -3;
            }
            if (c0->state == RM_BLOCK_FREE && c1->state == RM_BLOCK_FREE) {
                return -4;
            }
        }
    }
    if (used != used_bytes || used + b->free_bytes != b->total_bytes) {
        return -5;
    }
    uint32_t unused = 0;
    for (uint32_t n = b->free_pairs; n != RM_NONE; n = b->nodes[n].next) {
        if (++unused > b->capacity) {
            return -6;
        }
    }
    if (unused != b->npairs_free || live - b->nroots + 2 * unused != b->capacity - pairs_base) {
        return -6;
    }
    return 0;
}
