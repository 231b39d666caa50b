/*
 * Preemptible operations: revoke of 10,000 caps, deletion of a large CNode and of a deep
 * chain of nested CNodes, reset of a 64 MiB untyped, CancelBadgedSends and endpoint deletion
 * with many waiters. Each runs with every interrupt check answering "pending", so it is
 * preempted as often as possible and restarted until done; the invariant checker runs
 * between restarts, and the work between two interrupt checks is asserted to be bounded.
 */
#include "fixture.h"

#include <kernel/preempt.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/untyped.h>
#include <string.h>

static word_t ut, s;
static const word_t ROOT[] = {BOOT_SLOT_CNODE};

/* Retype `count` objects into CNode `cn` (a root slot) from `offset`. */
static void retype_into(word_t u, word_t type, word_t size, word_t cn, word_t offset, word_t count)
{
    invocation_t inv;
    while (count > 0) {
        word_t n = count > RETYPE_FAN_OUT_LIMIT ? RETYPE_FAN_OUT_LIMIT : count;
        CHECK(fx_call_all(&inv, u, INV_UNTYPED_RETYPE, 6, ARGS(type, size, cn, 64, offset, n), 1,
                          ROOT, NULL) == SIGIL_STATUS_OK);
        offset += n;
        count -= n;
    }
}

/* Copy root slot `src` into slot `index` of the CNode of radix `radix` in root slot `cn`. */
static void copy_into(word_t cn, unsigned radix, word_t index, word_t src)
{
    invocation_t inv;
    CHECK(fx_call(&inv, cn, INV_CNODE_COPY, 5, ARGS(index, radix, src, 64, Sigil_AllRights), 1,
                  ROOT) == SIGIL_STATUS_OK);
}

/* Run a CNode invocation on the root CNode to completion under constant preemption,
 * checking invariants every `every` restarts. Returns the number of restarts. */
static unsigned long preempted_root_call(word_t label, word_t slot, unsigned every)
{
    invocation_t inv;
    unsigned long restarts = 0;
    host_preempt_always();
    host_stats.max_units = host_stats.max_cleared = host_stats.max_restarts = 0;
    sigil_status_t st;
    while ((st = fx_call(&inv, BOOT_SLOT_CNODE, label, 2, ARGS(slot, 64), 0, NULL)) ==
           SIGIL_STATUS_PREEMPTED) {
        if (++restarts % every == 0) {
            fx_check("between restarts");
        }
    }
    host_preempt_never();
    CHECK(st == SIGIL_STATUS_OK);
    CHECK(host_stats.max_units <= PREEMPT_UNITS_PER_CHECK);
    fx_check("after preempted call");
    return restarts;
}

static unsigned long revoke_n(word_t cn, word_t n)
{
    fx_check_every = 500;
    word_t ep = s++;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    for (word_t i = 0; i < n; i++) {
        copy_into(cn, 14, i, ep);
    }
    fx_check("10k copies");
    fx_check_every = 64;
    unsigned long checks = host_stats.checks;
    unsigned long restarts = preempted_root_call(INV_CNODE_REVOKE, ep, 64);
    checks = host_stats.checks - checks;
    CHECK(restarts >= n / PREEMPT_UNITS_PER_CHECK);
    CHECK(!cdt_has_children(fx_slot(ep)));
    CHECK(fx_delete(ep) == SIGIL_STATUS_OK);
    fx_check_every = 1;
    fx_cases++;
    return checks;
}

static void test_revoke_10k(void)
{
    word_t cn = s++;
    CHECK(fx_retype(ut, Sigil_CNodeObject, 14, cn, 1) == SIGIL_STATUS_OK);
    unsigned long c1k = revoke_n(cn, 1000);
    unsigned long c10k = revoke_n(cn, 10000);
    /* Linear: the per-cap cost at 10k is within 1.1x of the cost at 1k. */
    CHECK(c10k * 10 <= c1k * 10 * 11);
    printf("revoke: %lu interrupt checks for 1k caps, %lu for 10k\n", c1k, c10k);
    CHECK(fx_delete(cn) == SIGIL_STATUS_OK);
}

static void test_delete_big_cnode(void)
{
    word_t cn = s++, ep = s++;
    CHECK(fx_retype(ut, Sigil_CNodeObject, 14, cn, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    fx_check_every = 500;
    for (word_t i = 0; i < 8000; i++) {
        copy_into(cn, 14, i * 2, ep);
    }
    retype_into(ut, Sigil_TCBObject, 0, cn, 16001, 100);
    retype_into(ut, Sigil_CNodeObject, 4, cn, 16200, 50);
    unsigned long destroyed = host_stats.tcb_destroy;
    fx_check_every = 64;
    unsigned long r = preempted_root_call(INV_CNODE_DELETE, cn, 16);
    fx_check_every = 1;
    CHECK(cap_is_null(fx_slot(cn)->cap) && delete_chain_top() == NULL);
    CHECK(host_stats.tcb_destroy == destroyed + 100);
    CHECK(!cdt_has_children(fx_slot(ep)));
    printf("delete of a 16k-slot CNode: %lu restarts\n", r);
    CHECK(fx_delete(ep) == SIGIL_STATUS_OK);
    fx_cases++;
}

/* CNode i holds in slot 1 the only cap to CNode i + 1: a chain `depth` deep. */
static void test_delete_nested_chain(void)
{
    const word_t depth = 300;
    word_t first = s;
    s += depth;
    retype_into(ut, Sigil_CNodeObject, 1, BOOT_SLOT_CNODE, first, depth);
    invocation_t inv;
    for (word_t i = depth - 1; i > 0; i--) {
        /* Move CNode i into slot 1 of CNode i - 1 (dest looked up through CNode i - 1). */
        CHECK(fx_call(&inv, first + i - 1, INV_CNODE_MOVE, 4, ARGS(1, 1, first + i, 64), 1, ROOT) ==
              SIGIL_STATUS_OK);
    }
    fx_check("nested chain built");
    /* Zombies cannot be copied or moved while the deletion is preempted. */
    host_preempt_always();
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(first, 64), 0, NULL) ==
          SIGIL_STATUS_PREEMPTED);
    host_preempt_never();
    CHECK(cap_type(fx_slot(first)->cap) == Sigil_CapZombie);
    fx_check("preempted chain");
    word_t d = s++;
    fx_snapshot();
    sigil_status_t st =
        fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_COPY, 5, ARGS(d, 64, first, 64, 15), 1, ROOT);
    fx_expect_error("copy zombie", st, &inv, Sigil_IllegalOperation, 0, NULL);
    st = fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_MOVE, 4, ARGS(d, 64, first, 64), 1, ROOT);
    fx_expect_error("move zombie", st, &inv, Sigil_IllegalOperation, 0, NULL);
    st = fx_call(&inv, first, INV_CNODE_DELETE, 2, ARGS(0, 1), 0, NULL);
    fx_expect_error("invoke zombie", st, &inv, Sigil_InvalidCapability, 1, ARGS(0));
    preempted_root_call(INV_CNODE_DELETE, first, 8);
    CHECK(cap_is_null(fx_slot(first)->cap) && delete_chain_top() == NULL);
    fx_cases += 4;
}

/* Cycles of CNodes and TCBs holding the only caps to each other, reachable only through the
 * derivation tree: revoking their untyped must delete all of them, with and without
 * preemption. `len` objects, object i holding the only cap to object i + 1 (mod len). */
static void test_cycle(word_t len, bool preempt, bool with_tcb)
{
    word_t u = s++, objs = s;
    s += len;
    invocation_t inv;
    CHECK(fx_retype(ut, Sigil_UntypedObject, 16, u, 1) == SIGIL_STATUS_OK);
    for (word_t i = 0; i < len; i++) {
        bool tcb = with_tcb && i == len - 1;
        CHECK(fx_retype(u, tcb ? Sigil_TCBObject : Sigil_CNodeObject, tcb ? 0 : 2, objs + i, 1) ==
              SIGIL_STATUS_OK);
    }
    /* Object i (a CNode, or the TCB last) receives the cap to object i + 1 in its slot 1 (TCB:
     * its CSpace slot). */
    for (word_t k = 0; k < len; k++) {
        word_t i = len - 1 - k, next = objs + (i + 1) % len;
        cap_t holder = fx_slot(objs + i)->cap;
        cte_t *dest = cap_type(holder) == Sigil_CapTCB
                          ? &tcb_from_cap(holder)->slots[TCB_SLOT_CSPACE]
                          : (cte_t *)cap_ptr(holder) + 1;
        cdt_insert_derived(fx_slot(next), dest, fx_slot(next)->cap);
    }
    for (word_t i = 0; i < len; i++) {
        CHECK(fx_delete(objs + i) == SIGIL_STATUS_OK);
    }
    fx_check("cycle built");
    CHECK(cdt_has_children(fx_slot(u)));
    unsigned long restarts = 0;
    if (preempt) {
        host_preempt_always();
    }
    while (fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_REVOKE, 2, ARGS(u, 64), 0, NULL) ==
           SIGIL_STATUS_PREEMPTED) {
        restarts++;
        fx_check("cycle revoke restart");
    }
    host_preempt_never();
    CHECK(!cdt_has_children(fx_slot(u)));
    /* Any chain left over is finished by the next deletion that needs it. */
    word_t c = s++;
    CHECK(fx_retype(u, Sigil_CNodeObject, 1, c, 1) == SIGIL_STATUS_OK);
    CHECK(fx_delete(c) == SIGIL_STATUS_OK && delete_chain_top() == NULL);
    fx_check("cycle revoked");
    fx_cases++;
}

static void test_cycles(void)
{
    for (int p = 0; p < 2; p++) {
        test_cycle(1, p, false);
        test_cycle(2, p, false);
        test_cycle(2, p, true);
        test_cycle(3, p, true);
        test_cycle(7, p, false);
    }
}

/* A reset preempted half way: the untyped is copied (the copy inherits the watermark reached
 * so far and resets the rest itself), and the original, now full, refuses to retype. */
static void test_reset_interleaved(word_t f)
{
    word_t u = s++, copy = s++, d = s++;
    invocation_t inv;
    CHECK(fx_revoke(ut) == SIGIL_STATUS_OK && fx_delete(f) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_UntypedObject, 20, u, 1) == SIGIL_STATUS_OK);
    const word_t pages = (1u << 20) / SIGIL_PAGE_SIZE; /* the whole untyped, in frames */
    for (word_t i = 0; i < pages; i += RETYPE_FAN_OUT_LIMIT) {
        word_t n = pages - i < RETYPE_FAN_OUT_LIMIT ? pages - i : RETYPE_FAN_OUT_LIMIT;
        CHECK(fx_retype(u, Sigil_Frame4KObject, 0, d + i, n) == SIGIL_STATUS_OK);
    }
    for (word_t i = 0; i < pages; i++) {
        memset(cap_ptr(fx_slot(d + i)->cap), 0x77, SIGIL_PAGE_SIZE);
        CHECK(fx_delete(d + i) == SIGIL_STATUS_OK);
    }
    host_preempt_after(100);
    CHECK(fx_call(&inv, u, INV_UNTYPED_RETYPE, 6, ARGS(Sigil_EndpointObject, 0, 0, 0, d, 1), 1,
                  ROOT) == SIGIL_STATUS_PREEMPTED);
    host_preempt_never();
    word_t wm = cap_untyped_watermark(fx_slot(u)->cap);
    CHECK(wm > 0 && wm < (1u << 20));
    CHECK(fx_copy(copy, u, Sigil_AllRights) == SIGIL_STATUS_OK);
    CHECK(cap_untyped_watermark(fx_slot(copy)->cap) == wm);
    fx_snapshot();
    sigil_status_t st =
        fx_call(&inv, u, INV_UNTYPED_RETYPE, 6, ARGS(Sigil_EndpointObject, 0, 0, 0, d, 1), 1, ROOT);
    fx_expect_error("retype from a full untyped", st, &inv, Sigil_NotEnoughMemory, 1, ARGS(0));
    CHECK(fx_retype(copy, Sigil_Frame4KObject, 0, d, 1) == SIGIL_STATUS_OK);
    const unsigned char *p = cap_ptr(fx_slot(copy)->cap);
    bool zero = true;
    for (size_t i = 0; i < (1u << 20); i++) {
        zero = zero && p[i] == 0;
    }
    CHECK(zero);
    fx_check("interleaved reset");
    fx_cases++;
}

static void test_reset_64mib(void)
{
    fx_boot(27);
    ut = fx_big_untyped();
    s = fx_free_slot();
    CHECK(cap_untyped_size_bits(fx_slot(ut)->cap) == 26);
    word_t f = s;
    s += 32;
    CHECK(fx_retype(ut, Sigil_Frame2MObject, 0, f, 32) == SIGIL_STATUS_OK);
    for (word_t i = 0; i < 32; i++) {
        memset(cap_ptr(fx_slot(f + i)->cap), 0x5a, 1 << 21);
    }
    CHECK(fx_revoke(ut) == SIGIL_STATUS_OK);
    invocation_t inv;
    unsigned long restarts = 0;
    host_preempt_always();
    fx_check_every = 4096;
    host_stats.max_cleared = host_stats.max_units = 0;
    while (fx_call(&inv, ut, INV_UNTYPED_RETYPE, 6, ARGS(Sigil_EndpointObject, 0, 0, 0, f, 1), 1,
                   ROOT) == SIGIL_STATUS_PREEMPTED) {
        restarts++;
    }
    host_preempt_never();
    fx_check_every = 1;
    CHECK(inv.reply_label == 0 && cap_type(fx_slot(f)->cap) == Sigil_CapEndpoint);
    CHECK(host_stats.max_units <= PREEMPT_UNITS_PER_CHECK);
    CHECK(host_stats.max_cleared <= PREEMPT_UNITS_PER_CHECK << RESET_CHUNK_BITS);
    CHECK(restarts >= (1ul << 26) / (PREEMPT_UNITS_PER_CHECK << RESET_CHUNK_BITS));
    const unsigned char *p = cap_ptr(fx_slot(ut)->cap);
    bool zero = true;
    for (size_t i = 0; i < (1u << 26); i += 8) {
        zero = zero && *(const uint64_t *)(p + i) == 0;
    }
    CHECK(zero);
    printf("reset of 64 MiB: %lu restarts, at most %lu bytes cleared between checks\n", restarts,
           host_stats.max_cleared);
    fx_check("reset");
    fx_cases++;
    test_reset_interleaved(f);
}

/* Put the n TCBs from root slot t0 on the queue of the endpoint in `ep` as senders, badge i % 3,
 * without any invocation. */
static void enqueue_senders(word_t ep, word_t t0, word_t n)
{
    endpoint_t *e = endpoint_from_cap(fx_slot(ep)->cap);
    for (word_t i = 0; i < n; i++) {
        tcb_t *t = tcb_from_cap(fx_slot(t0 + i)->cap);
        t->state = TCB_BLOCKED_ON_SEND;
        t->ipc_badge = i % 3;
        endpoint_enqueue(e, t);
    }
}

/* Queue n senders on the endpoint in root slot `ep`, badge = i % 3; new TCB caps from root
 * slot `t0` on. */
static void queue_senders(word_t ep, word_t t0, word_t n)
{
    retype_into(ut, Sigil_TCBObject, 0, BOOT_SLOT_CNODE, t0, n);
    enqueue_senders(ep, t0, n);
}

static void test_cancel_badged_many(void)
{
    fx_boot(24);
    ut = fx_big_untyped();
    s = fx_free_slot();
    const word_t n = 900;
    word_t ep = s++, m1 = s++, m2 = s++, t0 = s;
    s += n;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    CHECK(fx_mint(m1, ep, Sigil_AllRights, 1) == SIGIL_STATUS_OK);
    CHECK(fx_mint(m2, ep, Sigil_AllRights, 2) == SIGIL_STATUS_OK);
    queue_senders(ep, t0, n);
    unsigned long restarts = preempted_root_call(INV_CNODE_CANCEL_BADGED_SENDS, m1, 4);
    CHECK(host_stats.max_restarts <= PREEMPT_UNITS_PER_CHECK);
    CHECK(restarts >= n / PREEMPT_UNITS_PER_CHECK);
    endpoint_t *e = endpoint_from_cap(fx_slot(ep)->cap);
    word_t expect = 0, count = 0;
    for (tcb_t *t = e->queue.head; t != NULL; t = t->q_next, count++) {
        /* remaining senders keep their order */
        CHECK(t == tcb_from_cap(fx_slot(t0 + expect)->cap));
        expect += (expect % 3 == 0) ? 2 : 1;
    }
    CHECK(count == n - n / 3 && host_ready_count() == n / 3);
    /* Two callers interleaved: B finishes A's walk, then A restarts and is done. */
    tcb_t *a = fx_caller();
    tcb_t *b = tcb_from_cap(fx_slot(t0)->cap); /* a restarted thread, not queued */
    host_preempt_always();
    invocation_t inv;
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m2, 64), 0, NULL) ==
          SIGIL_STATUS_PREEMPTED);
    CHECK(endpoint_current_walk().ep == e);
    inv.label = INV_CNODE_CANCEL_BADGED_SENDS;
    inv.length = 2;
    inv.mr[0] = m1;
    inv.mr[1] = 64;
    inv.extra_caps = 0;
    while (api_invoke_slot(b, fx_slot(BOOT_SLOT_CNODE), &inv) == SIGIL_STATUS_PREEMPTED) {
    }
    CHECK(endpoint_current_walk().ep == NULL);
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m2, 64), 0, NULL) ==
          SIGIL_STATUS_OK);
    host_preempt_never();
    CHECK(a->cancel_ep == NULL);
    for (tcb_t *t = e->queue.head; t != NULL; t = t->q_next) {
        CHECK(t->ipc_badge == 0);
    }
    fx_check("interleaved cancel");

    /* B starts a walk and is preempted; A finishes it. Then B's registers are rewritten: B will
     * not restart that call, so it forgets its ticket, and the same request from B later walks
     * the queue again instead of returning at once. */
    word_t late = s++;
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, late, 1) == SIGIL_STATUS_OK);
    host_preempt_always();
    inv.label = INV_CNODE_CANCEL_BADGED_SENDS;
    inv.length = 2;
    inv.mr[0] = m2;
    inv.mr[1] = 64;
    inv.extra_caps = 0;
    CHECK(api_invoke_slot(b, fx_slot(BOOT_SLOT_CNODE), &inv) == SIGIL_STATUS_PREEMPTED);
    CHECK(b->cancel_ep == e);
    while (fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m2, 64), 0,
                   NULL) == SIGIL_STATUS_PREEMPTED) {
    }
    host_preempt_never();
    CHECK(fx_call(&inv, t0, Sigil_TCB_WriteRegisters, 3, ARGS(0, 0, 0), 0, NULL) ==
          SIGIL_STATUS_OK);
    CHECK(b->cancel_ep == NULL);
    tcb_t *sender = tcb_from_cap(fx_slot(late)->cap);
    sender->state = TCB_BLOCKED_ON_SEND;
    sender->ipc_badge = 2;
    endpoint_enqueue(e, sender);
    inv.label = INV_CNODE_CANCEL_BADGED_SENDS;
    inv.length = 2;
    inv.mr[0] = m2;
    inv.mr[1] = 64;
    inv.extra_caps = 0;
    CHECK(api_invoke_slot(b, fx_slot(BOOT_SLOT_CNODE), &inv) == SIGIL_STATUS_OK);
    CHECK(sender->state == TCB_RESTART);
    fx_check("ticket forgotten by WriteRegisters");
    fx_cases += 3;
}

/* Invoke the cap in root slot `cptr` as thread `b` (not the fixture's caller, whose own
 * finished invocations would forget its ticket), to completion. Extra caps are root slots. */
static sigil_status_t as_thread(tcb_t *b, word_t cptr, word_t label, unsigned n, const word_t *args,
                                unsigned ne, const word_t *extra)
{
    static invocation_t inv;
    sigil_status_t st;
    do {
        inv.label = label;
        inv.length = n;
        memcpy(inv.mr, args, n * sizeof(word_t));
        inv.extra_caps = ne;
        for (unsigned i = 0; i < ne; i++) {
            inv.extra[i] = fx_slot(extra[i]);
        }
    } while ((st = api_invoke_slot(b, fx_slot(cptr), &inv)) == SIGIL_STATUS_PREEMPTED);
    return st == SIGIL_STATUS_OK && inv.reply_label != Sigil_NoError ? SIGIL_STATUS_ERROR : st;
}

/* A's CancelBadgedSends is preempted; another thread deletes its endpoint and makes a new one
 * at the same address, with senders of the same badge queued. When A re-executes the call
 * (same cptr, now naming the new endpoint) it must cancel them, not report the old walk's
 * success. The same when the old walk was finished by a helper before the deletion. */
static void ticket_outlives_endpoint(bool helped)
{
    const word_t n = 40;
    word_t u = s++, ep = s++, m = s++, hb = s++, t0 = s, t1 = s + n;
    s += 2 * n;
    CHECK(fx_retype(ut, Sigil_UntypedObject, 4, u, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, hb, 1) == SIGIL_STATUS_OK);
    retype_into(ut, Sigil_TCBObject, 0, BOOT_SLOT_CNODE, t1, n);
    CHECK(fx_retype(u, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    CHECK(fx_mint(m, ep, Sigil_AllRights, 1) == SIGIL_STATUS_OK);
    void *old = cap_ptr(fx_slot(ep)->cap);
    queue_senders(ep, t0, n);
    tcb_t *a = fx_caller(), *b = tcb_from_cap(fx_slot(hb)->cap);
    invocation_t inv;
    host_preempt_always();
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m, 64), 0, NULL) ==
          SIGIL_STATUS_PREEMPTED);
    if (helped) { /* another thread's request finishes A's walk first */
        CHECK(as_thread(b, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m, 64), 0,
                        NULL) == SIGIL_STATUS_OK);
    }
    host_preempt_never();
    CHECK(a->cancel_ep == old);
    /* B deletes the endpoint and makes a new one at the same address. */
    CHECK(as_thread(b, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(m, 64), 0, NULL) ==
          SIGIL_STATUS_OK);
    CHECK(as_thread(b, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(ep, 64), 0, NULL) ==
          SIGIL_STATUS_OK);
    CHECK(a->cancel_ep == NULL);
    CHECK(as_thread(b, u, INV_UNTYPED_RETYPE, 6,
                    ARGS(Sigil_EndpointObject, 0, BOOT_SLOT_CNODE, 64, ep, 1), 1,
                    ARGS(BOOT_SLOT_CNODE)) == SIGIL_STATUS_OK);
    CHECK(cap_ptr(fx_slot(ep)->cap) == old);
    CHECK(as_thread(b, BOOT_SLOT_CNODE, INV_CNODE_MINT, 6, ARGS(m, 64, ep, 64, Sigil_AllRights, 1),
                    1, ARGS(BOOT_SLOT_CNODE)) == SIGIL_STATUS_OK);
    enqueue_senders(ep, t1, n);
    fx_check("new endpoint at the old address");
    host_preempt_always();
    while (fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 2, ARGS(m, 64), 0, NULL) ==
           SIGIL_STATUS_PREEMPTED) {
    }
    host_preempt_never();
    CHECK(inv.reply_label == Sigil_NoError);
    word_t left = 0;
    for (tcb_t *t = endpoint_from_cap(fx_slot(ep)->cap)->queue.head; t != NULL; t = t->q_next) {
        CHECK(t->ipc_badge != 1);
        left++;
    }
    CHECK(left == n - n / 3);
    fx_check("ticket of a deleted endpoint");
    CHECK(fx_delete(m) == SIGIL_STATUS_OK && fx_delete(ep) == SIGIL_STATUS_OK);
    for (word_t i = 0; i < 2 * n; i++) {
        CHECK(fx_delete(t0 + i) == SIGIL_STATUS_OK);
    }
    CHECK(fx_delete(u) == SIGIL_STATUS_OK && fx_delete(hb) == SIGIL_STATUS_OK);
    fx_cases++;
}

static void test_delete_endpoint_many_waiters(void)
{
    word_t ep = s++, t0 = s;
    const word_t n = 600;
    s += n;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    queue_senders(ep, t0, n);
    unsigned long ready = host_ready_count();
    preempted_root_call(INV_CNODE_DELETE, ep, 4);
    CHECK(host_ready_count() == ready + n);
    CHECK(host_stats.max_restarts <= PREEMPT_UNITS_PER_CHECK);
    for (word_t i = 0; i < n; i++) {
        CHECK(tcb_from_cap(fx_slot(t0 + i)->cap)->state == TCB_RESTART);
    }
    fx_cases++;
}

int main(void)
{
    fx_boot(24);
    ut = fx_big_untyped();
    s = fx_free_slot();
    test_revoke_10k();
    test_delete_big_cnode();
    test_delete_nested_chain();
    test_cancel_badged_many();
    ticket_outlives_endpoint(false);
    ticket_outlives_endpoint(true);
    test_delete_endpoint_many_waiters();
    test_cycles();
    test_reset_64mib();
    return fx_finish("core_preempt");
}
