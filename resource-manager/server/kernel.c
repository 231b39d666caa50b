/*
 * The core's kernel operations (core/kops.h) on the real kernel.
 *
 * The manager's CSpace root is one CNode that its thread resolves at depth 64, so a slot number
 * is a cptr. CNode invocations go through the boot page's cap to that CNode (index and depth from
 * rm_own_index / own_depth); retype destinations in the manager's own CNode and in a client's
 * root CNode are named as (that CNode's cap, depth 0, offset = slot).
 */
#include <sigil/invocations.h>

#include "server.h"

static rm_word_t k_split(void *ctx, rm_word_t ut, unsigned child_bits, rm_word_t first)
{
    const rm_server_t *s = ctx;
    return sigil_untyped_retype(ut, Sigil_UntypedObject, child_bits, s->own_cnode, 0, 0, first, 2);
}

static rm_word_t k_revoke(void *ctx, rm_word_t slot)
{
    const rm_server_t *s = ctx;
    return sigil_cnode_revoke(s->own_cnode, rm_own_index(s, slot), s->own_depth);
}

static rm_word_t k_retype(void *ctx, rm_word_t ut, unsigned type, unsigned size_bits,
                          rm_word_t cnode, rm_word_t dest, rm_word_t count)
{
    (void)ctx;
    return sigil_untyped_retype(ut, type, size_bits, cnode, 0, 0, dest, count);
}

const rm_kops_t rm_kernel_ops = {.split = k_split, .revoke = k_revoke, .retype = k_retype};
