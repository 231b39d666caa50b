/*
 * IPC, reply objects, notifications and fault delivery between threads, through the real
 * syscall path. The root task (priority 255) drives; helper threads run at lower priority, so
 * they run exactly when the root task blocks. Results come back through globals (threads in
 * the root task's VSpace) or messages, and a `done` notification says a helper has finished.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>

#include <sigil/inspect.h>

#include "ktest.h"
#include "thread.h"

static sigil_word_t ep, reply_obj, done, park, fault_ep, recv_slot;

/* OR'd into a cptr, fails the root CNode's guard (0 of 49 bits): a cptr that does not resolve. */
#define UNRESOLVED (1ull << 63)
static volatile sigil_word_t seen[16];

static void park_forever(void)
{
    sigil_word_t b;
    for (;;) {
        sigil_wait(park, &b);
    }
}

static void finish(void)
{
    sigil_signal(done);
    park_forever();
}

static void wait_done(void)
{
    sigil_word_t b;
    sigil_wait(done, &b);
}

/* Let the lower-priority helpers run until they block: drop below them for a moment. */
static void let_others_run(void)
{
    sigil_tcb_set_priority(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 1);
    sigil_tcb_set_priority(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 255);
}

/* Receives one message and records label, length, badge, unwrapped caps and words. */
static void receiver(sigil_word_t recv_cap)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = ROOT;
    b->receive_index = recv_slot;
    b->receive_depth = DEPTH;
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(recv_cap, &badge, reply_obj);
    seen[0] = sigil_msginfo_label(info);
    seen[1] = sigil_msginfo_length(info);
    seen[2] = badge;
    seen[3] = sigil_msginfo_extra_caps(info);
    seen[4] = sigil_msginfo_caps_unwrapped(info);
    seen[5] = b->caps_or_badges[0];
    seen[6] = sigil_get_mr(0);
    seen[7] = sigil_get_mr(9);
    seen[8] = sigil_get_mr(119);
    finish();
}

/* Answers Calls: label + 1, MR0 * 2; with extraCaps 1 (the done notification) in the reply. */
static void server(sigil_word_t recv_cap)
{
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(recv_cap, &badge, reply_obj);
    for (;;) {
        sigil_word_t label = sigil_msginfo_label(info);
        sigil_set_mr(0, sigil_get_mr(0) * 2);
        sigil_set_mr(1, badge);
        sigil_ipc_buffer()->caps_or_badges[0] = done;
        info = sigil_reply_recv(recv_cap, sigil_msginfo_new(label + 1, 0, 1, 2), &badge, reply_obj);
    }
}

static void test_send_receive(void)
{
    test_thread_t th;
    sigil_word_t minted = vm_slot();
    sigil_cnode_mint(ROOT, minted, DEPTH, ROOT, ep, DEPTH, Sigil_CanWrite | Sigil_CanGrant, 0x42);
    thread_create(&th, receiver, ep, 100, 0);
    thread_start(&th);
    for (unsigned i = 0; i < SIGIL_MSG_MAX_LENGTH; i++) {
        sigil_set_mr(i, 1000 + i);
    }
    sigil_ipc_buffer()->caps_or_badges[0] = minted; /* a cap to the endpoint itself */
    sigil_ipc_buffer()->caps_or_badges[1] = done;
    sigil_send(minted, sigil_msginfo_new(7, 0, 2, 127));
    wait_done();
    KTEST_EQ("IPC-001 label", seen[0], 7);
    KTEST_EQ("IPC-002 length 127 is cut to 120", seen[1], 120);
    KTEST_EQ("IPC-003 badge of the sender's cap", seen[2], 0x42);
    KTEST_EQ("IPC-004a MR0 (register)", seen[6], 1000);
    KTEST_EQ("IPC-004b MR9 (IPC buffer)", seen[7], 1009);
    KTEST_EQ("IPC-004c MR119", seen[8], 1119);
    KTEST_EQ("IPC-005 two caps sent", seen[3], 2);
    KTEST_EQ("IPC-006a the endpoint's own cap is unwrapped", seen[4], 1);
    KTEST_EQ("IPC-006b to its badge", seen[5], 0x42);
    KTEST_EQ("IPC-007 the other cap lands in the receive slot", vm_slot_empty(recv_slot), 0);
    sigil_cnode_delete(ROOT, recv_slot, DEPTH);

    /* Without Grant no cap moves. */
    sigil_word_t nogrant = vm_slot();
    sigil_cnode_copy(ROOT, nogrant, DEPTH, ROOT, ep, DEPTH, Sigil_CanWrite);
    thread_create(&th, receiver, ep, 100, 0);
    thread_start(&th);
    sigil_ipc_buffer()->caps_or_badges[0] = done;
    sigil_send(nogrant, sigil_msginfo_new(8, 0, 1, 1));
    wait_done();
    KTEST_EQ("IPC-008a no Grant: no caps", seen[3], 0);
    KTEST_EQ("IPC-008b receive slot still empty", vm_slot_empty(recv_slot), 1);
}

static void test_call_reply(void)
{
    /* The server receives on a cap with Grant: its replies may carry caps (RFC-13). */
    test_thread_t th;
    sigil_word_t caller_cap = vm_slot();
    sigil_cnode_mint(ROOT, caller_cap, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights, 0x7);
    thread_create(&th, server, ep, 100, 0);
    thread_start(&th);
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = ROOT;
    b->receive_index = recv_slot;
    b->receive_depth = DEPTH;
    sigil_set_mr(0, 21);
    sigil_msginfo_t info = sigil_call(caller_cap, sigil_msginfo_new(40, 0, 0, 1));
    KTEST_EQ("CALL-001 reply label", sigil_msginfo_label(info), 41);
    KTEST_EQ("CALL-002 reply words", sigil_get_mr(0), 42);
    KTEST_EQ("CALL-003 server saw the badge", sigil_get_mr(1), 0x7);
    KTEST_EQ("CALL-004a grant via reply: the cap arrived", sigil_msginfo_extra_caps(info), 1);
    KTEST_EQ("CALL-004b in the receive slot", vm_slot_empty(recv_slot), 0);
    sigil_cnode_delete(ROOT, recv_slot, DEPTH);
    sigil_set_mr(0, 50);
    info = sigil_call(caller_cap, sigil_msginfo_new(1, 0, 0, 1));
    KTEST_EQ("CALL-005 second call through ReplyRecv", sigil_get_mr(0), 100);
    sigil_cnode_delete(ROOT, recv_slot, DEPTH); /* its reply brought the cap again */

    /* A server whose endpoint cap lacks Grant cannot pass caps in its replies. */
    sigil_word_t ep2 = vm_retype(Sigil_EndpointObject, 0), ep2_recv = vm_slot();
    sigil_cnode_copy(ROOT, ep2_recv, DEPTH, ROOT, ep2, DEPTH, Sigil_CanRead);
    sigil_tcb_suspend(th.tcb);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    thread_create(&th, server, ep2_recv, 100, 0);
    thread_start(&th);
    info = sigil_call(ep2, sigil_msginfo_new(9, 0, 0, 1));
    KTEST_EQ("CALL-006 reply arrives", sigil_msginfo_label(info), 10);
    KTEST_EQ("CALL-007a but without the cap (RFC-13)", sigil_msginfo_extra_caps(info), 0);
    KTEST_EQ("CALL-007b receive slot empty", vm_slot_empty(recv_slot), 1);
    sigil_tcb_suspend(th.tcb);
}

/* In another VSpace: answers one Call with MR0 + 1, forever. */
static void remote_server(sigil_word_t recv_cap)
{
    sigil_word_t badge;
    sigil_recv(recv_cap, &badge, reply_obj);
    for (;;) {
        sigil_set_mr(0, sigil_get_mr(0) + 1);
        sigil_reply_recv(recv_cap, sigil_msginfo_new(0, 0, 0, 1), &badge, reply_obj);
    }
}

static void test_other_vspace(void)
{
    test_thread_t th;
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    thread_create(&th, remote_server, ep, 100, thread_vspace());
    thread_start(&th);
    sigil_set_mr(0, 99);
    sigil_call(ep, sigil_msginfo_new(0, 0, 0, 1));
    KTEST_EQ("CALL-008 server in another VSpace", sigil_get_mr(0), 100);
    sigil_set_mr(0, 5);
    sigil_call(ep, sigil_msginfo_new(0, 0, 0, 1));
    KTEST_EQ("CALL-009 and again", sigil_get_mr(0), 6);
    sigil_tcb_suspend(th.tcb);
}

/* Bound notification: a signal reaches a thread blocked in Recv on an endpoint. */
static void bound_receiver(sigil_word_t unused)
{
    (void)unused;
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(ep, &badge, reply_obj);
    seen[0] = badge;
    seen[1] = info;
    finish();
}

static void test_bound_notification(void)
{
    test_thread_t th;
    sigil_word_t ntfn = vm_retype(Sigil_NotificationObject, 0), badged = vm_slot();
    sigil_cnode_mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, Sigil_AllRights, 0x500);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    thread_create(&th, bound_receiver, 0, 100, 0);
    KTEST_EQ("NTFN-010 bind", sigil_tcb_bind_notification(th.tcb, ntfn), Sigil_NoError);
    KTEST_EQ("NTFN-011 bind twice", sigil_tcb_bind_notification(th.tcb, ntfn),
             Sigil_IllegalOperation);
    thread_start(&th);
    let_others_run(); /* it blocks in Recv on the endpoint */
    sigil_signal(badged);
    wait_done();
    KTEST_EQ("NTFN-012a Recv returns the notification's badge", seen[0], 0x500);
    KTEST_EQ("NTFN-012b with an empty message", seen[1], 0);
}

/* ---- faults ---- */

static void vm_faulter(sigil_word_t addr)
{
    volatile sigil_word_t *p = (volatile sigil_word_t *)addr;
    *p = 0x1234; /* faults; the handler maps a frame and restarts this store */
    seen[0] = *p;
    finish();
}

static void syscall_faulter(sigil_word_t unused)
{
    (void)unused;
    register sigil_word_t x0 __asm__("x0") = 11;
    register sigil_word_t x7 __asm__("x7") = 1234;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "memory");
    seen[0] = x0; /* the handler's reply set x0 */
    finish();
}

static void undefined_faulter(sigil_word_t unused)
{
    (void)unused;
    __asm__ volatile("udf #7");
    seen[0] = 0x7777; /* the handler's reply skipped the instruction */
    finish();
}

static void cap_faulter(sigil_word_t cptr)
{
    sigil_call(cptr, sigil_msginfo_new(0, 0, 0, 0));
    finish();
}

/* Signals `slot`: unresolvable at first, so a CapFault whose handler fixes x0 and replies. */
static void cap_fault_then_signal(sigil_word_t slot)
{
    sigil_signal(slot);
    finish();
}

/* Start a thread whose fault handler is fault_ep with badge 0x99; receive its fault. */
static sigil_msginfo_t expect_fault(test_thread_t *th, void (*fn)(sigil_word_t), sigil_word_t arg,
                                    sigil_word_t *badge)
{
    thread_create(th, fn, arg, 100, 0);
    sigil_tcb_set_space(th->tcb, fault_ep, 0x99, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(th);
    return sigil_recv(fault_ep, badge, reply_obj);
}

static void test_faults(void)
{
    test_thread_t th;
    sigil_word_t badge;
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    uint64_t addr = THREAD_AREA + 0x800000;
    thread_tables(VS, addr);

    sigil_msginfo_t info = expect_fault(&th, vm_faulter, addr, &badge);
    KTEST_EQ("FAULT-001 VMFault label", sigil_msginfo_label(info), Sigil_Fault_VMFault);
    KTEST_EQ("FAULT-002 handler badge from SetSpace (RFC-11)", badge, 0x99);
    KTEST_EQ("FAULT-003 address", sigil_get_mr(Sigil_VMFault_Addr), addr);
    KTEST_EQ("FAULT-004 data access", sigil_get_mr(Sigil_VMFault_PrefetchFault), 0);
    KTEST_EQ("FAULT-005 FSR: translation fault, write", sigil_get_mr(Sigil_VMFault_FSR) & 0x7c,
             0x44);
    thread_frame(VS, addr);
    sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, 0));
    wait_done();
    KTEST_EQ("FAULT-006 restarted: the store happened", seen[0], 0x1234);

    info = expect_fault(&th, syscall_faulter, 0, &badge);
    KTEST_EQ("FAULT-010 UnknownSyscall label", sigil_msginfo_label(info),
             Sigil_Fault_UnknownSyscall);
    KTEST_EQ("FAULT-011 X0", sigil_get_mr(Sigil_UnknownSyscall_X0), 11);
    KTEST_EQ("FAULT-012 syscall number", sigil_get_mr(Sigil_UnknownSyscall_Syscall), 1234);
    sigil_word_t fault_ip = sigil_get_mr(Sigil_UnknownSyscall_FaultIP);
    KTEST_EQ("FAULT-013 FaultIP is the svc", *(volatile uint32_t *)fault_ip, 0xd4000001);
    sigil_set_mr(Sigil_UnknownSyscall_X0, 0x55);
    sigil_set_mr(Sigil_UnknownSyscall_FaultIP, fault_ip + 4);
    sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, Sigil_UnknownSyscall_FaultIP + 1));
    wait_done();
    KTEST_EQ("FAULT-014 reply set x0 and skipped the svc", seen[0], 0x55);

    info = expect_fault(&th, undefined_faulter, 0, &badge);
    KTEST_EQ("FAULT-020 UserException label", sigil_msginfo_label(info), Sigil_Fault_UserException);
    KTEST_EQ("FAULT-021 number: unknown instruction class",
             sigil_get_mr(Sigil_UserException_Number), 0);
    sigil_set_mr(Sigil_UserException_FaultIP, sigil_get_mr(Sigil_UserException_FaultIP) + 4);
    sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, Sigil_UserException_FaultIP + 1));
    wait_done();
    KTEST_EQ("FAULT-022 resumed after the instruction", seen[0], 0x7777);

    /* A cptr whose top bit is set fails the root CNode's guard (0 of 49 bits): it does not
     * resolve, a CapFault (an empty slot is an error instead, see test_conformance). */
    sigil_word_t unresolved = UNRESOLVED | vm_slot();
    info = expect_fault(&th, cap_faulter, unresolved, &badge);
    KTEST_EQ("FAULT-030 CapFault label", sigil_msginfo_label(info), Sigil_Fault_CapFault);
    KTEST_EQ("FAULT-031 address is the cptr", sigil_get_mr(Sigil_CapFault_Addr), unresolved);
    KTEST_EQ("FAULT-032 not in the receive phase", sigil_get_mr(Sigil_CapFault_InRecvPhase), 0);
    KTEST_EQ("FAULT-036 GuardMismatch, seL4's full layout: 7 words", sigil_msginfo_length(info),
             Sigil_CapFault_MaxLength);
    KTEST_EQ("FAULT-037 LookupFailureType GuardMismatch",
             sigil_get_mr(Sigil_CapFault_LookupFailureType), Sigil_GuardMismatch);
    KTEST_EQ("FAULT-038 BitsLeft", sigil_get_mr(Sigil_CapFault_BitsLeft), 64);
    KTEST_EQ("FAULT-039 GuardFound", sigil_get_mr(Sigil_CapFault_GuardMismatch_GuardFound), 0);
    KTEST_EQ("FAULT-040 BitsFound (the guard's size)",
             sigil_get_mr(Sigil_CapFault_GuardMismatch_BitsFound), 49);
    sigil_tcb_suspend(th.tcb);

    /* seL4: a CapFault's IP is the svc, and the reply restarts the system call. The handler
     * points x0 at a good cap (WriteRegisters, without resuming) before it replies. */
    sigil_word_t ntfn = vm_retype(Sigil_NotificationObject, 0), good = vm_slot(), word;
    sigil_cnode_mint(ROOT, good, DEPTH, ROOT, ntfn, DEPTH, Sigil_AllRights, 0x33);
    info = expect_fault(&th, cap_fault_then_signal, UNRESOLVED | good, &badge);
    KTEST_EQ("FAULT-033 CapFault on a Send", sigil_msginfo_label(info), Sigil_Fault_CapFault);
    KTEST_EQ("FAULT-034 IP is the svc", *(volatile uint32_t *)sigil_get_mr(Sigil_CapFault_IP),
             0xd4000001);
    sigil_word_t regs[Sigil_Ctx_X0 + 1];
    sigil_tcb_read_registers(th.tcb, 0, 0, Sigil_Ctx_X0 + 1, regs);
    regs[Sigil_Ctx_X0] = good;
    sigil_tcb_write_registers(th.tcb, 0, 0, Sigil_Ctx_X0 + 1, regs);
    sigil_reply(reply_obj, sigil_msginfo_new(0, 0, 0, 0));
    wait_done();
    sigil_poll(ntfn, &word);
    KTEST_EQ("FAULT-035 the reply re-executed the Send: the signal arrived", word, 0x33);
}

/* ---- abandoned faults ---- */

static unsigned tcb_state(sigil_word_t tcb)
{
    return (sigil_debug_tcb_info(tcb).prio_mcp_flags_state >> 24) & 0xff;
}

/* Sends one plain message on `cap` (label 0x77, MR0 0xabc), then finishes. */
static void plain_sender(sigil_word_t cap)
{
    sigil_set_mr(0, 0xabc);
    sigil_send(cap, sigil_msginfo_new(0x77, 0, 0, 1));
    finish();
}

/* `th` sent a fault whose IPC was then abandoned: it must be inactive with the fault gone. Point
 * it at plain_sender and resume it: its Send must arrive as that message, not as the old fault
 * (and not as a Call). */
static void expect_plain_message(test_thread_t *th, const char *inactive_id, const char *label_id,
                                 const char *mr_id)
{
    KTEST_EQ(inactive_id, tcb_state(th->tcb), 0);
    sigil_word_t regs[SIGIL_CONTEXT_WORDS], badge;
    sigil_tcb_read_registers(th->tcb, 0, 0, Sigil_Ctx_X0 + 1, regs);
    regs[Sigil_Ctx_PC] = (sigil_word_t)(uintptr_t)plain_sender;
    regs[Sigil_Ctx_X0] = ep;
    sigil_tcb_write_registers(th->tcb, 1, 0, Sigil_Ctx_X0 + 1, regs);
    sigil_msginfo_t info = sigil_recv(ep, &badge, reply_obj);
    KTEST_EQ(label_id, sigil_msginfo_label(info), 0x77);
    KTEST_EQ(mr_id, sigil_get_mr(0), 0xabc);
    if (sigil_msginfo_label(info) == 0x77) {
        wait_done();
    }
    sigil_tcb_suspend(th->tcb);
}

/* A fault IPC that nobody can answer any more is dropped with it: the reply object deleted or
 * taken over, a handler that receives without a reply object, the handler endpoint deleted, the
 * thread suspended. */
static void test_abandoned_faults(void)
{
    test_thread_t th;
    sigil_word_t badge, empty_ep = vm_retype(Sigil_EndpointObject, 0);
    uint64_t addr = THREAD_AREA + 0x900000; /* never mapped */

    expect_fault(&th, vm_faulter, addr, &badge);
    sigil_cnode_delete(ROOT, reply_obj, DEPTH);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    expect_plain_message(&th, "ABANDON-001 reply object deleted: inactive",
                         "ABANDON-002 then its Send arrives with its label",
                         "ABANDON-003 and its words");

    expect_fault(&th, vm_faulter, addr, &badge);
    sigil_nbrecv(empty_ep, &badge, reply_obj); /* takes the reply object over */
    expect_plain_message(&th, "ABANDON-004 reply object taken over: inactive",
                         "ABANDON-005 then its Send arrives with its label",
                         "ABANDON-006 and its words");

    thread_create(&th, vm_faulter, addr, 100, 0);
    sigil_tcb_set_space(th.tcb, fault_ep, 0x99, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(&th);
    KTEST_EQ("ABANDON-007 Wait (no reply object) gets the fault",
             sigil_msginfo_label(sigil_wait(fault_ep, &badge)), Sigil_Fault_VMFault);
    expect_plain_message(&th, "ABANDON-008 unanswerable: inactive",
                         "ABANDON-009 then its Send arrives with its label",
                         "ABANDON-010 and its words");

    sigil_word_t doomed = vm_retype(Sigil_EndpointObject, 0);
    thread_create(&th, vm_faulter, addr, 100, 0);
    sigil_tcb_set_space(th.tcb, doomed, 0x97, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(&th);
    let_others_run(); /* it faults and waits to send the fault on `doomed` */
    KTEST_EQ("ABANDON-011 the fault waits on its handler endpoint", tcb_state(th.tcb), 4);
    sigil_cnode_revoke(ROOT, doomed, DEPTH); /* the TCB's copy */
    sigil_cnode_delete(ROOT, doomed, DEPTH); /* the last cap: the endpoint goes */
    expect_plain_message(&th, "ABANDON-012 handler endpoint deleted: inactive, not restarted",
                         "ABANDON-013 then its Send arrives with its label",
                         "ABANDON-014 and its words");

    expect_fault(&th, vm_faulter, addr, &badge);
    sigil_tcb_suspend(th.tcb);
    expect_plain_message(&th, "ABANDON-015 suspended while its fault waits: inactive",
                         "ABANDON-016 then its Send arrives with its label",
                         "ABANDON-017 and its words");
}

/* Deleting an endpoint wakes the thread blocked on it: it re-executes its Recv, whose cap is
 * gone now, and takes a CapFault (in the receive phase) to its handler. */
static void blocked_receiver(sigil_word_t cap)
{
    sigil_word_t badge;
    sigil_recv(cap, &badge, reply_obj);
    finish();
}

static void test_delete_with_waiter(void)
{
    test_thread_t th;
    sigil_word_t badge;
    sigil_word_t doomed = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    sigil_word_t handler_reply = vm_retype(Sigil_ReplyObject, 0);
    thread_create(&th, blocked_receiver, doomed, 100, 0);
    sigil_tcb_set_space(th.tcb, fault_ep, 0x98, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(&th);
    let_others_run(); /* it blocks in Recv on `doomed` */
    KTEST_EQ("DEL-001 delete the endpoint", sigil_cnode_delete(ROOT, doomed, DEPTH), Sigil_NoError);
    sigil_msginfo_t info = sigil_recv(fault_ep, &badge, handler_reply);
    KTEST_EQ("DEL-002 the waiter faults on its restarted Recv", sigil_msginfo_label(info),
             Sigil_Fault_CapFault);
    KTEST_EQ("DEL-003 in the receive phase", sigil_get_mr(Sigil_CapFault_InRecvPhase), 1);
    KTEST_EQ("DEL-004 from the right thread", badge, 0x98);
    sigil_tcb_suspend(th.tcb);
}

/* Deleting the reply object a caller waits on leaves the caller inactive (not stuck waiting):
 * it can be resumed, and then calls again. */
static void lone_caller(sigil_word_t cap)
{
    sigil_call(cap, sigil_msginfo_new(3, 0, 0, 0));
    finish();
}

static void test_delete_reply(void)
{
    test_thread_t th;
    sigil_word_t r = vm_retype(Sigil_ReplyObject, 0), b;
    thread_create(&th, lone_caller, ep, 100, 0);
    thread_start(&th);
    sigil_msginfo_t info = sigil_recv(ep, &b, r);
    KTEST_EQ("REPLY-001 the call arrives", sigil_msginfo_label(info), 3);
    KTEST_EQ("REPLY-002 the caller waits for the reply",
             (sigil_debug_tcb_info(th.tcb).prio_mcp_flags_state >> 24) & 0xff, 5);
    KTEST_EQ("REPLY-003 delete the reply object", sigil_cnode_delete(ROOT, r, DEPTH),
             Sigil_NoError);
    KTEST_EQ("REPLY-004 the caller is inactive now",
             (sigil_debug_tcb_info(th.tcb).prio_mcp_flags_state >> 24) & 0xff, 0);
    KTEST_EQ("REPLY-005 resume it", sigil_tcb_resume(th.tcb), Sigil_NoError);
    r = vm_retype(Sigil_ReplyObject, 0);
    info = sigil_recv(ep, &b, r);
    KTEST_EQ("REPLY-006 it calls again", sigil_msginfo_label(info), 3);
    sigil_reply(r, sigil_msginfo_new(0, 0, 0, 0));
    wait_done();
    sigil_tcb_suspend(th.tcb);
}

/* seL4's Resume restarts any stopped thread, blocked ones included: their IPC is cancelled and
 * they execute their system call again (or start where WriteRegisters pointed them). */
static void test_resume_blocked(void)
{
    test_thread_t th;
    sigil_word_t quiet = vm_retype(Sigil_EndpointObject, 0), r = vm_retype(Sigil_ReplyObject, 0);
    sigil_word_t regs[SIGIL_CONTEXT_WORDS], b;
    thread_create(&th, blocked_receiver, quiet, 100, 0);
    thread_start(&th);
    let_others_run(); /* it blocks in Recv on `quiet` */
    KTEST_EQ("RESUME-001 blocked in Recv", tcb_state(th.tcb), 3);
    sigil_tcb_read_registers(th.tcb, 0, 0, Sigil_Ctx_X0 + 1, regs);
    regs[Sigil_Ctx_PC] = (sigil_word_t)(uintptr_t)plain_sender;
    regs[Sigil_Ctx_X0] = ep;
    sigil_tcb_write_registers(th.tcb, 1, 0, Sigil_Ctx_X0 + 1, regs);
    KTEST_EQ("RESUME-002 WriteRegisters + resume restarts it", tcb_state(th.tcb), 2);
    if (tcb_state(th.tcb) == 2) {
        sigil_msginfo_t info = sigil_recv(ep, &b, reply_obj);
        KTEST_EQ("RESUME-003 it runs from the new PC", sigil_msginfo_label(info), 0x77);
        wait_done();
    }
    sigil_tcb_suspend(th.tcb);

    thread_create(&th, lone_caller, ep, 100, 0);
    thread_start(&th);
    sigil_recv(ep, &b, r);
    KTEST_EQ("RESUME-004 a caller waits for its reply", tcb_state(th.tcb), 5);
    KTEST_EQ("RESUME-005 resume it", sigil_tcb_resume(th.tcb), Sigil_NoError);
    KTEST_EQ("RESUME-006 it restarts", tcb_state(th.tcb), 2);
    if (tcb_state(th.tcb) == 2) {
        KTEST_EQ("RESUME-007 and calls again", sigil_msginfo_label(sigil_recv(ep, &b, r)), 3);
        sigil_reply(r, sigil_msginfo_new(0, 0, 0, 0));
        wait_done();
    }
    sigil_tcb_suspend(th.tcb);
}

/* Call on a reply cap answers the caller; Call on a notification signals it. Either way the
 * Call itself returns at once with an empty reply (badge 0, message info 0), as in seL4. */
static void test_call_on_reply_and_notification(void)
{
    test_thread_t th;
    sigil_word_t r = vm_retype(Sigil_ReplyObject, 0), n = vm_retype(Sigil_NotificationObject, 0);
    sigil_word_t b, mr[4] = {1, 2, 3, 4};
    thread_create(&th, lone_caller, ep, 100, 0);
    thread_start(&th);
    sigil_recv(ep, &b, r);
    sigil_msginfo_t info = sigil_msginfo_new(9, 0, 0, 1);
    b = sigil_call_raw(r, &info, mr);
    KTEST_EQ("EMPTY-001 Call on a reply cap: message info 0", info, 0);
    KTEST_EQ("EMPTY-002 Call on a reply cap: badge 0", b, 0);
    wait_done(); /* the caller got the answer */
    sigil_tcb_suspend(th.tcb);
    sigil_word_t badged = vm_slot();
    sigil_cnode_mint(ROOT, badged, DEPTH, ROOT, n, DEPTH, Sigil_AllRights, 0x44);
    info = sigil_msginfo_new(5, 0, 0, 1);
    b = sigil_call_raw(badged, &info, mr);
    KTEST_EQ("EMPTY-003 Call on a notification: message info 0", info, 0);
    KTEST_EQ("EMPTY-004 Call on a notification: badge 0", b, 0);
    sigil_poll(n, &b);
    KTEST_EQ("EMPTY-005 and it signalled", b, 0x44);
}

/* ---- which thread IPC wakes into ---- */

static volatile sigil_word_t third_ran;

static void third_thread(sigil_word_t unused)
{
    (void)unused;
    third_ran = 1;
    park_forever();
}

/* Answers Calls, noting each time whether the third thread had run by then. */
static void noting_server(sigil_word_t cap)
{
    sigil_word_t badge;
    sigil_recv(cap, &badge, reply_obj);
    for (;;) {
        seen[9] = third_ran;
        sigil_reply_recv(cap, sigil_msginfo_new(0, 0, 0, 10), &badge, reply_obj);
    }
}

/* Calls with ten words, so the slow path handles it (and the ten-word reply) in every image;
 * notes whether the third thread had run when the reply came. */
static void long_caller(sigil_word_t cap)
{
    sigil_call(cap, sigil_msginfo_new(1, 0, 0, 10));
    seen[10] = third_ran;
    finish();
}

/* seL4's rule, on the slow path as on the fastpath: a Call's receiver, and a ReplyRecv's caller,
 * run at once when no ready thread is more urgent, even if one of their priority is ready. */
static void test_wake_order(void)
{
    test_thread_t server, caller, other;
    sigil_word_t sep = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    third_ran = 0;
    seen[9] = seen[10] = 0xff;
    thread_create(&server, noting_server, sep, 100, 0);
    thread_start(&server);
    let_others_run(); /* the server blocks in Recv */
    thread_create(&caller, long_caller, sep, 100, 0);
    thread_create(&other, third_thread, 0, 100, 0);
    thread_start(&caller);
    thread_start(&other); /* ready at 100: the caller, then the third thread */
    wait_done();
    KTEST_EQ("SCHED-001 a Call's receiver runs before a ready thread of its priority", seen[9], 0);
    KTEST_EQ("SCHED-002 so does the caller its ReplyRecv answers", seen[10], 0);
    let_others_run();
    KTEST_EQ("SCHED-003 the other thread runs afterwards", third_ran, 1);
    sigil_tcb_suspend(server.tcb);
    sigil_tcb_suspend(caller.tcb);
    sigil_tcb_suspend(other.tcb);
}

/* ---- seL4's error-or-fault rules, reply object takeover, Suspend of oneself ---- */

static sigil_word_t conf_reply, self_tcb;

static void call_and_note(sigil_word_t cptr)
{
    sigil_msginfo_t info = sigil_call(cptr, sigil_msginfo_new(0, 0, 0, 0));
    seen[0] = sigil_msginfo_label(info);
    seen[1] = sigil_get_mr(0);
    seen[2] = 1;
    finish();
}

static void send_and_note(sigil_word_t cptr)
{
    sigil_send(cptr, sigil_msginfo_new(0, 0, 0, 0));
    seen[2] = 1;
    finish();
}

static void nbsend_and_note(sigil_word_t cptr)
{
    sigil_nbsend(cptr, sigil_msginfo_new(0, 0, 0, 0));
    seen[2] = 1;
    finish();
}

/* Sends label 5 on `cap` naming one extra cap that does not resolve. */
static void send_bad_extra(sigil_word_t cap)
{
    sigil_ipc_buffer()->caps_or_badges[0] = UNRESOLVED | 7;
    sigil_send(cap, sigil_msginfo_new(5, 0, 1, 0));
    seen[2] = 1;
    finish();
}

/* Receive on `cap` with conf_reply, note which receiver got the message, answer it. */
static void receive_as(sigil_word_t cap, unsigned who)
{
    sigil_word_t b;
    sigil_recv(cap, &b, conf_reply);
    seen[who] = 1;
    sigil_reply(conf_reply, sigil_msginfo_new(0, 0, 0, 0));
    finish();
}
static void receiver_a(sigil_word_t cap)
{
    receive_as(cap, 5);
}
static void receiver_b(sigil_word_t cap)
{
    receive_as(cap, 6);
}

static void suspend_self(sigil_word_t unused)
{
    (void)unused;
    seen[7] = sigil_tcb_suspend(self_tcb);
    seen[8] = 1;
    finish();
}

/* Run `fn(arg)` in a helper (fault handler fault_ep, badge 0x99) until it blocks or parks;
 * returns its thread state afterwards (0 inactive, 4 blocked sending, ...). The caller
 * suspends th. */
static unsigned run_helper(test_thread_t *th, void (*fn)(sigil_word_t), sigil_word_t arg)
{
    sigil_word_t w;
    for (unsigned i = 0; i < 9; i++) {
        seen[i] = 0;
    }
    thread_create(th, fn, arg, 100, 0);
    sigil_tcb_set_space(th->tcb, fault_ep, 0x99, Sigil_AllRights, ROOT, 0, VS, 0);
    thread_start(th);
    let_others_run();
    sigil_poll(done, &w);
    return tcb_state(th->tcb);
}

static void test_conformance(void)
{
    test_thread_t th, other;
    sigil_word_t empty = vm_slot(), w, badge;
    sigil_word_t read_only = vm_slot(), ntfn = vm_retype(Sigil_NotificationObject, 0);
    sigil_word_t ntfn_ro = vm_slot(), quiet = vm_retype(Sigil_EndpointObject, 0);
    sigil_cnode_copy(ROOT, read_only, DEPTH, ROOT, quiet, DEPTH, Sigil_CanRead);
    sigil_cnode_copy(ROOT, ntfn_ro, DEPTH, ROOT, ntfn, DEPTH, Sigil_CanRead);

    run_helper(&th, call_and_note, empty);
    KTEST_EQ("CONF-ERR-001 Call on an empty slot: InvalidCapability", seen[0],
             Sigil_InvalidCapability);
    KTEST_EQ("CONF-ERR-002 its MR0 is 0 (the invoked cap)", seen[1], 0);
    KTEST_EQ("CONF-ERR-003 and the caller runs on", seen[2], 1);
    sigil_tcb_suspend(th.tcb);
    run_helper(&th, send_and_note, empty);
    KTEST_EQ("CONF-ERR-004 Send on an empty slot returns, no fault", seen[2], 1);
    sigil_tcb_suspend(th.tcb);
    run_helper(&th, call_and_note, read_only);
    KTEST_EQ("CONF-ERR-005 Call on an endpoint cap without Write: InvalidCapability", seen[0],
             Sigil_InvalidCapability);
    sigil_tcb_suspend(th.tcb);
    run_helper(&th, send_and_note, ntfn_ro);
    KTEST_EQ("CONF-ERR-006 Send on a notification cap without Write returns", seen[2], 1);
    sigil_poll(ntfn, &w);
    KTEST_EQ("CONF-ERR-007 and signals nothing", w, 0);
    sigil_tcb_suspend(th.tcb);
    run_helper(&th, nbsend_and_note, UNRESOLVED | empty);
    KTEST_EQ("CONF-ERR-008 NBSend on a cptr that does not resolve: dropped, no fault", seen[2], 1);
    sigil_tcb_suspend(th.tcb);

    KTEST_EQ("CONF-XCAP-001 an extra cap that does not resolve: the sender faults",
             run_helper(&th, send_bad_extra, quiet), 4);
    sigil_msginfo_t info = sigil_nbrecv(fault_ep, &badge, reply_obj);
    KTEST_EQ("CONF-XCAP-002 a CapFault", sigil_msginfo_label(info), Sigil_Fault_CapFault);
    KTEST_EQ("CONF-XCAP-003 whose address is the extra cap's cptr",
             sigil_get_mr(Sigil_CapFault_Addr), UNRESOLVED | 7);
    sigil_tcb_suspend(th.tcb);
    info = sigil_nbrecv(quiet, &badge, reply_obj);
    KTEST_EQ("CONF-XCAP-004 the message was not sent", sigil_msginfo_label(info), 0);

    conf_reply = vm_retype(Sigil_ReplyObject, 0);
    sigil_word_t ep2 = vm_retype(Sigil_EndpointObject, 0);
    test_thread_t caller;
    KTEST_EQ("CONF-REPLY-001 a receiver waits with the reply object",
             run_helper(&th, receiver_a, ep2), 3);
    KTEST_EQ("CONF-REPLY-002 a second receiver takes it over", run_helper(&other, receiver_b, ep2),
             3);
    KTEST_EQ("CONF-REPLY-003 the first receiver is cancelled (inactive)", tcb_state(th.tcb), 0);
    run_helper(&caller, call_and_note, ep2);
    KTEST_EQ("CONF-REPLY-004 the next Call reaches the second receiver", seen[6], 1);
    KTEST_EQ("CONF-REPLY-005 not the cancelled one", seen[5], 0);
    KTEST_EQ("CONF-REPLY-006 and is answered", seen[2], 1);
    sigil_tcb_suspend(th.tcb);
    sigil_tcb_suspend(other.tcb);
    sigil_tcb_suspend(caller.tcb);

    thread_create(&th, suspend_self, 0, 100, 0);
    self_tcb = th.tcb;
    for (unsigned i = 0; i < 9; i++) {
        seen[i] = 0;
    }
    thread_start(&th);
    let_others_run();
    KTEST_EQ("CONF-SUSPEND-001 a thread suspends itself", tcb_state(th.tcb), 0);
    sigil_tcb_resume(th.tcb);
    let_others_run();
    sigil_poll(done, &w);
    KTEST_EQ("CONF-SUSPEND-002 resumed, it runs on after the call", seen[8], 1);
    KTEST_EQ("CONF-SUSPEND-003 which returned NoError", seen[7], Sigil_NoError);
    sigil_tcb_suspend(th.tcb);

    KTEST_EQ("CONF-NAME-001 DebugNameThread names a thread", sigil_debug_name_thread(th.tcb, "x"),
             Sigil_NoError);
    KTEST_EQ("CONF-NAME-002 DebugNameThread on a non-TCB cap: InvalidCapability",
             sigil_debug_name_thread(ep, "x"), Sigil_InvalidCapability);
}

int main(const void *arg)
{
    vm_setup(arg);
    ep = vm_retype(Sigil_EndpointObject, 0);
    fault_ep = vm_retype(Sigil_EndpointObject, 0);
    reply_obj = vm_retype(Sigil_ReplyObject, 0);
    done = vm_retype(Sigil_NotificationObject, 0);
    park = vm_retype(Sigil_NotificationObject, 0);
    recv_slot = vm_slot();
    test_send_receive();
    test_call_reply();
    test_other_vspace();
    test_bound_notification();
    test_faults();
    test_abandoned_faults();
    test_delete_with_waiter();
    test_delete_reply();
    test_resume_blocked();
    test_call_on_reply_and_notification();
    test_wake_order();
    test_conformance();
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
