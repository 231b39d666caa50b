/*
 * What EL0 may and may not do with the system registers the kernel relies on. Threads may read
 * the cycle counter (the benchmarks do) but not reprogram the PMU, and may neither program the
 * timer nor read the generic counter: such an access must trap as a UserException (class 0x18,
 * a trapped system register access) delivered to the thread's fault handler, and must change
 * nothing. The image's kernel starts with the most permissive values hardware may reset these
 * controls to (boot_state_hooks.c), so the kernel must set them itself.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/sys.h>

#include "ktest.h"
#include "thread.h"

#define EC_SYSREG 0x18

static sigil_word_t fault_ep, reply_obj, park;

/* After its forbidden access (skipped by the handler, if it trapped) a thread says so with a
 * plain message on its fault endpoint, then stays out of the way. */
static void carry_on(void)
{
    sigil_send(fault_ep, sigil_msginfo_new(0x55, 0, 0, 0));
    sigil_word_t b;
    for (;;) {
        sigil_wait(park, &b);
    }
}

static void stop_the_pmu(sigil_word_t unused)
{
    (void)unused;
    __asm__ volatile("msr pmcr_el0, %0" ::"r"(0ull)); /* E = 0 would stop every counter */
    carry_on();
}

static void stop_the_tick(sigil_word_t unused)
{
    (void)unused;
    __asm__ volatile("msr cntp_ctl_el0, xzr"); /* would disable the kernel's tick */
    carry_on();
}

static void read_the_counter(sigil_word_t unused)
{
    (void)unused;
    uint64_t v;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
    carry_on();
}

/* Run `fn` in a thread whose fault handler is fault_ep: its access must trap (checks `trap_id`,
 * `class_id`), the handler skips the instruction, and the thread goes on (`on_id`). */
static void expect_trap(void (*fn)(sigil_word_t), const char *trap_id, const char *class_id,
                        const char *on_id)
{
    test_thread_t th;
    sigil_word_t badge;
    thread_create(&th, fn, 0, 100, 0);
    sigil_tcb_set_space(th.tcb, fault_ep, 1, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(&th);
    sigil_msginfo_t info = sigil_recv(fault_ep, &badge, reply_obj);
    KTEST_EQ(trap_id, sigil_msginfo_label(info), Sigil_Fault_UserException);
    KTEST_EQ(class_id, sigil_get_mr(Sigil_UserException_Number), EC_SYSREG);
    if (sigil_msginfo_label(info) == Sigil_Fault_UserException) {
        /* past the instruction */
        sigil_set_mr(Sigil_UserException_FaultIP, sigil_get_mr(Sigil_UserException_FaultIP) + 4);
        sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, Sigil_UserException_FaultIP + 1));
        info = sigil_recv(fault_ep, &badge, reply_obj);
    }
    KTEST_EQ(on_id, sigil_msginfo_label(info), 0x55);
    sigil_tcb_suspend(th.tcb);
}

static void test_pmu(void)
{
    uint64_t a = sigil_cycles();
    KTEST_EQ("SYSREG-001 EL0 reads the cycle counter", sigil_cycles() > a, 1);
    expect_trap(stop_the_pmu, "SYSREG-002 writing PMCR_EL0 traps", "SYSREG-003 as a sysreg access",
                "SYSREG-004 the thread goes on past it");
    a = sigil_cycles();
    KTEST_EQ("SYSREG-005 the cycle counter still runs", sigil_cycles() > a, 1);
}

/* Does the kernel's tick advance? The wait is bounded by a number of polls, not by time: a poll
 * is a system call of some hundred instructions, and the tick comes every millisecond of the
 * machine's clock, so a running tick is seen within a few dozen polls at full speed. A busy host
 * only makes each poll take longer, so it can never use the bound up sooner than a stopped tick
 * would (the cycle counter is no bound: without -icount it follows host time, and a vCPU the host
 * descheduled for 20 ms saw 20 million cycles pass before the pending tick was delivered). */
#define TICK_POLLS 1000000

static int ticks_advance(void)
{
    uint64_t t0 = sigil_debug_timer_ticks();
    for (uint32_t polls = 0; polls < TICK_POLLS; polls++) {
        if (sigil_debug_timer_ticks() != t0) {
            return 1;
        }
    }
    return 0;
}

static void test_timer(void)
{
    expect_trap(stop_the_tick, "SYSREG-006 writing CNTP_CTL_EL0 traps",
                "SYSREG-007 as a sysreg access", "SYSREG-008 the thread goes on past it");
    KTEST_EQ("SYSREG-009 the kernel's tick still runs", ticks_advance(), 1);
    expect_trap(read_the_counter, "SYSREG-010 reading CNTVCT_EL0 traps",
                "SYSREG-011 as a sysreg access", "SYSREG-012 the thread goes on past it");
}

int main(const void *arg)
{
    vm_setup(arg);
    fault_ep = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    park = vm_retype(Sigil_NotificationObject, 0);
    test_pmu();
    test_timer();
    return ktest_finish();
}
