/*
 * The Debug-cap test (tests/loader/debug_gate.yaml, docs/kernel/debug.md): a component tries
 * every gated debug call and prints, for each, whether the kernel refused it. x0 says which
 * component runs it:
 *   1 (`nosy`): an ordinary component, given no Debug cap: DebugPowerOff and every inspection
 *     call must be refused with InvalidCapability, and it goes on to end alone;
 *   2 (`ender`): it ends the system, so its spec gives it PowerOff (and only that): every
 *     inspection call must be refused, then its end powers the machine off.
 * Printing and DebugCapIdentify need no cap: both work for both.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { SELF_CNODE = 1 };

static const char *who;
static int wrong;

/* One gated call: refused means x6 and x0 both say InvalidCapability. */
static void expect_refused(const char *call, int64_t num, uint64_t a0, uint64_t a1)
{
    uint64_t out[6];
    uint64_t gate = sigil_debug_gated(num, a0, a1, out);
    int refused = gate == Sigil_InvalidCapability && out[0] == Sigil_InvalidCapability;
    wrong += !refused;
    sigil_printf("debug-gate %s: %s %s\n", who, call,
                 refused ? "refused: InvalidCapability" : "NOT refused");
}

int main(const void *arg)
{
    int nosy = (uintptr_t)arg == 1;
    who = nosy ? "nosy" : "ender";
    if (nosy) {
        expect_refused("DebugPowerOff", Sigil_SysDebugPowerOff, 9, 0);
        sigil_printf("debug-gate %s: still running after DebugPowerOff\n", who);
    }
    expect_refused("DebugCapInspect", Sigil_SysDebugCapInspect, SELF_CNODE, 0);
    expect_refused("DebugTCBInspect", Sigil_SysDebugTCBInspect, SELF_CNODE, SIGIL_TCB_INFO);
    expect_refused("DebugVSpaceLookup", Sigil_SysDebugVSpaceLookup, SELF_CNODE, 0x400000);
    expect_refused("DebugIRQLatency", Sigil_SysDebugIRQLatency, 0, 0);
    expect_refused("DebugCheckInvariants", Sigil_SysDebugCheckInvariants, 0, 0);
    sigil_printf("debug-gate %s: DebugCapIdentify needs no cap: slot %d holds type %lu\n", who,
                 SELF_CNODE, (unsigned long)sigil_debug_cap_identify(SELF_CNODE));
    return wrong;
}
