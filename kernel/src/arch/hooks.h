/*
 * Everything the portable capability core needs from the architecture.
 *
 * The aarch64 kernel implements these in src/arch/aarch64; host tests implement them in
 * tests/core/host_arch.c over a malloc'd arena that plays the part of physical memory. Each
 * hook states its contract; none may call back into the core except where said.
 * (kpanic() and arch_console_putc() are declared in lib/assert.h and lib/kprintf.h; the
 * scheduler calls in kernel/sched.h are also provided outside the core.)
 */
#ifndef ARCH_HOOKS_H
#define ARCH_HOOKS_H

#include <api/invocation.h>
#include <object/cap.h>
#include <object/types.h>

struct tcb;

/* ---- memory ---- */

/* The kernel's address for physical address `pa`, which lies in RAM or a device region
 * named at boot. Pure function, O(1). Kernel addresses must be canonical 48-bit addresses
 * (bits 63..47 all equal): caps store them in 48 bits and sign-extend. */
void *arch_kptr_from_paddr(paddr_t pa);

/* Inverse of arch_kptr_from_paddr for any pointer into kernel-window memory. O(1). */
paddr_t arch_paddr_from_kptr(const void *kptr);

/* Set `len` bytes at `kptr` (kernel window, normal memory, 16-byte aligned, len a multiple of
 * 16) to zero, leaving them coherent for later user mappings with normal cacheable attributes.
 * Called with len <= the untyped reset chunk (256 bytes) between preemption points. */
void arch_clear_memory(void *kptr, size_t len);

/* ---- preemption ---- */

/* True when an interrupt is pending that the kernel should handle now. Called at most once
 * every PREEMPT_UNITS_PER_CHECK units of work (kernel/preempt.h). Must not acknowledge the
 * interrupt or change kernel state. */
bool arch_preemption_pending(void);

/* ---- threads ---- */

/* A TCB was just created by retype: its memory is zero and `arch` must become a valid initial
 * register state (e.g. SPSR for EL0). */
void arch_tcb_init(struct tcb *t);

/* A TCB is being destroyed (its last cap is being deleted; it is already suspended and off
 * every queue). Forget any per-CPU reference to it (FPU owner, current thread). */
void arch_tcb_destroy(struct tcb *t);

/* ---- address-space invocations ----
 *
 * The core's one dispatcher (api/invoke.c) hands Frame, PageTable and VSpace caps to these.
 * Each decodes the invocation the way the core's objects do (every check in seL4's order, the
 * first failing one deciding the error, into an operation record) and, only if decode
 * succeeds, performs it, which cannot fail (as seL4's decodeARMFrameInvocation and its like
 * end by calling the perform step). On an error nothing has changed and the error is
 * returned; on success result words, if any, are in `inv->reply_mr` and `inv->reply_length`.
 * A label that is not one of the object's invocations is IllegalOperation. */

syserr_t arch_frame_invocation(cte_t *slot, invocation_t *inv);
syserr_t arch_page_table_invocation(cte_t *slot, invocation_t *inv);
syserr_t arch_vspace_invocation(cte_t *slot, invocation_t *inv);

/* ---- address spaces: object lifetime ---- */

/* A frame cap is being deleted, the last one to its frame or not (each frame cap records its
 * own mapping). If it records a mapping (cap_mapped_asid(cap) != 0), remove that mapping
 * (cap_mapped_vaddr) from the VSpace with that ASID if it is still there, and flush the TLB
 * entry; an unmapped cap needs nothing. Must be O(1). */
void arch_unmap_frame(cap_t frame_cap);

/* The last cap to a page table is being deleted: if it is mapped (cap_mapped_asid(cap) != 0),
 * unlink it from its parent table and flush. Entries below it are not visited (the VSpace's own
 * deletion handles them). O(1). */
void arch_unmap_page_table(cap_t pt_cap);

/* A VSpace root was just created by retype (its memory is zero): note it as a live VSpace. */
void arch_vspace_init(void *root);

/* The last cap to a VSpace root is being deleted: release its ASID and flush its TLB entries.
 * O(1). */
void arch_vspace_delete(cap_t vspace_cap);

/* ---- interrupts ---- */

/* Whether `irq` exists on this platform and may be handed to user space (the kernel timer
 * may not). */
bool arch_irq_valid(word_t irq);

/* Mask or unmask `irq` at the interrupt controller. */
void arch_irq_set_masked(word_t irq, bool masked);

/* ---- SMC ---- */

/* Issue `smc #0` with x0-x7 = in[0..7] and return x0-x7 in out[0..7]. If no firmware answers
 * (the instruction traps as undefined) out[0] must be -1 (SMCCC NOT_SUPPORTED), never a
 * kernel crash. Runs with interrupts masked: unbounded, excluded from latency bounds. */
void arch_smc_call(const word_t in[8], word_t out[8]);

#endif /* ARCH_HOOKS_H */
