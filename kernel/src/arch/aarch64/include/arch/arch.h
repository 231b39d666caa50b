/*
 * The AArch64 layer's interface to the portable kernel: devices, power, the user register
 * switch and boot-time address-space construction.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/machine.h>
#include <arch/tcb.h>

typedef uint64_t paddr_t;

static inline void *arch_kptr(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + KERNEL_WINDOW_BASE);
}

static inline paddr_t arch_paddr(const void *p)
{
    return (paddr_t)(uintptr_t)p - KERNEL_WINDOW_BASE;
}

/* Console (PL011). */
void uart_init(void);
void uart_putc(char c);

/* Interrupt controller (GICv2). */
void gic_init(void);
void gic_enable_irq(unsigned irq);
void gic_disable_irq(unsigned irq);
/* Acknowledge the highest-priority pending interrupt; returns its id (1023 = none). */
unsigned gic_ack(void);
void gic_eoi(unsigned irq);

/* Generic timer: a periodic tick on the EL1 physical timer. */
#define TIMER_TICK_HZ 1000
void timer_init(void);
void timer_tick_ack(void);
uint64_t timer_ticks(void);
/* The longest a timer interrupt waited to be handled (instructions, under -icount shift=0)
 * since the last call; resets it. */
uint64_t timer_take_max_latency(void);

/* PSCI through the conduit the device tree names ("smc" or "hvc"). */
void psci_set_conduit_hvc(bool hvc);
_Noreturn void arch_power_off(int status);

/* Enter user mode as the current thread. TPIDR_EL1 names the thread's saved registers. */
_Noreturn void arch_return_to_user(void);
arch_regs_t *arch_current_regs(void);

/* Human-readable names for ESR exception classes and abort fault status codes. */
const char *arch_exception_class_name(unsigned ec);
const char *arch_fault_status_name(unsigned fsc);

/* Exception entry points called from vectors.S. */
void arch_user_sync(uint64_t esr, uint64_t far);
void arch_user_irq(void);
/* An exception from EL0 that must not happen (FIQ, SError, AArch32), vector `kind`: the user
 * registers are saved in `regs`; report and stop. */
_Noreturn void arch_user_unexpected(arch_regs_t *regs, uint64_t kind);
struct trap_frame;
void arch_kernel_trap(struct trap_frame *frame, uint64_t kind);

#endif /* ARCH_ARCH_H */
