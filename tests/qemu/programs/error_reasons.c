/*
 * Error reasons (docs/kernel/error-reasons.md): in a debug kernel a thread with TCB flag
 * PrintErrors gets the reason of each invocation error printed on the console; without the
 * flag nothing is printed. The thread makes the same two IllegalOperation errors (an unknown
 * label on a CNode, CancelBadgedSends on a TCB cap) named 'quiet' without the flag, then named
 * 'loud' with it, then 'quiet' again after clearing it; qemu.error_reasons expects the two
 * reasons once each and rejects any line naming 'quiet'.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#include "ktest.h"

#define ROOT  Sigil_SlotInitThreadCNode
#define TCB   Sigil_SlotInitThreadTCB
#define DEPTH 64

/* The two errors, each IllegalOperation from a different check: an unknown label on a CNode cap,
 * and CancelBadgedSends on a slot holding a TCB cap. */
#define UNKNOWN_LABEL() sigil_tcb_set_tls_base(ROOT, 0)
#define NOT_ENDPOINT()  sigil_cnode_cancel_badged_sends(ROOT, TCB, DEPTH)

int main(const void *arg)
{
    (void)arg;
    sigil_word_t flags = ~0ull;
    KTEST_EQ("ERR-001 name the thread 'quiet'", sigil_debug_name_thread(TCB, "quiet"),
             Sigil_NoError);
    KTEST_EQ("ERR-002 unknown label, flag clear", UNKNOWN_LABEL(), Sigil_IllegalOperation);
    KTEST_EQ("ERR-003 not an endpoint, flag clear", NOT_ENDPOINT(), Sigil_IllegalOperation);
    KTEST_EQ("ERR-004 set PrintErrors",
             sigil_tcb_set_flags(TCB, 0, SIGIL_TCB_FLAG_PRINT_ERRORS, &flags), Sigil_NoError);
    sigil_debug_name_thread(TCB, "loud");
    KTEST_EQ("ERR-005 unknown label, printed", UNKNOWN_LABEL(), Sigil_IllegalOperation);
    KTEST_EQ("ERR-006 not an endpoint, printed", NOT_ENDPOINT(), Sigil_IllegalOperation);
    KTEST_EQ("ERR-007 flags returned", flags, SIGIL_TCB_FLAG_PRINT_ERRORS);
    KTEST_EQ("ERR-008 clear PrintErrors",
             sigil_tcb_set_flags(TCB, SIGIL_TCB_FLAG_PRINT_ERRORS, 0, &flags), Sigil_NoError);
    sigil_debug_name_thread(TCB, "quiet");
    KTEST_EQ("ERR-009 unknown label, flag cleared", UNKNOWN_LABEL(), Sigil_IllegalOperation);
    KTEST_EQ("ERR-010 not an endpoint, flag cleared", NOT_ENDPOINT(), Sigil_IllegalOperation);
    return ktest_finish();
}
