/*
 * The kernel's top level after boot: interrupts, user faults, and choosing what runs next.
 *
 * Until the object layer brings TCBs and the scheduler, the one user thread is the root task,
 * and "scheduling" means returning to it if it can run, or idling until an interrupt arrives.
 */
#include <arch/arch.h>
#include <arch/vspace_boot.h>
#include <sigil/abi.h>

#include "kernel/kernel.h"
#include "kernel/thread.h"
#include "lib/kprintf.h"

thread_t *kernel_current;

void kernel_handle_interrupts(void)
{
    for (;;) {
        unsigned irq = gic_ack();
        if (irq >= 1020) {
            return; /* nothing (more) pending */
        }
        if (irq == SIGIL_PLAT_TIMER_IRQ) {
            timer_tick_ack();
        } else {
            kprintf("sigil: unexpected interrupt %u\n", irq);
        }
        gic_eoi(irq);
    }
}

void kernel_user_fault(unsigned ec, uint64_t esr, uint64_t far)
{
    thread_t *t = kernel_current;
    kprintf("sigil: FAULT in thread '%s': %s (ESR 0x%llx)\n", t->name,
            arch_exception_class_name(ec), (unsigned long long)esr);
    kprintf("  pc 0x%llx, address 0x%llx", (unsigned long long)t->arch.regs.x[ARCH_REG_PC],
            (unsigned long long)far);
    if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER) {
        kprintf(", %s level %u", arch_fault_status_name(esr & 0x3f), (unsigned)(esr & 3));
    }
    kprintf("\n  no fault handler: thread suspended\n");
    t->runnable = false;
}

_Noreturn void kernel_schedule_and_return(void)
{
    thread_t *t = kernel_current;
    while (t == NULL || !t->runnable) {
        /* Idle: wfi wakes on a pending interrupt even while interrupts are masked. */
        __asm__ volatile("wfi");
        kernel_handle_interrupts();
    }
    arch_set_current_regs(&t->arch.regs);
    arch_return_to_user();
}
