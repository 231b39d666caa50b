/*
 * The debug system calls (numbers in kernel/abi/sigil.yaml, table in docs/kernel/debug.md).
 *
 * Two groups. The open calls only show a thread what it already holds or let it use the
 * console: DebugPutChar, DebugPutString, DebugCapIdentify, DebugNameThread (the TCB cap is the
 * authority) and DebugTimerTicks. The gated calls reach beyond the caller: DebugPowerOff ends
 * the machine, DebugIRQLatency reads and resets the kernel-wide latency record, and the
 * inspection calls (kernel/inspect.c) read physical addresses, other threads' state and the
 * whole kernel state. A gated call names a Debug cap in x6 (object/debug.h); the cap must allow
 * its operation (PowerOff, or Introspect for all the others).
 *
 * The gate's answer comes back in x6: NoError, or InvalidCapability when the cap is missing or
 * does not allow the operation; then the call did nothing (DebugIRQLatency did not reset the
 * record, DebugPowerOff returned) and x0 is InvalidCapability too, x1-x5 are 0. The open calls
 * leave x6 alone.
 */
#include <arch/arch.h>
#include <arch/uaccess.h>
#include <sigil/abi.h>
#include <sigil/ipcbuffer.h>

#include "kernel/cspace.h"
#include "kernel/debugcall.h"
#include "kernel/inspect.h"
#include "kernel/ipc.h"
#include "lib/kprintf.h"
#include "object/debug.h"
#include "object/tcb.h"

/* The register a gated call names its Debug cap in, and the gate's answer comes back in. */
#define DEBUG_CAP_REG 6

/* The longest string DebugPutString prints: the kernel prints with interrupts masked, so the
 * time one call takes must be bounded. */
#define DEBUG_PUTS_MAX 1024

/* Print `len` bytes at user address `ptr`; false, printing nothing, if the string is too long or
 * any of it is not readable RAM. */
static bool debug_put_string(uint64_t ptr, uint64_t len)
{
    static char buf[DEBUG_PUTS_MAX]; /* one kernel stack, one CPU */
    if (len > DEBUG_PUTS_MAX || !arch_copy_from_user(buf, ptr, len)) {
        return false;
    }
    for (uint64_t i = 0; i < len; i++) {
        arch_console_putc(buf[i]);
    }
    return true;
}

/* DebugNameThread (seL4's): name the thread of the TCB cap at `cptr` with the NUL-terminated
 * string at the start of the caller's message words; at most SIGIL_MSG_THREAD_NAME_MAX - 1
 * bytes are kept. Returns NoError, InvalidCapability (not a TCB cap) or InvalidArgument (the
 * caller has no IPC buffer); nothing changes on an error. */
static word_t debug_name_thread(tcb_t *t, cptr_t cptr)
{
    cspace_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot == NULL || cap_type(r.slot->cap) != Sigil_CapTCB) {
        return Sigil_InvalidCapability;
    }
    const sigil_ipc_buffer_t *buf = ipc_buffer_of(t);
    if (buf == NULL) {
        return Sigil_InvalidArgument;
    }
    tcb_t *named = tcb_from_cap(r.slot->cap);
    const char *src = (const char *)buf->msg;
    unsigned i = 0;
    for (; i < SIGIL_MSG_THREAD_NAME_MAX - 1 && src[i] != '\0'; i++) {
        named->name[i] = src[i];
    }
    named->name[i] = '\0';
    return Sigil_NoError;
}

/* The gate: whether the Debug cap the caller names in x6 allows `ops`. When it does not, the
 * refusal is written into x0-x6 and the call must do nothing else. */
static bool gate(tcb_t *t, arch_regs_t *regs, word_t ops)
{
    cptr_t cptr = arch_syscall_arg(regs, DEBUG_CAP_REG);
    sigil_error_t e = debug_check(t->slots[TCB_SLOT_CSPACE].cap, cptr, ops);
    arch_syscall_set(regs, DEBUG_CAP_REG, e);
    if (e == Sigil_NoError) {
        return true;
    }
    arch_syscall_set(regs, 0, e);
    for (unsigned i = 1; i < DEBUG_CAP_REG; i++) {
        arch_syscall_set(regs, i, 0);
    }
    return false;
}

/* Whether `num` is one of the calls that need a Debug cap allowing Introspect in this build
 * (DebugCheckInvariants exists only in debug kernels). */
static bool is_introspection(int64_t num)
{
    switch (num) {
    case Sigil_SysDebugCapInspect:
    case Sigil_SysDebugTCBInspect:
    case Sigil_SysDebugVSpaceLookup:
    case Sigil_SysDebugIRQLatency:
        return true;
#if defined(SIGIL_DEBUG) && SIGIL_DEBUG
    case Sigil_SysDebugCheckInvariants:
        return true;
#endif
    default:
        return false;
    }
}

/* Perform introspection call `num` (is_introspection(num), the gate passed). */
static void introspect(tcb_t *t, arch_regs_t *regs, int64_t num)
{
    switch (num) {
    case Sigil_SysDebugCapInspect:
        inspect_cap(t, regs);
        break;
    case Sigil_SysDebugTCBInspect:
        inspect_tcb(t, regs);
        break;
    case Sigil_SysDebugVSpaceLookup:
        inspect_vspace(t, regs);
        break;
#if defined(SIGIL_DEBUG) && SIGIL_DEBUG
    case Sigil_SysDebugCheckInvariants:
        inspect_invariants(regs);
        break;
#endif
    default: /* Sigil_SysDebugIRQLatency */
        arch_syscall_set(regs, 0, timer_take_max_latency());
        break;
    }
}

bool debugcall_handle(tcb_t *t, arch_regs_t *regs)
{
    int64_t num = arch_syscall_number(regs);
    switch (num) {
    case Sigil_SysDebugPutChar:
        arch_console_putc((char)arch_syscall_arg(regs, 0));
        return true;
    case Sigil_SysDebugPutString: {
        bool ok = debug_put_string(arch_syscall_arg(regs, 0), arch_syscall_arg(regs, 1));
        arch_syscall_set(regs, 0, ok ? Sigil_NoError : Sigil_InvalidArgument);
        return true;
    }
    case Sigil_SysDebugTimerTicks:
        arch_syscall_set(regs, 0, timer_ticks());
        return true;
    case Sigil_SysDebugNameThread:
        arch_syscall_set(regs, 0, debug_name_thread(t, arch_syscall_arg(regs, 0)));
        return true;
    case Sigil_SysDebugCapIdentify:
        inspect_cap_identify(t, regs);
        return true;
    case Sigil_SysDebugPowerOff:
        if (gate(t, regs, Sigil_DebugPowerOff)) {
            arch_power_off((int)arch_syscall_arg(regs, 0));
        }
        return true;
    default:
        if (!is_introspection(num)) {
            return false;
        }
        if (gate(t, regs, Sigil_DebugIntrospect)) {
            introspect(t, regs, num);
        }
        return true;
    }
}
