/*
 * The debug system calls (see debugcall.c and docs/kernel/debug.md).
 */
#ifndef KERNEL_DEBUGCALL_H
#define KERNEL_DEBUGCALL_H

#include <arch/tcb.h>
#include <stdbool.h>

struct tcb;

/* Perform the debug call whose number is in the caller's x7. Returns false, touching nothing,
 * when the number is no debug call of this build (the caller raises UnknownSyscall). */
bool debugcall_handle(struct tcb *t, arch_regs_t *regs);

#endif /* KERNEL_DEBUGCALL_H */
