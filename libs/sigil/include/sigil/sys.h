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

/* The Debug cap the gated debug calls name in x6 (docs/kernel/debug.md): DebugPowerOff needs
 * one allowing PowerOff, the introspection calls and DebugIRQLatency one allowing Introspect.
 * A program may set sigil_debug_cap to the cptr of the cap it holds; while it is
 * SIGIL_DEBUG_CAP_DEFAULT (its initial value) the cap is the one the spec gave the component
 * (its component record, <sigil/component_info.h>; none: cptr 0) or, in a thread without the
 * record (the root task), the master in boot slot Sigil_SlotDebug. sigil_debug_cptr() says
 * which cptr the calls use. */
#define SIGIL_DEBUG_CAP_DEFAULT (~0ull)
extern uint64_t sigil_debug_cap;
uint64_t sigil_debug_cptr(void);

/* A gated debug call: x0, x1 = a0, a1, x6 = the Debug cap; out[0..5] = x0-x5 after the call.
 * Returns the gate's answer (x6): Sigil_NoError, or Sigil_InvalidCapability when the cap does
 * not allow the call (then it did nothing, out[0] is Sigil_InvalidCapability, the rest 0). */
static inline uint64_t sigil_debug_gated(int64_t num, uint64_t a0, uint64_t a1, uint64_t out[6])
{
    uint64_t cap = sigil_debug_cptr(); /* before the register variables: a call clobbers them */
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2");
    register uint64_t x3 __asm__("x3");
    register uint64_t x4 __asm__("x4");
    register uint64_t x5 __asm__("x5");
    register uint64_t x6 __asm__("x6") = cap;
    register int64_t x7 __asm__("x7") = num;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5), "+r"(x6)
                     : "r"(x7)
                     : "memory");
    out[0] = x0, out[1] = x1, out[2] = x2, out[3] = x3, out[4] = x4, out[5] = x5;
    return x6;
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

/* DebugPowerOff: power the machine off, reporting `status` (0 = success) on the console.
 * Returns only when the Debug cap does not allow PowerOff: Sigil_InvalidCapability. */
static inline uint64_t sigil_debug_try_power_off(int status)
{
    uint64_t out[6];
    return sigil_debug_gated(Sigil_SysDebugPowerOff, (uint64_t)status, 0, out);
}

/* Power the machine off with `status`; without a Debug cap allowing it, say so on the console
 * and stop this thread for good (libs/sigil/src/debug.c). */
_Noreturn void sigil_debug_power_off(int status);

/* The longest a timer interrupt waited for the kernel since the last call, in instructions
 * (meaningful under QEMU's -icount shift=0); resets the maximum. Needs Introspect: without it
 * the answer is Sigil_InvalidCapability and nothing is reset (sigil_debug_gated() tells the
 * two apart). */
static inline uint64_t sigil_debug_irq_latency(void)
{
    uint64_t out[6];
    sigil_debug_gated(Sigil_SysDebugIRQLatency, 0, 0, out);
    return out[0];
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
