/*
 * The kernel tick: the EL1 physical timer (PPI 30) fires TIMER_TICK_HZ times a second.
 * Each tick is a preemption of whatever user thread runs.
 *
 * The timer is programmed with absolute deadlines (CNTP_CVAL), so ticks do not drift and the
 * kernel knows when each interrupt became pending. That gives the interrupt-latency figure:
 * under QEMU's -icount shift=0, virtual time advances 1 ns per instruction and the cycle
 * counter counts instructions, so "cycle counter now" minus "deadline converted to
 * instructions" is the number of instructions the interrupt waited. The conversion has the
 * granularity of one counter tick (16 instructions at QEMU's 62.5 MHz).
 *
 * The timer and the counter are the kernel's alone: EL0 has no access to either.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

static uint64_t tick_interval;
static uint64_t next_deadline;
static uint64_t tick_count;
static uint64_t counter_freq;
static int64_t pmu_offset_ns; /* virtual ns when the cycle counter was 0 */
static uint64_t max_latency;

static uint64_t counter_to_ns(uint64_t ticks)
{
    /* No 128-bit division in the kernel: split into whole seconds and the rest. */
    return ticks / counter_freq * 1000000000u + ticks % counter_freq * 1000000000u / counter_freq;
}

void timer_init(void)
{
    /* EL0 may neither program the timers nor read the counters (CNTKCTL_EL1's EL0PTEN, EL0VTEN,
     * EL0PCTEN, EL0VCTEN: no user code reads them). The bits reset to UNKNOWN values on
     * hardware, and a thread that could write CNTP_CTL_EL0 could stop the kernel's tick. */
    SYSREG_WRITE(cntkctl_el1, 0);
    counter_freq = SYSREG_READ(cntfrq_el0);
    tick_interval = counter_freq / TIMER_TICK_HZ;
    arch_isb();
    uint64_t now = SYSREG_READ(cntpct_el0);
    uint64_t cycles = SYSREG_READ(pmccntr_el0);
    pmu_offset_ns = (int64_t)counter_to_ns(now) - (int64_t)cycles;
    next_deadline = now + tick_interval;
    SYSREG_WRITE(cntp_cval_el0, next_deadline);
    SYSREG_WRITE(cntp_ctl_el0, 1);
    gic_enable_irq(SIGIL_PLAT_TIMER_IRQ);
}

void timer_tick_ack(void)
{
    arch_isb();
    int64_t now_ns = (int64_t)SYSREG_READ(pmccntr_el0) + pmu_offset_ns;
    int64_t waited = now_ns - (int64_t)counter_to_ns(next_deadline);
    if (waited > 0 && (uint64_t)waited > max_latency) {
        max_latency = (uint64_t)waited;
    }
    uint64_t now = SYSREG_READ(cntpct_el0);
    do {
        next_deadline += tick_interval;
    } while (next_deadline <= now);
    SYSREG_WRITE(cntp_cval_el0, next_deadline);
    tick_count++;
}

uint64_t timer_ticks(void)
{
    return tick_count;
}

uint64_t timer_take_max_latency(void)
{
    uint64_t m = max_latency;
    max_latency = 0;
    return m;
}
