/*
 * The introspection interface reads back what boot gave the root task.
 */
#include <sigil/bootinfo.h>
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "ktest.h"

int main(const void *arg)
{
    const sigil_bootinfo_t *bi = arg;
    sigil_cap_info_t c = sigil_debug_cap_inspect(Sigil_SlotInitThreadCNode);
    KTEST_EQ("INSPECT-001 root CNode type", c.type, Sigil_CapCNode);
    KTEST_EQ("INSPECT-002 radix", sigil_cap_info_radix(&c), bi->root_cnode_radix);
    KTEST_EQ("INSPECT-003 guard size", sigil_cap_info_guard_size(&c), 64 - bi->root_cnode_radix);
    c = sigil_debug_cap_inspect(Sigil_SlotSMC);
    KTEST_EQ("INSPECT-004 SMC master cap", c.type, Sigil_CapSMC);
    KTEST_EQ("INSPECT-005 badge 0", c.word, 0);
    c = sigil_debug_cap_inspect(bi->untyped_start);
    KTEST_EQ("INSPECT-006 first untyped", c.type, Sigil_CapUntyped);
    KTEST_EQ("INSPECT-007 its address", c.paddr, bi->untyped[0].paddr);
    KTEST_EQ("INSPECT-008 its size", sigil_cap_info_size_bits(&c), bi->untyped[0].size_bits);
    KTEST_EQ("INSPECT-009 empty slot", sigil_debug_cap_inspect(bi->empty_start).type,
             Sigil_CapNone);
    c = sigil_debug_cap_inspect(bi->image_frames_start);
    KTEST_EQ("INSPECT-010 image frame mapped at", c.word, bi->image_vaddr);

    sigil_tcb_info_t t = sigil_debug_tcb_info(Sigil_SlotInitThreadTCB);
    KTEST_EQ("INSPECT-011 root priority", t.prio_mcp_flags_state & 0xff, 255);
    KTEST_EQ("INSPECT-012 IPC buffer", t.ipc_buffer, bi->ipc_buffer);
    c = sigil_debug_tcb_slot(Sigil_SlotInitThreadTCB, SIGIL_TCB_SLOT_VSPACE);
    KTEST_EQ("INSPECT-013 TCB's VSpace slot", c.type, Sigil_CapVSpace);

    uint64_t pa, bits, info, expect = 0;
    sigil_frame_get_address(bi->image_frames_start, &expect);
    sigil_debug_vspace_lookup(Sigil_SlotInitThreadVSpace, bi->image_vaddr + 8, &pa, &bits, &info);
    KTEST_EQ("INSPECT-014 text page physical address", pa, expect + 8);
    KTEST_EQ("INSPECT-015 a 4 KiB page", bits, 12);
    KTEST_EQ("INSPECT-016 text: read, execute, no write", info & 0x1ff, Sigil_CanRead | (1u << 8));
    sigil_debug_vspace_lookup(Sigil_SlotInitThreadVSpace, (uint64_t)(uintptr_t)arg, &pa, &bits,
                              &info);
    KTEST_EQ("INSPECT-017 boot info read-only", info & 0xff, Sigil_CanRead);
    sigil_debug_vspace_lookup(Sigil_SlotInitThreadVSpace, 0x5000000000ull, &pa, &bits, &info);
    KTEST_EQ("INSPECT-018 nothing mapped", pa, 0);

    KTEST_EQ("INSPECT-019 DebugCapIdentify: the root CNode",
             sigil_debug_cap_identify(Sigil_SlotInitThreadCNode), Sigil_CapCNode);
    KTEST_EQ("INSPECT-020 DebugCapIdentify: an untyped",
             sigil_debug_cap_identify(bi->untyped_start), Sigil_CapUntyped);
    KTEST_EQ("INSPECT-021 DebugCapIdentify: an empty slot",
             sigil_debug_cap_identify(bi->empty_start), Sigil_CapNone);
    KTEST_EQ("INSPECT-022 DebugCapIdentify: a cptr that does not resolve",
             sigil_debug_cap_identify(~0ull), Sigil_CapNone);
    return ktest_finish();
}
