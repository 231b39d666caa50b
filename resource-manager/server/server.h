/*
 * The resource manager program: shared state of its parts.
 *
 * main.c boots (boot.c reads the rm boot page into the core) and runs the request loop; each
 * mechanism has its own file of handlers: requests.c (Alloc, Free, Stats, admin requests),
 * map.c (MapFrame), lifecycle.c (ending a client: Exit, Kill, faults), service.c (Serve,
 * Window, Recovery, Connect), share.c (Lend, Unlend, Donate, Release), loans.c (RevokeLoans),
 * recovery.c (a server's fault in a window, and the policy's on_fault action), smc.c (SMC
 * grants), replies.c (the Reply-object allowance). Every handler decodes first (all checks, no
 * change) and acts after; its answer is an rm_result_t plus result words.
 */
#ifndef RM_SERVER_H
#define RM_SERVER_H

#include <sigil/rm_boot.h>
#include <sigil/rm_protocol.h>

#include "rm_core.h"
#include "share.h"

#define RM_MAX_CLIENTS    64u
#define RM_MAX_SMC_GRANTS 1024u /* SMC ids listed by the whole policy */

/* The reply to one request: error, result words (MR0..), or no reply at all. */
typedef struct {
    rm_result_t r;
    unsigned nwords;
    int noreply;
    rm_word_t words[RM_NUM_STATS];
} rm_answer_t;

typedef struct {
    rm_core_t core;
    const sigil_rm_boot_t *boot;
    rm_word_t own_cnode; /* a cap to the manager's CSpace root CNode ... */
    rm_word_t own_depth; /* ... the depth that names one of its slots through that cap */
    rm_word_t endpoint;
    rm_word_t reply;
    rm_word_t *client_untyped; /* per client: its own untyped (0 if none) */
    rm_word_t smc_slot0;       /* own slots of the SMC grant records (smc.c) */
    uint64_t requests;
    rm_service_t services[RM_MAX_CLIENTS]; /* per client: what it registered as a server */
    rm_share_t shares[RM_MAX_SHARES];
    rm_connection_t connections[RM_MAX_CONNECTIONS];
    uint32_t pressure_next; /* the pageable client pressure eviction tries first */
} rm_server_t;

/* A page of the manager's VSpace where it maps one client frame at a time to read or fill it
 * (evict.c); its page tables are made at boot (boot.c), so paging never needs pool memory. */
#define RM_WINDOW 0x7ff000000000ull

/* Demand pages taken from another client at a time under memory pressure. */
#define RM_PRESSURE_BATCH 8u

extern const rm_kops_t rm_kernel_ops;

/* The index that names own slot `slot` in CNode invocations on s->own_cnode (at own_depth). */
static inline rm_word_t rm_own_index(const rm_server_t *s, rm_word_t slot)
{
    return sigil_rm_boot_slot_index(&s->boot->cspace, slot);
}

/* Read the boot page into `s` (core, pool, clients). Returns 0, or -1 after printing why. */
int rm_boot(rm_server_t *s, const sigil_rm_boot_t *boot);

/* Set up the SMC grant records of the boot page's `nclients` clients, their own slots from
 * `slot0` on; *nslots is how many they take. 0, or -1 when an id is 0 or wider than 32 bits or
 * the policy lists more than RM_MAX_SMC_GRANTS (smc.c). */
int rm_smc_boot(rm_server_t *s, uint32_t nclients, rm_word_t slot0, uint64_t *nslots);

/* SmcGrant(function_id, dest_slot) from client `ci`: *handle names the grant (smc.c). */
rm_result_t rm_smc_grant(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_word_t *handle);

/* SmcRevoke(handle) from client `ci`. */
rm_result_t rm_smc_revoke(rm_server_t *s, uint32_t ci, rm_word_t handle);

/* Revoke every SMC grant client `ci` holds (it ends). */
void rm_smc_end(rm_server_t *s, uint32_t ci);

/* Whether client `ci`'s Reply-object allowance has room for `count` more (replies.c). */
int rm_reply_allowed(const rm_server_t *s, uint32_t ci, rm_word_t count);

/* Alloc from client `ci` with the policy's Reply-object allowance applied (replies.c). */
rm_result_t rm_alloc_request(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_word_t *handle);

/* Handle one request (label, message registers msg[0..length)) from client `ci`. */
void rm_handle_request(rm_server_t *s, uint32_t ci, rm_word_t label, const rm_word_t *msg,
                       unsigned length, rm_answer_t *a);

/* Map the frame cap in own slot `frame` into client `ci`'s VSpace at `vaddr`, making (and
 * charging to the client) the page tables it needs; on an error the tables made here are gone
 * again and the result says why (map.c). */
rm_result_t rm_map_into_client(rm_server_t *s, uint32_t ci, rm_word_t frame, rm_word_t vaddr,
                               rm_word_t rights);

/* The same into any VSpace (`vspace`, a cptr), the tables charged to client `ci`. */
rm_result_t rm_map_with_tables(rm_server_t *s, uint32_t ci, rm_word_t vspace, rm_word_t frame,
                               rm_word_t vaddr, rm_word_t rights);

/* Evict(client, max_pages) by administrator `by` (evict.c): results in a->words. */
void rm_evict(rm_server_t *s, uint32_t by, const rm_word_t *msg, rm_answer_t *a);

/* If client `ci`'s page at `page` was stored by an eviction, copy its contents into the frame
 * in own slot `frame` (allocation `e`, not mapped yet) and forget the stored copy. 1 when the
 * contents were copied, 0 when nothing was stored, or -1 with *r set when the copy could not be
 * made (evict.c). */
int rm_evict_restore(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t page, rm_word_t frame,
                     rm_result_t *r);

/* Memory pressure (evict.c): a request or demand fault of client `ci` found the pool without the
 * block it needs. If that block is at most one page (s->core.short_bits), take up to
 * RM_PRESSURE_BATCH demand pages from a pageable client other than `ci` (policy `pageable`,
 * round robin), as Evict does, and report it as an evict event by `ci`. Returns the pages taken;
 * 0 means none could be, and the caller's NoMemory stands. */
unsigned rm_pressure_evict(rm_server_t *s, uint32_t ci);

/* Forget every stored page of client `ci` (it ended). */
void rm_evict_forget(rm_server_t *s, uint32_t ci);

/* DemandRegion(vaddr, size, rights) from client `ci` (demand.c). */
rm_result_t rm_demand_region(rm_server_t *s, uint32_t ci, const rm_word_t *msg);

/* A VM fault of client `ci` at `addr`: if it lies in one of its demand-zero regions and the
 * quota pays, a zeroed page is mapped there and 0 returned (the fault is answered, the client
 * goes on); otherwise -1 with *reason set (demand.c). */
int rm_demand_fault(rm_server_t *s, uint32_t ci, rm_word_t addr, const char **reason);

/* MapFrame(handle, index, vaddr, rights) from client `ci` (map.c). */
rm_result_t rm_map_frame(rm_server_t *s, uint32_t ci, const rm_word_t *msg);

/* End client `ci`: suspend it, reclaim everything it holds (allocations, then its own untyped)
 * and mark it ended. Returns the bytes of the pool given back. */
uint64_t rm_end_client(rm_server_t *s, uint32_t ci);

/* A fault from client `ci` (kernel fault label, message registers). Returns 1 when the fault is
 * served and must be answered (a demand-zero page); otherwise the client is ended, the event
 * reported, and 0 returned. */
int rm_handle_fault(rm_server_t *s, uint32_t ci, rm_word_t label, const rm_word_t *msg,
                    unsigned length);

/* RevokeCap(client, slot) by administrator `by` on live client `ci` (inject.c): revoke and
 * delete the cap in that slot of its CSpace root; event revoke. */
rm_result_t rm_revoke_cap(rm_server_t *s, uint32_t by, uint32_t ci, rm_word_t slot);

/* FaultClient by administrator `by` on live client `ci` (inject.c): its thread restarts at
 * RM_INJECTED_FAULT_PC and faults to the manager; event fault_injected (then fault). */
rm_result_t rm_fault_client(rm_server_t *s, uint32_t by, uint32_t ci);

/* The live client with id `id`, or RM_NONE. */
uint32_t rm_live_client(const rm_server_t *s, rm_word_t id);

/* The boot record's SIGIL_RM_CLIENT_* flags of client `ci` (inline: Alloc asks on every call). */
static inline uint32_t rm_client_flags(const rm_server_t *s, uint32_t ci)
{
    return sigil_rm_boot_clients(s->boot)[ci].flags;
}

/* Serve, Window, Recovery, Recovered, Connect from client `ci` (service.c). */
rm_result_t rm_serve(rm_server_t *s, uint32_t ci, const rm_word_t *msg);
rm_result_t rm_window(rm_server_t *s, uint32_t ci, const rm_word_t *msg);
rm_result_t rm_recovery(rm_server_t *s, uint32_t ci, const rm_word_t *msg);
rm_result_t rm_connect(rm_server_t *s, uint32_t ci, const rm_word_t *msg);

/* Cut client `ci` off server `si`: its connection's cap is revoked (and any send of it still
 * queued on the endpoint cancelled). Returns 1 if there was a connection (service.c). */
int rm_cut_off(rm_server_t *s, uint32_t ci, uint32_t si);

/* The window of server `si` that holds `addr`, or 0 (service.c). */
const rm_window_t *rm_find_window(const rm_server_t *s, uint32_t si, rm_word_t addr);

/* Lend, Unlend, Donate, Release from client `ci` (share.c); Lend and Donate put the address
 * in a->words[0]. */
void rm_lend(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_answer_t *a);
rm_result_t rm_unlend(rm_server_t *s, uint32_t ci, const rm_word_t *msg);
void rm_donate(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_answer_t *a);
rm_result_t rm_release(rm_server_t *s, uint32_t ci, const rm_word_t *msg);

/* Whether share sh is a live loan of client `ci` to server `si` (share.c). */
int rm_share_is_loan(rm_server_t *s, rm_share_t *sh, uint32_t ci, uint32_t si);

/* Revoke loan sh as Unlend does: the manager's copies (and so the server's mapping) go, the
 * share is marked revoked; nothing else changes (share.c). */
void rm_share_revoke(rm_server_t *s, rm_share_t *sh);

/* RevokeLoans(client, server) by administrator `by` (loans.c): a->words[0] = loans revoked. */
void rm_revoke_loans(rm_server_t *s, uint32_t by, const rm_word_t *msg, rm_answer_t *a);

/* The share of server `si` whose place in its windows holds `addr`, or 0; a share whose
 * allocation is gone is first marked revoked (share.c). */
rm_share_t *rm_find_share(rm_server_t *s, uint32_t si, rm_word_t addr);

/* Whether share sh no longer backs `addr` (one of its pages): revoked, or lent but its copy
 * gone because the lender revoked its own frame caps (then it is marked revoked). */
int rm_share_lost(rm_server_t *s, rm_share_t *sh, rm_word_t addr);

/* Client `ci` is ending (before its allocations are reclaimed): as a server, its donated
 * buffers are released and the loans to it unmapped; as a client, its connections are cut
 * and its loans marked revoked (service.c, share.c). */
void rm_share_end(rm_server_t *s, uint32_t ci);
void rm_service_end(rm_server_t *s, uint32_t ci);

/* A VM fault of server `ci` at `addr` inside one of its windows (recovery.c): recovered (the
 * aborted request answered, the client cut off, the server restarted at its entry), or the
 * policy's on_fault action. Returns 0: the fault is never answered. */
int rm_window_fault(rm_server_t *s, uint32_t ci, rm_word_t pc, rm_word_t addr);

/* The policy's on_fault action for client `ci`'s fault that nothing serves: kill (the client
 * is ended and reclaimed, event fault) or report (left stopped, event stop) (recovery.c). */
void rm_fault_action(rm_server_t *s, uint32_t ci, rm_word_t kind, rm_word_t pc, rm_word_t addr,
                     const char *reason);

#endif /* RM_SERVER_H */
