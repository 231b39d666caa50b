/*
 * Shared buffers: Lend, Unlend, Donate, Release (design in share.h and docs/resource-manager.md;
 * an administrator's RevokeLoans, in loans.c, revokes loans through rm_share_revoke as Unlend
 * does).
 *
 * Lend: the manager copies the client's frame caps (from the allocation's slots in the client's
 * CSpace, each checked against the block's physical address as MapFrame does) into own slots
 * chained on the allocation and maps those copies into the server's window. The copies derive
 * from the client's caps, so the loan ends by Unlend (the manager deletes the copies), by Free
 * or the client's end (the block's revoke deletes them), or by the client revoking its own frame
 * caps: in every case the server's mapping goes and nothing else changes. (In the last case the
 * manager learns it only when the server faults there: rm_share_lost finds the copy gone.)
 *
 * Donate: the manager *moves* the frame caps out of the client's CSpace into own slots (so the
 * client holds nothing it could revoke), maps copies into the server's window and marks the
 * allocation donated: still charged to the donor (its quota paid for it), no longer nameable
 * by it (rm_core_lookup refuses it) and left alone by its end (rm_core_reclaim skips it). The
 * server frees it with Release, or its own end does; the donor's quota gets the bytes back then,
 * whether the donor is still there or not.
 *
 * Placement: a share takes the lowest free place of the server's windows that fits it (4 KiB
 * pages); a revoked loan's place is free for a new share, which then forgets the old one. Page
 * tables the server's windows need are made at the first share that needs them and charged to
 * the server (they stay until its end): OutOfQuota then describes the server's shortfall.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

#define PAGE (1ull << Sigil_Frame4KBits)

static rm_result_t error(rm_word_t err, rm_word_t detail)
{
    return (rm_result_t){.err = err, .detail = {detail, 0}};
}

/* A lent share whose allocation was freed (or whose client ended) is revoked; its copies went
 * with the block. Returns the share's kind after the check. */
static rm_share_kind_t refresh(rm_server_t *s, rm_share_t *sh)
{
    if (sh->kind == RM_SHARE_LENT) {
        const rm_alloc_t *a = &s->core.allocs[sh->entry];
        if (a->block == RM_NONE || a->gen != sh->gen) {
            sh->kind = RM_SHARE_REVOKED;
        }
    }
    return sh->kind;
}

rm_share_t *rm_find_share(rm_server_t *s, uint32_t si, rm_word_t addr)
{
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind != RM_SHARE_FREE && sh->server == si &&
            addr - sh->vaddr < (uint64_t)sh->pages * PAGE) {
            (void)refresh(s, sh);
            return sh;
        }
    }
    return 0;
}

/* Whether [va, va + size) of server si's windows holds a live share (lent or donated). */
static int place_taken(rm_server_t *s, uint32_t si, uint64_t va, uint64_t size)
{
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind != RM_SHARE_FREE && sh->server == si && refresh(s, sh) != RM_SHARE_REVOKED &&
            va < sh->vaddr + (uint64_t)sh->pages * PAGE && sh->vaddr < va + size) {
            return 1;
        }
    }
    return 0;
}

/* The lowest free place of `pages` pages in server si's windows, or 0. */
static uint64_t place(rm_server_t *s, uint32_t si, uint32_t pages)
{
    const rm_service_t *sv = &s->services[si];
    uint64_t size = (uint64_t)pages * PAGE;
    for (uint32_t w = 0; w < sv->nwindows; w++) {
        const rm_window_t *win = &sv->windows[w];
        for (uint64_t va = win->vaddr; size <= win->vaddr + win->size - va; va += PAGE) {
            if (!place_taken(s, si, va, size)) {
                return va;
            }
        }
    }
    return 0;
}

/* A share record for [va, va + pages): revoked loans overlapping it are forgotten; then a free
 * record, or the first revoked one. RM_NONE if every record is live. */
static uint32_t new_share(rm_server_t *s, uint32_t si, uint64_t va, uint32_t pages)
{
    uint32_t found = RM_NONE, revoked = RM_NONE;
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind != RM_SHARE_FREE && refresh(s, sh) == RM_SHARE_REVOKED && sh->server == si &&
            va < sh->vaddr + (uint64_t)sh->pages * PAGE && sh->vaddr < va + pages * PAGE) {
            sh->kind = RM_SHARE_FREE;
        }
    }
    for (uint32_t i = 0; i < RM_MAX_SHARES && found == RM_NONE; i++) {
        if (s->shares[i].kind == RM_SHARE_FREE) {
            found = i;
        } else if (revoked == RM_NONE && s->shares[i].kind == RM_SHARE_REVOKED) {
            revoked = i;
        }
    }
    return found != RM_NONE ? found : revoked;
}

/* The share lent from allocation e, or RM_NONE. */
static uint32_t lent_share(rm_server_t *s, uint32_t e)
{
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind == RM_SHARE_LENT && refresh(s, sh) == RM_SHARE_LENT && sh->entry == e) {
            return i;
        }
    }
    return RM_NONE;
}

/* Delete the first n copies of share sh and give their slots back. */
static void drop_copies(rm_server_t *s, rm_share_t *sh, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        (void)sigil_cnode_delete(s->own_cnode, rm_own_index(s, sh->copies[i]), s->own_depth);
        (void)rm_core_drop_slot(&s->core, sh->entry, sh->copies[i]);
    }
}

/* Decode Lend/Donate: the client's allocation (frames, at most RM_SHARE_FRAMES, not lent), the
 * server, and a place for it. Returns the share record or RM_NONE with *r set. */
static uint32_t decode_share(rm_server_t *s, uint32_t ci, rm_word_t handle, rm_word_t server,
                             uint32_t *e, uint32_t *si, uint64_t *va, rm_result_t *r)
{
    rm_core_t *c = &s->core;
    *e = rm_core_lookup(c, ci, handle);
    if (*e == RM_NONE || c->allocs[*e].type != Sigil_Frame4KObject ||
        c->allocs[*e].count > RM_SHARE_FRAMES || lent_share(s, *e) != RM_NONE) {
        *r = error(Rm_ErrInvalidArgument, 0);
        return RM_NONE;
    }
    *si = rm_live_client(s, server);
    if (*si == RM_NONE || *si == ci || s->services[*si].nwindows == 0 ||
        !(*va = place(s, *si, c->allocs[*e].count))) {
        *r = error(Rm_ErrInvalidArgument, 1);
        return RM_NONE;
    }
    uint32_t k = new_share(s, *si, *va, c->allocs[*e].count);
    if (k == RM_NONE) {
        *r = error(Rm_ErrNoMemory, 0);
    }
    return k;
}

/* Map copies of the frame caps in `frames[i]` (own slots, or the client's slots when `client`
 * is set) into the server at sh->vaddr, checking each frame's address. 0, or *r set and every
 * copy made here gone again. */
static int map_copies(rm_server_t *s, rm_share_t *sh, const rm_client_t *client,
                      const rm_word_t *frames, rm_word_t rights, rm_result_t *r)
{
    rm_core_t *c = &s->core;
    const rm_alloc_t *a = &c->allocs[sh->entry];
    uint32_t n = 0;
    *r = error(Rm_ErrOk, 0);
    for (; n < sh->pages; n++) {
        rm_word_t copy = rm_core_take_slot(c, sh->entry), paddr = 0;
        if (!copy) {
            *r = error(Rm_ErrNoMemory, 0);
            break;
        }
        sh->copies[n] = copy;
        rm_word_t src_root = client ? client->cnode : s->own_cnode;
        rm_word_t src = client ? (client->cnode_guard << client->cnode_bits) | (a->dest + n)
                               : rm_own_index(s, frames[n]);
        rm_word_t depth = client ? client->cnode_depth : s->own_depth;
        if (sigil_cnode_copy(s->own_cnode, rm_own_index(s, copy), s->own_depth, src_root, src,
                             depth, Sigil_AllRights) != 0) {
            rm_core_untake_slot(c, sh->entry, copy);
            *r = error(Rm_ErrInvalidSlot, 0);
            break;
        }
        if (sigil_frame_get_address(copy, &paddr) != 0 ||
            paddr != c->pool.nodes[a->block].paddr + n * PAGE) {
            *r = error(Rm_ErrInvalidSlot, 0);
        } else {
            *r = rm_map_with_tables(s, sh->server, c->clients[sh->server].vspace, copy,
                                    sh->vaddr + n * PAGE, rights);
        }
        if (r->err != Rm_ErrOk) {
            n++; /* this copy exists: drop it with the others */
            break;
        }
    }
    if (r->err == Rm_ErrOk) {
        return 0;
    }
    drop_copies(s, sh, n);
    return -1;
}

int rm_share_lost(rm_server_t *s, rm_share_t *sh, rm_word_t addr)
{
    if (sh->kind != RM_SHARE_LENT) {
        return sh->kind == RM_SHARE_REVOKED;
    }
    rm_word_t paddr = 0;
    if (sigil_frame_get_address(sh->copies[(addr - sh->vaddr) / PAGE], &paddr) == 0) {
        return 0; /* the copy is there: the page is mapped */
    }
    /* The lender revoked its frame caps, and our copies with them: the loan is over. */
    drop_copies(s, sh, sh->pages);
    sh->kind = RM_SHARE_REVOKED;
    return 1;
}

void rm_lend(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_answer_t *ans)
{
    rm_core_t *c = &s->core;
    uint32_t e, si;
    uint64_t va = 0;
    rm_word_t rights = msg[2];
    if (rights == 0 || (rights & ~(rm_word_t)(Sigil_CanRead | Sigil_CanWrite))) {
        ans->r = error(Rm_ErrInvalidArgument, 2);
        return;
    }
    uint32_t k = decode_share(s, ci, msg[0], msg[1], &e, &si, &va, &ans->r);
    if (k == RM_NONE) {
        return;
    }
    rm_share_t *sh = &s->shares[k];
    rm_share_t fresh = {.kind = RM_SHARE_LENT,
                        .client = ci,
                        .server = si,
                        .entry = e,
                        .gen = c->allocs[e].gen,
                        .vaddr = va,
                        .pages = c->allocs[e].count};
    rm_share_t old = *sh;
    *sh = fresh;
    if (map_copies(s, sh, &c->clients[ci], 0, rights, &ans->r) != 0) {
        *sh = old;
        return;
    }
    ans->words[0] = va;
    ans->nwords = 1;
    sigil_printf(RM_EVENT_LEND, c->clients[ci].name, c->clients[si].name, (unsigned long)sh->pages,
                 (unsigned long)va);
}

int rm_share_is_loan(rm_server_t *s, rm_share_t *sh, uint32_t ci, uint32_t si)
{
    return sh->kind == RM_SHARE_LENT && refresh(s, sh) == RM_SHARE_LENT && sh->client == ci &&
           sh->server == si;
}

void rm_share_revoke(rm_server_t *s, rm_share_t *sh)
{
    drop_copies(s, sh, sh->pages);
    sh->kind = RM_SHARE_REVOKED;
}

rm_result_t rm_unlend(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    uint32_t e = rm_core_lookup(&s->core, ci, msg[0]);
    uint32_t k = e == RM_NONE ? RM_NONE : lent_share(s, e);
    if (k == RM_NONE) {
        return error(Rm_ErrInvalidArgument, 0);
    }
    rm_share_t *sh = &s->shares[k];
    rm_share_revoke(s, sh);
    sigil_printf(RM_EVENT_UNLEND, s->core.clients[ci].name, s->core.clients[sh->server].name,
                 (unsigned long)sh->vaddr);
    return error(Rm_ErrOk, 0);
}

/* Move n frame caps between the client's slots dest.. and own slots `own` (back: to the
 * client). Returns how many moved. */
static uint32_t move_frames(rm_server_t *s, const rm_client_t *cl, rm_word_t dest,
                            const rm_word_t *own, uint32_t n, int back)
{
    for (uint32_t i = 0; i < n; i++) {
        rm_word_t ci_index = (cl->cnode_guard << cl->cnode_bits) | (dest + i);
        rm_word_t own_index = rm_own_index(s, own[i]);
        rm_word_t err = back ? sigil_cnode_move(cl->cnode, ci_index, cl->cnode_depth, s->own_cnode,
                                                own_index, s->own_depth)
                             : sigil_cnode_move(s->own_cnode, own_index, s->own_depth, cl->cnode,
                                                ci_index, cl->cnode_depth);
        if (err != 0) {
            return i;
        }
    }
    return n;
}

void rm_donate(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_answer_t *ans)
{
    rm_core_t *c = &s->core;
    const rm_client_t *cl = &c->clients[ci];
    uint32_t e, si;
    uint64_t va = 0;
    uint32_t k = decode_share(s, ci, msg[0], msg[1], &e, &si, &va, &ans->r);
    if (k == RM_NONE) {
        return;
    }
    rm_alloc_t *a = &c->allocs[e];
    rm_word_t own[RM_SHARE_FRAMES];
    uint32_t n = 0;
    for (; n < a->count; n++) {
        if (!(own[n] = rm_core_take_slot(c, e))) {
            break;
        }
    }
    uint32_t moved = n == a->count ? move_frames(s, cl, a->dest, own, n, 0) : 0;
    rm_share_t *sh = &s->shares[k];
    rm_share_t old = *sh;
    *sh = (rm_share_t){.kind = RM_SHARE_DONATED,
                       .client = ci,
                       .server = si,
                       .entry = e,
                       .gen = a->gen,
                       .vaddr = va,
                       .pages = a->count};
    if (moved != a->count) {
        ans->r = error(n == a->count ? Rm_ErrInvalidSlot : Rm_ErrNoMemory, 0);
    } else if (map_copies(s, sh, 0, own, Sigil_CanRead | Sigil_CanWrite, &ans->r) == 0) {
        a->donated = 1;
        ans->words[0] = va;
        ans->nwords = 1;
        sigil_printf(RM_EVENT_DONATE, cl->name, c->clients[si].name, (unsigned long)sh->pages,
                     (unsigned long)va);
        return;
    }
    *sh = old;
    (void)move_frames(s, cl, a->dest, own, moved, 1);
    while (n > 0) {
        (void)rm_core_drop_slot(c, e, own[--n]);
    }
}

/* Free donated share sh (its block revoked: every copy and mapping goes; the donor uncharged). */
static void release(rm_server_t *s, rm_share_t *sh)
{
    rm_core_t *c = &s->core;
    uint64_t bytes = 1ull << c->pool.nodes[c->allocs[sh->entry].block].bits;
    (void)rm_core_release(c, sh->entry);
    sh->kind = RM_SHARE_FREE;
    sigil_printf(RM_EVENT_RELEASE, c->clients[sh->server].name, c->clients[sh->client].name,
                 (unsigned long)bytes);
}

rm_result_t rm_release(rm_server_t *s, uint32_t ci, const rm_word_t *msg)
{
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind == RM_SHARE_DONATED && sh->server == ci && sh->vaddr == msg[0]) {
            release(s, sh);
            return error(Rm_ErrOk, 0);
        }
    }
    return error(Rm_ErrInvalidArgument, 0);
}

void rm_share_end(rm_server_t *s, uint32_t ci)
{
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (sh->kind == RM_SHARE_FREE || refresh(s, sh) == RM_SHARE_FREE) {
            continue;
        }
        if (sh->server == ci) {
            if (sh->kind == RM_SHARE_DONATED) {
                release(s, sh);
            } else if (sh->kind == RM_SHARE_LENT) {
                drop_copies(s, sh, sh->pages);
            }
            sh->kind = RM_SHARE_FREE;
        }
        /* A loan of the ending client is revoked by its reclaim (the copies derive from its
         * frames); the record stays, so that a fault at its place is still pinned on it. */
    }
}
