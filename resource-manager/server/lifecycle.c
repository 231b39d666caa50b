/*
 * Ending a client: Exit, Kill, and faults the client cannot survive (demand-zero faults are
 * served in demand.c, faults in a server's windows in recovery.c, which also applies the
 * policy's on_fault action).
 *
 * The order matters: the client's thread is suspended first (it can make no further request and
 * touch nothing while its memory goes), then its SMC grants are revoked (smc.c), then its
 * connections are cut and, if it served, the buffers donated to it are released and the loans to
 * it unmapped (service.c), then every allocation made for it is revoked (its objects, every cap
 * derived from them anywhere, its mappings, the page tables made for it; what it donated stays
 * until its server frees it), then
 * the untyped the loader made its own objects from (TCB, CSpace, VSpace, image, stack, IPC
 * buffer) is revoked, which deletes those objects and the manager's caps to them. The client is
 * then marked ended: later messages with its badges are ignored. The pool's part comes back
 * exactly (rm_core_reclaim); the client's own untyped, whole again, joins the pool as one more
 * top block, so the memory the loader made for the client serves the others from then on.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

uint64_t rm_end_client(rm_server_t *s, uint32_t ci)
{
    rm_client_t *cl = &s->core.clients[ci];
    if (cl->tcb) {
        (void)sigil_tcb_suspend(cl->tcb);
    }
    rm_smc_end(s, ci);
    rm_service_end(s, ci);
    uint64_t back = rm_core_reclaim(&s->core, ci);
    rm_word_t own = s->client_untyped[ci];
    if (own && sigil_cnode_revoke(s->own_cnode, rm_own_index(s, own), s->own_depth) == 0) {
        /* Nothing is left of what was made from it: a whole top block (if the root table has
         * room; otherwise it stays with the manager, unused). */
        const sigil_rm_boot_untyped_t *m = &sigil_rm_boot_clients(s->boot)[ci].memory;
        if (rm_buddy_add_root(&s->core.pool, own, m->size_bits, m->paddr) == 0) {
            s->client_untyped[ci] = 0;
            cl->own_bytes = 0;
        }
    }
    rm_evict_forget(s, ci);
    cl->live = 0;
    return back;
}

int rm_handle_fault(rm_server_t *s, uint32_t ci, rm_word_t label, const rm_word_t *msg,
                    unsigned length)
{
    rm_client_t *cl = &s->core.clients[ci];
    cl->faults++;
    /* a VMFault's (and a CapFault's) first words: IP, Addr (kernel/abi/sigil.yaml, faults) */
    rm_word_t pc = length > Sigil_VMFault_IP ? msg[Sigil_VMFault_IP] : 0;
    rm_word_t addr = length > Sigil_VMFault_Addr ? msg[Sigil_VMFault_Addr] : 0;
    const char *reason = "unhandled";
    if (label == Sigil_Fault_VMFault && length > Sigil_VMFault_Addr) {
        if (rm_find_window(s, ci, addr)) {
            return rm_window_fault(s, ci, pc, addr); /* recovery.c */
        }
        if (rm_demand_fault(s, ci, addr, &reason) == 0) {
            return 1;
        }
    }
    rm_fault_action(s, ci, label, pc, addr, reason);
    return 0;
}
