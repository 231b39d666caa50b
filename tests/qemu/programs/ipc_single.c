/*
 * IPC that one thread can test alone: notifications (badges OR-ed, Wait, Poll never blocks),
 * non-blocking endpoint operations with nobody on the other side, and Call/Send on kernel
 * objects still answered as invocations.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>

#include <sigil/inspect.h>

#include "ktest.h"
#include "vm_common.h"

int main(const void *arg)
{
    vm_setup(arg);
    sigil_word_t n = vm_retype(Sigil_NotificationObject, 0);
    sigil_word_t b1 = vm_slot(), b2 = vm_slot(), ro = vm_slot();
    sigil_cnode_mint(ROOT, b1, DEPTH, ROOT, n, DEPTH, Sigil_AllRights, 0x1);
    sigil_cnode_mint(ROOT, b2, DEPTH, ROOT, n, DEPTH, Sigil_AllRights, 0x10);
    sigil_cnode_copy(ROOT, ro, DEPTH, ROOT, n, DEPTH, Sigil_CanRead);
    sigil_word_t badge = 99;

    sigil_poll(n, &badge);
    KTEST_EQ("NTFN-001 poll, nothing signalled", badge, 0);
    sigil_signal(b1);
    sigil_signal(b2);
    sigil_signal(b1);
    sigil_wait(n, &badge);
    KTEST_EQ("NTFN-002 badges OR-ed", badge, 0x11);
    sigil_poll(n, &badge);
    KTEST_EQ("NTFN-003 word cleared by the wait", badge, 0);
    sigil_signal(b2);
    sigil_poll(ro, &badge);
    KTEST_EQ("NTFN-004 poll through a receive-only cap", badge, 0x10);
    sigil_signal(b1);
    sigil_recv(n, &badge, 0);
    KTEST_EQ("NTFN-005 Recv on a notification waits on it", badge, 0x1);
    sigil_msginfo_t info = sigil_call(b1, sigil_msginfo_new(0, 0, 0, 0));
    KTEST_EQ("NTFN-006a Call on a notification signals, empty reply", sigil_msginfo_label(info), 0);
    sigil_poll(n, &badge);
    KTEST_EQ("NTFN-006b signalled", badge, 0x1);

    sigil_word_t ep = vm_retype(Sigil_EndpointObject, 0);
    sigil_word_t reply = vm_retype(Sigil_ReplyObject, 0);
    /* NBSend with no receiver returns at once and queues nothing: the NBRecv after it finds
     * no sender (a blocked send would have hung this test). */
    sigil_word_t minted = vm_slot();
    sigil_cnode_mint(ROOT, minted, DEPTH, ROOT, ep, DEPTH, Sigil_AllRights, 0x77);
    sigil_nbsend(minted, sigil_msginfo_new(1, 0, 0, 0));
    badge = 5;
    info = sigil_nbrecv(ep, &badge, reply);
    KTEST_EQ("EP-001 NBSend without a receiver is dropped: NBRecv gets badge 0", badge, 0);
    KTEST_EQ("EP-002 and an empty message", info, 0);
    sigil_set_mr(0, 0xabc);
    sigil_reply(reply, sigil_msginfo_new(3, 0, 0, 1));
    info = sigil_nbrecv(ep, &badge, reply);
    KTEST_EQ("EP-003 a reply with nobody to answer goes nowhere", info, 0);

    /* Kernel objects answer Call as invocations. */
    KTEST_EQ("EP-004 Call on a CNode is an invocation",
             sigil_msginfo_label(sigil_call(ROOT, sigil_msginfo_new(Sigil_CNode_Delete, 0, 0, 0))),
             Sigil_TruncatedMessage);
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
