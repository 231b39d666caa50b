/*
 * Preemption points for long kernel operations.
 *
 * Revoke, deletion of CNodes and TCBs, untyped reset and CancelBadgedSends run in units of
 * work, each bounded by a constant (one slot deleted, one waiter dequeued, one reset chunk
 * cleared...). After each unit the operation has saved its progress in kernel objects and
 * calls preempt_point(). Every PREEMPT_UNITS_PER_CHECK units that asks the architecture
 * whether an interrupt is pending; if so the operation returns PREEMPTED, the syscall layer
 * handles the interrupt and later re-executes the same system call, which finds the saved
 * progress and continues. The bound on work between two interrupt checks is therefore
 * PREEMPT_UNITS_PER_CHECK units of constant cost.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include <object/types.h>

#define PREEMPT_UNITS_PER_CHECK 1u

/* Result of an invoke step: it either finished or stopped at a preemption point. */
typedef enum {
    INVOKE_DONE = 0,
    INVOKE_PREEMPTED = 1,
} invoke_result_t;

/* Start counting for a new kernel entry (called by api_invoke). */
void preempt_reset(void);

/* Record one unit of bounded work. Returns true when the caller must stop now. */
bool preempt_point(void);

/* Units recorded since the last interrupt check (tests assert the bound with it). */
word_t preempt_units_since_check(void);

#endif /* KERNEL_PREEMPT_H */
