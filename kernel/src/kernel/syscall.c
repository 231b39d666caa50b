/*
 * System call dispatch.
 *
 * The syscall number is in x7 (seL4's ABI). Call, Send and NBSend on a capability that names a
 * kernel object are invocations: the message (label and length in the message info word in
 * x1, the first four words in x2-x5, the rest and the extra caps' cptrs in the IPC buffer) is
 * gathered into an invocation_t, the capability core decodes and performs it, and for Call the
 * reply (error code as label, detail or result words) is written back the same way.
 * Debug calls (console output, tick count, power-off) are handled here directly.
 */
#include <arch/arch.h>
#include <arch/uaccess.h>
#include <arch/vspace.h>
#include <sigil/abi.h>
#include <sigil/ipcbuffer.h>

#include "api/invocation.h"
#include "kernel/cspace.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "lib/kprintf.h"
#include "object/tcb.h"

#define PUTS_CHUNK 128
#define MSG_REGS   SIGIL_MSG_REGISTERS_IN_SYSCALL

/* Print `len` bytes at user address `ptr`; false, printing nothing, if any of it is not
 * readable. */
static bool debug_put_string(uint64_t ptr, uint64_t len)
{
    char buf[PUTS_CHUNK];
    if (!arch_user_range_readable(ptr, len)) {
        return false;
    }
    while (len > 0) {
        uint64_t n = len < PUTS_CHUNK ? len : PUTS_CHUNK;
        if (!arch_copy_from_user(buf, ptr, n)) {
            return false;
        }
        for (uint64_t i = 0; i < n; i++) {
            arch_console_putc(buf[i]);
        }
        ptr += n, len -= n;
    }
    return true;
}

/* The thread's IPC buffer through the kernel window, or NULL if it has no usable one: the
 * TCB's IPC buffer slot must hold a non-device frame cap with write rights. */
static sigil_ipc_buffer_t *ipc_buffer_of(tcb_t *t)
{
    cap_t c = t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (cap_type(c) != Sigil_CapFrame || cap_frame_is_device(c) ||
        !(cap_rights(c) & Sigil_CanWrite)) {
        return NULL;
    }
    static const unsigned frame_bits[] = {12, 21, 30}; /* by frame_size_t */
    word_t size = 1ull << frame_bits[cap_frame_size(c)];
    word_t offset = t->ipc_buffer_vaddr & (size - 1) & ~(word_t)0x3ff;
    return (sigil_ipc_buffer_t *)((uint8_t *)cap_ptr(c) + offset);
}

static void report_cap_fault(tcb_t *t, cptr_t cptr, const lookup_fault_t *f)
{
    kprintf("sigil: FAULT in thread '%s' (TCB %p): capability fault on cptr 0x%llx "
            "(lookup failure %u) at pc 0x%llx\n  no fault handler: thread suspended\n",
            kernel_thread_name(t), (void *)t, (unsigned long long)cptr, (unsigned)f->type,
            (unsigned long long)t->arch.regs.x[ARCH_REG_PC]);
    tcb_suspend(t);
}

/* Gather the message of the current syscall. False on a cap fault in the extra caps. */
static bool gather(tcb_t *t, const arch_regs_t *regs, sigil_ipc_buffer_t *buf, invocation_t *inv,
                   cptr_t *bad_cptr)
{
    sigil_msginfo_t info = arch_syscall_arg(regs, 1);
    word_t length = sigil_msginfo_length(info);
    if (length > SIGIL_MSG_MAX_LENGTH) {
        length = SIGIL_MSG_MAX_LENGTH;
    }
    if (buf == NULL && length > MSG_REGS) {
        length = MSG_REGS;
    }
    inv->label = sigil_msginfo_label(info);
    inv->length = length;
    for (word_t i = 0; i < length; i++) {
        inv->mr[i] = i < MSG_REGS ? arch_syscall_arg(regs, 2 + (unsigned)i) : buf->msg[i];
    }
    word_t extra = buf != NULL ? sigil_msginfo_extra_caps(info) : 0;
    inv->extra_caps = 0;
    for (word_t i = 0; i < extra; i++) {
        cptr_t cptr = buf->caps_or_badges[i];
        cspace_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
        if (r.slot == NULL) {
            inv->fault = r.fault;
            *bad_cptr = cptr;
            return false;
        }
        inv->extra[inv->extra_caps++] = r.slot;
    }
    return true;
}

/* Write the reply of a Call: label and length in x1, words in x2-x5 and the IPC buffer. */
static void scatter_reply(arch_regs_t *regs, sigil_ipc_buffer_t *buf, const invocation_t *inv)
{
    word_t length = inv->reply_length;
    if (buf == NULL && length > MSG_REGS) {
        length = MSG_REGS;
    }
    for (word_t i = 0; i < length; i++) {
        if (i < MSG_REGS) {
            arch_syscall_set(regs, 2 + (unsigned)i, inv->reply_mr[i]);
        } else {
            buf->msg[i] = inv->reply_mr[i];
        }
    }
    arch_syscall_set(regs, 1, sigil_msginfo_new(inv->reply_label, 0, 0, length));
    arch_syscall_set(regs, 0, 0);
}

static void handle_invocation(tcb_t *t, arch_regs_t *regs, bool is_call)
{
    static invocation_t inv; /* one kernel stack, one CPU: too big for the stack */
    cptr_t cptr = arch_syscall_arg(regs, 0);
    sigil_ipc_buffer_t *buf = ipc_buffer_of(t);
    cptr_t bad = cptr;
    sigil_status_t st;
    if (!gather(t, regs, buf, &inv, &bad)) {
        st = SIGIL_STATUS_CAP_FAULT;
    } else {
        st = api_invoke(t, cptr, &inv);
    }
    switch (st) {
    case SIGIL_STATUS_PREEMPTED:
        /* Re-execute the same svc when the thread next runs; progress is in the objects. */
        regs->x[ARCH_REG_PC] -= 4;
        kernel_handle_interrupts();
        return;
    case SIGIL_STATUS_CAP_FAULT:
        report_cap_fault(t, bad, &inv.fault);
        return;
    case SIGIL_STATUS_NOT_CORE:
        switch (cap_type(inv.target->cap)) {
        case Sigil_CapFrame:
        case Sigil_CapPageTable:
        case Sigil_CapVSpace:
            arch_invoke(inv.target, &inv);
            break;
        default:
            /* Endpoint, notification, reply and TCB invocations arrive with the IPC layer. */
            inv.reply_label = Sigil_IllegalOperation;
            inv.reply_length = 0;
            break;
        }
        break;
    default:
        break;
    }
    if (is_call && t->state == TCB_RUNNING) {
        scatter_reply(regs, buf, &inv);
    }
}

void syscall_handle(arch_regs_t *regs)
{
    tcb_t *t = (tcb_t *)regs; /* the registers are the TCB's first member */
    switch (arch_syscall_number(regs)) {
    case Sigil_SysCall:
        handle_invocation(t, regs, true);
        break;
    case Sigil_SysSend:
    case Sigil_SysNBSend:
        handle_invocation(t, regs, false);
        break;
    case Sigil_SysYield:
        sched_yield();
        break;
    case Sigil_SysDebugPutChar:
        arch_console_putc((char)arch_syscall_arg(regs, 0));
        break;
    case Sigil_SysDebugPutString: {
        bool ok = debug_put_string(arch_syscall_arg(regs, 0), arch_syscall_arg(regs, 1));
        arch_syscall_set(regs, 0, ok ? Sigil_NoError : Sigil_InvalidArgument);
        break;
    }
    case Sigil_SysDebugTimerTicks:
        arch_syscall_set(regs, 0, timer_ticks());
        break;
    case Sigil_SysDebugIRQLatency:
        arch_syscall_set(regs, 0, timer_take_max_latency());
        break;
    case Sigil_SysDebugPowerOff:
        arch_power_off((int)arch_syscall_arg(regs, 0));
    default:
        kprintf("sigil: FAULT in thread '%s' (TCB %p): unknown syscall %lld at pc 0x%llx\n",
                kernel_thread_name(t), (void *)t, (long long)arch_syscall_number(regs),
                (unsigned long long)regs->x[ARCH_REG_PC]);
        kprintf("  no fault handler: thread suspended\n");
        tcb_suspend(t);
        break;
    }
}
