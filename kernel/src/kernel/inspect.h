/*
 * The introspection interface (see inspect.c for the calls and their answers).
 */
#ifndef KERNEL_INSPECT_H
#define KERNEL_INSPECT_H

#include <arch/tcb.h>

struct tcb;

void inspect_cap(struct tcb *t, arch_regs_t *regs);
void inspect_cap_identify(struct tcb *t, arch_regs_t *regs);
void inspect_tcb(struct tcb *t, arch_regs_t *regs);
void inspect_vspace(struct tcb *t, arch_regs_t *regs);
void inspect_invariants(arch_regs_t *regs); /* debug builds only */

#endif /* KERNEL_INSPECT_H */
