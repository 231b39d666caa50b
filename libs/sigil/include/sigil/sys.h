/*
 * System call stubs: seL4's AArch64 convention, `svc #0` with the syscall number in x7.
 */
#ifndef SIGIL_SYS_H
#define SIGIL_SYS_H

#include <stdint.h>

#include <sigil/abi.h>

static inline uint64_t sigil_syscall2(int64_t num, uint64_t a0, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register int64_t x7 __asm__("x7") = num;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x7) : "memory");
    return x0;
}

/* Print one character on the kernel console. */
static inline void sigil_debug_putchar(char c)
{
    sigil_syscall2(Sigil_SysDebugPutChar, (uint8_t)c, 0);
}

/* Print `len` bytes; returns Sigil_NoError, or Sigil_InvalidArgument for an unreadable buffer. */
static inline uint64_t sigil_debug_puts(const char *s, uint64_t len)
{
    return sigil_syscall2(Sigil_SysDebugPutString, (uint64_t)(uintptr_t)s, len);
}

/* Timer ticks since boot (TIMER_TICK_HZ per second). */
static inline uint64_t sigil_debug_timer_ticks(void)
{
    return sigil_syscall2(Sigil_SysDebugTimerTicks, 0, 0);
}

/* Power the machine off, reporting `status` (0 = success) on the console. */
static inline _Noreturn void sigil_debug_power_off(int status)
{
    sigil_syscall2(Sigil_SysDebugPowerOff, (uint64_t)status, 0);
    for (;;) {
    }
}

/* The longest a timer interrupt waited for the kernel since the last call, in instructions
 * (meaningful under QEMU's -icount shift=0); resets the maximum. */
static inline uint64_t sigil_debug_irq_latency(void)
{
    return sigil_syscall2(Sigil_SysDebugIRQLatency, 0, 0);
}

static inline void sigil_yield(void)
{
    sigil_syscall2(Sigil_SysYield, 0, 0);
}

/* The cycle counter (instructions under QEMU's -icount shift=0). */
static inline uint64_t sigil_cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

#endif /* SIGIL_SYS_H */
