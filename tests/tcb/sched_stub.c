/*
 * sched_change_priority for the TCB tests: the core's host scheduler (tests/core/host_arch.c)
 * is one FIFO, so a priority change only records the new value and counts the call.
 */
#include "sched_stub.h"

#include <kernel/sched.h>
#include <object/tcb.h>

unsigned long sched_stub_priority_changes;

void sched_change_priority(struct tcb *t, unsigned prio)
{
    t->priority = (uint8_t)prio;
    sched_stub_priority_changes++;
}
