/*
 * The program of the hand-written capDL system (system.cdl): one image, two threads. x0 (the
 * TCB's `init:` list) picks the role.
 *
 * Server (role 0), CSpace slot = cptr: 1 endpoint (Read, Grant), 2 reply object, 3 notification
 * (Read; the same notification is bound to its TCB), 4 the untyped `pool`, which covers two
 * objects and so is full, 5 its own CNode, 6 the handler of IRQ 34. It retypes from `pool` (the
 * kernel must refuse: the loader made the covered objects in it), acknowledges the IRQ, answers
 * the client's call, is woken by the client's signal, takes the client's fault and ends, which
 * powers the machine off (a hand-written TCB has no component record, docs/spec-format.md
 * "Ending a component") through the Debug cap allowing PowerOff in slot 17 (Sigil's `debug`
 * extension of capDL: docs/kernel/debug.md).
 *
 * Client (role 1): 1 endpoint (badge 0x42), 2 notification (badge 5). Calls with 41, prints the
 * answer, signals, then writes to the unmapped page after its image: the kernel sends the fault
 * to the endpoint cap its `fault_ep:` CPtr names (badge 7).
 *
 * The layout is pinned (layout.ld): text, rodata and data on the pages 0x400000, 0x401000 and
 * 0x402000, which system.cdl fills from the flat image cdl_hand.bin; 0x403000 is not mapped.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { EP = 1, REPLY = 2, POOL = 4, SELF = 5, RTC_IRQ = 6, DEBUG = 17, FREE_SLOT = 255 };
enum { CLIENT_EP = 1, CLIENT_DONE = 2 };

#define UNMAPPED 0x403000ul

static int server(void)
{
    sigil_word_t err =
        sigil_untyped_retype(POOL, Sigil_EndpointObject, 0, SELF, 0, 0, FREE_SLOT, 1);
    sigil_printf("cdl-hand-server: retype from the covered untyped: error %lu\n",
                 (unsigned long)err);
    err = sigil_irq_handler_ack(RTC_IRQ);
    sigil_printf("cdl-hand-server: IRQ 34 acknowledged: error %lu\n", (unsigned long)err);
    sigil_word_t badge;
    sigil_recv(EP, &badge, REPLY);
    sigil_printf("cdl-hand-server: got %lu from badge 0x%lx\n", (unsigned long)sigil_get_mr(0),
                 (unsigned long)badge);
    sigil_set_mr(0, sigil_get_mr(0) + 1);
    /* the client signals before it faults: the signal comes first, through the bound
     * notification, to this Recv on the endpoint (seL4's rule for a bound notification) */
    sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 0, 1), &badge, REPLY);
    sigil_printf("cdl-hand-server: woken by its bound notification, badge %lu\n",
                 (unsigned long)badge);
    sigil_msginfo_t info = sigil_recv(EP, &badge, REPLY);
    sigil_printf("cdl-hand-server: fault %lu from badge %lu at 0x%lx, done\n",
                 (unsigned long)sigil_msginfo_label(info), (unsigned long)badge,
                 (unsigned long)sigil_get_mr(Sigil_VMFault_Addr));
    sigil_debug_cap = DEBUG; /* no component record to name it */
    return 0;
}

static int client(void)
{
    sigil_set_mr(0, 41);
    sigil_call(CLIENT_EP, sigil_msginfo_new(0, 0, 0, 1));
    sigil_printf("cdl-hand-client: the server answered %lu\n", (unsigned long)sigil_get_mr(0));
    sigil_signal(CLIENT_DONE);
    *(volatile unsigned long *)UNMAPPED = 1;
    sigil_printf("cdl-hand-client: restarted, which the server never does\n");
    return 1;
}

int main(const void *arg)
{
    return (uintptr_t)arg == 0 ? server() : client();
}
