/*
 * TCB invocations on the host: every invocation's success case and each documented error
 * (docs/kernel/tcb.md), each error checked to leave the whole kernel state unchanged.
 */
#include "fixture.h"
#include "sched_stub.h"

#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <object/tcb_invoke.h>

static word_t ut, s;

/* Invoke the TCB cap at root index `cptr` the way the syscall layer does: through the core's
 * dispatch (api/invoke.c), like every core object. */
static sigil_status_t tcall(invocation_t *inv, word_t cptr, word_t label, unsigned n,
                            const word_t *args, unsigned ne, const word_t *extra)
{
    sigil_status_t st = fx_call(inv, cptr, label, n, args, ne, extra);
    CHECK(inv->target == fx_slot(cptr));
    return st;
}

/* A call that must succeed. */
#define OK(call) CHECK((call) == SIGIL_STATUS_OK)

static word_t make(word_t type, word_t size_bits)
{
    word_t slot = s++;
    CHECK(fx_retype(ut, type, size_bits, slot, 1) == SIGIL_STATUS_OK);
    return slot;
}

static tcb_t *tcb_at(word_t slot)
{
    return tcb_from_cap(fx_slot(slot)->cap);
}

static cap_t cap_at(tcb_t *t, unsigned i)
{
    return t->slots[i].cap;
}

static void fill_registers(tcb_t *t, uint64_t base)
{
    for (unsigned i = 0; i < ARCH_NUM_REGS; i++) {
        t->arch.regs.x[i] = base + i;
    }
}

/* ---- registers ---- */

static void test_read_registers(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    fill_registers(t, 100);
    invocation_t inv;
    OK(tcall(&inv, tc, Sigil_TCB_ReadRegisters, 3, ARGS(0, 0, TCB_READ_MAX), 0, NULL));
    CHECK(inv.reply_label == 0 && inv.reply_length == TCB_READ_MAX);
    for (unsigned i = 0; i < TCB_READ_MAX; i++) {
        CHECK(inv.reply_mr[i] == 100 + arch_context_reg(i));
    }
    CHECK(inv.reply_mr[0] == 100 + ARCH_REG_PC && inv.reply_mr[1] == 100 + ARCH_REG_SP);
    CHECK(inv.reply_mr[2] == 100 + ARCH_REG_SPSR && inv.reply_mr[3] == 100);
    /* The order is seL4's seL4_UserContext: x16 follows x8, x9 follows x30. */
    CHECK(arch_context_reg(12) == 16 && arch_context_reg(16) == 30 && arch_context_reg(17) == 9);
    CHECK(arch_context_reg(34) == ARCH_REG_TPIDR && arch_context_reg(35) == ARCH_REG_IPCBUF);
    fx_cases++;

    tcb_resume(t);
    CHECK(t->state == TCB_RESTART && host_ready_count() == 1);
    OK(tcall(&inv, tc, Sigil_TCB_ReadRegisters, 3, ARGS(1, 0, 1), 0, NULL));
    CHECK(t->state == TCB_INACTIVE && host_ready_count() == 0 && inv.reply_length == 1);
    fx_cases++;

    EXPECT("read truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_ReadRegisters, 2, ARGS(0, 0), 0, NULL));
    EXPECT("read count 0", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_ReadRegisters, 3, ARGS(0, 0, 0), 0, NULL), 1, TCB_READ_MAX);
    EXPECT("read count too big", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_ReadRegisters, 3, ARGS(0, 0, TCB_READ_MAX + 1), 0, NULL), 1,
           TCB_READ_MAX);
    EXPECT("read self", Sigil_IllegalOperation,
           tcall(&inv_, BOOT_SLOT_TCB, Sigil_TCB_ReadRegisters, 3, ARGS(0, 0, 1), 0, NULL));
}

static void test_write_registers(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    t->arch.regs.x[ARCH_REG_IPCBUF] = 0x5000;
    word_t args[3 + ARCH_CONTEXT_WORDS + 4] = {0, 0, ARCH_CONTEXT_WORDS + 4};
    for (unsigned i = 0; i < ARCH_CONTEXT_WORDS + 4; i++) {
        args[3 + i] = 1000 + i;
    }
    args[3 + 2] = ~(word_t)0; /* SPSR: only NZCV survive */
    invocation_t inv;
    /* A count above the context is clamped (seL4); the extra words are ignored. */
    OK(tcall(&inv, tc, Sigil_TCB_WriteRegisters, 3 + ARCH_CONTEXT_WORDS + 4, args, 0, NULL));
    for (unsigned i = 0; i < ARCH_CONTEXT_WORDS - 1; i++) {
        if (i != 2) {
            CHECK(t->arch.regs.x[arch_context_reg(i)] == 1000 + i);
        }
    }
    CHECK(t->arch.regs.x[ARCH_REG_SPSR] == 0xf0000000ull);
    CHECK(t->arch.regs.x[ARCH_REG_IPCBUF] == 0x5000); /* tpidrro_el0 is read-only */
    CHECK(t->state == TCB_INACTIVE && inv.reply_length == 0);
    fx_cases++;

    OK(tcall(&inv, tc, Sigil_TCB_WriteRegisters, 4, ARGS(1, 0, 1, 0x4000), 0, NULL));
    CHECK(t->arch.regs.x[ARCH_REG_PC] == 0x4000 && t->state == TCB_RESTART);
    CHECK(t->arch.regs.x[ARCH_REG_SP] == 1001);
    tcb_suspend(t);
    fx_cases++;

    EXPECT("write truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_WriteRegisters, 2, ARGS(0, 0), 0, NULL));
    EXPECT("write short of count", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_WriteRegisters, 7, ARGS(0, 0, 5, 1, 2, 3, 4), 0, NULL));
    EXPECT("write self", Sigil_IllegalOperation,
           tcall(&inv_, BOOT_SLOT_TCB, Sigil_TCB_WriteRegisters, 4, ARGS(0, 0, 1, 0), 0, NULL));
}

static void test_copy_registers(void)
{
    word_t from = make(Sigil_TCBObject, 0), to = make(Sigil_TCBObject, 0);
    word_t ep = make(Sigil_EndpointObject, 0);
    tcb_t *a = tcb_at(from), *b = tcb_at(to);
    fill_registers(a, 100);
    fill_registers(b, 500);
    a->arch.regs.x[ARCH_REG_SPSR] = 0x600003c5; /* sanitised on the way */
    invocation_t inv;
    OK(tcall(&inv, to, Sigil_TCB_CopyRegisters, 5, ARGS(0, 0, 1, 0, 0), 1, ARGS(from)));
    CHECK(b->arch.regs.x[ARCH_REG_PC] == 100 + ARCH_REG_PC && b->arch.regs.x[0] == 100);
    CHECK(b->arch.regs.x[16] == 116 && b->arch.regs.x[30] == 130);
    CHECK(b->arch.regs.x[ARCH_REG_SPSR] == 0x60000000);
    CHECK(b->arch.regs.x[9] == 509 && b->arch.regs.x[ARCH_REG_TPIDR] == 500 + ARCH_REG_TPIDR);
    fx_cases++;

    tcb_resume(a);
    OK(tcall(&inv, to, Sigil_TCB_CopyRegisters, 5, ARGS(1, 1, 0, 1, 0), 1, ARGS(from)));
    CHECK(b->arch.regs.x[9] == 109 && b->arch.regs.x[28] == 128);
    CHECK(b->arch.regs.x[ARCH_REG_TPIDR] == 100 + ARCH_REG_TPIDR);
    CHECK(b->arch.regs.x[ARCH_REG_IPCBUF] == 500 + ARCH_REG_IPCBUF);
    CHECK(a->state == TCB_INACTIVE && b->state == TCB_RESTART && host_ready_count() == 1);
    tcb_suspend(b);
    fx_cases++;

    EXPECT("copy truncated", Sigil_TruncatedMessage,
           tcall(&inv_, to, Sigil_TCB_CopyRegisters, 4, ARGS(0, 0, 1, 1), 1, ARGS(from)));
    EXPECT("copy no source", Sigil_TruncatedMessage,
           tcall(&inv_, to, Sigil_TCB_CopyRegisters, 5, ARGS(0, 0, 1, 1, 0), 0, NULL));
    EXPECT("copy source not a TCB", Sigil_InvalidCapability,
           tcall(&inv_, to, Sigil_TCB_CopyRegisters, 5, ARGS(0, 0, 1, 1, 0), 1, ARGS(ep)), 1);
}

/* ---- spaces ---- */

/* Objects for the space tests. */
static word_t cn, vs, fr, dev, ep, ntfn, empty;

static void make_space_objects(void)
{
    cn = make(Sigil_CNodeObject, 4);
    vs = make(Sigil_VSpaceObject, 0);
    fr = make(Sigil_Frame4KObject, 0);
    ep = make(Sigil_EndpointObject, 0);
    ntfn = make(Sigil_NotificationObject, 0);
    dev = s++;
    CHECK(fx_retype(fx_device_untyped(), Sigil_Frame4KObject, 0, dev, 1) == SIGIL_STATUS_OK);
    empty = s++;
}

#define CONFIGURE(inv, tc, cdata, buf, croot, vroot, frame)                                        \
    tcall(inv, tc, Sigil_TCB_Configure, 3, ARGS(cdata, 0, buf), 3, ARGS(croot, vroot, frame))

static void test_configure(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    invocation_t inv;
    OK(CONFIGURE(&inv, tc, (5u << 6) | 60, 0x7000, cn, vs, fr));
    cap_t c = cap_at(t, TCB_SLOT_CSPACE);
    CHECK(cap_type(c) == Sigil_CapCNode && cap_ptr(c) == cap_ptr(fx_slot(cn)->cap));
    CHECK(cap_cnode_guard_size(c) == 60 && cap_cnode_guard(c) == 5);
    CHECK(cdt_prev(&t->slots[TCB_SLOT_CSPACE]) == fx_slot(cn)); /* derived from the source */
    CHECK(cap_type(cap_at(t, TCB_SLOT_VSPACE)) == Sigil_CapVSpace);
    CHECK(cap_ptr(cap_at(t, TCB_SLOT_IPC_BUFFER)) == cap_ptr(fx_slot(fr)->cap));
    CHECK(t->arch.regs.x[ARCH_REG_IPCBUF] == 0x7000);
    fx_check("configure");
    fx_cases++;

    /* Again, with buffer 0: the frame slot is ignored and the buffer cleared. */
    OK(CONFIGURE(&inv, tc, 0, 0, BOOT_SLOT_CNODE, vs, empty));
    CHECK(cap_ptr(cap_at(t, TCB_SLOT_CSPACE)) == fx.root_cnode);
    CHECK(cap_is_null(cap_at(t, TCB_SLOT_IPC_BUFFER)) && t->arch.regs.x[ARCH_REG_IPCBUF] == 0);
    CHECK(t->arch.regs.x[ARCH_REG_IPCBUF] == 0);
    fx_check("configure again");
    fx_cases++;

    EXPECT("configure truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_Configure, 2, ARGS(0, 0), 3, ARGS(cn, vs, fr)));
    EXPECT("configure missing cap", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_Configure, 3, ARGS(0, 0, 0), 2, ARGS(cn, vs)));
    EXPECT("configure buffer misaligned", Sigil_AlignmentError,
           CONFIGURE(&inv_, tc, 0, 0x7200, cn, vs, fr));
    EXPECT("configure buffer not a frame", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0x7000, cn, vs, ep));
    EXPECT("configure buffer device frame", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0x7000, cn, vs, dev));
    EXPECT("configure buffer empty slot", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0x7000, cn, vs, empty));
    EXPECT("configure cspace not a CNode", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0, ep, vs, fr));
    EXPECT("configure cspace guard too big", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 61, 0, cn, vs, fr));
    EXPECT("configure vspace not a VSpace", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0, cn, fr, fr));
    EXPECT("configure cspace an untyped with children", Sigil_RevokeFirst,
           CONFIGURE(&inv_, tc, 0, 0, ut, vs, fr));
}

static void test_configure_long_delete(void)
{
    word_t tc = make(Sigil_TCBObject, 0), c2 = make(Sigil_CNodeObject, 2);
    tcb_t *t = tcb_at(tc);
    invocation_t inv;
    OK(CONFIGURE(&inv, tc, 0, 0, c2, vs, empty));
    CHECK(fx_delete(c2) == SIGIL_STATUS_OK); /* the TCB's copy is now the last cap */
    CHECK(cap_type(cap_at(t, TCB_SLOT_CSPACE)) == Sigil_CapCNode);
    EXPECT("configure last CNode cap", Sigil_IllegalOperation,
           CONFIGURE(&inv_, tc, 0, 0, cn, vs, empty));
    EXPECT("set space last CNode cap", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 3, ARGS(empty, cn, vs)));
}

static void test_set_ipc_buffer(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    invocation_t inv;
    OK(tcall(&inv, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x10400), 1, ARGS(fr)));
    CHECK(cap_type(cap_at(t, TCB_SLOT_IPC_BUFFER)) == Sigil_CapFrame);
    CHECK(t->arch.regs.x[ARCH_REG_IPCBUF] == 0x10400);
    fx_cases++;
    /* Replacing it: the old copy goes, the frame's own cap stays. */
    OK(tcall(&inv, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x20000), 1, ARGS(BOOT_SLOT_IPC_BUFFER)));
    CHECK(cap_ptr(cap_at(t, TCB_SLOT_IPC_BUFFER)) == fx.ipc_buffer);
    CHECK(cap_type(fx_slot(fr)->cap) == Sigil_CapFrame &&
          t->arch.regs.x[ARCH_REG_IPCBUF] == 0x20000);
    OK(tcall(&inv, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0), 1, ARGS(empty)));
    CHECK(cap_is_null(cap_at(t, TCB_SLOT_IPC_BUFFER)) && t->arch.regs.x[ARCH_REG_IPCBUF] == 0);
    fx_check("set ipc buffer");
    fx_cases++;

    EXPECT("ipc buffer truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetIPCBuffer, 0, NULL, 1, ARGS(fr)));
    EXPECT("ipc buffer no cap", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x1000), 0, NULL));
    EXPECT("ipc buffer misaligned", Sigil_AlignmentError,
           tcall(&inv_, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x1008), 1, ARGS(fr)));
    EXPECT("ipc buffer not a frame", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x1000), 1, ARGS(ntfn)));
    EXPECT("ipc buffer an untyped with children", Sigil_RevokeFirst,
           tcall(&inv_, tc, Sigil_TCB_SetIPCBuffer, 1, ARGS(0x1000), 1, ARGS(ut)));
}

#define SET_SPACE(inv, tc, badge, rights, fep)                                                     \
    tcall(inv, tc, Sigil_TCB_SetSpace, 4, ARGS(badge, rights, 0, 0), 3, ARGS(fep, cn, vs))

static void test_set_space(void)
{
    word_t tc = make(Sigil_TCBObject, 0), badged = s++, ro = s++;
    tcb_t *t = tcb_at(tc);
    CHECK(fx_mint(badged, ep, Sigil_AllRights, 9) == SIGIL_STATUS_OK);
    CHECK(fx_mint(ro, ep, Sigil_CanRead | Sigil_CanGrant, 0) == SIGIL_STATUS_OK);
    invocation_t inv;
    OK(SET_SPACE(&inv, tc, 7, Sigil_CanWrite | Sigil_CanGrantReply, ep));
    cap_t h = cap_at(t, TCB_SLOT_FAULT_HANDLER);
    /* RFC-11: the slot holds a plain copy; badge and rights live beside it. */
    CHECK(cap_type(h) == Sigil_CapEndpoint && cap_badge(h) == 0);
    CHECK(cap_rights(h) == Sigil_AllRights);
    CHECK(t->fault_badge == 7 && t->fault_rights == (Sigil_CanWrite | Sigil_CanGrantReply));
    CHECK(cap_type(cap_at(t, TCB_SLOT_CSPACE)) == Sigil_CapCNode);
    CHECK(cap_type(cap_at(t, TCB_SLOT_VSPACE)) == Sigil_CapVSpace);
    fx_check("set space");
    fx_cases++;

    /* Badge and rights 0: the cap's own. */
    OK(SET_SPACE(&inv, tc, 0, 0, badged));
    CHECK(t->fault_badge == 9 && t->fault_rights == Sigil_AllRights);
    CHECK(cap_badge(cap_at(t, TCB_SLOT_FAULT_HANDLER)) == 9);
    fx_cases++;

    /* An empty slot clears the handler. */
    OK(SET_SPACE(&inv, tc, 5, 0, empty));
    CHECK(cap_is_null(cap_at(t, TCB_SLOT_FAULT_HANDLER)));
    CHECK(t->fault_badge == 0 && t->fault_rights == 0);
    fx_check("clear handler");
    fx_cases++;

    EXPECT("set space truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 3, ARGS(0, 0, 0), 3, ARGS(ep, cn, vs)));
    EXPECT("set space missing cap", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 2, ARGS(ep, cn)));
    EXPECT("fault handler not an endpoint", Sigil_InvalidCapability,
           SET_SPACE(&inv_, tc, 0, 0, ntfn), 1);
    EXPECT("fault handler badge on badged cap", Sigil_InvalidCapability,
           SET_SPACE(&inv_, tc, 3, 0, badged), 1);
    EXPECT("fault handler rights without grant", Sigil_InvalidCapability,
           SET_SPACE(&inv_, tc, 0, Sigil_CanWrite, ep), 1);
    EXPECT("fault handler cap cannot send", Sigil_InvalidCapability, SET_SPACE(&inv_, tc, 0, 0, ro),
           1);
    EXPECT("set space cspace not a CNode", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 3, ARGS(ep, vs, vs)));
    EXPECT("set space vspace not a VSpace", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 3, ARGS(ep, cn, cn)));
    EXPECT("set space cspace an untyped with children", Sigil_RevokeFirst,
           tcall(&inv_, tc, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 3, ARGS(ep, ut, vs)));
}

/* A thread blocked on the fault endpoint makes deleting the handler's last cap long. */
static void test_set_space_long_delete(void)
{
    word_t tc = make(Sigil_TCBObject, 0), e2 = make(Sigil_EndpointObject, 0);
    word_t waiter = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc), *w = tcb_at(waiter);
    invocation_t inv;
    OK(SET_SPACE(&inv, tc, 0, 0, e2));
    endpoint_t *e = endpoint_from_cap(fx_slot(e2)->cap);
    w->state = TCB_BLOCKED_ON_SEND;
    endpoint_enqueue(e, w);
    CHECK(fx_delete(e2) == SIGIL_STATUS_OK);
    CHECK(cap_type(cap_at(t, TCB_SLOT_FAULT_HANDLER)) == Sigil_CapEndpoint);
    EXPECT("set space last endpoint cap with waiters", Sigil_IllegalOperation,
           SET_SPACE(&inv_, tc, 0, 0, ep));
    tcb_suspend(w); /* no waiters: now the old handler goes at once */
    OK(SET_SPACE(&inv, tc, 0, 0, ep));
    CHECK(cap_ptr(cap_at(t, TCB_SLOT_FAULT_HANDLER)) == cap_ptr(fx_slot(ep)->cap));
    fx_check("replace last handler cap");
    fx_cases++;
}

/* The caller configures itself: its CSpace keeps working. */
static void test_set_space_self(void)
{
    invocation_t inv;
    OK(tcall(&inv, BOOT_SLOT_TCB, Sigil_TCB_SetSpace, 4, ARGS(0, 0, 0, 0), 3,
             ARGS(ep, BOOT_SLOT_CNODE, BOOT_SLOT_VSPACE)));
    CHECK(cap_ptr(cap_at(fx_caller(), TCB_SLOT_CSPACE)) == fx.root_cnode);
    CHECK(cap_ptr(cap_at(fx_caller(), TCB_SLOT_FAULT_HANDLER)) == cap_ptr(fx_slot(ep)->cap));
    CHECK(fx_copy(s++, ep, Sigil_AllRights) == SIGIL_STATUS_OK);
    fx_check("set space self");
    fx_cases++;
}

/* ---- scheduling ---- */

static void test_priorities(void)
{
    word_t tc = make(Sigil_TCBObject, 0), auth = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc), *a = tcb_at(auth);
    invocation_t inv;
    OK(tcall(&inv, auth, Sigil_TCB_SetSchedParams, 2, ARGS(10, 10), 1, ARGS(BOOT_SLOT_TCB)));
    CHECK(a->mcp == 10 && a->priority == 10);
    unsigned long changes = sched_stub_priority_changes;
    OK(tcall(&inv, tc, Sigil_TCB_SetPriority, 1, ARGS(10), 1, ARGS(auth)));
    CHECK(t->priority == 10 && sched_stub_priority_changes == changes + 1);
    OK(tcall(&inv, tc, Sigil_TCB_SetMCPriority, 1, ARGS(7), 1, ARGS(auth)));
    CHECK(t->mcp == 7 && t->priority == 10);
    OK(tcall(&inv, tc, Sigil_TCB_SetSchedParams, 2, ARGS(3, 2), 1, ARGS(auth)));
    CHECK(t->mcp == 3 && t->priority == 2);
    fx_check("priorities");
    fx_cases += 4;

    EXPECT("priority above mcp", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_SetPriority, 1, ARGS(11), 1, ARGS(auth)), 0, 10);
    EXPECT("priority huge", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_SetPriority, 1, ARGS(1ull << 40), 1, ARGS(auth)), 0, 10);
    EXPECT("priority authority not a TCB", Sigil_InvalidCapability,
           tcall(&inv_, tc, Sigil_TCB_SetPriority, 1, ARGS(1), 1, ARGS(ep)), 1);
    EXPECT("priority truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetPriority, 0, NULL, 1, ARGS(auth)));
    EXPECT("priority no authority", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetPriority, 1, ARGS(1), 0, NULL));
    EXPECT("mcp above mcp", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_SetMCPriority, 1, ARGS(11), 1, ARGS(auth)), 0, 10);
    EXPECT("mcp authority not a TCB", Sigil_InvalidCapability,
           tcall(&inv_, tc, Sigil_TCB_SetMCPriority, 1, ARGS(1), 1, ARGS(fr)), 1);
    EXPECT("mcp truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetMCPriority, 0, NULL, 1, ARGS(auth)));
    EXPECT("sched params mcp too high", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_SetSchedParams, 2, ARGS(11, 1), 1, ARGS(auth)), 0, 10);
    EXPECT("sched params prio too high", Sigil_RangeError,
           tcall(&inv_, tc, Sigil_TCB_SetSchedParams, 2, ARGS(1, 11), 1, ARGS(auth)), 0, 10);
    EXPECT("sched params truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetSchedParams, 1, ARGS(1), 1, ARGS(auth)));
    EXPECT("sched params authority not a TCB", Sigil_InvalidCapability,
           tcall(&inv_, tc, Sigil_TCB_SetSchedParams, 2, ARGS(1, 1), 1, ARGS(cn)), 1);
}

static void test_suspend_resume(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    invocation_t inv;
    OK(tcall(&inv, tc, Sigil_TCB_Resume, 0, NULL, 0, NULL));
    CHECK(t->state == TCB_RESTART && host_ready_count() == 1);
    OK(tcall(&inv, tc, Sigil_TCB_Resume, 0, NULL, 0, NULL)); /* not inactive: no change */
    CHECK(t->state == TCB_RESTART && host_ready_count() == 1);
    OK(tcall(&inv, tc, Sigil_TCB_Suspend, 0, NULL, 0, NULL));
    CHECK(t->state == TCB_INACTIVE && host_ready_count() == 0);
    fx_check("suspend resume");
    fx_cases += 3;

    /* seL4's restart acts on every stopped thread: blocked ones leave their IPC and restart. */
    word_t e = make(Sigil_EndpointObject, 0), n = make(Sigil_NotificationObject, 0);
    word_t r = make(Sigil_ReplyObject, 0);
    endpoint_t *eq = endpoint_from_cap(fx_slot(e)->cap);
    reply_t *rp = reply_from_cap(fx_slot(r)->cap);
    t->state = TCB_BLOCKED_ON_RECEIVE;
    endpoint_enqueue(eq, t);
    reply_link(rp, t);
    fx_check("receiver");
    OK(tcall(&inv, tc, Sigil_TCB_Resume, 0, NULL, 0, NULL));
    CHECK(t->state == TCB_RESTART && eq->queue.head == NULL && rp->tcb == NULL);
    CHECK(t->blocked_on == NULL && t->reply == NULL && host_ready_count() == 1);
    tcb_suspend(t);
    t->state = TCB_BLOCKED_ON_REPLY;
    t->fault_type = 5;
    reply_link(rp, t);
    fx_check("caller");
    OK(tcall(&inv, tc, Sigil_TCB_Resume, 0, NULL, 0, NULL));
    CHECK(t->state == TCB_RESTART && rp->tcb == NULL && t->fault_type == 0);
    tcb_suspend(t);
    t->state = TCB_BLOCKED_ON_NOTIFICATION;
    ntfn_enqueue(ntfn_from_cap(fx_slot(n)->cap), t);
    fx_check("waiter");
    OK(tcall(&inv, tc, Sigil_TCB_Resume, 0, NULL, 0, NULL));
    CHECK(t->state == TCB_RESTART && ntfn_from_cap(fx_slot(n)->cap)->queue.head == NULL);
    tcb_suspend(t);
    fx_check("resumed from every blocked state");
    fx_cases += 3;
}

/* ---- notifications, TLS, flags ---- */

static void test_bind_notification(void)
{
    word_t tc = make(Sigil_TCBObject, 0), other = make(Sigil_TCBObject, 0);
    word_t n2 = make(Sigil_NotificationObject, 0), wo = s++;
    tcb_t *t = tcb_at(tc), *o = tcb_at(other);
    notification_t *n = ntfn_from_cap(fx_slot(ntfn)->cap);
    CHECK(fx_mint(wo, n2, Sigil_CanWrite, 0) == SIGIL_STATUS_OK);
    invocation_t inv;
    OK(tcall(&inv, tc, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(ntfn)));
    CHECK(t->bound_ntfn == n && ntfn_bound_tcb(n) == t);
    fx_check("bind");
    fx_cases++;

    EXPECT("bind truncated", Sigil_TruncatedMessage,
           tcall(&inv_, other, Sigil_TCB_BindNotification, 0, NULL, 0, NULL));
    EXPECT("bind tcb already bound", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(n2)));
    EXPECT("bind notification already bound", Sigil_IllegalOperation,
           tcall(&inv_, other, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(ntfn)));
    EXPECT("bind not a notification", Sigil_IllegalOperation,
           tcall(&inv_, other, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(ep)));
    EXPECT("bind without read right", Sigil_IllegalOperation,
           tcall(&inv_, other, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(wo)));
    word_t waiter = make(Sigil_TCBObject, 0);
    tcb_t *w = tcb_at(waiter);
    w->state = TCB_BLOCKED_ON_NOTIFICATION;
    ntfn_enqueue(ntfn_from_cap(fx_slot(n2)->cap), w);
    EXPECT("bind notification with waiters", Sigil_IllegalOperation,
           tcall(&inv_, other, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(n2)));
    tcb_suspend(w);

    OK(tcall(&inv, tc, Sigil_TCB_UnbindNotification, 0, NULL, 0, NULL));
    CHECK(t->bound_ntfn == NULL && ntfn_bound_tcb(n) == NULL);
    OK(tcall(&inv, other, Sigil_TCB_BindNotification, 0, NULL, 1, ARGS(ntfn)));
    CHECK(o->bound_ntfn == n);
    fx_check("unbind");
    fx_cases += 2;
    EXPECT("unbind nothing bound", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_TCB_UnbindNotification, 0, NULL, 0, NULL));
}

static void test_tls_and_flags(void)
{
    word_t tc = make(Sigil_TCBObject, 0);
    tcb_t *t = tcb_at(tc);
    invocation_t inv;
    OK(tcall(&inv, tc, Sigil_TCB_SetTLSBase, 1, ARGS(0xdead0000), 0, NULL));
    CHECK(t->arch.regs.x[ARCH_REG_TPIDR] == 0xdead0000 && inv.reply_length == 0);
    OK(tcall(&inv, BOOT_SLOT_TCB, Sigil_TCB_SetTLSBase, 1, ARGS(0x1234), 0, NULL));
    CHECK(fx_caller()->arch.regs.x[ARCH_REG_TPIDR] == 0x1234);
    fx_cases += 2;
    EXPECT("tls truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetTLSBase, 0, NULL, 0, NULL));

    OK(tcall(&inv, tc, Sigil_TCB_SetFlags, 2, ARGS(0, ~(word_t)0), 0, NULL));
    CHECK(t->flags == (TCB_FLAG_FPU_DISABLED | TCB_FLAG_PRINT_ERRORS) && inv.reply_length == 1);
    CHECK(inv.reply_mr[0] == 3);
    OK(tcall(&inv, tc, Sigil_TCB_SetFlags, 2, ARGS(3, 0), 0, NULL));
    CHECK(t->flags == 0 && inv.reply_mr[0] == 0);
    OK(tcall(&inv, tc, Sigil_TCB_SetFlags, 2, ARGS(1, 1), 0, NULL)); /* clear, then set */
    CHECK(t->flags == TCB_FLAG_FPU_DISABLED && inv.reply_mr[0] == 1);
    fx_cases += 3;
    EXPECT("flags truncated", Sigil_TruncatedMessage,
           tcall(&inv_, tc, Sigil_TCB_SetFlags, 1, ARGS(0), 0, NULL));
    EXPECT("unknown TCB label", Sigil_IllegalOperation,
           tcall(&inv_, tc, Sigil_CNode_Copy, 0, NULL, 0, NULL));
}

int main(void)
{
    fx_boot(22);
    fx_caller()->mcp = fx_caller()->priority = 255; /* as the root server gets */
    ut = fx_big_untyped();
    s = fx_free_slot();
    test_read_registers();
    test_write_registers();
    test_copy_registers();
    make_space_objects();
    test_configure();
    test_configure_long_delete();
    test_set_ipc_buffer();
    test_set_space();
    test_set_space_long_delete();
    test_set_space_self();
    test_priorities();
    test_suspend_resume();
    test_bind_notification();
    test_tls_and_flags();
    fx_check("end");
    return fx_finish("tcb_invoke");
}
