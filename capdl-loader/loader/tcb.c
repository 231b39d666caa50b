/*
 * The TCBs phase and the start phase.
 *
 * A thread is configured entirely through its own TCB invocations, with the loader's caps to
 * the objects it names: SetSpace (fault handler with badge and rights kept in the TCB, RFC-11;
 * CSpace root with the spec's guard; VSpace), SetIPCBuffer, SetSchedParams (the loader's own
 * TCB is the authority: it runs at the highest priority), WriteRegisters (pc, sp, spsr, then
 * x0.. the arguments), SetTLSBase, SetFlags (fpuDisabled) and BindNotification, and names it
 * (DebugNameThread) with its full spec name, so that fault reports name the component. Threads stay
 * suspended until the start phase resumes those marked `start`.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/sys.h>

#include "internal.h"

static loader_status_t set_spaces(loader_t *l, uint32_t id, const sigil_spec_tcb_t *t)
{
    uint64_t tcb = loader_obj_slot(l, id);
    uint64_t fault =
        t->fault_ep == SIGIL_SPEC_NONE ? Sigil_SlotNull : loader_obj_slot(l, t->fault_ep);
    uint64_t cspace_data = sigil_cnode_cap_data(t->cspace_guard, t->cspace_guard_size);
    LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
               sigil_tcb_set_space(tcb, fault, t->fault_badge, t->fault_rights,
                                   loader_obj_slot(l, t->cspace), cspace_data,
                                   loader_obj_slot(l, t->vspace), 0),
               "TCB_SetSpace failed");
    LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
               sigil_tcb_set_ipc_buffer(tcb, t->ipc_vaddr, loader_obj_slot(l, t->ipc_frame)),
               "TCB_SetIPCBuffer failed");
    return loader_ok();
}

static loader_status_t set_state(loader_t *l, uint32_t id, const sigil_spec_tcb_t *t)
{
    uint64_t tcb = loader_obj_slot(l, id);
    LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
               sigil_tcb_set_sched_params(tcb, loader_root_slot(l, Sigil_SlotInitThreadTCB),
                                          t->max_priority, t->priority),
               "TCB_SetSchedParams failed");
    sigil_word_t regs[LOADER_REG_FIRST_ARG + SIGIL_SPEC_MAX_ARGS] = {0};
    regs[Sigil_Ctx_PC] = t->entry;
    regs[Sigil_Ctx_SP] = t->stack;
    unsigned nargs = t->num_args;
    for (unsigned i = 0; i < nargs && i < SIGIL_SPEC_MAX_ARGS; i++) {
        regs[LOADER_REG_FIRST_ARG + i] = t->args[i];
    }
    LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
               sigil_tcb_write_registers(tcb, 0, 0, LOADER_REG_FIRST_ARG + nargs, regs),
               "TCB_WriteRegisters failed");
    if (t->tls != 0) {
        LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE, sigil_tcb_set_tls_base(tcb, t->tls),
                   "TCB_SetTLSBase failed");
    }
    if (t->flags & SIGIL_SPEC_TCB_FPU_DISABLED) {
        sigil_word_t flags;
        LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE, sigil_tcb_set_flags(tcb, 0, 1, &flags),
                   "TCB_SetFlags failed");
    }
    if (t->bound_ntfn != SIGIL_SPEC_NONE) {
        LOADER_TRY(LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
                   sigil_tcb_bind_notification(tcb, loader_obj_slot(l, t->bound_ntfn)),
                   "TCB_BindNotification failed");
    }
    return loader_ok();
}

/*
 * TCBs. Pre: VSpaces built (an IPC buffer frame must be a frame cap; its mapping is the spec's).
 * Post: every TCB holds the spec's CSpace root (with guard), VSpace, IPC buffer, fault handler
 * (badge, rights), priority, MCP, registers, TLS base, flags and bound notification, and is
 * still suspended.
 */
loader_status_t loader_init_tcbs(loader_t *l)
{
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        if (l->objects[id].type != Sigil_TCBObject) {
            continue;
        }
        const sigil_spec_tcb_t *t = &l->tcbs[l->objects[id].first];
        LOADER_ENSURE(LOADER_PHASE_TCBS, id,
                      sigil_debug_cap_inspect(loader_obj_slot(l, t->ipc_frame)).type ==
                          Sigil_CapFrame,
                      "the IPC buffer frame's cap is missing");
        LOADER_PROPAGATE(set_spaces(l, id, t));
        LOADER_PROPAGATE(set_state(l, id, t));
        /* Fault reports name the thread after its component ("component.tcb"). */
        LOADER_TRY(
            LOADER_PHASE_TCBS, id, SIGIL_SPEC_NONE,
            sigil_debug_name_thread(loader_obj_slot(l, id), sigil_spec_object_name(l->spec, id)),
            "DebugNameThread failed");
    }
    return loader_ok();
}

/*
 * Start threads. Pre: everything else is in place and checked. Post: every TCB marked start
 * has been resumed (the loader keeps running: it has the highest priority).
 */
loader_status_t loader_start_threads(loader_t *l)
{
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        const sigil_spec_object_t *o = &l->objects[id];
        if (o->type != Sigil_TCBObject || !(l->tcbs[o->first].flags & SIGIL_SPEC_TCB_START)) {
            continue;
        }
        LOADER_TRY(LOADER_PHASE_START, id, SIGIL_SPEC_NONE,
                   sigil_tcb_resume(loader_obj_slot(l, id)), "TCB_Resume failed");
        l->stats.started++;
    }
    l->stats.cycles_loaded = sigil_cycles();
    return loader_ok();
}
