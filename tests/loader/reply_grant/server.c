/*
 * A server for the reply-grant test (reply_grant.yaml): receives on its endpoint (slot 1) with
 * its reply object (slot 2) and answers MR0 = its argument, trying to send its notification
 * cap (slot 3) along. Whether the cap arrives is decided at receive time by the Grant right of
 * the endpoint cap it received on (RFC-13), not by the server.
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>

enum { EP = 1, REPLY = 2, NTFN = 3 };

int main(const void *arg)
{
    sigil_word_t badge;
    sigil_recv(EP, &badge, REPLY);
    for (;;) {
        sigil_ipc_buffer()->caps_or_badges[0] = NTFN;
        sigil_set_mr(0, (sigil_word_t)(uintptr_t)arg);
        sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 1, 1), &badge, REPLY);
    }
}
