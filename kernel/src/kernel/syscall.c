/*
 * System call dispatch.
 *
 * The syscall number is in x7 (seL4's ABI). Debug calls (console output, tick count,
 * power-off) are handled here directly; they exist in every build of this early kernel, and
 * the capability invocations join them as the object layer arrives.
 */
#include <arch/arch.h>
#include <arch/uaccess.h>
#include <sigil/abi.h>

#include "kernel/kernel.h"
#include "kernel/thread.h"
#include "lib/kprintf.h"

#define PUTS_CHUNK 128

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

void syscall_handle(arch_regs_t *regs)
{
    switch (arch_syscall_number(regs)) {
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
    case Sigil_SysDebugPowerOff:
        arch_power_off((int)arch_syscall_arg(regs, 0));
    case Sigil_SysYield:
        break;
    default:
        kprintf("sigil: FAULT in thread '%s': unknown syscall %lld at pc 0x%llx\n",
                kernel_current->name, (long long)arch_syscall_number(regs),
                (unsigned long long)regs->x[ARCH_REG_PC]);
        kprintf("  no fault handler: thread suspended\n");
        kernel_current->runnable = false;
        break;
    }
}
