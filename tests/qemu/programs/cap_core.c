/*
 * The capability core through the real syscall path: the root task invokes its own untyped,
 * CNode, SMC and IRQ control caps, checking each success and each documented error (stable
 * test ids; the host tests cover the same rules exhaustively against the portable core), and
 * every invocation's label through a cap of the wrong type.
 *
 * The root CNode has 2^radix slots and a guard of 64 - radix zero bits, so a slot's index is
 * its cptr and CNode operations on it use depth 64.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include <sigil/inspect.h>

#include "ktest.h"

#define ROOT         Sigil_SlotInitThreadCNode
#define DEPTH        64
#define PSCI_VERSION 0x84000000ull
#define PSCI_UNKNOWN 0x8400ff00ull

static const sigil_bootinfo_t *bi;
static sigil_word_t next_free;

static sigil_word_t new_slot(void)
{
    return next_free++;
}

/* The first untyped of at least 2^bits bytes with the given device-ness. */
static sigil_word_t find_untyped(unsigned bits, int device)
{
    for (sigil_word_t i = 0; i < bi->num_untypeds; i++) {
        if (bi->untyped[i].size_bits >= bits && bi->untyped[i].is_device == device) {
            return bi->untyped_start + i;
        }
    }
    return 0;
}

/* Is the slot empty? (Copying from an empty slot fails its source lookup.) */
static int slot_empty(sigil_word_t slot)
{
    sigil_word_t probe = new_slot();
    sigil_word_t err = sigil_cnode_copy(ROOT, probe, DEPTH, ROOT, slot, DEPTH, Sigil_AllRights);
    if (err == Sigil_NoError) {
        sigil_cnode_delete(ROOT, probe, DEPTH);
        return 0;
    }
    return err == Sigil_FailedLookup && sigil_get_mr(0) == 1;
}

static void test_retype(sigil_word_t ut)
{
    sigil_word_t ep = new_slot();
    KTEST_EQ("RETYPE-001 endpoint",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, ep, 1),
             Sigil_NoError);
    KTEST_EQ("RETYPE-002 occupied slot",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, ep, 1),
             Sigil_DeleteFirst);
    KTEST_EQ("RETYPE-003a unknown type",
             sigil_untyped_retype(ut, 99, 0, ROOT, ROOT, DEPTH, new_slot(), 1),
             Sigil_InvalidArgument);
    KTEST_EQ("RETYPE-003b detail", sigil_get_mr(0), 0);
    KTEST_EQ("RETYPE-004a zero objects",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, new_slot(), 0),
             Sigil_RangeError);
    KTEST_EQ("RETYPE-004b min", sigil_get_mr(0), 1);
    KTEST_EQ("RETYPE-004c max", sigil_get_mr(1), SIGIL_RETYPE_FAN_OUT_LIMIT);
    KTEST_EQ("RETYPE-005 one object past the fan-out limit",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, new_slot(),
                                  SIGIL_RETYPE_FAN_OUT_LIMIT + 1),
             Sigil_RangeError);
    KTEST_EQ("RETYPE-006 offset outside the CNode",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH,
                                  1ull << bi->root_cnode_radix, 1),
             Sigil_RangeError);
    KTEST_EQ("RETYPE-007 destination not a CNode",
             sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ep, 0, DEPTH, 0, 1),
             Sigil_FailedLookup);
    KTEST_EQ("RETYPE-008a CNode of size 0",
             sigil_untyped_retype(ut, Sigil_CNodeObject, 0, ROOT, ROOT, DEPTH, new_slot(), 1),
             Sigil_InvalidArgument);
    KTEST_EQ("RETYPE-008b detail", sigil_get_mr(0), 1);
    KTEST_EQ("RETYPE-009 untyped too large",
             sigil_untyped_retype(ut, Sigil_UntypedObject, 48, ROOT, ROOT, DEPTH, new_slot(), 1),
             Sigil_RangeError);

    /* A 4 KiB untyped: room for exactly one frame; reset once its child is gone. */
    sigil_word_t small = new_slot();
    KTEST_EQ("RETYPE-010 4 KiB untyped",
             sigil_untyped_retype(ut, Sigil_UntypedObject, 12, ROOT, ROOT, DEPTH, small, 1),
             Sigil_NoError);
    sigil_word_t frames = new_slot();
    new_slot();
    KTEST_EQ("RETYPE-011a two frames do not fit",
             sigil_untyped_retype(small, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames, 2),
             Sigil_NotEnoughMemory);
    KTEST_EQ("RETYPE-011b bytes left", sigil_get_mr(0), 4096);
    KTEST_EQ("RETYPE-012 one frame fits",
             sigil_untyped_retype(small, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames, 1),
             Sigil_NoError);
    KTEST_EQ("RETYPE-013a full",
             sigil_untyped_retype(small, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames + 1, 1),
             Sigil_NotEnoughMemory);
    KTEST_EQ("RETYPE-013b bytes left", sigil_get_mr(0), 0);
    KTEST_EQ("RETYPE-014a delete the child", sigil_cnode_delete(ROOT, frames, DEPTH),
             Sigil_NoError);
    KTEST_EQ("RETYPE-014b reset and reuse",
             sigil_untyped_retype(small, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, frames, 1),
             Sigil_NoError);

    sigil_word_t dev = find_untyped(12, 1);
    KTEST_EQ("RETYPE-015 kernel object from device memory",
             sigil_untyped_retype(dev, Sigil_TCBObject, 0, ROOT, ROOT, DEPTH, new_slot(), 1),
             Sigil_InvalidArgument);
    KTEST_EQ("RETYPE-016 frame from device memory",
             sigil_untyped_retype(dev, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, new_slot(), 1),
             Sigil_NoError);
    /* As many objects at once as the fan-out limit allows. */
    sigil_word_t many = next_free;
    next_free += SIGIL_RETYPE_FAN_OUT_LIMIT;
    KTEST_EQ("RETYPE-017a fan-out limit of notifications",
             sigil_untyped_retype(ut, Sigil_NotificationObject, 0, ROOT, ROOT, DEPTH, many,
                                  SIGIL_RETYPE_FAN_OUT_LIMIT),
             Sigil_NoError);
    KTEST_EQ("RETYPE-017b last slot filled", slot_empty(many + SIGIL_RETYPE_FAN_OUT_LIMIT - 1), 0);
}

static void test_cnode(sigil_word_t ut)
{
    sigil_word_t ep = new_slot(), copy = new_slot(), minted = new_slot(), moved = new_slot();
    sigil_untyped_retype(ut, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, ep, 1);

    KTEST_EQ("CNODE-COPY-001", sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, ep, DEPTH, Sigil_CanWrite),
             Sigil_NoError);
    KTEST_EQ("CNODE-COPY-002 occupied",
             sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_DeleteFirst);
    sigil_word_t empty = new_slot();
    KTEST_EQ("CNODE-COPY-003a empty source",
             sigil_cnode_copy(ROOT, new_slot(), DEPTH, ROOT, empty, DEPTH, Sigil_AllRights),
             Sigil_FailedLookup);
    KTEST_EQ("CNODE-COPY-003b source failed", sigil_get_mr(0), 1);
    KTEST_EQ("CNODE-COPY-003c missing capability", sigil_get_mr(1), Sigil_MissingCapability);
    KTEST_EQ("CNODE-COPY-004 depth 0",
             sigil_cnode_copy(ROOT, new_slot(), 0, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_RangeError);
    KTEST_EQ("CNODE-COPY-005 depth 65",
             sigil_cnode_copy(ROOT, new_slot(), 65, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_RangeError);
    KTEST_EQ("CNODE-COPY-006 depth mismatch",
             sigil_cnode_copy(ROOT, new_slot(), 20, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_FailedLookup);

    KTEST_EQ("CNODE-MINT-001 badge",
             sigil_cnode_mint(ROOT, minted, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights, 5),
             Sigil_NoError);
    KTEST_EQ("CNODE-MINT-002 from a badged cap",
             sigil_cnode_mint(ROOT, new_slot(), DEPTH, ROOT, minted, DEPTH, Sigil_AllRights, 6),
             Sigil_IllegalOperation);
    KTEST_EQ("CNODE-CBS-001 badged sends, all rights",
             sigil_cnode_cancel_badged_sends(ROOT, minted, DEPTH), Sigil_NoError);
    KTEST_EQ("CNODE-CBS-002 without all rights", sigil_cnode_cancel_badged_sends(ROOT, copy, DEPTH),
             Sigil_IllegalOperation);

    KTEST_EQ("CNODE-MOVE-001", sigil_cnode_move(ROOT, moved, DEPTH, ROOT, minted, DEPTH),
             Sigil_NoError);
    KTEST_EQ("CNODE-MOVE-002 source now empty", slot_empty(minted), 1);
    KTEST_EQ("CNODE-MOVE-003 destination filled", slot_empty(moved), 0);

    /* As in seL4, Mutate and Rotate keep badges (updateCapData with preserve): on an endpoint
     * they are refused; on a CNode cap Mutate sets the guard; an untyped cap moves as is. */
    sigil_word_t plain = new_slot(), mutated = new_slot();
    sigil_cnode_copy(ROOT, plain, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights);
    KTEST_EQ("CNODE-MUTATE-001 endpoint badge refused",
             sigil_cnode_mutate(ROOT, mutated, DEPTH, ROOT, plain, DEPTH, 7),
             Sigil_IllegalOperation);
    KTEST_EQ("CNODE-MUTATE-002 source kept", slot_empty(plain), 0);
    sigil_word_t cn = new_slot(), cn_guarded = new_slot();
    sigil_untyped_retype(ut, Sigil_CNodeObject, 4, ROOT, ROOT, DEPTH, cn, 1);
    KTEST_EQ("CNODE-MUTATE-003 CNode guard",
             sigil_cnode_mutate(ROOT, cn_guarded, DEPTH, ROOT, cn, DEPTH, (3ull << 6) | 4),
             Sigil_NoError);
    KTEST_EQ("CNODE-MUTATE-004 source emptied", slot_empty(cn), 1);
    KTEST_EQ("CNODE-MUTATE-005 guard too large (guard + radix > 64)",
             sigil_cnode_mutate(ROOT, cn, DEPTH, ROOT, cn_guarded, DEPTH, 61),
             Sigil_IllegalOperation);
    KTEST_EQ("CNODE-MUTATE-006 lookup through the guarded CNode",
             sigil_cnode_copy(cn_guarded, (3ull << 4) | 2, 8, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_NoError);
    KTEST_EQ("CNODE-MUTATE-007a guard mismatch",
             sigil_cnode_copy(cn_guarded, (2ull << 4) | 2, 8, ROOT, ep, DEPTH, Sigil_AllRights),
             Sigil_FailedLookup);
    KTEST_EQ("CNODE-MUTATE-007b guard mismatch type", sigil_get_mr(1), Sigil_GuardMismatch);

    /* Rotate: pivot -> dest, src -> pivot (untyped caps: data is ignored). */
    sigil_word_t a = new_slot(), b = new_slot(), c = new_slot();
    sigil_untyped_retype(ut, Sigil_UntypedObject, 12, ROOT, ROOT, DEPTH, a, 1);
    sigil_untyped_retype(ut, Sigil_UntypedObject, 12, ROOT, ROOT, DEPTH, b, 1);
    KTEST_EQ("CNODE-ROTATE-001",
             sigil_cnode_rotate(ROOT, c, DEPTH, 0, ROOT, b, DEPTH, 0, ROOT, a, DEPTH),
             Sigil_NoError);
    KTEST_EQ("CNODE-ROTATE-002 src emptied", slot_empty(a), 1);
    KTEST_EQ("CNODE-ROTATE-003 dest filled", slot_empty(c), 0);
    KTEST_EQ("CNODE-ROTATE-004 pivot filled", slot_empty(b), 0);
    KTEST_EQ("CNODE-ROTATE-005 pivot is src",
             sigil_cnode_rotate(ROOT, new_slot(), DEPTH, 0, ROOT, b, DEPTH, 0, ROOT, b, DEPTH),
             Sigil_IllegalOperation);
    KTEST_EQ("CNODE-ROTATE-006 endpoint badges refused",
             sigil_cnode_rotate(ROOT, new_slot(), DEPTH, 0, ROOT, plain, DEPTH, 0, ROOT, ep, DEPTH),
             Sigil_IllegalOperation);

    KTEST_EQ("CNODE-DELETE-001", sigil_cnode_delete(ROOT, c, DEPTH), Sigil_NoError);
    KTEST_EQ("CNODE-DELETE-002 now empty", slot_empty(c), 1);
    KTEST_EQ("CNODE-DELETE-003 empty slot is fine", sigil_cnode_delete(ROOT, c, DEPTH),
             Sigil_NoError);

    KTEST_EQ("CNODE-REVOKE-001", sigil_cnode_revoke(ROOT, ep, DEPTH), Sigil_NoError);
    KTEST_EQ("CNODE-REVOKE-002 copy gone", slot_empty(copy), 1);
    KTEST_EQ("CNODE-REVOKE-003 badged child gone", slot_empty(moved), 1);
    KTEST_EQ("CNODE-REVOKE-004 plain copy gone", slot_empty(plain), 1);
    KTEST_EQ("CNODE-REVOKE-005 original stays", slot_empty(ep), 0);

    /* Revoking an untyped deletes every object made from it. */
    sigil_word_t sub = new_slot(), objs = next_free;
    next_free += 64;
    sigil_untyped_retype(ut, Sigil_UntypedObject, 16, ROOT, ROOT, DEPTH, sub, 1);
    sigil_untyped_retype(sub, Sigil_EndpointObject, 0, ROOT, ROOT, DEPTH, objs, 64);
    KTEST_EQ("CNODE-REVOKE-006 untyped", sigil_cnode_revoke(ROOT, sub, DEPTH), Sigil_NoError);
    KTEST_EQ("CNODE-REVOKE-007 objects gone", slot_empty(objs) && slot_empty(objs + 63), 1);
    KTEST_EQ("CNODE-REVOKE-008 memory reusable",
             sigil_untyped_retype(sub, Sigil_Frame4KObject, 16, ROOT, ROOT, DEPTH, objs, 1),
             Sigil_NoError);

    /* Revoke's errors, in the order they are checked (docs/kernel/capabilities.md). */
    const sigil_word_t index_only[1] = {ep};
    KTEST_EQ("CNODE-REVOKE-009 one word",
             sigil_msginfo_label(sigil_invoke(ROOT, Sigil_CNode_Revoke, index_only, 1, 0, 0)),
             Sigil_TruncatedMessage);
    KTEST_EQ("CNODE-REVOKE-010 depth 0", sigil_cnode_revoke(ROOT, ep, 0), Sigil_RangeError);
    KTEST_EQ("CNODE-REVOKE-011 depth past the word", sigil_cnode_revoke(ROOT, ep, DEPTH + 1),
             Sigil_RangeError);
    KTEST_EQ("CNODE-REVOKE-012 the range", sigil_get_mr(0) == 1 && sigil_get_mr(1) == DEPTH, 1);
    KTEST_EQ("CNODE-REVOKE-013 an index that does not resolve",
             sigil_cnode_revoke(ROOT, (1ull << 63) | ep, DEPTH), Sigil_FailedLookup);
    KTEST_EQ("CNODE-REVOKE-014 through a cap that is not a CNode",
             sigil_cnode_revoke(ut, ep, DEPTH), Sigil_IllegalOperation);
    KTEST_EQ("CNODE-REVOKE-015 an empty slot: nothing to do",
             sigil_cnode_revoke(ROOT, new_slot(), DEPTH), Sigil_NoError);
    KTEST_EQ("CNODE-REVOKE-016 none of it changed the original", slot_empty(ep), 0);
}

static sigil_word_t smc(sigil_cptr_t cap, sigil_word_t function, sigil_word_t out[8])
{
    const sigil_word_t args[8] = {function};
    return sigil_smc_call(cap, args, out);
}

static void test_smc(void)
{
    sigil_word_t out[8];
    KTEST_EQ("SMC-001a master cap, PSCI_VERSION", smc(Sigil_SlotSMC, PSCI_VERSION, out),
             Sigil_NoError);
    KTEST_EQ("SMC-001b version 1.1", out[0], 0x10001);
    KTEST_EQ("SMC-002a unknown function id", smc(Sigil_SlotSMC, PSCI_UNKNOWN, out), Sigil_NoError);
    KTEST_EQ("SMC-002b not supported", out[0], (sigil_word_t)-1);

    sigil_word_t version = new_slot();
    KTEST_EQ("SMC-003 mint a badge",
             sigil_cnode_mint(ROOT, version, DEPTH, ROOT, Sigil_SlotSMC, DEPTH, Sigil_AllRights,
                              PSCI_VERSION),
             Sigil_NoError);
    KTEST_EQ("SMC-004a badged cap, own id", smc(version, PSCI_VERSION, out), Sigil_NoError);
    KTEST_EQ("SMC-004b result", out[0], 0x10001);
    KTEST_EQ("SMC-005 badged cap, other id", smc(version, PSCI_UNKNOWN, out),
             Sigil_IllegalOperation);
    KTEST_EQ("SMC-006 mint from a badged cap",
             sigil_cnode_mint(ROOT, new_slot(), DEPTH, ROOT, version, DEPTH, Sigil_AllRights,
                              PSCI_UNKNOWN),
             Sigil_IllegalOperation);
    const sigil_word_t seven[7] = {PSCI_VERSION};
    KTEST_EQ("SMC-007 fewer than 8 words",
             sigil_msginfo_label(sigil_invoke(Sigil_SlotSMC, Sigil_SMC_Call, seven, 7, 0, 0)),
             Sigil_TruncatedMessage);
    KTEST_EQ("SMC-008 wrong label",
             sigil_msginfo_label(sigil_invoke(Sigil_SlotSMC, Sigil_CNode_Copy, seven, 7, 0, 0)),
             Sigil_IllegalOperation);

    /* Revoking the master cap revokes every badged copy, even one minted from a plain copy of
     * the master. A plain copy keeps the badge, so it is not revocable itself (seL4's rule):
     * revoking it deletes nothing. */
    sigil_word_t master2 = new_slot(), badged2 = new_slot();
    sigil_cnode_copy(ROOT, master2, DEPTH, ROOT, Sigil_SlotSMC, DEPTH, Sigil_AllRights);
    sigil_cnode_mint(ROOT, badged2, DEPTH, ROOT, master2, DEPTH, Sigil_AllRights, PSCI_VERSION);
    KTEST_EQ("SMC-009a revoke a plain copy of the master", sigil_cnode_revoke(ROOT, master2, DEPTH),
             Sigil_NoError);
    KTEST_EQ("SMC-009b the badged cap stays", slot_empty(badged2), 0);
    KTEST_EQ("SMC-010a revoke the master", sigil_cnode_revoke(ROOT, Sigil_SlotSMC, DEPTH),
             Sigil_NoError);
    KTEST_EQ("SMC-010b badged cap gone", slot_empty(version), 1);
    KTEST_EQ("SMC-010c badged cap from the copy gone", slot_empty(badged2), 1);
    KTEST_EQ("SMC-010d plain copy gone", slot_empty(master2), 1);
    KTEST_EQ("SMC-010e master stays", slot_empty(Sigil_SlotSMC), 0);
}

static void test_irq(void)
{
    sigil_word_t h = new_slot();
    KTEST_EQ("IRQ-001 get the RTC's handler",
             sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, h, DEPTH),
             Sigil_NoError);
    KTEST_EQ(
        "IRQ-002 twice",
        sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, new_slot(), DEPTH),
        Sigil_RevokeFirst);
    KTEST_EQ(
        "IRQ-003 the kernel's timer",
        sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_TIMER_IRQ, ROOT, new_slot(), DEPTH),
        Sigil_RangeError);
    KTEST_EQ(
        "IRQ-003b the kernel's UART",
        sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_UART_IRQ, ROOT, new_slot(), DEPTH),
        Sigil_RangeError);
    KTEST_EQ("IRQ-004 out of range",
             sigil_irq_control_get(Sigil_SlotIRQControl, 100000, ROOT, new_slot(), DEPTH),
             Sigil_RangeError);
    KTEST_EQ("IRQ-005 delete releases it", sigil_cnode_delete(ROOT, h, DEPTH), Sigil_NoError);
    KTEST_EQ(
        "IRQ-014 destination that does not resolve",
        sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, 1ull << 40, DEPTH),
        Sigil_FailedLookup);
    KTEST_EQ("IRQ-006 get again",
             sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, h, DEPTH),
             Sigil_NoError);
    /* Ack and Clear cannot fail on a handler cap (with or without a notification); through any
     * other cap their labels are IllegalOperation. */
    KTEST_EQ("IRQ-007 Ack without a notification", sigil_irq_handler_ack(h), Sigil_NoError);
    KTEST_EQ("IRQ-008 Clear without a notification", sigil_irq_handler_clear(h), Sigil_NoError);
    KTEST_EQ("IRQ-009 Ack through IRQControl", sigil_irq_handler_ack(Sigil_SlotIRQControl),
             Sigil_IllegalOperation);
    KTEST_EQ("IRQ-010 Clear through IRQControl", sigil_irq_handler_clear(Sigil_SlotIRQControl),
             Sigil_IllegalOperation);
    KTEST_EQ("IRQ-011 Ack through a CNode", sigil_irq_handler_ack(ROOT), Sigil_IllegalOperation);
    KTEST_EQ("IRQ-012 Clear through a CNode", sigil_irq_handler_clear(ROOT),
             Sigil_IllegalOperation);
    KTEST_EQ(
        "IRQ-013 the handler is still there: Get says so",
        sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, new_slot(), DEPTH),
        Sigil_RevokeFirst);
}

/* Every invocation's label through a cap of another type is IllegalOperation and changes
 * nothing (each object's decode checks its label first, as seL4's decodeInvocation): enough
 * words and an extra cap go with each, so no other error can answer first. */
static void test_wrong_object(sigil_word_t ut)
{
#define TCB   Sigil_SlotInitThreadTCB
#define VSP   Sigil_SlotInitThreadVSpace
#define IRQC  Sigil_SlotIRQControl
#define FRAME Sigil_SlotBootInfoFrame
    static const struct {
        const char *id;
        sigil_word_t label;
        sigil_word_t target; /* 0: the untyped */
    } cases[] = {
        {"WRONG-001 Untyped_Retype through a TCB", Sigil_Untyped_Retype, TCB},
        {"WRONG-002 TCB_ReadRegisters through a CNode", Sigil_TCB_ReadRegisters, ROOT},
        {"WRONG-003 TCB_WriteRegisters through an untyped", Sigil_TCB_WriteRegisters, 0},
        {"WRONG-004 TCB_CopyRegisters through a VSpace", Sigil_TCB_CopyRegisters, VSP},
        {"WRONG-005 TCB_Configure through IRQControl", Sigil_TCB_Configure, IRQC},
        {"WRONG-006 TCB_SetPriority through an SMC cap", Sigil_TCB_SetPriority, Sigil_SlotSMC},
        {"WRONG-007 TCB_SetMCPriority through a frame", Sigil_TCB_SetMCPriority, FRAME},
        {"WRONG-008 TCB_SetSchedParams through a CNode", Sigil_TCB_SetSchedParams, ROOT},
        {"WRONG-009 TCB_SetIPCBuffer through an untyped", Sigil_TCB_SetIPCBuffer, 0},
        {"WRONG-010 TCB_SetSpace through a VSpace", Sigil_TCB_SetSpace, VSP},
        {"WRONG-011 TCB_Suspend through IRQControl", Sigil_TCB_Suspend, IRQC},
        {"WRONG-012 TCB_Resume through an SMC cap", Sigil_TCB_Resume, Sigil_SlotSMC},
        {"WRONG-013 TCB_BindNotification through a frame", Sigil_TCB_BindNotification, FRAME},
        {"WRONG-014 TCB_UnbindNotification through a CNode", Sigil_TCB_UnbindNotification, ROOT},
        {"WRONG-015 TCB_SetTLSBase through an untyped", Sigil_TCB_SetTLSBase, 0},
        {"WRONG-016 TCB_SetFlags through a VSpace", Sigil_TCB_SetFlags, VSP},
        {"WRONG-017 CNode_Revoke through a TCB", Sigil_CNode_Revoke, TCB},
        {"WRONG-018 CNode_Delete through an untyped", Sigil_CNode_Delete, 0},
        {"WRONG-019 CNode_CancelBadgedSends through a VSpace", Sigil_CNode_CancelBadgedSends, VSP},
        {"WRONG-020 CNode_Copy through IRQControl", Sigil_CNode_Copy, IRQC},
        {"WRONG-021 CNode_Mint through an SMC cap", Sigil_CNode_Mint, Sigil_SlotSMC},
        {"WRONG-022 CNode_Move through a frame", Sigil_CNode_Move, FRAME},
        {"WRONG-023 CNode_Mutate through a TCB", Sigil_CNode_Mutate, TCB},
        {"WRONG-024 CNode_Rotate through an untyped", Sigil_CNode_Rotate, 0},
        {"WRONG-025 IRQControl_Get through a CNode", Sigil_IRQControl_Get, ROOT},
        {"WRONG-026 IRQHandler_Ack through a TCB", Sigil_IRQHandler_Ack, TCB},
        {"WRONG-027 IRQHandler_SetNotification through IRQControl",
         Sigil_IRQHandler_SetNotification, IRQC},
        {"WRONG-028 IRQHandler_Clear through an untyped", Sigil_IRQHandler_Clear, 0},
        {"WRONG-029 PageTable_Map through a VSpace", Sigil_PageTable_Map, VSP},
        {"WRONG-030 PageTable_Unmap through a frame", Sigil_PageTable_Unmap, FRAME},
        {"WRONG-031 Frame_Map through a VSpace", Sigil_Frame_Map, VSP},
        {"WRONG-032 Frame_Unmap through a CNode", Sigil_Frame_Unmap, ROOT},
        {"WRONG-033 Frame_GetAddress through a VSpace", Sigil_Frame_GetAddress, VSP},
        {"WRONG-034 Frame_CleanData through a TCB", Sigil_Frame_CleanData, TCB},
        {"WRONG-035 Frame_InvalidateData through a VSpace", Sigil_Frame_InvalidateData, VSP},
        {"WRONG-036 Frame_CleanInvalidateData through an untyped", Sigil_Frame_CleanInvalidateData,
         0},
        {"WRONG-037 Frame_UnifyInstruction through a VSpace", Sigil_Frame_UnifyInstruction, VSP},
        {"WRONG-038 VSpace_CleanData through a frame", Sigil_VSpace_CleanData, FRAME},
        {"WRONG-039 VSpace_InvalidateData through a CNode", Sigil_VSpace_InvalidateData, ROOT},
        {"WRONG-040 VSpace_CleanInvalidateData through a frame", Sigil_VSpace_CleanInvalidateData,
         FRAME},
        {"WRONG-041 VSpace_UnifyInstruction through an SMC cap", Sigil_VSpace_UnifyInstruction,
         Sigil_SlotSMC},
        {"WRONG-042 SMC_Call through a CNode", Sigil_SMC_Call, ROOT},
    };
#undef TCB
#undef VSP
#undef IRQC
#undef FRAME
    const sigil_word_t words[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const sigil_cptr_t caps[1] = {ROOT};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sigil_word_t target = cases[i].target ? cases[i].target : ut;
        sigil_msginfo_t info = sigil_invoke(target, cases[i].label, words, 8, caps, 1);
        KTEST_EQ(cases[i].id, sigil_msginfo_label(info), Sigil_IllegalOperation);
    }
}

int main(const void *arg)
{
    bi = arg;
    next_free = bi->empty_start;
    sigil_word_t ut = find_untyped(24, 0);
    sigil_printf("cap_core: %llu untypeds, working in slot %llu, free slots from %llu\n",
                 (unsigned long long)bi->num_untypeds, (unsigned long long)ut,
                 (unsigned long long)next_free);
    test_retype(ut);
    test_cnode(ut);
    test_smc();
    test_irq();
    test_wrong_object(ut);
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
