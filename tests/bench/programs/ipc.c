/*
 * IPC benchmarks, the way sel4bench measures: the cycle counter is read just before the `svc`
 * in the sender and just after it returns in the receiver (one-way figures), under
 * -icount shift=0, where it counts instructions. Client and server run in different address
 * spaces at equal priority unless a benchmark says otherwise; the readings travel through a
 * page mapped in both. Each figure is taken on the 16th iteration (warm: ASIDs assigned).
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "thread.h"

#define SHARED 0x3000000000ull
#define ITERS  16
#define PRIO   100

typedef struct shared {
    volatile uint64_t t[8];
} shared_t;

static shared_t *const sh = (shared_t *)SHARED;
static sigil_word_t ep, reply_obj, ntfn, shared_frame;
static int failures;

/* A VSpace with the root task's image and the shared page. */
static sigil_word_t thread_vspace_shared(void)
{
    sigil_word_t vs = thread_vspace(), copy = vm_slot();
    sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, shared_frame, DEPTH, Sigil_AllRights);
    thread_tables(vs, SHARED);
    sigil_frame_map(copy, vs, SHARED, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
    return vs;
}

static void report(const char *name, uint64_t value)
{
    sigil_printf("BENCH %s %llu\n", name, (unsigned long long)value);
}

/* The IPC system call with the counter read right before it (into *before) or right after it
 * (into *after), with nothing else in between. */
#define TIMED_SVC_BEFORE(num, cptr, info, reply, before)                                           \
    do {                                                                                           \
        register sigil_word_t x0 __asm__("x0") = (cptr);                                           \
        register sigil_word_t x1 __asm__("x1") = (info);                                           \
        register sigil_word_t x6 __asm__("x6") = (reply);                                          \
        register int64_t x7 __asm__("x7") = (num);                                                 \
        register uint64_t x19 __asm__("x19");                                                      \
        __asm__ volatile("mrs x19, pmccntr_el0\n svc #0"                                           \
                         : "+r"(x0), "+r"(x1), "+r"(x6), "=r"(x19)                                 \
                         : "r"(x7)                                                                 \
                         : "x2", "x3", "x4", "x5", "memory");                                      \
        (before) = x19;                                                                            \
    } while (0)

#define TIMED_SVC_AFTER(num, cptr, info, reply, after)                                             \
    do {                                                                                           \
        register sigil_word_t x0 __asm__("x0") = (cptr);                                           \
        register sigil_word_t x1 __asm__("x1") = (info);                                           \
        register sigil_word_t x6 __asm__("x6") = (reply);                                          \
        register int64_t x7 __asm__("x7") = (num);                                                 \
        register uint64_t x19 __asm__("x19");                                                      \
        __asm__ volatile("svc #0\n mrs x19, pmccntr_el0"                                           \
                         : "+r"(x0), "+r"(x1), "+r"(x6), "=r"(x19)                                 \
                         : "r"(x7)                                                                 \
                         : "x2", "x3", "x4", "x5", "memory");                                      \
        (after) = x19;                                                                             \
    } while (0)

/* Server for Call / ReplyRecv: records when each receive returned (t[0]) and reads the
 * counter right before each ReplyRecv (t[1]). */
static void call_server(sigil_word_t length)
{
    uint64_t after, before;
    TIMED_SVC_AFTER(Sigil_SysRecv, ep, 0, reply_obj, after);
    for (;;) {
        sh->t[0] = after;
        sigil_msginfo_t info = sigil_msginfo_new(0, 0, 0, length);
        (void)before;
        register sigil_word_t x0 __asm__("x0") = ep;
        register sigil_word_t x1 __asm__("x1") = info;
        register sigil_word_t x6 __asm__("x6") = reply_obj;
        register int64_t x7 __asm__("x7") = Sigil_SysReplyRecv;
        register uint64_t x19 __asm__("x19");
        register uint64_t x20 __asm__("x20");
        __asm__ volatile("mrs x19, pmccntr_el0\n str x19, [%[slot]]\n svc #0\n"
                         "mrs x20, pmccntr_el0"
                         : "+r"(x0), "+r"(x1), "+r"(x6), "=&r"(x19), "=r"(x20)
                         : "r"(x7), [slot] "r"(&sh->t[1])
                         : "x2", "x3", "x4", "x5", "memory");
        after = x20;
    }
}

static void bench_call(sigil_word_t length, const char *call_name, const char *rr_name)
{
    test_thread_t th;
    thread_create(&th, call_server, length, PRIO, thread_vspace_shared());
    thread_start(&th);
    uint64_t call_oneway = 0, rr_oneway = 0;
    for (int i = 0; i < ITERS; i++) {
        uint64_t before, after;
        register sigil_word_t x0 __asm__("x0") = ep;
        register sigil_word_t x1 __asm__("x1") = sigil_msginfo_new(0, 0, 0, length);
        register sigil_word_t x6 __asm__("x6") = 0;
        register int64_t x7 __asm__("x7") = Sigil_SysCall;
        register uint64_t x19 __asm__("x19");
        register uint64_t x20 __asm__("x20");
        __asm__ volatile("mrs x19, pmccntr_el0\n svc #0\n mrs x20, pmccntr_el0"
                         : "+r"(x0), "+r"(x1), "+r"(x6), "=&r"(x19), "=r"(x20)
                         : "r"(x7)
                         : "x2", "x3", "x4", "x5", "memory");
        before = x19;
        after = x20;
        /* the server's reply: label 0 and `length` words */
        if (sigil_msginfo_label(x1) != 0 || sigil_msginfo_length(x1) != length) {
            sigil_printf("bench_ipc: %s: the reply was label %llu length %llu\n", call_name,
                         (unsigned long long)sigil_msginfo_label(x1),
                         (unsigned long long)sigil_msginfo_length(x1));
            failures++;
        }
        call_oneway = sh->t[0] - before;
        rr_oneway = after - sh->t[1];
    }
    report(call_name, call_oneway);
    report(rr_name, rr_oneway);
    sigil_tcb_suspend(th.tcb);
}

/* Receiver at a higher priority than the sender: Send and Signal switch to it at once. */
static void high_receiver(sigil_word_t use_ntfn)
{
    for (;;) {
        uint64_t after;
        if (use_ntfn) {
            TIMED_SVC_AFTER(Sigil_SysWait, ntfn, 0, 0, after);
        } else {
            TIMED_SVC_AFTER(Sigil_SysRecv, ep, 0, reply_obj, after);
        }
        sh->t[0] = after;
    }
}

static void bench_to_higher(sigil_word_t use_ntfn, const char *name)
{
    test_thread_t th;
    thread_create(&th, high_receiver, use_ntfn, PRIO + 10, thread_vspace_shared());
    thread_start(&th); /* it runs at once (higher priority) and blocks */
    uint64_t oneway = 0;
    for (int i = 0; i < ITERS; i++) {
        uint64_t before;
        TIMED_SVC_BEFORE(Sigil_SysSend, use_ntfn ? ntfn : ep, 0, 0, before);
        oneway = sh->t[0] - before;
    }
    report(name, oneway);
    sigil_tcb_suspend(th.tcb);
}

/* Yield to another thread of the same priority. */
static void yielder(sigil_word_t unused)
{
    (void)unused;
    for (;;) {
        uint64_t after;
        TIMED_SVC_AFTER(Sigil_SysYield, 0, 0, 0, after);
        sh->t[0] = after;
    }
}

static void bench_yield(void)
{
    test_thread_t th;
    thread_create(&th, yielder, 0, PRIO, thread_vspace_shared());
    thread_start(&th);
    uint64_t oneway = 0;
    for (int i = 0; i < ITERS; i++) {
        uint64_t before;
        TIMED_SVC_BEFORE(Sigil_SysYield, 0, 0, 0, before);
        oneway = sh->t[0] - before;
    }
    report("yield", oneway);
    sigil_tcb_suspend(th.tcb);
}

static void bench_null_syscall(void)
{
    uint64_t cost = 0;
    for (int i = 0; i < ITERS; i++) {
        register int64_t x7 __asm__("x7") = Sigil_SysYield;
        register uint64_t x19 __asm__("x19");
        register uint64_t x20 __asm__("x20");
        __asm__ volatile("mrs x19, pmccntr_el0\n svc #0\n mrs x20, pmccntr_el0"
                         : "=&r"(x19), "=r"(x20)
                         : "r"(x7)
                         : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "memory");
        cost = x20 - x19;
    }
    report("null_syscall", cost);
}

/* Faults forever at the same unmapped address; each reply restarts the load. */
static void faulter(sigil_word_t addr)
{
    for (;;) {
        (void)*(volatile sigil_word_t *)addr;
    }
}

static void bench_fault(void)
{
    test_thread_t th;
    thread_create(&th, faulter, 0x10, PRIO, thread_vspace_shared());
    sigil_tcb_set_space(th.tcb, ep, 1, Sigil_AllRights, ROOT, 0, th.vspace, 0);
    thread_start(&th);
    sigil_word_t badge;
    uint64_t prev = 0, round = 0;
    sigil_msginfo_t info;
    TIMED_SVC_AFTER(Sigil_SysRecv, ep, 0, reply_obj, prev);
    for (int i = 0; i < ITERS; i++) {
        uint64_t now;
        info = sigil_msginfo_new(0, 0, 0, 0);
        TIMED_SVC_AFTER(Sigil_SysReplyRecv, ep, info, reply_obj, now);
        round = now - prev;
        prev = now;
    }
    (void)badge;
    report("fault_roundtrip", round);
    sigil_tcb_suspend(th.tcb);
}

int main(const void *arg)
{
    vm_setup(arg);
    ep = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    ntfn = vm_retype(Sigil_NotificationObject, 0);
    shared_frame = thread_frame(VS, SHARED);
    sigil_tcb_set_priority(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, PRIO);
    bench_null_syscall();
    bench_call(0, "ipc_call_oneway", "ipc_replyrecv_oneway");
    bench_call(10, "ipc_call_oneway_len10", "ipc_replyrecv_oneway_len10");
    bench_to_higher(0, "ipc_send_oneway");
    bench_to_higher(1, "signal_to_higher_prio");
    bench_yield();
    bench_fault();
    return failures;
}
