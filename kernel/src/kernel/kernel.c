/*
 * The kernel's top level after boot: interrupts, user faults, and choosing what runs next.
 *
 * Every entry from user space ends in kernel_schedule_and_return(): the scheduler picks the
 * thread to run (sched.c), the kernel switches to its address space if needed, and returns
 * to it. With no runnable thread the kernel idles until an interrupt arrives.
 */
#include <arch/arch.h>
#include <arch/fpu.h>
#include <arch/vspace.h>
#include <sigil/abi.h>

#include "kernel/fault.h"
#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "kernel/return.h"
#include "kernel/sched.h"
#include "lib/kprintf.h"
#include "object/irq.h"
#include "object/tcb.h"

/* A device interrupt: mask it until the handler's IRQHandler_Ack, and signal the notification
 * its handler named. An interrupt nobody handles stays masked. */
static void deliver_irq(unsigned irq)
{
    gic_disable_irq(irq);
    if (irq < IRQ_COUNT && irq_state(irq) == IRQ_SIGNAL) {
        cap_t n = irq_notification(irq);
        if (cap_type(n) == Sigil_CapNotification) {
            ipc_signal(n);
            return;
        }
    }
    kprintf("sigil: interrupt %u has no handler: masked\n", irq);
}

void kernel_handle_interrupts(void)
{
    for (;;) {
        unsigned irq = gic_ack();
        if (irq >= 1020) {
            return; /* nothing (more) pending */
        }
        if (irq == SIGIL_PLAT_TIMER_IRQ) {
            timer_tick_ack();
            sched_tick();
        } else {
            deliver_irq(irq);
        }
        gic_eoi(irq);
    }
}

const char *kernel_thread_name(const tcb_t *t)
{
    if (t->name[0] != '\0') {
        return t->name;
    }
    return t == kernel_root_thread ? "rootserver" : "thread";
}

void kernel_user_fault(unsigned ec, uint64_t esr, uint64_t far)
{
    tcb_t *t = sched_current();
    if (ec == EC_FP_ASIMD && arch_fpu_trap(t)) {
        return; /* lazily switched in: run the instruction again */
    }
    switch (ec) {
    case EC_DABT_LOWER:
    case EC_IABT_LOWER:
        /* VMFault: address, prefetch (instruction fetch) flag, fault status (ESR's ISS). */
        fault_raise(t, FAULT_VM, far, ec == EC_IABT_LOWER, esr & 0x1ffffff, 0);
        break;
    default:
        /* Everything else (undefined instruction, alignment, breakpoint, FP/SIMD access while
         * disabled, ...) is a UserException: number = exception class, code = ISS. */
        fault_raise(t, FAULT_USER_EXCEPTION, ec, esr & 0x1ffffff, 0, 0);
        break;
    }
}

_Noreturn void kernel_schedule_and_return(void)
{
    tcb_t *t;
    while ((t = sched_choose()) == NULL) {
        /* Idle: wfi wakes on a pending interrupt even while interrupts are masked. */
        __asm__ volatile("wfi");
        kernel_handle_interrupts();
    }
    if (t->state == TCB_RESTART) {
        t->state = TCB_RUNNING; /* its PC is on the svc it re-executes, or its entry point */
    }
    kernel_return_to(t);
}

_Noreturn void kernel_return_to(tcb_t *t)
{
    kernel_return_inline(t);
}
