/*
 * Exception vectors and the user/kernel register switch.
 *
 * The kernel runs with interrupts masked (it is not preemptible except at explicit preemption
 * points, where it polls for a pending interrupt). So there are two kinds of entry:
 *   - from EL0 (syscalls, faults, interrupts): the user registers are saved into the current
 *     thread's arch_regs_t, whose address TPIDR_EL1 always holds and SP_EL1 holds while the
 *     thread runs at EL0 (so the registers go straight there); the handler runs on the
 *     kernel stack from its top; then kernel_schedule_and_return() picks the thread to run,
 *     and arch_return_to_user restores it and returns to it with eret;
 *   - from EL1 (a kernel bug, or an smc the firmware did not answer): a trap frame is pushed on
 *     the kernel stack and arch_kernel_trap() decides: report and stop, or resume;
 *   - from EL0 but of a kind that should never happen (FIQ, SError, AArch32): the registers
 *     are saved as for a syscall, then arch_user_unexpected() reports and stops.
 */
#include <arch/machine.h>

#define FRAME_SIZE (36 * 8)    /* x0-x30, sp, elr, spsr, esr, far */

/* Store or load x2-x29 at their arch_regs_t offsets from `base`. */
    .macro  stp_x2_x29 base
    stp     x2, x3, [\base, #16]
    stp     x4, x5, [\base, #32]
    stp     x6, x7, [\base, #48]
    stp     x8, x9, [\base, #64]
    stp     x10, x11, [\base, #80]
    stp     x12, x13, [\base, #96]
    stp     x14, x15, [\base, #112]
    stp     x16, x17, [\base, #128]
    stp     x18, x19, [\base, #144]
    stp     x20, x21, [\base, #160]
    stp     x22, x23, [\base, #176]
    stp     x24, x25, [\base, #192]
    stp     x26, x27, [\base, #208]
    stp     x28, x29, [\base, #224]
    .endm

    .macro  ldp_x2_x29 base
    ldp     x2, x3, [\base, #16]
    ldp     x4, x5, [\base, #32]
    ldp     x6, x7, [\base, #48]
    ldp     x8, x9, [\base, #64]
    ldp     x10, x11, [\base, #80]
    ldp     x12, x13, [\base, #96]
    ldp     x14, x15, [\base, #112]
    ldp     x16, x17, [\base, #128]
    ldp     x18, x19, [\base, #144]
    ldp     x20, x21, [\base, #160]
    ldp     x22, x23, [\base, #176]
    ldp     x24, x25, [\base, #192]
    ldp     x26, x27, [\base, #208]
    ldp     x28, x29, [\base, #224]
    .endm

/* Vector kinds passed to the C handlers (offset of the vector / 0x80). */
    .macro  vector_entry label
    .balign 0x80
    b       \label
    .endm

    .section .text.vectors, "ax"
    .balign 2048
    .global arch_vectors
arch_vectors:
    vector_entry kernel_trap_0      /* current EL, SP_EL0: never used */
    vector_entry kernel_trap_1
    vector_entry kernel_trap_2
    vector_entry kernel_trap_3
    vector_entry kernel_trap_4      /* current EL, SP_ELx: sync */
    vector_entry kernel_trap_5      /* irq */
    vector_entry kernel_trap_6      /* fiq */
    vector_entry kernel_trap_7      /* serror */
    vector_entry user_sync          /* lower EL, AArch64 */
    vector_entry user_irq
    vector_entry user_trap_10       /* fiq from EL0: never enabled */
    vector_entry user_trap_11       /* serror from EL0 */
    vector_entry user_trap_12       /* lower EL, AArch32: never entered */
    vector_entry user_trap_13
    vector_entry user_trap_14
    vector_entry user_trap_15

/* Kernel-mode trap: push a frame, call arch_kernel_trap(frame, kind), restore, eret. */
    .macro  kernel_trap kind
kernel_trap_\kind:
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       kernel_trap_common
    .endm

    .irp    k, 0,1,2,3,4,5,6,7
    kernel_trap \k
    .endr

kernel_trap_common:
    stp_x2_x29 sp
    add     x1, sp, #FRAME_SIZE
    stp     x30, x1, [sp, #240]         /* x30, sp before the trap */
    mrs     x1, elr_el1
    mrs     x2, spsr_el1
    stp     x1, x2, [sp, #256]
    mrs     x1, esr_el1
    mrs     x2, far_el1
    stp     x1, x2, [sp, #272]
    mov     x1, x0                      /* kind */
    mov     x0, sp                      /* frame */
    bl      arch_kernel_trap
    /* Resume: the handler may have changed x0-x7 and elr in the frame. */
    ldp     x1, x2, [sp, #256]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldp     x0, x1, [sp, #0]
    ldp_x2_x29 sp
    ldr     x30, [sp, #240]
    add     sp, sp, #FRAME_SIZE
    eret

/* Save the user registers into *TPIDR_EL1 (the current thread's arch_regs_t). On entry sp is
 * the kernel stack top, which is free because the kernel never sleeps with a stack. */
    .macro  save_user
    /* While a thread runs at EL0, SP_EL1 points at its saved-register area (its TCB's
     * arch_regs_t, also in TPIDR_EL1): store straight into it, then take the kernel stack. */
    stp     x0, x1, [sp, #0]
    stp_x2_x29 sp
    mrs     x0, sp_el0
    stp     x30, x0, [sp, #240]         /* x30, SP */
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x0, x1, [sp, #256]          /* PC, SPSR */
    mrs     x0, tpidr_el0
    str     x0, [sp, #272]              /* TPIDR */
    mov     x0, sp                      /* the thread's registers, for the handlers */
    ldr     x1, =kernel_stack_top
    mov     sp, x1
    .endm

user_sync:
    save_user
    /* Fastpath dispatch: an svc with x7 = Call (-1) or ReplyRecv (-2) tries the fastpath,
     * which does not return if it applies (x0 still holds the TCB, see save_user). */
#if SIGIL_FASTPATH_DEFAULT
    cmn     x7, #1                      /* x7 still holds the syscall number: -1 Call */
    b.eq    2f
    cmn     x7, #2                      /* -2 ReplyRecv */
    b.ne    1f
    mrs     x1, esr_el1                 /* ...if this exception is an svc */
    lsr     w1, w1, #26
    cmp     w1, #0x15
    b.ne    1f
    bl      fastpath_reply_recv
    b       1f
2:  mrs     x1, esr_el1
    lsr     w1, w1, #26
    cmp     w1, #0x15
    b.ne    1f
    bl      fastpath_call
#endif
1:  mrs     x0, esr_el1
    mrs     x1, far_el1
    bl      arch_user_sync
    b       kernel_schedule_and_return

user_irq:
    save_user
    bl      arch_user_irq
    b       kernel_schedule_and_return

/* An exception from EL0 that should never happen (FIQ, SError, AArch32): SP_EL1 still points at
 * the thread's registers, so save them there and take the kernel stack before reporting (a
 * frame pushed on SP_EL1 would land below the TCB, in another object). Does not return. */
    .macro  user_trap kind
user_trap_\kind:
    save_user
    mov     x1, #\kind
    bl      arch_user_unexpected
    .endm

    .irp    k, 10,11,12,13,14,15
    user_trap \k
    .endr

/* Restore the current thread (TPIDR_EL1) and return to EL0. Also the first entry to user
 * space. Never returns. */
    .global arch_return_to_user
arch_return_to_user:
    mrs     x0, tpidr_el1
    mov     sp, x0                      /* SP_EL1: the thread's registers (see save_user) */
    ldp     x1, x2, [x0, #256]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldp     x30, x1, [x0, #240]
    msr     sp_el0, x1
    ldp     x1, x2, [x0, #272]          /* TPIDR, IPC buffer address */
    msr     tpidr_el0, x1
    msr     tpidrro_el0, x2
    ldp_x2_x29 x0
    ldp     x0, x1, [x0, #0]
    eret
