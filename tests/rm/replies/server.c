/*
 * A server of the reply-object test (tests/rm/rm_replies.yaml), a managed client of the resource
 * manager: it takes its reply object from the manager (Alloc of a Reply object, within the
 * policy's `reply_objects` allowance of 1; a second one is Denied, and so is Serve, whose reply
 * object would be one more), then serves calls on its
 * endpoint (slot 2) with it, answering MR0 = its argument and trying to send its notification
 * cap (slot 3) along. It also asks for an endpoint and for untyped memory (given back at once):
 * Denied to the untrusted server, which could make an endpoint cap with Grant from either. Whether
 * the cap arrives is decided by the Grant right of the endpoint cap it received on (RFC-13), not by
 * where the reply object came from.
 */
#include <sigil/inspect.h>
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, EP = 2, NTFN = 3, REPLY = 4, SECOND = 5, SERVE_EP = 6, SERVE_REPLY = 7 };

int main(const void *arg)
{
    sigil_word_t me = (sigil_word_t)(uintptr_t)arg, h = 0, h2 = 0;
    rm_error_t first = rm_alloc(RM, Sigil_ReplyObject, 0, 1, REPLY, &h);
    rm_error_t second = rm_alloc(RM, Sigil_ReplyObject, 0, 1, SECOND, &h2);
    rm_error_t serve = rm_serve(RM, SERVE_EP, SERVE_REPLY); /* its reply object is one more */
    sigil_word_t he = 0, hu = 0;
    rm_error_t ep = rm_alloc(RM, Sigil_EndpointObject, 0, 1, SECOND, &he);
    rm_error_t ut = rm_alloc(RM, Sigil_UntypedObject, 12, 1, SERVE_EP, &hu);
    sigil_printf("reply-server %lu: an endpoint: %s, 4 KiB of untyped memory: %s\n",
                 (unsigned long)me, rm_error_name(ep), rm_error_name(ut));
    if (ep == Rm_ErrOk) {
        rm_free(RM, he);
    }
    if (ut == Rm_ErrOk) {
        rm_free(RM, hu);
    }
    sigil_printf(
        "reply-server %lu: a reply object from the manager: %s (slot 4 holds cap type %lu). "
        "another one: %s (slot 5 holds cap type %lu). Serve: %s (slot 6 holds cap type "
        "%lu). using %lu bytes, %lu objects\n",
        (unsigned long)me, rm_error_name(first), (unsigned long)sigil_debug_cap_inspect(REPLY).type,
        rm_error_name(second), (unsigned long)sigil_debug_cap_inspect(SECOND).type,
        rm_error_name(serve), (unsigned long)sigil_debug_cap_inspect(SERVE_EP).type,
        (unsigned long)rm_stat(RM, Rm_StatUsedBytes),
        (unsigned long)rm_stat(RM, Rm_StatUsedObjects));
    sigil_word_t badge;
    sigil_recv(EP, &badge, REPLY);
    for (;;) {
        sigil_ipc_buffer()->caps_or_badges[0] = NTFN;
        sigil_set_mr(0, me);
        sigil_reply_recv(EP, sigil_msginfo_new(0, 0, 1, 1), &badge, REPLY);
    }
}
