/*
 * Servers and connections: Serve, Window, Recovery, Recovered, Connect, and cutting a client off.
 *
 * The manager makes a server's endpoint and reply object itself (Serve), as allocations of the
 * server's (charged to it, in own slots, so the server cannot free them), and copies them into
 * the server's CSpace. Holding the originals is what gives the manager its two powers over the
 * server's traffic: it can answer the caller a server was serving when the server faulted
 * (Send on the reply object: recovery.c), and it can cut a client off. For the latter, clients
 * reach a server only through Connect: the manager mints a cap badged with the client's id from
 * its endpoint into an own slot chained on the endpoint's allocation, and copies that into the
 * client's CSpace; the client's cap is a child of the manager's, so revoking the manager's
 * deletes it wherever it went, and CancelBadgedSends on it takes the client's queued calls off
 * the endpoint. The badge is the client's id, so the server knows whom it serves.
 *
 * When a server ends, a caller still waiting in its reply object is answered Aborted
 * (server_ended) before the reply object goes, so no client of a dead server waits forever.
 *
 * Windows are ranges of the server's VSpace where lent and donated buffers appear (share.c); a
 * fault inside one is the server's recovery (recovery.c).
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "server.h"

static rm_result_t error(rm_word_t err, rm_word_t detail)
{
    return (rm_result_t){.err = err, .detail = {detail, 0}};
}

static rm_result_t ok(void)
{
    return error(Rm_ErrOk, 0);
}

uint32_t rm_live_client(const rm_server_t *s, rm_word_t id)
{
    uint32_t ci = rm_core_client(&s->core, id);
    return ci != RM_NONE && s->core.clients[ci].live ? ci : RM_NONE;
}

/* Copy the cap in own slot `own` into slot `slot` of client `ci`'s CSpace root with `rights`. */
static rm_word_t copy_to_client(rm_server_t *s, uint32_t ci, rm_word_t own, rm_word_t slot,
                                rm_word_t rights)
{
    const rm_client_t *cl = &s->core.clients[ci];
    return sigil_cnode_copy(cl->cnode, (cl->cnode_guard << cl->cnode_bits) | slot, cl->cnode_depth,
                            s->own_cnode, rm_own_index(s, own), s->own_depth, rights);
}

rm_result_t rm_serve(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    rm_core_t *c = &s->core;
    rm_service_t *sv = &s->services[ci];
    rm_word_t slots = 1ull << c->clients[ci].cnode_bits;
    if (sv->serving) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    if (msg[0] >= slots || msg[0] == msg[1]) {
        return error(Rm_ErrInvalidSlot, 0);
    }
    if (msg[1] >= slots) {
        return error(Rm_ErrInvalidSlot, 1);
    }
    if (!rm_reply_allowed(s, ci, 1)) {
        return error(Rm_ErrDenied, 0); /* the policy's reply_objects allowance is used up */
    }
    rm_word_t ep, reply;
    uint32_t ep_entry, reply_entry;
    rm_result_t r = rm_core_alloc_own(c, ci, Sigil_EndpointObject, &ep, &ep_entry);
    if (r.err != Rm_ErrOk) {
        return r;
    }
    r = rm_core_alloc_own(c, ci, Sigil_ReplyObject, &reply, &reply_entry);
    if (r.err != Rm_ErrOk) {
        (void)rm_core_release(c, ep_entry);
        return r;
    }
    /* Receive rights; Grant (caps in replies, RFC-13) unless the policy says grant_via_reply:
     * false. */
    rm_word_t rights = Sigil_CanRead;
    if (!(rm_client_flags(s, ci) & SIGIL_RM_CLIENT_NO_GRANT_REPLY)) {
        rights |= Sigil_CanGrant;
    }
    if (copy_to_client(s, ci, ep, msg[0], rights) != 0) {
        r = error(Rm_ErrInvalidSlot, 0);
    } else if (copy_to_client(s, ci, reply, msg[1], Sigil_AllRights) != 0) {
        r = error(Rm_ErrInvalidSlot, 1);
    }
    if (r.err != Rm_ErrOk) {
        /* Revoking the blocks deletes the copy made into the client's slot, if any. */
        (void)rm_core_release(c, reply_entry);
        (void)rm_core_release(c, ep_entry);
        return r;
    }
    *sv = (rm_service_t){.serving = 1, .ep = ep, .reply = reply, .ep_entry = ep_entry};
    return ok();
}

const rm_window_t *rm_find_window(const rm_server_t *s, uint32_t si, rm_word_t addr)
{
    const rm_service_t *sv = &s->services[si];
    for (uint32_t i = 0; i < sv->nwindows; i++) {
        if (addr - sv->windows[i].vaddr < sv->windows[i].size) {
            return &sv->windows[i];
        }
    }
    return 0;
}

rm_result_t rm_window(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    rm_service_t *sv = &s->services[ci];
    const rm_client_t *cl = &s->core.clients[ci];
    const uint64_t page = 1ull << Sigil_Frame4KBits;
    rm_word_t vaddr = msg[0], size = msg[1];
    if ((vaddr & (page - 1)) || vaddr >= SIGIL_PLAT_USER_TOP) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    if (size == 0 || (size & (page - 1)) || size > SIGIL_PLAT_USER_TOP - vaddr) {
        return error(Rm_ErrInvalidArgument, 1);
    }
    for (uint32_t i = 0; i < sv->nwindows; i++) {
        const rm_window_t *w = &sv->windows[i];
        if (vaddr < w->vaddr + w->size && w->vaddr < vaddr + size) {
            return error(Rm_ErrInvalidArgument, 0);
        }
    }
    for (uint32_t i = 0; i < cl->nregions; i++) {
        const rm_region_t *g = &cl->regions[i];
        if (vaddr < g->vaddr + g->size && g->vaddr < vaddr + size) {
            return error(Rm_ErrInvalidArgument, 0);
        }
    }
    if (sv->nwindows == RM_MAX_WINDOWS) {
        return error(Rm_ErrInvalidArgument, 1);
    }
    sv->windows[sv->nwindows++] = (rm_window_t){.vaddr = vaddr, .size = size};
    return ok();
}

rm_result_t rm_recovery(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    rm_service_t *sv = &s->services[ci];
    if (!sv->serving || msg[0] == 0 || msg[0] >= SIGIL_PLAT_USER_TOP || (msg[0] & 3)) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    if (msg[1] == 0 || msg[1] > SIGIL_PLAT_USER_TOP || (msg[1] & 15)) {
        return error(Rm_ErrInvalidArgument, 1);
    }
    sv->has_entry = 1;
    sv->entry = msg[0];
    sv->stack = msg[1];
    return ok();
}

/* The live connection of client `ci` to server `si`, or RM_NONE. */
static uint32_t find_connection(const rm_server_t *s, uint32_t ci, uint32_t si)
{
    for (uint32_t i = 0; i < RM_MAX_CONNECTIONS; i++) {
        const rm_connection_t *k = &s->connections[i];
        if (k->live && k->client == ci && k->server == si) {
            return i;
        }
    }
    return RM_NONE;
}

rm_result_t rm_connect(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    rm_core_t *c = &s->core;
    uint32_t si = rm_live_client(s, msg[0]);
    if (si == RM_NONE || si == ci || !s->services[si].serving ||
        find_connection(s, ci, si) != RM_NONE) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    if (msg[1] >= (1ull << c->clients[ci].cnode_bits)) {
        return error(Rm_ErrInvalidSlot, 1);
    }
    uint32_t k = RM_NONE;
    for (uint32_t i = 0; i < RM_MAX_CONNECTIONS && k == RM_NONE; i++) {
        k = s->connections[i].live ? RM_NONE : i;
    }
    if (k == RM_NONE) {
        return error(Rm_ErrNoMemory, 0);
    }
    const rm_service_t *sv = &s->services[si];
    rm_word_t slot = rm_core_take_slot(c, sv->ep_entry);
    if (!slot) {
        return error(Rm_ErrNoMemory, 0);
    }
    rm_word_t rights = Sigil_CanWrite | Sigil_CanGrantReply;
    if (sigil_cnode_mint(s->own_cnode, rm_own_index(s, slot), s->own_depth, s->own_cnode,
                         rm_own_index(s, sv->ep), s->own_depth, rights, c->clients[ci].id) != 0) {
        rm_core_untake_slot(c, sv->ep_entry, slot);
        return error(Rm_ErrNoMemory, 0);
    }
    if (copy_to_client(s, ci, slot, msg[1], rights) != 0) {
        (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, slot), s->own_depth);
        rm_core_untake_slot(c, sv->ep_entry, slot);
        return error(Rm_ErrInvalidSlot, 1);
    }
    s->connections[k] = (rm_connection_t){.live = 1, .client = ci, .server = si, .slot = slot};
    sigil_printf(RM_EVENT_CONNECT, c->clients[ci].name, c->clients[si].name);
    return ok();
}

int rm_cut_off(rm_server_t *s, uint32_t ci, uint32_t si)
{
    uint32_t k = find_connection(s, ci, si);
    if (k == RM_NONE) {
        return 0;
    }
    rm_connection_t *kn = &s->connections[k];
    rm_word_t index = rm_own_index(s, kn->slot);
    (void)sigil_cnode_revoke(s->own_cnode, index, s->own_depth);
    (void)sigil_cnode_cancel_badged_sends(s->own_cnode, index, s->own_depth);
    (void)sigil_cnode_delete(s->own_cnode, index, s->own_depth);
    (void)rm_core_drop_slot(&s->core, s->services[si].ep_entry, kn->slot);
    kn->live = 0;
    return 1;
}

void rm_service_end(rm_server_t *s, uint32_t ci)
{
    rm_service_t *sv = &s->services[ci];
    if (sv->serving) {
        /* A caller waiting in the server's reply object is answered, not left hanging. */
        sigil_ipc_buffer_t *b = sigil_ipc_buffer();
        b->msg[0] = RM_RECOVERY_REASON_SERVER_ENDED;
        b->msg[1] = 0;
        sigil_reply(sv->reply, sigil_msginfo_new(Rm_ErrAborted, 0, 0, 2));
    }
    for (uint32_t i = 0; i < RM_MAX_CONNECTIONS; i++) {
        rm_connection_t *k = &s->connections[i];
        if (!k->live) {
            continue;
        }
        if (k->client == ci) {
            (void)rm_cut_off(s, ci, k->server);
        } else if (k->server == ci) {
            k->live = 0; /* its slot goes with the endpoint's allocation */
        }
    }
    rm_share_end(s, ci);
    s->services[ci] = (rm_service_t){0};
}
