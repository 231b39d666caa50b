/*
 * Inter-process communication: endpoints, reply objects and notifications.
 *
 * Conventions shared with the syscall layer:
 *  - A thread's message is in its saved registers (x1 message info, x2-x5 MR0-MR3) and its IPC
 *    buffer (MR4 onwards, extra caps' cptrs, receive slot). A blocked thread's registers stay
 *    in its TCB, so a message can be taken from a sender long after it blocked.
 *  - A thread blocked in a system call has its PC rewound to the `svc`: when the operation
 *    completes, ipc_complete() moves it past; when the operation is cancelled (the object is
 *    deleted, the thread suspended and resumed), the thread simply runs the `svc` again.
 *  - Reply objects (MCS style): a receiver names one; a Call that meets it links the caller to
 *    it, and a send on the reply cap answers the caller. Grant via reply follows RFC-13: the
 *    reply object's can_grant comes from the Grant right of the endpoint cap the receiver used.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <object/tcb.h>
#include <sigil/ipcbuffer.h>

/* tcb->ipc_flags while BLOCKED_ON_SEND / BLOCKED_ON_RECEIVE. */
enum {
    IPC_CAN_GRANT = 1,       /* sender: its endpoint cap has Grant */
    IPC_CAN_GRANT_REPLY = 2, /* sender: its endpoint cap has GrantReply */
    IPC_IS_CALL = 4,         /* sender: wants a reply */
    IPC_RECV_GRANT = 8,      /* receiver: its endpoint cap has Grant (RFC-13) */
};

/* The thread's IPC buffer through the kernel window, or NULL if it has none usable (the TCB's
 * IPC buffer slot must hold a non-device frame cap with write rights). */
sigil_ipc_buffer_t *ipc_buffer_of(tcb_t *t);

/* A blocked thread's operation completed: move its PC past the `svc` and make it runnable. */
void ipc_complete(tcb_t *t);

/* Send the current message of `t` through endpoint cap `ep_cap`. Blocks (if `blocking`) when
 * no receiver waits; a Call (or a fault) then waits for the reply. */
void ipc_send(tcb_t *t, cap_t ep_cap, bool blocking, bool is_call);

/* Receive on endpoint cap `ep_cap` with reply object `reply` (may be NULL). A pending signal
 * of a notification bound to `t` is received first. Non-blocking: returns badge 0 if nothing
 * is there. */
void ipc_receive(tcb_t *t, cap_t ep_cap, reply_t *reply, bool blocking);

/* Answer the thread linked to `reply` with the current message of `t`. */
void ipc_reply(tcb_t *t, reply_t *reply);

/* Signal notification cap `ntfn_cap` (its badge is OR-ed in). */
void ipc_signal(cap_t ntfn_cap);

/* Wait on (or, non-blocking, poll) notification cap `ntfn_cap`. */
void ipc_wait(tcb_t *t, cap_t ntfn_cap, bool blocking);

#endif /* KERNEL_IPC_H */
