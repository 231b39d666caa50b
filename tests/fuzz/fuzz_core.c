/*
 * libFuzzer target for the capability core.
 *
 * Each input is a program of up to MAX_STEPS 8-byte instructions run against a freshly booted
 * kernel state (256 KiB arena, 256-slot root CNode): retype, copy, mint, move, mutate, rotate,
 * delete, revoke, cancel badged sends, IRQ and SMC invocations, the debug calls' Debug-cap gate,
 * queueing threads on endpoints, and switching the preemption mode, all with arbitrary (often
 * invalid) arguments. A preempted call is left half done, so later instructions meet zombies and
 * walks in progress. After every step the invariant checker must pass, and an invocation that
 * answered an error must have left the whole kernel state unchanged; otherwise the target aborts.
 */
#include "fixture.h"

#include <kernel/cspace.h>
#include <object/debug.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS     64u
#define MAX_STEPS 128u
static const word_t ROOT[] = {BOOT_SLOT_CNODE};
static const word_t ROOT2[] = {BOOT_SLOT_CNODE, BOOT_SLOT_CNODE};

typedef struct insn {
    uint8_t op, a, b, c, d, e, f, g;
} insn_t;

static word_t slot_arg(uint8_t x)
{
    return x % SLOTS;
}

/* Mostly depth 64, sometimes anything in 0..70. */
static word_t depth_arg(uint8_t x)
{
    return x < 200 ? 64 : x % 71;
}

static void require(bool ok, const char *what)
{
    if (!ok || fx_failures != 0) {
        fprintf(stderr, "fuzz: %s\n", what);
        abort();
    }
}

/* CNode operations, invoked on the root CNode (depth 64) or, when `nested`, on the CNode in
 * slot d with its own radix as depth, so caps move into and out of nested CNodes. */
static sigil_status_t cnode_op(invocation_t *inv, word_t label, const insn_t *i, bool nested)
{
    word_t node = BOOT_SLOT_CNODE;
    word_t dd = depth_arg(i->g);
    if (nested) {
        node = slot_arg(i->d);
        cap_t c = fx_slot(node)->cap;
        dd = cap_type(c) == Sigil_CapCNode ? cap_cnode_radix(c) + cap_cnode_guard_size(c) : 64;
    }
    word_t data = (word_t)i->e | ((word_t)i->f << 8);
    switch (label) {
    case INV_CNODE_COPY:
        return fx_call(inv, node, label, 5, ARGS(slot_arg(i->a), dd, slot_arg(i->b), 64, i->c % 16),
                       1, ROOT);
    case INV_CNODE_MINT:
        return fx_call(inv, node, label, 6,
                       ARGS(slot_arg(i->a), dd, slot_arg(i->b), 64, i->c % 16, data), 1, ROOT);
    case INV_CNODE_MOVE:
        return fx_call(inv, node, label, 4, ARGS(slot_arg(i->a), dd, slot_arg(i->b), 64), 1, ROOT);
    case INV_CNODE_MUTATE:
        return fx_call(inv, node, label, 5, ARGS(slot_arg(i->a), dd, slot_arg(i->b), 64, data), 1,
                       ROOT);
    case INV_CNODE_ROTATE:
        return fx_call(inv, node, label, 8,
                       ARGS(slot_arg(i->a), dd, i->e, slot_arg(i->b), 64, i->f, slot_arg(i->c), 64),
                       2, ROOT2);
    default: /* Delete, Revoke, CancelBadgedSends; invalid labels too */
        return fx_call(inv, node, label, 2, ARGS(slot_arg(i->a), dd), 0, NULL);
    }
}

static sigil_status_t retype(invocation_t *inv, const insn_t *i)
{
    word_t count = i->e < 250 ? 1 + i->e % 4 : (word_t)i->e * 2 - 480;
    word_t size = i->c < 240 ? i->c % 16 + (i->b % 12 == 0 ? 4 : 0) : i->c % 70;
    return fx_call(inv, slot_arg(i->a), INV_UNTYPED_RETYPE, 6,
                   ARGS(i->b % 12, size, 0, 0, slot_arg(i->d), count), 1, ROOT);
}

/* Whether the thread can be linked to something new (what the IPC layer would check). */
static bool free_thread(const tcb_t *t)
{
    return t != fx_caller() && t->blocked_on == NULL && t->state != TCB_BLOCKED_ON_REPLY &&
           t->reply == NULL;
}

/* Queue the thread in slot a on the endpoint in slot b (sender with badge c / 4 % 4, or
 * receiver), if both caps are there and the queue goes the same way. */
static void queue_on_endpoint(tcb_t *t, cap_t e, const insn_t *i)
{
    endpoint_t *ep = endpoint_from_cap(e);
    tcb_state_t st = i->c & 1 ? TCB_BLOCKED_ON_RECEIVE : TCB_BLOCKED_ON_SEND;
    if (ep->queue.head != NULL && ep->queue.head->state != st) {
        return;
    }
    t->state = st;
    t->ipc_badge = i->c / 4 % 4;
    endpoint_enqueue(ep, t);
}

/* Link the thread in slot a to the object in slot b the way IPC would: queue it on an
 * endpoint or notification, bind a notification, or link a reply object. */
static void link_thread(const insn_t *i)
{
    cap_t tc = fx_slot(slot_arg(i->a))->cap, o = fx_slot(slot_arg(i->b))->cap;
    if (cap_type(tc) != Sigil_CapTCB || !free_thread(tcb_from_cap(tc))) {
        return;
    }
    tcb_t *t = tcb_from_cap(tc);
    if (cap_type(o) == Sigil_CapEndpoint) {
        queue_on_endpoint(t, o, i);
    } else if (cap_type(o) == Sigil_CapNotification) {
        notification_t *n = ntfn_from_cap(o);
        if (i->c & 1) {
            t->state = TCB_BLOCKED_ON_NOTIFICATION;
            ntfn_enqueue(n, t);
        } else if (ntfn_bound_tcb(n) == NULL && t->bound_ntfn == NULL) {
            ntfn_bind(n, t);
        }
    } else if (cap_type(o) == Sigil_CapReply && reply_from_cap(o)->tcb == NULL) {
        t->state = TCB_BLOCKED_ON_REPLY;
        reply_link(reply_from_cap(o), t);
    }
}

static void set_preemption(const insn_t *i)
{
    switch (i->a % 3) {
    case 0:
        host_preempt_never();
        break;
    case 1:
        host_preempt_always();
        break;
    default:
        host_preempt_after(1 + i->b % 8);
        break;
    }
}

/* The gate of a debug call on whatever slot a names (the Debug master sits in its boot slot,
 * minted and copied Debug caps wherever the CNode operations put them): it reads only, and it
 * agrees with the cap it finds. */
static void debug_gate(const insn_t *i)
{
    word_t ops = 1 + i->b % Sigil_DebugAll;
    word_t cptr = i->c < 128 ? BOOT_SLOT_DEBUG : slot_arg(i->a);
    cap_t root = fx_slot(BOOT_SLOT_CNODE)->cap; /* the CNode ops may have changed its guard */
    cspace_result_t r = cspace_lookup_slot(root, cptr);
    bool want = false;
    if (r.slot != NULL) {
        cap_t c = r.slot->cap;
        want = cap_type(c) == Sigil_CapDebug && (cap_badge(c) == 0 || (cap_badge(c) & ops) == ops);
    }
    sigil_error_t e = debug_check(root, cptr, ops);
    require(e == (want ? Sigil_NoError : Sigil_InvalidCapability), "debug gate disagrees");
    require(fx_unchanged(), "the debug gate changed kernel state");
}

static sigil_status_t other_op(invocation_t *inv, const insn_t *i)
{
    switch (i->op % 5) {
    case 4:
        debug_gate(i);
        return SIGIL_STATUS_OK;
    case 0:
        return fx_call(inv, BOOT_SLOT_IRQ_CONTROL, INV_IRQ_ISSUE_IRQ_HANDLER, 3,
                       ARGS(i->b % 40, slot_arg(i->c), depth_arg(i->g)), 1, ROOT);
    case 1:
        return fx_call(inv, slot_arg(i->a), INV_IRQ_SET_IRQ_HANDLER - i->d % 3, 0, NULL, 1,
                       ARGS(slot_arg(i->b)));
    case 2:
        return fx_call(inv, slot_arg(i->a), INV_SMC_CALL, 8 - i->d % 2,
                       ARGS(i->b, 1, 2, 3, 4, 5, 6, 7), 0, NULL);
    default: /* any label, one past the last (an invalid one) included */
        return fx_call(inv, slot_arg(i->a), i->b % (SIGIL_INVOCATION_LABEL_MAX + 2), 6,
                       ARGS(i->c, i->d, i->e, i->f, i->g, 1), 1, ROOT);
    }
}

static void step(const insn_t *i)
{
    static const word_t labels[] = {
        INV_CNODE_COPY,   INV_CNODE_MINT,   INV_CNODE_MOVE,   INV_CNODE_MUTATE,
        INV_CNODE_ROTATE, INV_CNODE_DELETE, INV_CNODE_REVOKE, INV_CNODE_CANCEL_BADGED_SENDS};
    invocation_t inv;
    sigil_status_t st;
    unsigned op = i->op % 24;
    fx_snapshot();
    if (op < 8 || op >= 16) {
        st = cnode_op(&inv, labels[op % 8], i, op >= 16);
    } else if (op < 10) {
        st = retype(&inv, i);
    } else if (op == 10) {
        link_thread(i);
        st = SIGIL_STATUS_OK;
    } else if (op == 11) {
        set_preemption(i);
        st = SIGIL_STATUS_OK;
    } else {
        st = other_op(&inv, i);
    }
    if (st == SIGIL_STATUS_ERROR || st == SIGIL_STATUS_CAP_FAULT || st == SIGIL_STATUS_NOT_CORE) {
        require(fx_unchanged(), "an error changed kernel state");
    }
    fx_check("fuzz step");
    require(true, "invariant violated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fx_check_every = ~0u; /* step() checks after every instruction itself */
    fx_boot_with(18, 8);
    require(true, "boot");
    for (size_t off = 0; off + sizeof(insn_t) <= size && off < 8 * MAX_STEPS;
         off += sizeof(insn_t)) {
        insn_t i;
        memcpy(&i, data + off, sizeof(i));
        step(&i);
    }
    return 0;
}
