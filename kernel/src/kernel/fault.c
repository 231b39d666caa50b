/*
 * Fault delivery (see fault.h). Message layouts, seL4's for AArch64 (labels and word numbers are
 * generated from `faults` in kernel/abi/sigil.yaml: Sigil_Fault_VMFault, Sigil_VMFault_Addr, ...):
 *   CapFault (1):        IP, Addr, InRecvPhase, LookupFailureType, then the failure's details
 *   UnknownSyscall (2):  X0-X7, FaultIP, SP, LR, SPSR, Syscall
 *   UserException (3):   FaultIP, SP, SPSR, Number, Code
 *   VMFault (5):         IP, Addr, PrefetchFault, FSR
 * Replies: any reply restarts a thread after a VMFault or CapFault (at the faulting
 * instruction); after UnknownSyscall or UserException only a reply with label 0 does, and the
 * registers it carries (in the order of the message) are written first.
 */
#include "kernel/fault.h"

#include <arch/arch.h>
#include <arch/tcb.h>
#include <arch/user_context.h>

#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "lib/kprintf.h"

static const char *fault_name(word_t type)
{
    switch (type) {
    case FAULT_CAP:
        return "capability fault";
    case FAULT_UNKNOWN_SYSCALL:
        return "unknown system call";
    case FAULT_USER_EXCEPTION:
        return "user exception";
    case FAULT_VM:
        return "VM fault";
    default:
        return "fault";
    }
}

/* The fault handler cap as the fault is sent with it: badge and rights from TCB_SetSpace. */
static bool handler_cap(const tcb_t *t, cap_t *out)
{
    cap_t c = t->slots[TCB_SLOT_FAULT_HANDLER].cap;
    if (cap_type(c) != Sigil_CapEndpoint) {
        return false;
    }
    if (t->fault_badge != 0 && cap_badge(c) == 0) {
        c = cap_endpoint(cap_ptr(c), t->fault_badge, cap_rights(c));
    }
    if (t->fault_rights != 0) {
        c = cap_set_rights(c, cap_rights(c) & (unsigned)t->fault_rights);
    }
    unsigned r = cap_rights(c);
    if (!(r & Sigil_CanWrite) || !(r & (Sigil_CanGrant | Sigil_CanGrantReply))) {
        return false; /* seL4's rule: the handler must be able to receive and to reply */
    }
    *out = c;
    return true;
}

/* A CapFault in words: which cptr, which phase, and why the lookup failed. */
static void report_lookup(const word_t *d)
{
    typedef unsigned long long ull;
    kprintf(" on cptr 0x%llx in the %s phase: ", (ull)d[0], d[1] ? "receive" : "send");
    switch (d[2]) {
    case Sigil_InvalidRoot:
        kprintf("invalid root (the thread's CSpace root is not a CNode)");
        break;
    case Sigil_MissingCapability:
        if (d[3] == 0) {
            kprintf("no usable capability in the slot (empty, wrong type or missing right)");
        } else {
            kprintf("missing capability, %llu bits left (a slot on the path is not a CNode)",
                    (ull)d[3]);
        }
        break;
    case Sigil_DepthMismatch:
        kprintf("depth mismatch, %llu bits left but the CNode resolves %llu", (ull)d[3], (ull)d[4]);
        break;
    case Sigil_GuardMismatch:
        kprintf("guard mismatch, %llu bits left, the CNode's guard is 0x%llx of %llu bits",
                (ull)d[3], (ull)d[4], (ull)d[5]);
        break;
    default:
        kprintf("lookup failure %llu", (ull)d[2]);
        break;
    }
}

static void report(const tcb_t *t, const char *why)
{
    const word_t *d = t->fault_data;
    kprintf("sigil: FAULT in thread '%s' (TCB %p): %s", kernel_thread_name(t), (const void *)t,
            fault_name(t->fault_type));
    switch (t->fault_type) {
    case FAULT_VM:
        kprintf(": %s at 0x%llx, %s level %u", d[1] ? "instruction fetch" : "data access",
                (unsigned long long)d[0], arch_fault_status_name(d[2] & 0x3f),
                (unsigned)(d[2] & 3));
        if (!d[1] && (d[2] & (1u << 6))) {
            kprintf(" (write)");
        }
        break;
    case FAULT_USER_EXCEPTION:
        kprintf(": %s (class 0x%llx, ISS 0x%llx)", arch_exception_class_name((unsigned)d[0]),
                (unsigned long long)d[0], (unsigned long long)d[1]);
        break;
    case FAULT_UNKNOWN_SYSCALL:
        kprintf(" %lld", (long long)d[0]);
        break;
    case FAULT_CAP:
        report_lookup(d);
        break;
    default:
        break;
    }
    kprintf("\n  pc 0x%llx\n  %s: thread suspended\n",
            (unsigned long long)t->arch.regs.x[ARCH_REG_PC], why);
}

/* Send the fault recorded in `t` to its handler, or suspend `t` with a report. */
static void deliver(tcb_t *t)
{
    cap_t handler;
    if (!handler_cap(t, &handler)) {
        report(t, "no fault handler");
        t->fault_type = FAULT_NONE;
        tcb_suspend(t);
        return;
    }
    ipc_send(t, handler, true, true);
}

void fault_raise(tcb_t *t, fault_type_t type, word_t d0, word_t d1, word_t d2, word_t d3)
{
    t->fault_type = type;
    t->fault_data[0] = d0;
    t->fault_data[1] = d1;
    t->fault_data[2] = d2;
    t->fault_data[3] = d3;
    t->fault_data[4] = 0;
    t->fault_data[5] = 0;
    deliver(t);
}

void fault_raise_cap(tcb_t *t, cptr_t cptr, bool in_receive, lookup_fault_t f)
{
    t->fault_type = FAULT_CAP;
    t->fault_data[0] = cptr;
    t->fault_data[1] = in_receive;
    t->fault_data[2] = t->fault_data[3] = t->fault_data[4] = t->fault_data[5] = 0;
    lookup_fault_to_words(f, &t->fault_data[2]);
    deliver(t);
}

unsigned fault_message(const tcb_t *t, word_t mr[FAULT_MAX_WORDS])
{
    const word_t *x = t->arch.regs.x;
    const word_t *d = t->fault_data;
    switch (t->fault_type) {
    case FAULT_VM:
        mr[Sigil_VMFault_IP] = x[ARCH_REG_PC];
        mr[Sigil_VMFault_Addr] = d[0];
        mr[Sigil_VMFault_PrefetchFault] = d[1];
        mr[Sigil_VMFault_FSR] = d[2];
        return Sigil_VMFault_Length;
    case FAULT_UNKNOWN_SYSCALL:
        for (unsigned i = 0; i <= Sigil_UnknownSyscall_X7 - Sigil_UnknownSyscall_X0; i++) {
            mr[Sigil_UnknownSyscall_X0 + i] = x[i];
        }
        mr[Sigil_UnknownSyscall_FaultIP] = x[ARCH_REG_PC];
        mr[Sigil_UnknownSyscall_SP] = x[ARCH_REG_SP];
        mr[Sigil_UnknownSyscall_LR] = x[30]; /* x30, the link register */
        mr[Sigil_UnknownSyscall_SPSR] = x[ARCH_REG_SPSR];
        mr[Sigil_UnknownSyscall_Syscall] = d[0];
        return Sigil_UnknownSyscall_Length;
    case FAULT_USER_EXCEPTION:
        mr[Sigil_UserException_FaultIP] = x[ARCH_REG_PC];
        mr[Sigil_UserException_SP] = x[ARCH_REG_SP];
        mr[Sigil_UserException_SPSR] = x[ARCH_REG_SPSR];
        mr[Sigil_UserException_Number] = d[0];
        mr[Sigil_UserException_Code] = d[1];
        return Sigil_UserException_Length;
    default: { /* FAULT_CAP: d holds cptr, phase, then the lookup failure's words */
        unsigned n = sigil_lookup_failure_length(d[2]);
        mr[Sigil_CapFault_IP] = x[ARCH_REG_PC];
        mr[Sigil_CapFault_Addr] = d[0];
        mr[Sigil_CapFault_InRecvPhase] = d[1];
        for (unsigned i = 0; i < n; i++) {
            mr[Sigil_CapFault_LookupFailureType + i] = d[2 + i];
        }
        return Sigil_CapFault_LookupFailureType + n;
    }
    }
}

/* The register an UnknownSyscall reply's word `i` sets (every word before Syscall). */
static word_t *unknown_syscall_reg(word_t *x, unsigned i)
{
    switch (i) {
    case Sigil_UnknownSyscall_FaultIP:
        return &x[ARCH_REG_PC];
    case Sigil_UnknownSyscall_SP:
        return &x[ARCH_REG_SP];
    case Sigil_UnknownSyscall_LR:
        return &x[30];
    case Sigil_UnknownSyscall_SPSR:
        return &x[ARCH_REG_SPSR];
    default: /* X0..X7 */
        return &x[i - Sigil_UnknownSyscall_X0];
    }
}

bool fault_handle_reply(tcb_t *t, word_t label, const word_t *mr, unsigned length)
{
    word_t *x = t->arch.regs.x;
    word_t type = t->fault_type;
    t->fault_type = FAULT_NONE;
    switch (type) {
    case FAULT_UNKNOWN_SYSCALL:
        if (label != 0) {
            return false;
        }
        for (unsigned i = 0; i < length && i < Sigil_UnknownSyscall_Syscall; i++) {
            bool spsr = i == Sigil_UnknownSyscall_SPSR;
            *unknown_syscall_reg(x, i) = spsr ? arch_sanitise_spsr(mr[i]) : mr[i];
        }
        return true;
    case FAULT_USER_EXCEPTION:
        if (label != 0) {
            return false;
        }
        if (length > Sigil_UserException_FaultIP) {
            x[ARCH_REG_PC] = mr[Sigil_UserException_FaultIP];
        }
        if (length > Sigil_UserException_SP) {
            x[ARCH_REG_SP] = mr[Sigil_UserException_SP];
        }
        if (length > Sigil_UserException_SPSR) {
            x[ARCH_REG_SPSR] = arch_sanitise_spsr(mr[Sigil_UserException_SPSR]);
        }
        return true;
    default: /* VMFault, CapFault: restart at the faulting instruction */
        return true;
    }
}
