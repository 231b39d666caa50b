/*
 * SMC caps granted at run time by policy: SmcGrant, SmcRevoke, and the revocation of every grant
 * when a client ends.
 *
 * The policy lists, per client, the SMC function ids it may be given (boot page: the client's
 * `smc` range). Each listed id has one grant record and one slot of the manager's own CSpace,
 * both fixed at boot: record k of client ci is grants[base[ci] + k], its slot grant_slot0 +
 * base[ci] + k. So a client holds at most one grant per listed id, the manager's slots for
 * grants are reserved up front and no request can exhaust them, and nothing is charged to the
 * client's quota (an SMC cap has no memory; docs/resource-manager.md "SMC grants").
 *
 * A grant is two caps: the manager mints its master SMC cap (badge 0) into the record's own
 * slot with badge = the function id (RFC-9: a badged SMC cap may call that id only), then copies
 * that cap into the client's slot. The client's cap, and every copy made of it anywhere (by the
 * client through its CSpace cap, or by IPC cap transfer), derives from the manager's badged cap;
 * revoking that cap and deleting it takes them all, which is what SmcRevoke and a client's end
 * do. Decode checks everything first (id listed, master held, not granted yet, slot in range);
 * the copy into the client's slot can still fail (an occupied slot), and then the minted cap is
 * deleted again: an error changes nothing.
 *
 * Handles: (generation << 32) | RM_SMC_HANDLE_TAG | (k + 1). The tag keeps them apart from
 * allocation handles (whose index is at most RM_MAX_ALLOCS), so Free never takes one; the
 * generation is bumped on every revoke, so a stale handle names nothing.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

#define RM_SMC_HANDLE_TAG (1ull << 31)

typedef struct {
    uint32_t gen;   /* bumped on every revoke */
    uint8_t live;   /* 1 while the client holds the grant */
    rm_word_t slot; /* the client's slot the cap was put in */
} rm_grant_t;

static rm_grant_t grants[RM_MAX_SMC_GRANTS];
static uint32_t base[RM_MAX_CLIENTS]; /* first grant record of each client */

static rm_result_t error(rm_word_t err, rm_word_t d0)
{
    return (rm_result_t){.err = err, .detail = {d0, 0}};
}

/* The client's list of allowed ids (the boot page's words) and its length. */
static const uint64_t *client_ids(const rm_server_t *s, uint32_t ci, uint64_t *n)
{
    const sigil_rm_boot_client_t *bc = &sigil_rm_boot_clients(s->boot)[ci];
    *n = bc->smc.count;
    return sigil_rm_boot_smc_ids(s->boot, bc);
}

int rm_smc_boot(rm_server_t *s, uint32_t nclients, rm_word_t slot0, uint64_t *nslots)
{
    uint64_t total = 0;
    for (uint32_t ci = 0; ci < nclients; ci++) {
        uint64_t n;
        const uint64_t *ids = client_ids(s, ci, &n);
        if (n > RM_MAX_SMC_GRANTS - total) {
            return -1;
        }
        for (uint64_t k = 0; k < n; k++) {
            if (ids[k] == 0 || ids[k] > 0xffffffffull) {
                return -1; /* badge 0 would be the master cap; ids are 32 bits (SMCCC) */
            }
        }
        base[ci] = (uint32_t)total;
        total += n;
    }
    s->smc_slot0 = slot0;
    *nslots = total;
    return 0;
}

/* The own slot of grant record g, as a CNode invocation index. */
static rm_word_t own_slot(const rm_server_t *s, uint32_t g)
{
    return rm_own_index(s, s->smc_slot0 + g);
}

/* Revoke grant record g (live) of client ci: the manager's badged cap and every cap derived
 * from it, then the badged cap itself. */
static void take_back(rm_server_t *s, uint32_t ci, uint32_t g, const char *reason)
{
    (void)sigil_cnode_revoke(s->own_cnode, own_slot(s, g), s->own_depth);
    (void)sigil_cnode_delete(s->own_cnode, own_slot(s, g), s->own_depth);
    grants[g].live = 0;
    grants[g].gen++;
    uint64_t n;
    const uint64_t *ids = client_ids(s, ci, &n);
    sigil_printf(RM_EVENT_SMC_REVOKE, s->core.clients[ci].name, (unsigned long)ids[g - base[ci]],
                 reason);
}

rm_result_t rm_smc_grant(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_word_t *handle)
{
    rm_client_t *cl = &s->core.clients[ci];
    rm_word_t id = msg[0], dest = msg[1];
    uint64_t n, k = 0;
    const uint64_t *ids = client_ids(s, ci, &n);
    while (k < n && ids[k] != id) {
        k++;
    }
    if (k == n || s->boot->smc == 0) {
        return error(Rm_ErrDenied, 0);
    }
    uint32_t g = base[ci] + (uint32_t)k;
    if (grants[g].live) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    if (dest >= (1ull << cl->cnode_bits)) {
        return error(Rm_ErrInvalidSlot, 1);
    }
    /* Decoded; the mint goes into an own slot that is empty whenever the record is not live. */
    if (sigil_cnode_mint(s->own_cnode, own_slot(s, g), s->own_depth, s->own_cnode,
                         rm_own_index(s, s->boot->smc), s->own_depth, Sigil_AllRights, id) != 0) {
        return error(Rm_ErrNoMemory, 0);
    }
    if (sigil_cnode_copy(cl->cnode, (cl->cnode_guard << cl->cnode_bits) | dest, cl->cnode_depth,
                         s->own_cnode, own_slot(s, g), s->own_depth, Sigil_AllRights) != 0) {
        (void)sigil_cnode_delete(s->own_cnode, own_slot(s, g), s->own_depth);
        return error(Rm_ErrInvalidSlot, 1);
    }
    grants[g].live = 1;
    grants[g].slot = dest;
    *handle = ((rm_word_t)grants[g].gen << 32) | RM_SMC_HANDLE_TAG | (k + 1);
    sigil_printf(RM_EVENT_SMC_GRANT, cl->name, (unsigned long)id, (unsigned long)dest);
    return error(Rm_ErrOk, 0);
}

rm_result_t rm_smc_revoke(rm_server_t *s, uint32_t ci, rm_word_t handle)
{
    uint64_t n;
    (void)client_ids(s, ci, &n);
    uint64_t k = (handle & 0xffffffffull) - RM_SMC_HANDLE_TAG - 1;
    if (!(handle & RM_SMC_HANDLE_TAG) || k >= n) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    uint32_t g = base[ci] + (uint32_t)k;
    if (!grants[g].live || grants[g].gen != (uint32_t)(handle >> 32)) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    take_back(s, ci, g, "request");
    return error(Rm_ErrOk, 0);
}

void rm_smc_end(rm_server_t *s, uint32_t ci)
{
    uint64_t n;
    (void)client_ids(s, ci, &n);
    for (uint32_t k = 0; k < n; k++) {
        if (grants[base[ci] + k].live) {
            take_back(s, ci, base[ci] + k, "end");
        }
    }
}
