/*
 * FPU context switching and the fpuDisabled flag (RFC-18), and TLS (RFC-3):
 *  - two threads of the same priority keep different values in FP/SIMD registers across
 *    hundreds of switches (Yield) and timer preemptions;
 *  - a thread with fpuDisabled that touches the FPU takes a UserException (number 0x07) to its
 *    fault handler, which clears the flag with TCB_SetFlags and restarts it.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>

#include <sigil/inspect.h>

#include "ktest.h"
#include "thread.h"

#define ROUNDS 300

static sigil_word_t done, fault_ep, reply_obj;
static volatile sigil_word_t errors[2], finished, ran;

/* Put `v` in d8 and in both halves of v20, yield, and check they survived. */
static int fp_round(sigil_word_t v)
{
    sigil_word_t lo, hi, d8;
    register int64_t x7 __asm__("x7") = Sigil_SysYield;
    __asm__ volatile("fmov d8, %[v]\n dup v20.2d, %[v]\n svc #0\n fmov %[d8], d8\n"
                     "umov %[lo], v20.d[0]\n umov %[hi], v20.d[1]"
                     : [d8] "=&r"(d8), [lo] "=&r"(lo), [hi] "=&r"(hi)
                     : [v] "r"(v), "r"(x7)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "v8", "v20", "memory");
    return d8 != v || lo != v || hi != v;
}

static void fp_worker(sigil_word_t id)
{
    for (sigil_word_t i = 0; i < ROUNDS; i++) {
        errors[id] += fp_round(0x1111111111111111ull * (id + 1) + i);
    }
    finished++;
    sigil_signal(done);
    sigil_word_t b;
    for (;;) {
        sigil_wait(fault_ep, &b); /* nobody sends: parks the thread */
    }
}

static void fp_user(sigil_word_t unused)
{
    (void)unused;
    __asm__ volatile("fmov d0, xzr" ::: "v0");
    ran = 1;
    sigil_signal(done);
    sigil_word_t b;
    for (;;) {
        sigil_wait(fault_ep, &b);
    }
}

/* RFC-3: tpidr_el0 is the thread's own: it survives switches, and TCB_SetTLSBase sets it. */
static volatile sigil_word_t tls_seen[2];

static void tls_thread(sigil_word_t unused)
{
    (void)unused;
    sigil_word_t v;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    tls_seen[0] = v; /* what SetTLSBase gave it */
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(0x7175ull));
    sigil_signal(done); /* the root task (more urgent) runs now, then comes back here */
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    tls_seen[1] = v;
    sigil_signal(done);
    sigil_word_t b;
    for (;;) {
        sigil_wait(fault_ep, &b);
    }
}

int main(const void *arg)
{
    vm_setup(arg);
    done = vm_retype(Sigil_NotificationObject, 0);
    fault_ep = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    sigil_word_t b;

    test_thread_t a, c;
    thread_create(&a, fp_worker, 0, 100, 0);
    thread_create(&c, fp_worker, 1, 100, 0);
    thread_start(&a);
    thread_start(&c);
    sigil_wait(done, &b);
    if (finished < 2) {
        sigil_wait(done, &b);
    }
    KTEST_EQ("FPU-001 thread A kept its FP/SIMD registers", errors[0], 0);
    KTEST_EQ("FPU-002 thread B kept its FP/SIMD registers", errors[1], 0);

    test_thread_t d;
    sigil_word_t flags = 9;
    thread_create(&d, fp_user, 0, 100, 0);
    sigil_tcb_set_space(d.tcb, fault_ep, 0x3, Sigil_AllRights, ROOT, 0, VS, 0);
    KTEST_EQ("FPU-003a SetFlags fpuDisabled", sigil_tcb_set_flags(d.tcb, 0, 1, &flags),
             Sigil_NoError);
    KTEST_EQ("FPU-003b flags returned", flags, 1);
    thread_start(&d);
    sigil_msginfo_t info = sigil_recv(fault_ep, &b, reply_obj);
    KTEST_EQ("FPU-004 FPU use is a UserException", sigil_msginfo_label(info),
             Sigil_Fault_UserException);
    KTEST_EQ("FPU-005 number: FP/SIMD access class", sigil_get_mr(Sigil_UserException_Number),
             0x07);
    KTEST_EQ("FPU-006 from the right thread", b, 0x3);
    sigil_word_t ip = sigil_get_mr(Sigil_UserException_FaultIP);
    sigil_word_t sp = sigil_get_mr(Sigil_UserException_SP);
    sigil_word_t spsr = sigil_get_mr(Sigil_UserException_SPSR);
    KTEST_EQ("FPU-007a clear the flag", sigil_tcb_set_flags(d.tcb, 1, 0, &flags), Sigil_NoError);
    KTEST_EQ("FPU-007b flags now", flags, 0);
    sigil_set_mr(Sigil_UserException_FaultIP, ip); /* restart at the same instruction */
    sigil_set_mr(Sigil_UserException_SP, sp);
    sigil_set_mr(Sigil_UserException_SPSR, spsr);
    sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, Sigil_UserException_SPSR + 1));
    sigil_wait(done, &b);
    KTEST_EQ("FPU-008 restarted with the FPU enabled: it ran on", ran, 1);
    test_thread_t e;
    thread_create(&e, tls_thread, 0, 100, 0);
    KTEST_EQ("TLS-001 SetTLSBase", sigil_tcb_set_tls_base(e.tcb, 0xabc000), Sigil_NoError);
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(0x1111ull));
    thread_start(&e);
    sigil_wait(done, &b);
    sigil_word_t mine;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(mine));
    sigil_wait(done, &b);
    KTEST_EQ("TLS-002 the thread starts with the base set for it", tls_seen[0], 0xabc000);
    KTEST_EQ("TLS-003 its own write survives a switch", tls_seen[1], 0x7175);
    KTEST_EQ("TLS-004 and did not change the root task's", mine, 0x1111);
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
