/*
 * Reply objects for servers, by the policy's allowance.
 *
 * A server gets its reply objects from the manager with an ordinary Alloc of type Reply, or the
 * one Serve makes with its endpoint (service.c): charged like any object (bytes and one object
 * each) and further limited by the policy's `reply_objects` allowance (boot page). The allowance is
 * the client's per-type limit for Reply (boot.c), so the core's invariant checker also sees it; a
 * request beyond it is Denied here, before the core looks at the quota, because it is a matter of
 * policy, not of memory: the request is refused and nothing changes.
 *
 * What a reply object may grant is not the object's business (RFC-13): the kernel gives a reply
 * the Grant right of the endpoint cap its server received on. A server the policy marks
 * `grant_via_reply: false` receives only on endpoint caps without Grant (the compiler checks
 * it), so a reply object it gets from the manager transfers no cap either. For the same reason
 * such a server may not Alloc an endpoint (its cap would carry every right, Grant too) or
 * untyped memory (it could retype endpoints, and reply objects beyond its allowance): Denied.
 * Its receive endpoint comes from Serve, without Grant.
 */
#include "server.h"

int rm_reply_allowed(const rm_server_t *s, uint32_t ci, rm_word_t count)
{
    const rm_client_t *cl = &s->core.clients[ci];
    return count <= cl->quota_per_type[Sigil_ReplyObject] - cl->per_type[Sigil_ReplyObject];
}

rm_result_t rm_alloc_request(rm_server_t *s, uint32_t ci, const rm_word_t *msg, rm_word_t *handle)
{
    rm_word_t type = msg[0], count = msg[2];
    if ((rm_client_flags(s, ci) & SIGIL_RM_CLIENT_NO_GRANT_REPLY) &&
        (type == Sigil_EndpointObject || type == Sigil_UntypedObject)) {
        return (rm_result_t){.err = Rm_ErrDenied};
    }
    if (type == Sigil_ReplyObject && count >= 1 && count <= RM_MAX_COUNT &&
        !rm_reply_allowed(s, ci, count)) {
        return (rm_result_t){.err = Rm_ErrDenied};
    }
    return rm_core_alloc(&s->core, ci, type, msg[1], count, msg[3], handle);
}
