/*
 * The introspection interface (debug system calls): read back what a capability slot holds,
 * a thread's settings and an address space's mappings, so the capDL loader (and tests) can
 * check the system they built against its spec. Reading never changes anything; every answer
 * is in registers, so a bad argument just reads back "nothing" (type 0).
 *
 * DebugCapInspect(cptr)            x0 cap type, x1 object physical address (IRQ number for
 *                                  IRQ handlers; 0 when the cap names no memory), x2 rights |
 *                                  size_bits << 8 | guard_size << 16 | radix << 24 |
 *                                  device << 32 | original << 33, x3 badge (endpoint,
 *                                  notification, SMC, Debug) or guard (CNode) or mapped vaddr
 * (frame, page table), x4 the mapping's VSpace id (0: unmapped); for an IRQ handler x3 is the badge
 * of the notification cap it signals and x4 that notification's physical address (0: none)
 * DebugTCBInspect(tcb, which)      which 0-3: the TCB's CSpace, VSpace, IPC buffer and fault
 *                                  handler slots, answered as DebugCapInspect; which 4:
 *                                  x0 priority | mcp << 8 | flags << 16 | state << 24,
 *                                  x1 fault badge, x2 fault rights, x3 IPC buffer address,
 *                                  x4 PC, x5 SP
 * DebugCapIdentify(cptr)          seL4's call: x0 the type of the cap at cptr (Sigil's cap
 *                                  type numbers), 0 if the lookup fails or the slot is empty;
 *                                  the other registers are left alone
 * DebugCheckInvariants()           (debug builds) run the kernel invariant checker over the
 *                                  whole capability state: x0 = 0 if every invariant holds,
 *                                  else 1 and the violation is printed on the console
 * DebugVSpaceLookup(vspace, vaddr) x0 physical address mapped at vaddr (0: none),
 *                                  x1 the mapping's size bits, x2 its EL0 rights
 *                                  (Sigil_CanRead/Write) | executable << 8 | cacheable << 9
 */
#include <arch/arch.h>
#include <arch/vspace.h>

#include "kernel/cspace.h"
#include "kernel/inspect.h"
#include "lib/kprintf.h"
#include "object/cdt.h"
#include "object/invariants.h"
#include "object/irq.h"
#include "object/tcb.h"

static void answer_cap(arch_regs_t *regs, const cte_t *slot)
{
    for (unsigned i = 0; i < 6; i++) {
        arch_syscall_set(regs, i, 0);
    }
    if (slot == NULL || cap_is_null(slot->cap)) {
        return;
    }
    cap_t c = slot->cap;
    cap_type_t type = cap_type(c);
    word_t fields = cap_rights(c) | (word_t)cap_object_size_bits(c) << 8;
    word_t third = 0, addr = 0, vspace = 0;
    switch (type) {
    case Sigil_CapEndpoint:
    case Sigil_CapNotification:
    case Sigil_CapSMC:
    case Sigil_CapDebug:
        third = cap_badge(c);
        fields = cap_rights(c) | (word_t)cap_object_size_bits(c) << 8;
        break;
    case Sigil_CapCNode:
        third = cap_cnode_guard(c);
        fields = (word_t)cap_cnode_guard_size(c) << 16 | (word_t)cap_cnode_radix(c) << 24 |
                 (word_t)cap_object_size_bits(c) << 8;
        break;
    case Sigil_CapFrame:
        fields |= (word_t)cap_frame_is_device(c) << 32;
        third = cap_mapped_vaddr(c);
        vspace = cap_mapped_asid(c);
        break;
    case Sigil_CapPageTable:
        third = cap_mapped_vaddr(c);
        vspace = cap_mapped_asid(c);
        break;
    case Sigil_CapUntyped:
        fields |= (word_t)cap_untyped_is_device(c) << 32;
        third = cap_untyped_watermark(c);
        break;
    case Sigil_CapIRQHandler: {
        cap_t ntfn = irq_slot(cap_irq(c))->cap; /* the cap SetNotification keeps for the IRQ */
        addr = cap_irq(c);
        if (!cap_is_null(ntfn)) {
            third = cap_badge(ntfn);
            vspace = arch_paddr(cap_ptr(ntfn));
        }
        break;
    }
    default:
        break;
    }
    if (cap_object_size_bits(c) != 0) {
        addr = arch_paddr(cap_ptr(c));
    }
    fields |= (word_t)cdt_revocable(slot) << 33;
    arch_syscall_set(regs, 0, type);
    arch_syscall_set(regs, 1, addr);
    arch_syscall_set(regs, 2, fields);
    arch_syscall_set(regs, 3, third);
    arch_syscall_set(regs, 4, vspace);
}

static const cte_t *lookup(tcb_t *t, cptr_t cptr)
{
    return cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr).slot;
}

void inspect_cap(tcb_t *t, arch_regs_t *regs)
{
    answer_cap(regs, lookup(t, arch_syscall_arg(regs, 0)));
}

void inspect_cap_identify(tcb_t *t, arch_regs_t *regs)
{
    const cte_t *slot = lookup(t, arch_syscall_arg(regs, 0));
    arch_syscall_set(regs, 0, slot != NULL ? cap_type(slot->cap) : Sigil_CapNone);
}

void inspect_tcb(tcb_t *t, arch_regs_t *regs)
{
    const cte_t *slot = lookup(t, arch_syscall_arg(regs, 0));
    word_t which = arch_syscall_arg(regs, 1);
    if (slot == NULL || cap_type(slot->cap) != Sigil_CapTCB || which > TCB_NUM_SLOTS) {
        answer_cap(regs, NULL);
        return;
    }
    const tcb_t *x = tcb_from_cap(slot->cap);
    if (which < TCB_NUM_SLOTS) {
        answer_cap(regs, &x->slots[which]);
        return;
    }
    arch_syscall_set(regs, 0,
                     x->priority | (word_t)x->mcp << 8 | (word_t)x->flags << 16 |
                         (word_t)x->state << 24);
    arch_syscall_set(regs, 1, x->fault_badge);
    arch_syscall_set(regs, 2, x->fault_rights);
    arch_syscall_set(regs, 3, x->arch.regs.x[ARCH_REG_IPCBUF]);
    arch_syscall_set(regs, 4, x->arch.regs.x[ARCH_REG_PC]);
    arch_syscall_set(regs, 5, x->arch.regs.x[ARCH_REG_SP]);
}

void inspect_vspace(tcb_t *t, arch_regs_t *regs)
{
    const cte_t *slot = lookup(t, arch_syscall_arg(regs, 0));
    word_t pa = 0, bits = 0, info = 0;
    if (slot != NULL && cap_type(slot->cap) == Sigil_CapVSpace) {
        arch_vspace_lookup(cap_ptr(slot->cap), arch_syscall_arg(regs, 1), &pa, &bits, &info);
    }
    arch_syscall_set(regs, 0, pa);
    arch_syscall_set(regs, 1, bits);
    arch_syscall_set(regs, 2, info);
}

#if defined(SIGIL_DEBUG) && SIGIL_DEBUG
void inspect_invariants(arch_regs_t *regs)
{
    static inv_object_t scratch[16384]; /* one per distinct live object */
    const char *violation = invariants_check(scratch, sizeof(scratch) / sizeof(scratch[0]));
    if (violation != NULL) {
        kprintf("sigil: INVARIANT VIOLATED: %s\n", violation);
    }
    arch_syscall_set(regs, 0, violation != NULL);
}
#endif
