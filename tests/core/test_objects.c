/*
 * Object finalisation and the small object invocations: IRQ control and handlers, SMC caps,
 * TCB/notification/reply/frame/page table/VSpace finalisation hooks, and the invariant
 * checker's own ability to catch broken states.
 */
#include "fixture.h"

#include <object/cdt.h>
#include <object/debug.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/irq.h>
#include <object/notification.h>
#include <object/reply.h>
#include <stdlib.h>
#include <string.h>

static word_t ut, s;
static const word_t ROOT[] = {BOOT_SLOT_CNODE};

#define IRQ_GET(inv, irq, idx)                                                                     \
    fx_call(inv, BOOT_SLOT_IRQ_CONTROL, INV_IRQ_ISSUE_IRQ_HANDLER, 3, ARGS(irq, idx, 64), 1, ROOT)

static void test_irq(void)
{
    word_t h = s++, h2 = s++, n = s++, ep = s++;
    invocation_t inv;
    CHECK(IRQ_GET(&inv, 34, h) == SIGIL_STATUS_OK);
    CHECK(cap_type(fx_slot(h)->cap) == Sigil_CapIRQHandler && cap_irq(fx_slot(h)->cap) == 34);
    CHECK(irq_state(34) == IRQ_SIGNAL && cdt_revocable(fx_slot(h)));
    fx_check("irq get");
    EXPECT(
        "irq truncated", Sigil_TruncatedMessage,
        fx_call(&inv_, BOOT_SLOT_IRQ_CONTROL, INV_IRQ_ISSUE_IRQ_HANDLER, 2, ARGS(35, h2), 1, ROOT));
    EXPECT("irq out of range", Sigil_RangeError, IRQ_GET(&inv_, IRQ_COUNT, h2), 0, IRQ_COUNT - 1);
    EXPECT("irq taken", Sigil_RevokeFirst, IRQ_GET(&inv_, 34, h2));
    EXPECT("timer irq", Sigil_RevokeFirst, IRQ_GET(&inv_, SIGIL_PLAT_TIMER_IRQ, h2));
    EXPECT("irq dest full", Sigil_DeleteFirst, IRQ_GET(&inv_, 35, h));
    EXPECT("irq dest depth", Sigil_RangeError,
           fx_call(&inv_, BOOT_SLOT_IRQ_CONTROL, INV_IRQ_ISSUE_IRQ_HANDLER, 3, ARGS(35, h2, 0), 1,
                   ROOT),
           1, 64);
    EXPECT("irq control label", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_IRQ_CONTROL, INV_IRQ_ACK_IRQ, 3, ARGS(35, h2, 64), 1, ROOT));
    CHECK(fx_retype(ut, Sigil_NotificationObject, 0, n, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    EXPECT("set handler truncated", Sigil_TruncatedMessage,
           fx_call(&inv_, h, INV_IRQ_SET_IRQ_HANDLER, 0, NULL, 0, NULL));
    EXPECT("set handler endpoint", Sigil_InvalidCapability,
           fx_call(&inv_, h, INV_IRQ_SET_IRQ_HANDLER, 0, NULL, 1, ARGS(ep)), 0);
    word_t nr = s++;
    CHECK(fx_mint(nr, n, Sigil_CanRead, 0) == SIGIL_STATUS_OK);
    EXPECT("set handler no write right", Sigil_InvalidCapability,
           fx_call(&inv_, h, INV_IRQ_SET_IRQ_HANDLER, 0, NULL, 1, ARGS(nr)), 0);
    EXPECT("handler label", Sigil_IllegalOperation,
           fx_call(&inv_, h, INV_IRQ_ISSUE_IRQ_HANDLER, 0, NULL, 0, NULL));
    CHECK(fx_call(&inv, h, INV_IRQ_SET_IRQ_HANDLER, 0, NULL, 1, ARGS(n)) == SIGIL_STATUS_OK);
    CHECK(cap_ptr(irq_notification(34)) == cap_ptr(fx_slot(n)->cap));
    CHECK(fx_call(&inv, h, INV_IRQ_ACK_IRQ, 0, NULL, 0, NULL) == SIGIL_STATUS_OK);
    CHECK(host_stats.irq_unmasked == 2); /* Get unmasks (as in seL4), and so does Ack */
    CHECK(fx_call(&inv, h, INV_IRQ_CLEAR_IRQ_HANDLER, 0, NULL, 0, NULL) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(irq_notification(34)));
    CHECK(fx_call(&inv, h, INV_IRQ_SET_IRQ_HANDLER, 0, NULL, 1, ARGS(n)) == SIGIL_STATUS_OK);
    fx_check("irq handler");
    /* Deleting the notification's own cap leaves the table's copy; deleting the handler
     * releases the line. */
    CHECK(fx_delete(n) == SIGIL_STATUS_OK && !cap_is_null(irq_notification(34)));
    CHECK(fx_revoke(BOOT_SLOT_IRQ_CONTROL) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(h)->cap) && cap_is_null(irq_notification(34)));
    CHECK(irq_state(34) == IRQ_INACTIVE && host_stats.irq_masked >= 1);
    CHECK(IRQ_GET(&inv, 34, h) == SIGIL_STATUS_OK);
    fx_check("irq released");
    fx_cases += 5;
}

static void test_smc(void)
{
    word_t b = s++, c = s++, d = s++;
    invocation_t inv;
    const word_t args[8] = {0x84000000, 1, 2, 3, 4, 5, 6, 7};
    CHECK(fx_call(&inv, BOOT_SLOT_SMC, INV_SMC_CALL, 8, args, 0, NULL) == SIGIL_STATUS_OK);
    CHECK(inv.reply_length == 8 && inv.reply_mr[0] == 0x10001 && inv.reply_mr[7] == 7);
    CHECK(fx_mint(b, BOOT_SLOT_SMC, Sigil_AllRights, 0x84000000) == SIGIL_STATUS_OK);
    CHECK(cdt_revocable(fx_slot(b)) && cap_badge(fx_slot(b)->cap) == 0x84000000);
    CHECK(fx_call(&inv, b, INV_SMC_CALL, 8, args, 0, NULL) == SIGIL_STATUS_OK);
    CHECK(fx_copy(c, b, Sigil_AllRights) == SIGIL_STATUS_OK);
    EXPECT("smc other id", Sigil_IllegalOperation,
           fx_call(&inv_, b, INV_SMC_CALL, 8, ARGS(0x84000008, 0, 0, 0, 0, 0, 0, 0), 0, NULL));
    EXPECT("smc truncated", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_SMC, INV_SMC_CALL, 7, args, 0, NULL));
    EXPECT("smc label", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_SMC, INV_SMC_CALL + 1, 8, args, 0, NULL));
    EXPECT("mint from badged smc", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_MINT, 6, ARGS(d, 64, b, 64, 15, 5), 1, ROOT));
    /* Unknown function id through the master cap answers -1. */
    CHECK(fx_call(&inv, BOOT_SLOT_SMC, INV_SMC_CALL, 8, ARGS(0xdead, 0, 0, 0, 0, 0, 0, 0), 0,
                  NULL) == SIGIL_STATUS_OK &&
          inv.reply_mr[0] == (word_t)-1);
    CHECK(fx_revoke(BOOT_SLOT_SMC) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(b)->cap) && cap_is_null(fx_slot(c)->cap));
    fx_check("smc");
    fx_cases += 4;
}

/* Debug caps (docs/kernel/debug.md): Mint badges only the master, a badged cap is revocable and
 * allows only its bits, and the gate of a debug call (debug_check) refuses everything else. */
static void test_debug(void)
{
    word_t off = s++, look = s++, copy = s++, d = s++;
    cap_t root = fx_slot(BOOT_SLOT_CNODE)->cap;
    CHECK(debug_check(root, BOOT_SLOT_DEBUG, Sigil_DebugAll) == Sigil_NoError);
    CHECK(fx_mint(off, BOOT_SLOT_DEBUG, Sigil_AllRights, Sigil_DebugPowerOff) == SIGIL_STATUS_OK);
    CHECK(fx_mint(look, BOOT_SLOT_DEBUG, Sigil_AllRights, Sigil_DebugIntrospect) ==
          SIGIL_STATUS_OK);
    CHECK(cdt_revocable(fx_slot(off)) && cap_badge(fx_slot(off)->cap) == Sigil_DebugPowerOff);
    CHECK(fx_copy(copy, off, Sigil_AllRights) == SIGIL_STATUS_OK);
    CHECK(!cdt_revocable(fx_slot(copy)));
    CHECK(debug_check(root, off, Sigil_DebugPowerOff) == Sigil_NoError);
    CHECK(debug_check(root, copy, Sigil_DebugPowerOff) == Sigil_NoError);
    CHECK(debug_check(root, off, Sigil_DebugIntrospect) == Sigil_InvalidCapability);
    CHECK(debug_check(root, off, Sigil_DebugAll) == Sigil_InvalidCapability);
    CHECK(debug_check(root, look, Sigil_DebugIntrospect) == Sigil_NoError);
    CHECK(debug_check(root, look, Sigil_DebugPowerOff) == Sigil_InvalidCapability);
    CHECK(debug_check(root, BOOT_SLOT_SMC, Sigil_DebugPowerOff) == Sigil_InvalidCapability);
    CHECK(debug_check(root, d, Sigil_DebugPowerOff) == Sigil_InvalidCapability);
    CHECK(debug_check(root, (word_t)1 << 63, Sigil_DebugPowerOff) == Sigil_InvalidCapability);
    EXPECT(
        "mint from a badged debug cap", Sigil_IllegalOperation,
        fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_MINT, 6, ARGS(d, 64, off, 64, 15, 2), 1, ROOT));
    /* No invocations: not the core's (the syscall layer answers IllegalOperation). */
    invocation_t inv;
    CHECK(fx_call(&inv, BOOT_SLOT_DEBUG, INV_SMC_CALL, 8, ARGS(0, 0, 0, 0, 0, 0, 0, 0), 0, NULL) ==
          SIGIL_STATUS_NOT_CORE);
    CHECK(fx_revoke(BOOT_SLOT_DEBUG) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(off)->cap) && cap_is_null(fx_slot(look)->cap) &&
          cap_is_null(fx_slot(copy)->cap));
    CHECK(debug_check(root, off, Sigil_DebugPowerOff) == Sigil_InvalidCapability);
    CHECK(debug_check(root, BOOT_SLOT_DEBUG, Sigil_DebugAll) == Sigil_NoError);
    fx_check("debug");
    fx_cases += 4;
}

static void test_finalisation(void)
{
    word_t t = s++, ep = s++, n = s++, r = s++, f = s++, f2 = s++, pt = s++, vs = s++, w = s++;
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, t, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_NotificationObject, 0, n, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_ReplyObject, 0, r, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, w, 1) == SIGIL_STATUS_OK);
    tcb_t *tcb = tcb_from_cap(fx_slot(t)->cap);
    tcb_t *waiter = tcb_from_cap(fx_slot(w)->cap);
    endpoint_t *e = endpoint_from_cap(fx_slot(ep)->cap);
    notification_t *nt = ntfn_from_cap(fx_slot(n)->cap);
    reply_t *rp = reply_from_cap(fx_slot(r)->cap);
    tcb->state = TCB_BLOCKED_ON_RECEIVE;
    endpoint_enqueue(e, tcb);
    reply_link(rp, tcb);
    ntfn_bind(nt, tcb);
    cdt_insert_derived(fx_slot(ep), &tcb->slots[TCB_SLOT_FAULT_HANDLER], fx_slot(ep)->cap);
    waiter->state = TCB_BLOCKED_ON_NOTIFICATION;
    ntfn_enqueue(nt, waiter);
    fx_check("linked objects");
    /* The TCB goes: off the queue, unbound, unlinked, its slots emptied. */
    CHECK(fx_delete(t) == SIGIL_STATUS_OK);
    CHECK(e->queue.head == NULL && ntfn_bound_tcb(nt) == NULL && rp->tcb == NULL);
    CHECK(host_stats.tcb_destroy == 1 && !cdt_has_children(fx_slot(ep)));
    fx_check("tcb deleted");
    /* The notification goes: its waiter restarts. */
    CHECK(fx_delete(n) == SIGIL_STATUS_OK && waiter->state == TCB_RESTART);
    CHECK(waiter->blocked_on == NULL);
    fx_check("notification deleted");
    /* A reply linked to a caller waiting for the answer to its fault: the caller is abandoned,
     * inactive and unlinked, and its fault is dropped with the IPC. */
    waiter->state = TCB_BLOCKED_ON_REPLY;
    waiter->fault_type = 5;
    reply_link(rp, waiter);
    CHECK(fx_delete(r) == SIGIL_STATUS_OK && waiter->reply == NULL);
    CHECK(waiter->state == TCB_INACTIVE && waiter->fault_type == 0);
    fx_check("reply deleted");
    /* An endpoint with a plain sender and a faulted one: the first restarts, the second (whose
     * fault nobody can handle now) becomes inactive and drops its fault, as in seL4 MCS. */
    word_t ep2 = s++, plain = s++;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep2, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, plain, 1) == SIGIL_STATUS_OK);
    tcb_t *sender = tcb_from_cap(fx_slot(plain)->cap);
    endpoint_t *e2 = endpoint_from_cap(fx_slot(ep2)->cap);
    sender->state = waiter->state = TCB_BLOCKED_ON_SEND;
    endpoint_enqueue(e2, sender);
    endpoint_enqueue(e2, waiter);
    waiter->fault_type = 5;
    fx_check("senders queued");
    CHECK(fx_delete(ep2) == SIGIL_STATUS_OK && e2->queue.head == NULL);
    CHECK(sender->state == TCB_RESTART && waiter->state == TCB_INACTIVE && waiter->fault_type == 0);
    fx_check("endpoint with senders deleted");
    /* Mapped frame caps unmap on every deletion; page tables and VSpaces on the last. */
    CHECK(fx_retype(ut, Sigil_Frame4KObject, 0, f, 1) == SIGIL_STATUS_OK);
    CHECK(fx_copy(f2, f, 15) == SIGIL_STATUS_OK);
    fx_slot(f2)->cap = cap_set_mapping(fx_slot(f2)->cap, 7, 0x10000);
    CHECK(fx_delete(f2) == SIGIL_STATUS_OK && host_stats.unmap_frame == 1);
    CHECK(fx_delete(f) == SIGIL_STATUS_OK && host_stats.unmap_frame == 1);
    CHECK(fx_retype(ut, Sigil_PageTableObject, 0, pt, 1) == SIGIL_STATUS_OK);
    fx_slot(pt)->cap = cap_set_mapping(fx_slot(pt)->cap, 7, 0x200000);
    CHECK(fx_delete(pt) == SIGIL_STATUS_OK && host_stats.unmap_pt == 1);
    CHECK(fx_retype(ut, Sigil_VSpaceObject, 0, vs, 1) == SIGIL_STATUS_OK);
    CHECK(fx_delete(vs) == SIGIL_STATUS_OK && host_stats.vspace_delete == 1);
    fx_check("finalisation");
    fx_cases += 8;
}

/* delete_is_long_running, which TCB invocations use to refuse slot changes that would need a
 * zombie, agrees with how the deletion engine plans a deletion. */
static void test_long_running(void)
{
    word_t cn = s++, cn2 = s++, e = s++, e2 = s++, t = s++, f = s++;
    CHECK(!delete_is_long_running(fx_slot(s++))); /* empty */
    CHECK(fx_retype(ut, Sigil_CNodeObject, 2, cn, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, e, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, t, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_Frame4KObject, 0, f, 1) == SIGIL_STATUS_OK);
    CHECK(delete_is_long_running(fx_slot(cn)) && delete_is_long_running(fx_slot(t)));
    CHECK(!delete_is_long_running(fx_slot(e)) && !delete_is_long_running(fx_slot(f)));
    CHECK(fx_copy(cn2, cn, 15) == SIGIL_STATUS_OK && fx_copy(e2, e, 15) == SIGIL_STATUS_OK);
    CHECK(!delete_is_long_running(fx_slot(cn))); /* not the last cap */
    CHECK(fx_delete(e2) == SIGIL_STATUS_OK);
    tcb_t *w = tcb_from_cap(fx_slot(t)->cap);
    w->state = TCB_BLOCKED_ON_SEND;
    endpoint_enqueue(endpoint_from_cap(fx_slot(e)->cap), w);
    CHECK(delete_is_long_running(fx_slot(e))); /* the last cap, with a waiter */
    cte_t zombie = {cap_zombie(ZOMBIE_CNODE, cap_ptr(fx_slot(cn)->cap), 1, NULL), 0, 0};
    CHECK(delete_is_long_running(&zombie));
    tcb_suspend(w);
    fx_check("long running");
    fx_cases += 8;
}

static void expect_violation(const char *what)
{
    inv_object_t scratch[4096];
    const char *e = invariants_check(scratch, 4096);
    if (e == NULL) {
        fprintf(stderr, "checker missed: %s\n", what);
        fx_failures++;
    }
    fx_cases++;
}

static void test_checker_catches(void)
{
    word_t a = s++, b = s++;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, a, 1) == SIGIL_STATUS_OK);
    /* An overlapping object forged into a slot. */
    cap_t forged = cap_notification(cap_ptr(fx_slot(a)->cap), 0, 15);
    cdt_insert_root(fx_slot(b), forged);
    expect_violation("overlap");
    cdt_remove(fx_slot(b));
    /* An object above its untyped's watermark. */
    cte_t *u = fx_slot(ut);
    cap_t saved = u->cap;
    u->cap = cap_untyped_set_watermark(saved, 0);
    expect_violation("above watermark");
    u->cap = saved;
    /* A thread blocked on an endpoint that is gone. */
    word_t t = s++;
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, t, 1) == SIGIL_STATUS_OK);
    tcb_t *tcb = tcb_from_cap(fx_slot(t)->cap);
    tcb->state = TCB_BLOCKED_ON_SEND;
    endpoint_enqueue(endpoint_from_cap(fx_slot(a)->cap), tcb);
    fx_check("blocked sender");
    fx_slot(a)->cap = cap_notification(cap_ptr(fx_slot(a)->cap), 0, 15);
    expect_violation("blocked on a non-endpoint");
    fx_slot(a)->cap = cap_endpoint(cap_ptr(fx_slot(a)->cap), 0, 15);
    /* A fault kept by a thread that no longer sends it. */
    tcb_cancel_ipc(tcb);
    tcb->state = TCB_INACTIVE;
    fx_check("inactive thread");
    tcb->fault_type = 5;
    expect_violation("stale fault");
    tcb->fault_type = 0;
    /* A broken derivation link. */
    uintptr_t saved_prev = fx_slot(a)->prev;
    fx_slot(a)->prev = (uintptr_t)fx_slot(BOOT_SLOT_TCB);
    expect_violation("broken list");
    fx_slot(a)->prev = saved_prev;
    fx_check("restored");
}

/* More live objects than the kernel's checker has room for (16,384): the checker must say it
 * could not check, never "hold"; with room for all of them it checks and they hold. */
static void test_checker_out_of_room(void)
{
    const word_t n = 20000, kernel_room = 16384;
    word_t cn = s++;
    CHECK(fx_retype(ut, Sigil_CNodeObject, 15, cn, 1) == SIGIL_STATUS_OK);
    fx_check_every = 1000;
    invocation_t inv;
    for (word_t done = 0; done < n; done += 250) {
        CHECK(fx_call(&inv, ut, INV_UNTYPED_RETYPE, 6,
                      ARGS(Sigil_NotificationObject, 0, cn, 64, done, 250), 1,
                      ARGS(BOOT_SLOT_CNODE)) == SIGIL_STATUS_OK);
    }
    fx_check_every = 1;
    inv_object_t *room = malloc(kernel_room * sizeof(*room));
    const char *e = invariants_check(room, kernel_room);
    const char *want = "checker has room for 16384 objects, the system has more: ";
    if (e == NULL || strncmp(e, want, strlen(want)) != 0) {
        fprintf(stderr, "checker out of room said: %s\n", e != NULL ? e : "(hold)");
        fx_failures++;
    }
    free(room);
    fx_check("20,000 notifications, room for all");
    CHECK(fx_delete(cn) == SIGIL_STATUS_OK);
    fx_cases += 2;
}

int main(void)
{
    fx_boot(24);
    ut = fx_big_untyped();
    s = fx_free_slot();
    test_irq();
    test_smc();
    test_debug();
    test_finalisation();
    test_long_running();
    test_checker_catches();
    test_checker_out_of_room();
    return fx_finish("core_objects");
}
