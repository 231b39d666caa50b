/*
 * The kernel tick: the EL1 physical timer (PPI 30) fires TIMER_TICK_HZ times a second.
 * Each tick is a preemption of whatever user thread runs.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

static uint64_t tick_interval;
static uint64_t tick_count;

void timer_init(void)
{
    tick_interval = SYSREG_READ(cntfrq_el0) / TIMER_TICK_HZ;
    SYSREG_WRITE(cntp_tval_el0, tick_interval);
    SYSREG_WRITE(cntp_ctl_el0, 1);
    gic_enable_irq(SIGIL_PLAT_TIMER_IRQ);
}

void timer_tick_ack(void)
{
    SYSREG_WRITE(cntp_tval_el0, tick_interval);
    tick_count++;
}

uint64_t timer_ticks(void)
{
    return tick_count;
}
