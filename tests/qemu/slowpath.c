/*
 * Linked into the *_slowpath test images: the fastpath declines every call, so the kernel
 * takes the slow path for all IPC and the same tests check both paths.
 */
#include <stdbool.h>

struct tcb;

bool fastpath_call(struct tcb *t);
bool fastpath_reply_recv(struct tcb *t);

bool fastpath_call(struct tcb *t)
{
    (void)t;
    return false;
}

bool fastpath_reply_recv(struct tcb *t)
{
    (void)t;
    return false;
}
