/*
 * The resource manager program: shared state of its parts.
 *
 * main.c boots (boot.c reads the rm boot page into the core) and runs the request loop; each
 * mechanism has its own file of handlers: requests.c (Alloc, Free, Stats, admin requests),
 * map.c (MapFrame), lifecycle.c (ending a client: Exit, Kill, faults). Every handler decodes
 * first (all checks, no change) and acts after; its answer is an rm_result_t plus result words.
 */
#ifndef RM_SERVER_H
#define RM_SERVER_H

#include <sigil/rm_boot.h>
#include <sigil/rm_protocol.h>

#include "rm_core.h"

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
    uint64_t requests;
} rm_server_t;

extern const rm_kops_t rm_kernel_ops;

/* The index that names own slot `slot` in CNode invocations on s->own_cnode (at own_depth). */
static inline rm_word_t rm_own_index(const rm_server_t *s, rm_word_t slot)
{
    return sigil_rm_boot_slot_index(&s->boot->cspace, slot);
}

/* Read the boot page into `s` (core, pool, clients). Returns 0, or -1 after printing why. */
int rm_boot(rm_server_t *s, const sigil_rm_boot_t *boot);

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
 * in own slot `frame` (allocation `e`, not mapped yet) and forget the stored copy. 0, or -1
 * with *r set when the copy could not be made (evict.c). */
int rm_evict_restore(rm_server_t *s, uint32_t ci, uint32_t e, rm_word_t page, rm_word_t frame,
                     rm_result_t *r);

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

#endif /* RM_SERVER_H */
