/*
 * The IPC fastpath (see fastpath.c).
 */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include <stdbool.h>

#include "object/tcb.h"

#ifndef SIGIL_FASTPATH_DEFAULT
#define SIGIL_FASTPATH_DEFAULT 1
#endif

/* Try Call / ReplyRecv for the current thread `t` on the fastpath. If it qualifies, the call
 * is done and these do not return: they switch to the other thread and return to user space.
 * If not they return false, having changed nothing, and the slow path handles the call. */
bool fastpath_call(tcb_t *t);
bool fastpath_reply_recv(tcb_t *t);

#endif /* KERNEL_FASTPATH_H */
