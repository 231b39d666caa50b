/*
 * Server recovery: a server's fault inside one of its windows, and the policy's on_fault action
 * for faults nothing serves.
 *
 * A window holds memory of clients (share.c) that a client may take back at any time; a server
 * touching a place whose loan is gone takes a VM fault, which reaches the manager (its fault
 * handler, badge = its id). If the server registered a recovery entry and is not recovering
 * already, the manager
 *   (a) answers the request the server was serving with Aborted(reason, client) by a Send on the
 *       server's reply object, which the manager made and holds (service.c) — if the reply
 *       object holds no caller, the answer goes nowhere, as in the kernel;
 *   (b) cuts off the client whose memory it was (the share at the address says who): its
 *       connection to the server is revoked (service.c);
 *   (c) rewrites the server's pc, sp, x0 (client id, 0 for none) and x1 (reason) with
 *       TCB_WriteRegisters and resumes it, which drops the fault: the server runs its recovery
 *       entry on the registered stack, forgets the client's state, calls Recovered and serves
 *       again.
 * The fault itself is never answered. Any other case — the address in a live share (a rights
 * fault: the server's own bug), no recovery entry, a fault during recovery, a fault outside
 * every window that no demand-zero region serves — follows the client's policy: `kill` (the
 * default: ended and reclaimed, event fault), `report` (left stopped as it is, event stop) or
 * `recover`: a server with a recovery entry that is not recovering already is restarted as above
 * with reason `fault` and no client (its caller answered Aborted, nobody cut off: the fault was
 * the server's, not a lender's); otherwise it is killed.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "server.h"

/* Restart server si at its recovery entry after a fault at addr (pc): (a) the request in its
 * reply object answered Aborted(reason, id of `victim`), (b) `victim` cut off, (c) registers
 * rewritten and the thread resumed (the fault dropped). */
static void restart(rm_server_t *s, uint32_t si, uint32_t victim, rm_word_t reason, rm_word_t pc,
                    rm_word_t addr)
{
    rm_service_t *sv = &s->services[si];
    rm_word_t id = victim != RM_NONE ? s->core.clients[victim].id : 0;
    /* (a) the aborted request's caller gets Aborted through the server's reply object */
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->msg[0] = reason;
    b->msg[1] = id;
    sigil_reply(sv->reply, sigil_msginfo_new(Rm_ErrAborted, 0, 0, 2));
    /* (b) the client whose memory it was loses its connection */
    if (victim != RM_NONE) {
        (void)rm_cut_off(s, victim, si);
    }
    /* (c) the server restarts at its recovery entry: pc, sp, spsr, x0, x1 */
    rm_word_t regs[5] = {sv->entry, sv->stack, 0, id, reason};
    (void)sigil_tcb_write_registers(s->core.clients[si].tcb, 1, 0, 5, regs);
    sv->recovering = 1;
    sv->recoveries++;
    sigil_printf(RM_EVENT_RECOVER, s->core.clients[si].name,
                 victim != RM_NONE ? s->core.clients[victim].name : "none",
                 rm_recovery_reason_name(reason), (unsigned long)addr, (unsigned long)pc);
}

void rm_fault_action(rm_server_t *s, uint32_t ci, rm_word_t kind, rm_word_t pc, rm_word_t addr,
                     const char *reason)
{
    rm_client_t *cl = &s->core.clients[ci];
    const rm_service_t *sv = &s->services[ci];
    uint32_t flags = rm_client_flags(s, ci);
    if ((flags & SIGIL_RM_CLIENT_ON_FAULT_RECOVER) && sv->serving && sv->has_entry &&
        !sv->recovering) {
        restart(s, ci, RM_NONE, RM_RECOVERY_REASON_FAULT, pc, addr);
        return;
    }
    if (flags & SIGIL_RM_CLIENT_ON_FAULT_REPORT) {
        sigil_printf(RM_EVENT_STOP, cl->name, (unsigned long)kind, (unsigned long)addr,
                     (unsigned long)pc, reason);
        return;
    }
    uint64_t back = rm_end_client(s, ci);
    sigil_printf(RM_EVENT_FAULT, cl->name, (unsigned long)kind, (unsigned long)addr,
                 (unsigned long)pc, reason, (unsigned long)back);
}

int rm_window_fault(rm_server_t *s, uint32_t si, rm_word_t pc, rm_word_t addr)
{
    rm_service_t *sv = &s->services[si];
    rm_share_t *sh = rm_find_share(s, si, addr);
    if (sh && !rm_share_lost(s, sh, addr)) {
        rm_fault_action(s, si, Sigil_Fault_VMFault, pc, addr, "rights");
        return 0;
    }
    if (!sv->has_entry) {
        rm_fault_action(s, si, Sigil_Fault_VMFault, pc, addr, "no_recovery");
        return 0;
    }
    if (sv->recovering) {
        rm_fault_action(s, si, Sigil_Fault_VMFault, pc, addr, "in_recovery");
        return 0;
    }
    restart(s, si, sh ? sh->client : RM_NONE,
            sh ? RM_RECOVERY_REASON_REVOKED : RM_RECOVERY_REASON_NOT_LENT, pc, addr);
    return 0;
}
