/*
 * Kernel-wide entry points between the arch layer and the portable kernel.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdint.h>

#include <arch/tcb.h>

/* Exit statuses reported on power-off (see docs/boot.md). */
enum {
    KERNEL_STATUS_SUCCESS = 0,
    KERNEL_STATUS_PANIC = 255,
};

/* Handle the syscall whose registers are saved in `regs` (the current thread's). */
void syscall_handle(arch_regs_t *regs);

/* The current user thread took an exception that is not a syscall. */
void kernel_user_fault(unsigned ec, uint64_t esr, uint64_t far);

/* Take and handle every pending interrupt. */
void kernel_handle_interrupts(void);

struct tcb;

/* Return to user space as `t`, the scheduler's current thread. */
_Noreturn void kernel_return_to(struct tcb *t);

/* Choose the thread to run next and return to it; idles while there is none. */
_Noreturn void kernel_schedule_and_return(void);

struct tcb;

/* The root task's thread (set at boot). */
extern struct tcb *kernel_root_thread;

/* A name for reports ("rootserver" or "thread"). */
const char *kernel_thread_name(const struct tcb *t);

/* Test images may override this hook (weak default: nothing) to run at the end of boot. */
void boot_test_hook(void);

/* ...and this one to run first in boot_main, e.g. to give system registers values that real
 * hardware may leave after reset (QEMU resets them to 0). */
void boot_test_early_hook(void);

#endif /* KERNEL_KERNEL_H */
