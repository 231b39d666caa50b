/*
 * CNode invocations: every success case and every documented error, each error checked to
 * leave the kernel state byte for byte unchanged, the invariant checker after every step.
 */
#include "fixture.h"

#include <object/cdt.h>
#include <object/endpoint.h>
#include <object/tcb.h>

static const word_t ROOT[] = {BOOT_SLOT_CNODE};
static const word_t ROOT2[] = {BOOT_SLOT_CNODE, BOOT_SLOT_CNODE};
static word_t ut, ep, s;

#define CNODE_CALL(inv, label, ...)                                                                \
    fx_call(inv, BOOT_SLOT_CNODE, label, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__), 1, ROOT)

static void setup(void)
{
    fx_boot(24);
    ut = fx_big_untyped();
    s = fx_free_slot();
    ep = s++;
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
}

static void test_copy_mint_success(void)
{
    word_t c = s++, m = s++, mm = s++;
    CHECK(fx_copy(c, ep, Sigil_CanWrite | Sigil_CanRead) == SIGIL_STATUS_OK);
    cap_t cc = fx_slot(c)->cap;
    CHECK(cap_type(cc) == Sigil_CapEndpoint && cap_rights(cc) == (Sigil_CanWrite | Sigil_CanRead));
    CHECK(cap_ptr(cc) == cap_ptr(fx_slot(ep)->cap) && cap_badge(cc) == 0);
    CHECK(!cdt_revocable(fx_slot(c)) && cdt_next(fx_slot(ep)) == fx_slot(c));
    CHECK(fx_mint(m, ep, Sigil_AllRights, 77) == SIGIL_STATUS_OK);
    CHECK(cap_badge(fx_slot(m)->cap) == 77 && cdt_revocable(fx_slot(m)));
    CHECK(cdt_first_badged(fx_slot(m)));
    /* A copy of the badged cap is its child; minting from it fails. */
    CHECK(fx_copy(mm, m, Sigil_AllRights) == SIGIL_STATUS_OK);
    CHECK(cdt_is_parent_of(fx_slot(m), fx_slot(mm)) && !cdt_revocable(fx_slot(mm)));
    fx_check("copy/mint");
    fx_cases += 3;
    invocation_t inv;
    EXPECT("mint from badged endpoint", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_MINT, s, 64, mm, 64, Sigil_AllRights, 5));
    (void)inv;
    /* Revoking the badged cap removes its copy only. */
    CHECK(fx_revoke(m) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(mm)->cap) && !cap_is_null(fx_slot(m)->cap));
    CHECK(!cap_is_null(fx_slot(c)->cap));
    /* Revoking the original removes everything derived from it. */
    CHECK(fx_revoke(ep) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(c)->cap) && cap_is_null(fx_slot(m)->cap));
    CHECK(!cap_is_null(fx_slot(ep)->cap));
    fx_check("revoke");
    fx_cases += 2;
}

static void test_move_mutate_rotate(void)
{
    word_t cn = s++, a = s++, b = s++, d = s++;
    invocation_t inv;
    CHECK(fx_retype(ut, Sigil_CNodeObject, 4, cn, 1) == SIGIL_STATUS_OK);
    CHECK(CNODE_CALL(&inv, INV_CNODE_MOVE, a, 64, cn, 64) == SIGIL_STATUS_OK);
    CHECK(cap_is_null(fx_slot(cn)->cap) && cap_type(fx_slot(a)->cap) == Sigil_CapCNode);
    CHECK(CNODE_CALL(&inv, INV_CNODE_MUTATE, b, 64, a, 64, (5u << 6) | 3) == SIGIL_STATUS_OK);
    CHECK(cap_cnode_guard(fx_slot(b)->cap) == 5 && cap_cnode_guard_size(fx_slot(b)->cap) == 3);
    fx_check("move/mutate");
    EXPECT("mutate guard too large", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, a, 64, b, 64, 61));
    EXPECT("mutate endpoint", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, a, 64, ep, 64, 1));
    EXPECT("mutate truncated", Sigil_TruncatedMessage,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, a, 64, b, 64));
    EXPECT("move to full slot", Sigil_DeleteFirst,
           CNODE_CALL(&inv_, INV_CNODE_MOVE, ep, 64, b, 64));
    EXPECT("move from empty slot", Sigil_FailedLookup,
           CNODE_CALL(&inv_, INV_CNODE_MOVE, a, 64, d, 64), 1, Sigil_MissingCapability, 64);
    /* Rotate: b -> a? Rotate(dest=d, pivot=b, src=ep): pivot's cap to d, src's cap to pivot. */
    cap_t bc = fx_slot(b)->cap, ec = fx_slot(ep)->cap;
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8,
                  ARGS(d, 64, (5u << 6) | 3, b, 64, 0, ep, 64), 2, ROOT2) == SIGIL_STATUS_ERROR);
    CHECK(inv.reply_label == Sigil_IllegalOperation); /* endpoint data with preserve */
    word_t e2 = s++;
    CHECK(fx_retype(ut, Sigil_CNodeObject, 2, e2, 1) == SIGIL_STATUS_OK);
    cap_t c2 = fx_slot(e2)->cap;
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8,
                  ARGS(d, 64, (5u << 6) | 3, b, 64, 0, e2, 64), 2, ROOT2) == SIGIL_STATUS_OK);
    CHECK(cap_equal(fx_slot(d)->cap, bc) && cap_equal(fx_slot(b)->cap, c2));
    CHECK(cap_is_null(fx_slot(e2)->cap));
    /* Rotate with src == dest swaps. */
    CHECK(fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8,
                  ARGS(d, 64, 0, b, 64, (5u << 6) | 3, d, 64), 2, ROOT2) == SIGIL_STATUS_OK);
    CHECK(cap_equal(fx_slot(d)->cap, c2) && cap_ptr(fx_slot(b)->cap) == cap_ptr(bc));
    fx_check("rotate");
    fx_cases += 5;
    (void)ec;
    EXPECT("rotate truncated", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 7, ARGS(a, 64, 0, b, 64, 0, d), 2,
                   ROOT2));
    EXPECT("rotate one extra cap", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(a, 64, 0, b, 64, 0, d, 64), 1,
                   ROOT));
    EXPECT("rotate pivot == src", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(a, 64, 0, b, 64, 0, b, 64), 2,
                   ROOT2));
    EXPECT("rotate pivot == dest", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(b, 64, 0, b, 64, 0, d, 64), 2,
                   ROOT2));
    EXPECT("rotate dest full", Sigil_DeleteFirst,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(ep, 64, 0, b, 64, 0, d, 64), 2,
                   ROOT2));
    EXPECT("rotate src empty", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(a, 64, 0, b, 64, 0, e2, 64), 2,
                   ROOT2),
           1, Sigil_MissingCapability, 64);
    EXPECT("rotate pivot empty", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(a, 64, 0, e2, 64, 0, d, 64), 2,
                   ROOT2),
           0, Sigil_MissingCapability, 64);
    EXPECT("rotate src lookup", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(a, 64, 0, b, 64, 0, d, 64), 2,
                   ARGS(BOOT_SLOT_CNODE, ep)),
           1, Sigil_InvalidRoot);
}

static void test_generic_errors(void)
{
    word_t d = s++;
    EXPECT("bad label", Sigil_IllegalOperation,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE + 1, 2, ARGS(d, 64), 0, NULL));
    EXPECT("no dest args", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 1, ARGS(d), 0, NULL));
    EXPECT("dest depth 0", Sigil_RangeError,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(d, 0), 0, NULL), 1, 64);
    EXPECT("dest depth 65", Sigil_RangeError,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(d, 65), 0, NULL), 1, 64);
    EXPECT("dest guard mismatch", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(1ull << 40, 64), 0, NULL), 0,
           Sigil_GuardMismatch, 64, 0, 64 - FX_RADIX);
    EXPECT("dest depth too small for guard", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(d, 20), 0, NULL), 0,
           Sigil_GuardMismatch, 20);
    EXPECT("copy truncated", Sigil_TruncatedMessage,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, ep, 64));
    EXPECT("copy no extra cap", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_COPY, 5, ARGS(d, 64, ep, 64, 15), 0, NULL));
    EXPECT("copy missing extra cap", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_COPY, 5, ARGS(d, 64, ep, 64, 15), 1,
                   ARGS(FX_NO_CAP)));
    EXPECT("copy dest full", Sigil_DeleteFirst,
           CNODE_CALL(&inv_, INV_CNODE_COPY, BOOT_SLOT_TCB, 64, ep, 64, 15));
    EXPECT("copy src root not a CNode", Sigil_FailedLookup,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_COPY, 5, ARGS(d, 64, ep, 64, 15), 1, ARGS(ep)),
           1, Sigil_InvalidRoot);
    EXPECT("copy src depth", Sigil_RangeError, CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, ep, 0, 15),
           1, 64);
    EXPECT("copy src empty", Sigil_FailedLookup,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, d + 1, 64, 15), 1, Sigil_MissingCapability, 64);
    EXPECT("copy rights missing", Sigil_TruncatedMessage,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, ep, 64));
    EXPECT("copy IRQ control", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, BOOT_SLOT_IRQ_CONTROL, 64, 15));
    EXPECT("copy untyped with children", Sigil_RevokeFirst,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, ut, 64, 15));
    EXPECT("mint truncated", Sigil_TruncatedMessage,
           CNODE_CALL(&inv_, INV_CNODE_MINT, d, 64, ep, 64, 15));
    EXPECT("mint CNode guard too big", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_MINT, d, 64, BOOT_SLOT_CNODE, 64, 15, 60));
    EXPECT("cancel badged sends without all rights", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_CANCEL_BADGED_SENDS, BOOT_SLOT_TCB, 64));
    word_t pt = s++;
    CHECK(fx_retype(ut, Sigil_PageTableObject, 0, pt, 1) == SIGIL_STATUS_OK);
    EXPECT("copy unmapped page table", Sigil_IllegalOperation,
           CNODE_CALL(&inv_, INV_CNODE_COPY, d, 64, pt, 64, 15));
    /* Delete and revoke of an empty slot succeed. */
    CHECK(fx_delete(d) == SIGIL_STATUS_OK && fx_revoke(d) == SIGIL_STATUS_OK);
    fx_cases += 1;
}

/* The errors each CNode invocation can answer that the tests above provoke only through
 * another invocation: the destination's lookup and a short message for CancelBadgedSends,
 * the source's lookup and a full destination for Mint and Mutate, and so on. */
static void test_each_invocation_errors(void)
{
    word_t d = s++;
    EXPECT("cancel badged sends truncated", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_CANCEL_BADGED_SENDS, 1, ARGS(ep), 0, NULL));
    EXPECT("cancel badged sends depth 0", Sigil_RangeError,
           CNODE_CALL(&inv_, INV_CNODE_CANCEL_BADGED_SENDS, ep, 0), 1, 64);
    EXPECT("cancel badged sends guard mismatch", Sigil_FailedLookup,
           CNODE_CALL(&inv_, INV_CNODE_CANCEL_BADGED_SENDS, 1ull << 40, 64), 0, Sigil_GuardMismatch,
           64, 0, 64 - FX_RADIX);
    EXPECT("mint src empty", Sigil_FailedLookup,
           CNODE_CALL(&inv_, INV_CNODE_MINT, d, 64, d + 1, 64, 15, 0), 1, Sigil_MissingCapability,
           64);
    EXPECT("mint src depth", Sigil_RangeError,
           CNODE_CALL(&inv_, INV_CNODE_MINT, d, 64, ep, 0, 15, 0), 1, 64);
    EXPECT("mint dest full", Sigil_DeleteFirst,
           CNODE_CALL(&inv_, INV_CNODE_MINT, BOOT_SLOT_TCB, 64, ep, 64, 15, 0));
    EXPECT("mint untyped with children", Sigil_RevokeFirst,
           CNODE_CALL(&inv_, INV_CNODE_MINT, d, 64, ut, 64, 15, 0));
    EXPECT("move no extra cap", Sigil_TruncatedMessage,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_MOVE, 4, ARGS(d, 64, ep, 64), 0, NULL));
    EXPECT("move src depth 65", Sigil_RangeError, CNODE_CALL(&inv_, INV_CNODE_MOVE, d, 64, ep, 65),
           1, 64);
    EXPECT("mutate src empty", Sigil_FailedLookup,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, d, 64, d + 1, 64, 0), 1, Sigil_MissingCapability,
           64);
    EXPECT("mutate src depth", Sigil_RangeError,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, d, 64, ep, 0, 0), 1, 64);
    EXPECT("mutate dest full", Sigil_DeleteFirst,
           CNODE_CALL(&inv_, INV_CNODE_MUTATE, BOOT_SLOT_TCB, 64, ep, 64, 0));
    EXPECT("rotate dest depth 0", Sigil_RangeError,
           fx_call(&inv_, BOOT_SLOT_CNODE, INV_CNODE_ROTATE, 8, ARGS(d, 0, 0, d + 1, 64, 0, ep, 64),
                   2, ARGS(BOOT_SLOT_CNODE, BOOT_SLOT_CNODE)),
           1, 64);
}

static void test_copy_untyped_and_rights(void)
{
    word_t u = s++, u2 = s++, f = s++, f2 = s++, n = s++, n2 = s++;
    CHECK(fx_retype(ut, Sigil_UntypedObject, 12, u, 1) == SIGIL_STATUS_OK);
    CHECK(fx_copy(u2, u, Sigil_AllRights) == SIGIL_STATUS_OK);
    /* An exact copy leaves the source full, so only the copy can retype. */
    CHECK(cap_untyped_watermark(fx_slot(u)->cap) == 4096);
    CHECK(cdt_is_parent_of(fx_slot(u), fx_slot(u2)));
    CHECK(fx_retype(ut, Sigil_Frame4KObject, 0, f, 1) == SIGIL_STATUS_OK);
    CHECK(fx_copy(f2, f, Sigil_CanWrite) == SIGIL_STATUS_OK); /* write without read: none */
    CHECK(cap_rights(fx_slot(f2)->cap) == 0);
    CHECK(fx_retype(ut, Sigil_NotificationObject, 0, n, 1) == SIGIL_STATUS_OK);
    CHECK(fx_mint(n2, n, Sigil_CanWrite, 0x80) == SIGIL_STATUS_OK);
    CHECK(cap_rights(fx_slot(n2)->cap) == Sigil_CanWrite && cap_badge(fx_slot(n2)->cap) == 0x80);
    fx_check("untyped copy, rights");
    fx_cases += 3;
}

static void test_cancel_badged_sends(void)
{
    word_t t0 = s;
    s += 6;
    CHECK(fx_retype(ut, Sigil_TCBObject, 0, t0, 6) == SIGIL_STATUS_OK);
    endpoint_t *e = endpoint_from_cap(fx_slot(ep)->cap);
    for (word_t i = 0; i < 6; i++) {
        tcb_t *t = tcb_from_cap(fx_slot(t0 + i)->cap);
        t->state = TCB_BLOCKED_ON_SEND;
        t->ipc_badge = i % 2 ? 9 : 4;
        endpoint_enqueue(e, t);
    }
    fx_check("queued senders");
    word_t m = s++;
    CHECK(fx_mint(m, ep, Sigil_AllRights, 9) == SIGIL_STATUS_OK);
    invocation_t inv;
    CHECK(CNODE_CALL(&inv, INV_CNODE_CANCEL_BADGED_SENDS, m, 64) == SIGIL_STATUS_OK);
    int left = 0;
    for (tcb_t *t = e->queue.head; t != NULL; t = t->q_next) {
        CHECK(t->ipc_badge == 4);
        left++;
    }
    CHECK(left == 3 && host_ready_count() == 3);
    /* Unbadged cap: nothing to cancel. */
    CHECK(CNODE_CALL(&inv, INV_CNODE_CANCEL_BADGED_SENDS, ep, 64) == SIGIL_STATUS_OK);
    CHECK(host_ready_count() == 3);
    fx_check("cancel badged sends");
    /* Deleting the endpoint restarts the remaining senders. */
    CHECK(fx_revoke(ep) == SIGIL_STATUS_OK && fx_delete(ep) == SIGIL_STATUS_OK);
    CHECK(host_ready_count() == 6);
    fx_check("endpoint deleted with waiters");
    fx_cases += 3;
}

int main(void)
{
    setup();
    test_copy_mint_success();
    test_move_mutate_rotate();
    test_generic_errors();
    test_each_invocation_errors();
    test_copy_untyped_and_rights();
    test_cancel_badged_sends();
    return fx_finish("core_cnode");
}
