/*
 * Request dispatch and the core requests: Alloc, Free, Stats, and the administrator's Kill,
 * StatsOf, SetQuota, PoolStats, VerifyPool. (MapFrame is in map.c, DemandRegion in demand.c,
 * Evict in evict.c, Exit in lifecycle.c, RevokeCap and FaultClient in inject.c, the servers' and
 * shared buffers' requests in service.c and share.c, RevokeLoans in loans.c, the Reply allowance
 * of Alloc in replies.c, SmcGrant and SmcRevoke in smc.c.)
 *
 * The shape of every request (argument count, admin only, answered or not) comes from the
 * generated rm_request_shape(): an unknown label is UnknownRequest, a message shorter than the
 * request's arguments is InvalidArgument naming the first missing one, a non-administrator
 * asking for an admin request is Denied. Extra words are ignored. Nothing is changed before
 * every check has passed.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

static rm_result_t ok(void)
{
    return (rm_result_t){.err = Rm_ErrOk};
}

static rm_result_t error(rm_word_t err, rm_word_t detail)
{
    return (rm_result_t){.err = err, .detail = {detail, 0}};
}

/* The live client with id `id` (an argument, index `arg`), or RM_NONE with *r set. */
static uint32_t target_client(rm_server_t *s, rm_word_t id, unsigned arg, rm_result_t *r)
{
    uint32_t ci = rm_core_client(&s->core, id);
    if (ci == RM_NONE || !s->core.clients[ci].live) {
        *r = error(Rm_ErrInvalidArgument, arg);
        return RM_NONE;
    }
    return ci;
}

/* VerifyPool: retype every whole root as one untyped of its full size and revoke it again. */
static void verify_pool(rm_server_t *s, rm_answer_t *a)
{
    rm_buddy_t *b = &s->core.pool;
    rm_word_t whole = 0, bytes = 0;
    uint32_t entry = s->core.free_alloc;
    if (entry == RM_NONE || s->core.free_slot == RM_NONE) {
        a->r = error(Rm_ErrNoMemory, 0);
        return;
    }
    /* A scratch own slot: taken for an unused entry and given back at once. */
    rm_word_t slot = rm_core_take_slot(&s->core, entry);
    for (uint32_t i = 0; i < b->nroots; i++) {
        if (!rm_buddy_root_whole(b, i)) {
            continue;
        }
        rm_block_t *root = &b->nodes[i];
        if (sigil_untyped_retype(root->slot, Sigil_UntypedObject, root->bits, s->own_cnode, 0, 0,
                                 slot, 1) == 0) {
            whole++;
            bytes += 1ull << root->bits;
            (void)sigil_cnode_revoke(s->own_cnode, rm_own_index(s, root->slot), s->own_depth);
        }
    }
    rm_core_untake_slot(&s->core, entry, slot);
    a->words[RM_VERIFY_POOL_WHOLE_ROOTS] = whole;
    a->words[RM_VERIFY_POOL_WHOLE_BYTES] = bytes;
    a->nwords = 2;
}

void rm_handle_request(rm_server_t *s, uint32_t ci, rm_word_t label, const rm_word_t *msg,
                       unsigned length, rm_answer_t *a)
{
    rm_client_t *cl = &s->core.clients[ci];
    a->r = ok();
    a->nwords = 0;
    a->noreply = 0;
    int admin, noreply;
    int nparams = rm_request_shape(label, &admin, &noreply);
    if (nparams < 0) {
        a->r = error(Rm_ErrUnknownRequest, 0);
        return;
    }
    if (length < (unsigned)nparams) {
        a->r = error(Rm_ErrInvalidArgument, length);
        return;
    }
    if (admin && !cl->admin) {
        a->r = error(Rm_ErrDenied, 0);
        return;
    }
    uint32_t t;
    switch ((rm_request_t)label) {
    case Rm_ReqAlloc:
        a->r = rm_alloc_request(s, ci, msg, &a->words[0]);
        a->nwords = 1;
        return;
    case Rm_ReqFree:
        a->r = rm_core_free(&s->core, ci, msg[0]);
        return;
    case Rm_ReqStats:
        rm_core_stats(&s->core, ci, a->words);
        a->nwords = RM_NUM_STATS;
        return;
    case Rm_ReqMapFrame:
        a->r = rm_map_frame(s, ci, msg);
        return;
    case Rm_ReqDemandRegion:
        a->r = rm_demand_region(s, ci, msg);
        return;
    case Rm_ReqSmcGrant:
        a->r = rm_smc_grant(s, ci, msg, &a->words[0]);
        a->nwords = 1;
        return;
    case Rm_ReqSmcRevoke:
        a->r = rm_smc_revoke(s, ci, msg[0]);
        return;
    case Rm_ReqExit: {
        uint64_t back = rm_end_client(s, ci);
        sigil_printf(RM_EVENT_EXIT, cl->name, (unsigned long)msg[0], (unsigned long)back);
        a->noreply = 1;
        return;
    }
    case Rm_ReqKill:
        if ((t = target_client(s, msg[0], 0, &a->r)) != RM_NONE) {
            uint64_t back = rm_end_client(s, t);
            sigil_printf(RM_EVENT_KILL, s->core.clients[t].name, cl->name, (unsigned long)back);
            a->noreply = t == ci; /* an administrator that killed itself is gone */
        }
        return;
    case Rm_ReqStatsOf:
        if ((t = target_client(s, msg[0], 0, &a->r)) != RM_NONE) {
            rm_core_stats(&s->core, t, a->words);
            a->nwords = RM_NUM_STATS;
        }
        return;
    case Rm_ReqSetQuota:
        if ((t = target_client(s, msg[0], 0, &a->r)) != RM_NONE) {
            a->r = rm_core_set_quota(&s->core, t, msg[1], msg[2]);
            if (a->r.err == Rm_ErrOk) {
                sigil_printf(RM_EVENT_QUOTA, s->core.clients[t].name, (unsigned long)msg[1],
                             (unsigned long)msg[2], cl->name);
            }
        }
        return;
    case Rm_ReqPoolStats: {
        const rm_buddy_t *b = &s->core.pool;
        rm_word_t whole = 0;
        for (uint32_t i = 0; i < b->nroots; i++) {
            whole += (rm_word_t)rm_buddy_root_whole(b, i);
        }
        a->words[RM_POOL_STATS_POOL_BYTES] = b->total_bytes;
        /* Charged to no client: free blocks, and the frames of batches no client holds yet. */
        a->words[RM_POOL_STATS_FREE_BYTES] = b->free_bytes + s->core.reserved_bytes;
        a->words[RM_POOL_STATS_FREE_BLOCKS] = b->free_blocks;
        a->words[RM_POOL_STATS_WHOLE_ROOTS] = whole;
        a->nwords = 4;
        return;
    }
    case Rm_ReqVerifyPool:
        verify_pool(s, a);
        return;
    case Rm_ReqEvict:
        rm_evict(s, ci, msg, a);
        return;
    case Rm_ReqRevokeCap:
        if ((t = target_client(s, msg[0], 0, &a->r)) != RM_NONE) {
            a->r = rm_revoke_cap(s, ci, t, msg[1]);
        }
        return;
    case Rm_ReqFaultClient:
        if ((t = target_client(s, msg[0], 0, &a->r)) != RM_NONE) {
            a->r = rm_fault_client(s, ci, t);
        }
        return;
    case Rm_ReqServe:
        a->r = rm_serve(s, ci, msg);
        return;
    case Rm_ReqWindow:
        a->r = rm_window(s, ci, msg);
        return;
    case Rm_ReqRecovery:
        a->r = rm_recovery(s, ci, msg);
        return;
    case Rm_ReqRecovered:
        s->services[ci].recovering = 0;
        return;
    case Rm_ReqConnect:
        a->r = rm_connect(s, ci, msg);
        return;
    case Rm_ReqLend:
        rm_lend(s, ci, msg, a);
        return;
    case Rm_ReqUnlend:
        a->r = rm_unlend(s, ci, msg);
        return;
    case Rm_ReqDonate:
        rm_donate(s, ci, msg, a);
        return;
    case Rm_ReqRelease:
        a->r = rm_release(s, ci, msg);
        return;
    case Rm_ReqRevokeLoans:
        rm_revoke_loans(s, ci, msg, a);
        return;
    }
    a->r = error(Rm_ErrUnknownRequest, 0);
}
