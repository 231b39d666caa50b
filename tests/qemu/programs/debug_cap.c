/*
 * The Debug capability (docs/kernel/debug.md, "The gate"): the root task's master cap allows
 * every gated debug call; caps minted from it with a badge allow only the operations of their
 * badge; a cap of another type, an empty slot or a cptr that does not resolve allows nothing;
 * revoking the master takes every minted cap back. A refused call does nothing and answers
 * InvalidCapability in x0 and x6; a refused DebugPowerOff returns.
 */
#include <sigil/bootinfo.h>
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "ktest.h"

#define ROOT  Sigil_SlotInitThreadCNode
#define DEPTH 64

static sigil_word_t next_free;

static sigil_word_t new_slot(void)
{
    return next_free++;
}

/* The gate's answer to DebugCapInspect of the root CNode through the Debug cap at `cap`. */
static uint64_t introspect(sigil_word_t cap)
{
    sigil_debug_cap = cap;
    sigil_cap_info_t c = sigil_debug_cap_inspect(ROOT);
    sigil_debug_cap = SIGIL_DEBUG_CAP_DEFAULT;
    return c.status;
}

/* DebugPowerOff through the cap at `cap`; returns only when refused. */
static uint64_t power_off(sigil_word_t cap)
{
    sigil_debug_cap = cap;
    uint64_t e = sigil_debug_try_power_off(99);
    sigil_debug_cap = SIGIL_DEBUG_CAP_DEFAULT;
    return e;
}

/* Each introspection call through the PowerOff-only cap at `cap`: refused, and nothing read. */
static void refused_inspection(sigil_word_t cap)
{
    uint64_t out[6];
    sigil_debug_cap = cap;
    sigil_cap_info_t c = sigil_debug_cap_inspect(ROOT);
    KTEST_EQ("DEBUG-010a CapInspect refused", c.status, Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-010b x0 says so", c.type, Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-010c nothing read", c.paddr | c.fields | c.word | c.vspace, 0);
    sigil_tcb_info_t t = sigil_debug_tcb_info(Sigil_SlotInitThreadTCB);
    KTEST_EQ("DEBUG-011a TCBInspect refused", t.status, Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-011b nothing read", t.ipc_buffer | t.pc | t.sp, 0);
    uint64_t pa, bits, info;
    KTEST_EQ("DEBUG-012a VSpaceLookup refused",
             sigil_debug_vspace_lookup(Sigil_SlotInitThreadVSpace, (uint64_t)(uintptr_t)&pa, &pa,
                                       &bits, &info),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-012b nothing read", bits | info, 0);
    KTEST_EQ("DEBUG-013 IRQLatency refused", sigil_debug_gated(Sigil_SysDebugIRQLatency, 0, 0, out),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-014a CheckInvariants refused",
             sigil_debug_gated(Sigil_SysDebugCheckInvariants, 0, 0, out), Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-014b x0", out[0], Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-015 CapIdentify needs no cap", sigil_debug_cap_identify(ROOT), Sigil_CapCNode);
    sigil_debug_cap = SIGIL_DEBUG_CAP_DEFAULT;
}

int main(const void *arg)
{
    const sigil_bootinfo_t *bi = arg;
    next_free = bi->empty_start;
    KTEST_EQ("DEBUG-001 the default cptr is the boot slot", sigil_debug_cptr(), Sigil_SlotDebug);
    sigil_cap_info_t c = sigil_debug_cap_inspect(Sigil_SlotDebug);
    KTEST_EQ("DEBUG-002a the master in its boot slot", c.type, Sigil_CapDebug);
    KTEST_EQ("DEBUG-002b badge 0", c.word, 0);
    KTEST_EQ("DEBUG-002c no memory", c.paddr, 0);
    KTEST_EQ("DEBUG-003 the master allows Introspect", introspect(Sigil_SlotDebug), Sigil_NoError);

    sigil_word_t off = new_slot(), look = new_slot(), both = new_slot(), copy = new_slot();
    KTEST_EQ("DEBUG-004 mint PowerOff only",
             sigil_cnode_mint(ROOT, off, DEPTH, ROOT, Sigil_SlotDebug, DEPTH, Sigil_AllRights,
                              Sigil_DebugPowerOff),
             Sigil_NoError);
    c = sigil_debug_cap_inspect(off);
    KTEST_EQ("DEBUG-005a its badge", c.word, Sigil_DebugPowerOff);
    KTEST_EQ("DEBUG-005b revocable: badge differs from the master's", sigil_cap_info_original(&c),
             1);
    KTEST_EQ("DEBUG-006 mint Introspect only",
             sigil_cnode_mint(ROOT, look, DEPTH, ROOT, Sigil_SlotDebug, DEPTH, Sigil_AllRights,
                              Sigil_DebugIntrospect),
             Sigil_NoError);
    KTEST_EQ("DEBUG-007 mint both",
             sigil_cnode_mint(ROOT, both, DEPTH, ROOT, Sigil_SlotDebug, DEPTH, Sigil_AllRights,
                              Sigil_DebugAll),
             Sigil_NoError);
    KTEST_EQ("DEBUG-008 mint from a badged cap",
             sigil_cnode_mint(ROOT, new_slot(), DEPTH, ROOT, off, DEPTH, Sigil_AllRights,
                              Sigil_DebugPowerOff),
             Sigil_IllegalOperation);
    KTEST_EQ("DEBUG-009 a plain copy of the master",
             sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, Sigil_SlotDebug, DEPTH, Sigil_AllRights),
             Sigil_NoError);

    refused_inspection(off);
    KTEST_EQ("DEBUG-016 Introspect-only cap inspects", introspect(look), Sigil_NoError);
    KTEST_EQ("DEBUG-017 Introspect-only cap cannot power off", power_off(look),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-018 both bits inspect", introspect(both), Sigil_NoError);
    KTEST_EQ("DEBUG-019 the copy of the master inspects", introspect(copy), Sigil_NoError);
    KTEST_EQ("DEBUG-020 an SMC cap is no Debug cap", introspect(Sigil_SlotSMC),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-021 an SMC cap cannot power off", power_off(Sigil_SlotSMC),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-022 an empty slot", introspect(new_slot()), Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-023 a cptr that does not resolve", introspect(1ull << 63),
             Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-024 invoking a Debug cap",
             sigil_msginfo_label(sigil_invoke(Sigil_SlotDebug, Sigil_CNode_Copy, 0, 0, 0, 0)),
             Sigil_IllegalOperation);

    KTEST_EQ("DEBUG-025a revoke the master", sigil_cnode_revoke(ROOT, Sigil_SlotDebug, DEPTH),
             Sigil_NoError);
    KTEST_EQ("DEBUG-025b the PowerOff cap is gone", sigil_debug_cap_identify(off), Sigil_CapNone);
    KTEST_EQ("DEBUG-025c the Introspect cap is gone", sigil_debug_cap_identify(look),
             Sigil_CapNone);
    KTEST_EQ("DEBUG-025d the plain copy is gone", sigil_debug_cap_identify(copy), Sigil_CapNone);
    KTEST_EQ("DEBUG-026 its slot inspects no more", introspect(look), Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-027 and powers off no more", power_off(both), Sigil_InvalidCapability);
    KTEST_EQ("DEBUG-028 the master stays", introspect(Sigil_SlotDebug), Sigil_NoError);
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
