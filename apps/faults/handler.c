/*
 * The `faults` system's fault handler (specs/faults.yaml): receives the faulter's VM fault on
 * its endpoint with the badge the spec put in the faulter's TCB (RFC-11), maps its spare frame
 * at the faulting page of the faulter's VSpace and replies, which restarts the faulter.
 *
 * CSpace (slot = cptr): 1 fault endpoint (Read), 2 reply object, 3 the faulter's VSpace,
 * 4 a spare frame, 5 its own CNode (guard_size 54), 6 a Debug cap allowing Introspect (its
 * DebugCapInspect calls: docs/kernel/debug.md); from 7 on, the untyped caps the loader hands to
 * the resource manager (this component is flagged as one), up to the first empty slot
 * (docs/loader.md).
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

enum {
    FAULT_EP = 1,
    REPLY = 2,
    VSPACE = 3,
    FRAME = 4,
    SELF = 5,
    DEBUG = 6, /* the runtime takes it from the component record (sigil_debug_cap) */
    FIRST_UNTYPED = 7,
    LAST_SLOT = 1023
};

/* Count the untypeds handed over, and make an object from one to show they are usable. */
static void count_untypeds(void)
{
    uint64_t n = 0, ram = 0, slot = FIRST_UNTYPED, some_ram = 0;
    for (sigil_cap_info_t c; (c = sigil_debug_cap_inspect(slot)).type == Sigil_CapUntyped; slot++) {
        n++;
        if (!sigil_cap_info_device(&c)) {
            ram += 1ull << sigil_cap_info_size_bits(&c);
            some_ram = slot;
        }
    }
    sigil_word_t err =
        sigil_untyped_retype(some_ram, Sigil_EndpointObject, 0, SELF, 0, 0, LAST_SLOT, 1);
    sigil_printf("fault-handler: %lu untypeds handed over, %lu MiB of RAM; retype from the "
                 "last RAM one: error %lu\n",
                 (unsigned long)n, (unsigned long)(ram >> 20), (unsigned long)err);
}

int main(const void *arg)
{
    (void)arg;
    count_untypeds();
    for (;;) {
        sigil_word_t badge;
        sigil_msginfo_t info = sigil_recv(FAULT_EP, &badge, REPLY);
        sigil_word_t addr = sigil_get_mr(Sigil_VMFault_Addr);
        sigil_printf("fault-handler: fault %lu from badge %lu at 0x%lx (pc 0x%lx)\n",
                     (unsigned long)sigil_msginfo_label(info), (unsigned long)badge,
                     (unsigned long)addr, (unsigned long)sigil_get_mr(Sigil_VMFault_IP));
        if (sigil_msginfo_label(info) != Sigil_Fault_VMFault) {
            continue; /* not ours to fix: leave the thread blocked */
        }
        sigil_word_t err = sigil_frame_map(FRAME, VSPACE, addr & ~(SIGIL_PAGE_SIZE - 1),
                                           Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
        sigil_printf("fault-handler: mapped a page there (error %lu); restarting it\n",
                     (unsigned long)err);
        sigil_reply(REPLY, sigil_msginfo_new(0, 0, 0, 0));
    }
}
