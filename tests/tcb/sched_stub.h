/*
 * The TCB tests' stand-in for the scheduler's priority change (see sched_stub.c).
 */
#ifndef TESTS_TCB_SCHED_STUB_H
#define TESTS_TCB_SCHED_STUB_H

/* Calls of sched_change_priority so far. */
extern unsigned long sched_stub_priority_changes;

#endif /* TESTS_TCB_SCHED_STUB_H */
