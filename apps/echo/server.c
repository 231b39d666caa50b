/*
 * The `echo` system's server (specs/echo.yaml): receives on its endpoint with its reply object,
 * signals the notification cap each client sends along (Grant), and answers MR0 + 1.
 *
 * CSpace (slot = cptr): 1 endpoint (Read, Grant), 2 reply object, 3 its own CNode (guard_size
 * 60, so a slot number is a cptr at depth 64), 4 empty: where a received cap lands.
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>

enum { EP = 1, REPLY = 2, SELF = 3, RECEIVED = 4 };

int main(const void *arg)
{
    (void)arg;
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = SELF;
    b->receive_index = RECEIVED;
    b->receive_depth = 64;
    sigil_word_t badge;
    sigil_msginfo_t info = sigil_recv(EP, &badge, REPLY);
    for (;;) {
        sigil_word_t value = sigil_get_mr(0);
        unsigned caps = (unsigned)sigil_msginfo_extra_caps(info);
        sigil_printf("echo-server: got %lu from badge 0x%lx with %u cap(s)\n", (unsigned long)value,
                     (unsigned long)badge, caps);
        if (caps == 1) {
            sigil_signal(RECEIVED);
        }
        sigil_set_mr(0, value + 1);
        info = sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 0, 1), &badge, REPLY);
    }
}
