/*
 * The client of the reply-grant test (reply_grant.yaml): calls a server whose policy says
 * `grant_via_reply: false` (its endpoint cap has no Grant) and a trusted one (with Grant); both
 * try to send a cap with their reply. The reply must arrive from both; the cap only from the
 * trusted one.
 */
#include <sigil/inspect.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>

enum { UNTRUSTED = 1, TRUSTED = 2, SELF = 3, FIRST_RECEIVE = 5 };

static void ask(const char *who, sigil_cptr_t server, sigil_word_t slot)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    b->receive_cnode = SELF;
    b->receive_index = slot;
    b->receive_depth = 64;
    sigil_set_mr(0, 0);
    sigil_msginfo_t r = sigil_call(server, sigil_msginfo_new(1, 0, 0, 1));
    sigil_printf("reply-client: the %s server answered %lu with %lu cap(s); slot %lu holds cap "
                 "type %lu\n",
                 who, (unsigned long)sigil_get_mr(0), (unsigned long)sigil_msginfo_extra_caps(r),
                 (unsigned long)slot, (unsigned long)sigil_debug_cap_inspect(slot).type);
}

int main(const void *arg)
{
    (void)arg;
    ask("untrusted", UNTRUSTED, FIRST_RECEIVE);
    ask("trusted", TRUSTED, FIRST_RECEIVE + 1);
    return 0;
}
