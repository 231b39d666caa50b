/*
 * irq_to_user_notification: from a device interrupt becoming pending to the user-level
 * handler's Wait returning. The root task (lower priority) raises the PL031 RTC's alarm by
 * writing its match register with the current count, which QEMU turns into an interrupt at
 * once; a driver thread of higher priority waits on the notification bound to the IRQ. The
 * counter is read right before the device write and right after the Wait returns. The
 * benchmark checks its effect: each of the ITERS alarms woke the driver exactly once, after the
 * device write; otherwise the image fails, whatever the figure.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "thread.h"

#define RTC_VA (VM_BASE + 0x4000)
#define ITERS  8

static sigil_word_t ntfn, handler;
static volatile uint64_t woke, wakes;

static volatile uint32_t *reg(unsigned off)
{
    return (volatile uint32_t *)(RTC_VA + off);
}

static void driver(sigil_word_t unused)
{
    (void)unused;
    for (;;) {
        register sigil_word_t x0 __asm__("x0") = ntfn;
        register int64_t x7 __asm__("x7") = Sigil_SysWait;
        register uint64_t x19 __asm__("x19");
        __asm__ volatile("svc #0\n mrs x19, pmccntr_el0"
                         : "+r"(x0), "=r"(x19)
                         : "r"(x7)
                         : "x1", "x2", "x3", "x4", "x5", "x6", "memory");
        woke = x19;
        wakes++;
        *reg(0x01c) = 1; /* clear the alarm */
        sigil_irq_handler_ack(handler);
    }
}

int main(const void *arg)
{
    vm_setup(arg);
    for (int i = 0; i < 3; i++) {
        sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, VM_BASE, 0);
    }
    sigil_frame_map(vm_device_frame(SIGIL_PLAT_RTC_BASE), VS, RTC_VA,
                    Sigil_CanRead | Sigil_CanWrite, 0);
    ntfn = vm_retype(Sigil_NotificationObject, 0);
    handler = vm_slot();
    sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, handler, DEPTH);
    sigil_irq_handler_set_notification(handler, ntfn);
    *reg(0x010) = 1; /* interrupt enabled */
    test_thread_t th;
    sigil_tcb_set_priority(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 100);
    thread_create(&th, driver, 0, 110, 0);
    thread_start(&th); /* runs at once and waits */
    uint64_t latency = 0;
    unsigned wrong = 0;
    for (unsigned i = 0; i < ITERS; i++) {
        uint32_t now = *reg(0x000);
        register uint64_t t0 __asm__("x19");
        __asm__ volatile("mrs x19, pmccntr_el0\n str %w[v], [%[mr]]"
                         : "=&r"(t0)
                         : [v] "r"(now), [mr] "r"(reg(0x004))
                         : "memory");
        latency = woke - t0;
        wrong += wakes != i + 1 || woke < t0;
    }
    if (wrong) {
        sigil_printf("bench_irq: %u of %u alarms did not wake the driver once, after the write\n",
                     wrong, ITERS);
        return 1;
    }
    sigil_printf("BENCH irq_to_user_notification %llu\n", (unsigned long long)latency);
    return 0;
}
