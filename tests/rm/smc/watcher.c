/*
 * The watcher of the SMC-grant test (tests/rm/rm_smc.yaml): not a client of the manager. It takes
 * the cap to PSCI_FEATURES the client passes it (a copy of the client's grant), calls the
 * firmware through it, answers, and runs again only after the client has ended (it has the
 * lowest priority): the manager revoked the client's grants at its end, so the copy is gone.
 * It ends the system.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#define PSCI_VERSION  0x84000000ull
#define PSCI_FEATURES 0x8400000aull

enum { EP = 1, REPLY = 2, SELF = 3, GOT = 4 };

static sigil_word_t features(sigil_word_t *x0)
{
    sigil_word_t args[8] = {PSCI_FEATURES, PSCI_VERSION}, out[8] = {0};
    sigil_word_t err = sigil_smc_call(GOT, args, out);
    *x0 = out[0];
    return err;
}

int main(const void *arg)
{
    (void)arg;
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = SELF;
    b->receive_index = GOT;
    b->receive_depth = 64;
    sigil_word_t badge, x0 = 0;
    sigil_msginfo_t m = sigil_recv(EP, &badge, REPLY);
    sigil_word_t err = features(&x0);
    sigil_printf("smc-watcher: got %lu cap(s) from the client: SMC cap %s, PSCI_FEATURES through "
                 "it: error %lu, %ld\n",
                 (unsigned long)sigil_msginfo_extra_caps(m),
                 sigil_debug_cap_inspect(GOT).type == Sigil_CapSMC ? "yes" : "no",
                 (unsigned long)err, (long)x0);
    sigil_reply(REPLY, sigil_msginfo_new(0, 0, 0, 0));
    /* The client runs first (higher priority) and ends; the manager revokes its grants. */
    err = features(&x0);
    sigil_printf("smc-watcher: after the client's end: slot %u %s. PSCI_FEATURES through it: "
                 "error %lu (%s)\n",
                 GOT, sigil_debug_cap_inspect(GOT).type == Sigil_CapNone ? "empty" : "NOT EMPTY",
                 (unsigned long)err,
                 err == Sigil_InvalidCapability ? "InvalidCapability" : "unexpected");
    return 0;
}
