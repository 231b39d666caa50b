/*
 * Work counting for preemption points (see preempt.h).
 */
#include <arch/hooks.h>
#include <kernel/preempt.h>
#include <lib/kstate.h>

KSTATE static word_t units_since_check;

void preempt_reset(void)
{
    units_since_check = 0;
}

bool preempt_point(void)
{
    units_since_check++;
    if (units_since_check < PREEMPT_UNITS_PER_CHECK) {
        return false;
    }
    bool pending = arch_preemption_pending();
    units_since_check = 0;
    return pending;
}

word_t preempt_units_since_check(void)
{
    return units_since_check;
}
