/*
 * The introspection interface (debug system calls; kernel/src/kernel/inspect.c): what a slot
 * holds, a thread's settings, what an address space maps. Used by the capDL loader to check
 * the system it built, and by tests. Every call here but sigil_debug_cap_identify() needs a
 * Debug cap allowing Introspect (sigil_debug_cap, <sigil/sys.h>): without one the answer's
 * `status` is Sigil_InvalidCapability and it holds nothing else.
 */
#ifndef SIGIL_INSPECT_H
#define SIGIL_INSPECT_H

#include <stdint.h>

#include <sigil/abi.h>
#include <sigil/sys.h>

typedef struct sigil_cap_info {
    uint64_t type;   /* sigil_cap_type_t; Sigil_CapNone for an empty or unresolvable slot */
    uint64_t paddr;  /* physical address of the object (IRQ number for an IRQ handler) */
    uint64_t fields; /* see the accessors below */
    uint64_t word;   /* badge (endpoint, notification, SMC), guard (CNode), mapped vaddr
                        (frame, page table), watermark (untyped), badge of the notification
                        cap it signals (IRQ handler) */
    uint64_t vspace; /* mapping record's VSpace id (frame, page table; 0 when unmapped);
                        physical address of the notification it signals (IRQ handler; 0 when
                        none): sigil_cap_info_irq_notification() */
    uint64_t status; /* Sigil_NoError, or Sigil_InvalidCapability: no Debug cap allowed it */
} sigil_cap_info_t;

static inline unsigned sigil_cap_info_rights(const sigil_cap_info_t *i)
{
    return (unsigned)(i->fields & 0xff);
}
static inline unsigned sigil_cap_info_size_bits(const sigil_cap_info_t *i)
{
    return (unsigned)((i->fields >> 8) & 0xff);
}
static inline unsigned sigil_cap_info_guard_size(const sigil_cap_info_t *i)
{
    return (unsigned)((i->fields >> 16) & 0xff);
}
static inline unsigned sigil_cap_info_radix(const sigil_cap_info_t *i)
{
    return (unsigned)((i->fields >> 24) & 0xff);
}
static inline int sigil_cap_info_device(const sigil_cap_info_t *i)
{
    return (int)((i->fields >> 32) & 1);
}
static inline int sigil_cap_info_original(const sigil_cap_info_t *i)
{
    return (int)((i->fields >> 33) & 1);
}
static inline uint64_t sigil_cap_info_irq_notification(const sigil_cap_info_t *i)
{
    return i->vspace;
}

typedef struct sigil_tcb_info {
    uint64_t prio_mcp_flags_state; /* priority | mcp << 8 | flags << 16 | state << 24 */
    uint64_t fault_badge;
    uint64_t fault_rights;
    uint64_t ipc_buffer;
    uint64_t pc;
    uint64_t sp;
    uint64_t status; /* Sigil_NoError, or Sigil_InvalidCapability: no Debug cap allowed it */
} sigil_tcb_info_t;

/* TCB slots readable with sigil_debug_tcb_slot() (kernel/abi/sigil.yaml, `tcb_slots`), and the
 * `which` that asks for sigil_debug_tcb_info() instead. */
enum {
    SIGIL_TCB_SLOT_CSPACE = Sigil_TCBSlot_CSpace,
    SIGIL_TCB_SLOT_VSPACE = Sigil_TCBSlot_VSpace,
    SIGIL_TCB_SLOT_IPC_BUFFER = Sigil_TCBSlot_IPCBuffer,
    SIGIL_TCB_SLOT_FAULT_HANDLER = Sigil_TCBSlot_FaultHandler,
    SIGIL_TCB_INFO = SIGIL_TCB_NUM_SLOTS
};

/* What the slot at `cptr` (resolved with all 64 bits in the caller's CSpace) holds. */
static inline sigil_cap_info_t sigil_debug_cap_inspect(uint64_t cptr)
{
    uint64_t o[6];
    uint64_t st = sigil_debug_gated(Sigil_SysDebugCapInspect, cptr, 0, o);
    sigil_cap_info_t i = {o[0], o[1], o[2], o[3], o[4], st};
    return i;
}

/* seL4's DebugCapIdentify: the type of the cap at `cptr` (a sigil_cap_type_t), Sigil_CapNone if
 * the lookup fails or the slot is empty. */
static inline uint64_t sigil_debug_cap_identify(uint64_t cptr)
{
    register uint64_t x0 __asm__("x0") = cptr;
    register int64_t x7 __asm__("x7") = Sigil_SysDebugCapIdentify;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "memory");
    return x0;
}

/* One of a TCB's own cap slots (which = SIGIL_TCB_SLOT_*). */
static inline sigil_cap_info_t sigil_debug_tcb_slot(uint64_t tcb, unsigned which)
{
    uint64_t o[6];
    uint64_t st = sigil_debug_gated(Sigil_SysDebugTCBInspect, tcb, which, o);
    sigil_cap_info_t i = {o[0], o[1], o[2], o[3], o[4], st};
    return i;
}

/* A TCB's scheduling and fault settings, IPC buffer address and PC/SP. */
static inline sigil_tcb_info_t sigil_debug_tcb_info(uint64_t tcb)
{
    uint64_t o[6];
    uint64_t st = sigil_debug_gated(Sigil_SysDebugTCBInspect, tcb, SIGIL_TCB_INFO, o);
    sigil_tcb_info_t i = {o[0], o[1], o[2], o[3], o[4], o[5], st};
    return i;
}

/* What the VSpace at `vspace` maps at `vaddr`: *pa (0 if nothing), *size_bits, and *info =
 * EL0 rights (Sigil_CanRead/CanWrite) | executable << 8 | cacheable << 9. Returns the gate's
 * answer (Sigil_NoError, or Sigil_InvalidCapability with *pa = Sigil_InvalidCapability). */
static inline uint64_t sigil_debug_vspace_lookup(uint64_t vspace, uint64_t vaddr, uint64_t *pa,
                                                 uint64_t *size_bits, uint64_t *info)
{
    uint64_t o[6];
    uint64_t st = sigil_debug_gated(Sigil_SysDebugVSpaceLookup, vspace, vaddr, o);
    *pa = o[0], *size_bits = o[1], *info = o[2];
    return st;
}

/* Debug kernels: run the kernel's invariant checker over the whole capability state. Returns 0
 * if every invariant holds; otherwise the kernel prints the violation (1), or the Debug cap
 * does not allow Introspect (Sigil_InvalidCapability, nothing checked). */
static inline uint64_t sigil_debug_check_invariants(void)
{
    uint64_t o[6];
    sigil_debug_gated(Sigil_SysDebugCheckInvariants, 0, 0, o);
    return o[0];
}

#endif /* SIGIL_INSPECT_H */
