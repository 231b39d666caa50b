/*
 * Fault injection for scenarios: the administrator's RevokeCap and FaultClient.
 *
 * Both act on another client with the caps the manager already holds for it (its CSpace root
 * and its TCB, from the boot page); neither touches the manager's own records, so accounting is
 * unchanged by the injection itself. What follows is the system's normal behaviour: a client
 * whose cap went gets the kernel's errors when it uses the slot; a client made to fault reaches
 * the manager as its fault handler and is handled like any fault of that client (lifecycle.c).
 * Checks come first (target live, slot in range); an error changes nothing.
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "server.h"

rm_result_t rm_revoke_cap(rm_server_t *s, uint32_t by, uint32_t ci, rm_word_t slot)
{
    rm_client_t *cl = &s->core.clients[ci];
    if (slot >= (1ull << cl->cnode_bits)) {
        return (rm_result_t){.err = Rm_ErrInvalidSlot, .detail = {1, 0}};
    }
    rm_word_t index = (cl->cnode_guard << cl->cnode_bits) | slot;
    if (sigil_cnode_revoke(cl->cnode, index, cl->cnode_depth) != 0 ||
        sigil_cnode_delete(cl->cnode, index, cl->cnode_depth) != 0) {
        /* Revoke and Delete of a slot that lookup reaches cannot fail on our kernel; if they
         * do, say so rather than pretend. */
        return (rm_result_t){.err = Rm_ErrInvalidSlot, .detail = {1, 0}};
    }
    sigil_printf(RM_EVENT_REVOKE, cl->name, (unsigned long)slot, s->core.clients[by].name);
    return (rm_result_t){.err = Rm_ErrOk};
}

rm_result_t rm_fault_client(rm_server_t *s, uint32_t by, uint32_t ci)
{
    rm_client_t *cl = &s->core.clients[ci];
    if (!cl->tcb || ci == by) {
        return (rm_result_t){.err = Rm_ErrInvalidArgument, .detail = {0, 0}};
    }
    _Static_assert(Sigil_Ctx_PC == 0, "the pc is the first context word: one word sets it");
    rm_word_t pc = RM_INJECTED_FAULT_PC;
    (void)sigil_tcb_suspend(cl->tcb);
    sigil_printf(RM_EVENT_FAULT_INJECTED, cl->name, s->core.clients[by].name);
    (void)sigil_tcb_write_registers(cl->tcb, 1, 0, Sigil_Ctx_PC + 1, &pc);
    return (rm_result_t){.err = Rm_ErrOk};
}
