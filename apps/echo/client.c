/*
 * The `echo` system's client (specs/echo.yaml): calls the server with a number and a cap to its
 * own notification (the endpoint cap has Grant), checks the answer, waits for the server's
 * signal on that notification, and powers the machine off: it is the last one to finish.
 *
 * CSpace (slot = cptr): 1 the server's endpoint (Write, Grant, GrantReply; badge 0x42),
 * 2 its notification (Read, Write).
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>

enum { EP = 1, NTFN = 2 };

int main(const void *arg)
{
    (void)arg;
    sigil_set_mr(0, 41);
    sigil_ipc_buffer()->caps_or_badges[0] = NTFN;
    sigil_msginfo_t info = sigil_call(EP, sigil_msginfo_new(1, 0, 1, 1));
    sigil_printf("echo-client: the server answered %lu\n", (unsigned long)sigil_get_mr(0));
    sigil_word_t word;
    sigil_wait(NTFN, &word);
    sigil_printf("echo-client: the server signalled the cap I sent (word %lu)\n",
                 (unsigned long)word);
    return sigil_get_mr(0) == 42 && sigil_msginfo_label(info) == 0 ? 0 : 1;
}
