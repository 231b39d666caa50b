/*
 * IPC from user space: the Call system call with a message, and access to message registers.
 *
 * sigil_invoke() is what the generated invocation stubs (<sigil/invocations.h>) use: it puts
 * the first four message words in x2-x5 and the rest in the IPC buffer, the extra caps in the
 * IPC buffer, and performs Call on `service`. The reply's first four words come back in
 * x2-x5; sigil_invoke stores them in the IPC buffer too, so sigil_get_mr(i) reads any reply
 * word the same way.
 */
#ifndef SIGIL_IPC_H
#define SIGIL_IPC_H

#include <sigil/abi.h>
#include <sigil/ipcbuffer.h>

/* The calling thread's IPC buffer (the kernel keeps its address in TPIDRRO_EL0). */
static inline sigil_ipc_buffer_t *sigil_ipc_buffer(void)
{
    sigil_ipc_buffer_t *b;
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(b));
    return b;
}

static inline sigil_word_t sigil_get_mr(unsigned i)
{
    return sigil_ipc_buffer()->msg[i];
}

static inline void sigil_set_mr(unsigned i, sigil_word_t v)
{
    sigil_ipc_buffer()->msg[i] = v;
}

/* The general IPC system call: x0 = cptr (in) / badge (out), x1 = message info, x2-x5 =
 * MR0-MR3, x6 = reply cap. MR0-MR3 travel between mr[] and the registers; the rest stay in
 * the IPC buffer. Returns the badge; *info holds the message info on return. */
static inline sigil_word_t sigil_syscall_ipc(int64_t num, sigil_cptr_t cptr, sigil_msginfo_t *info,
                                             sigil_cptr_t reply, sigil_word_t mr[4])
{
    register sigil_word_t x0 __asm__("x0") = cptr;
    register sigil_word_t x1 __asm__("x1") = *info;
    register sigil_word_t x2 __asm__("x2") = mr[0];
    register sigil_word_t x3 __asm__("x3") = mr[1];
    register sigil_word_t x4 __asm__("x4") = mr[2];
    register sigil_word_t x5 __asm__("x5") = mr[3];
    register sigil_word_t x6 __asm__("x6") = reply;
    register int64_t x7 __asm__("x7") = num;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
                     : "r"(x7)
                     : "memory");
    *info = x1;
    mr[0] = x2, mr[1] = x3, mr[2] = x4, mr[3] = x5;
    return x0;
}

/* The raw Call: message info and MR0-MR3 in registers, the rest already in the IPC buffer.
 * On return *info and mr[0..3] hold the reply's. */
static inline sigil_word_t sigil_call_raw(sigil_cptr_t dest, sigil_msginfo_t *info,
                                          sigil_word_t mr[4])
{
    return sigil_syscall_ipc(Sigil_SysCall, dest, info, 0, mr); /* returns the badge */
}

/* Call `service` with label, `nmr` message words and `ncaps` extra caps; returns the reply's
 * message info (its label is the error code for kernel invocations). */
sigil_msginfo_t sigil_invoke(sigil_cptr_t service, sigil_word_t label, const sigil_word_t *mr,
                             sigil_word_t nmr, const sigil_cptr_t *caps, unsigned ncaps);

/* sigil_invoke's system call, inline: reads only MR0-MR3 of mr[] (words past them must already
 * be in the IPC buffer). The generated stubs whose message fits in x2-x5 call it directly, so
 * that with constant counts their words go straight into registers. */
static inline sigil_msginfo_t sigil_invoke_inline(sigil_cptr_t service, sigil_word_t label,
                                                  const sigil_word_t *mr, sigil_word_t nmr,
                                                  const sigil_cptr_t *caps, unsigned ncaps)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    sigil_word_t regs[SIGIL_MSG_REGISTERS_IN_SYSCALL] = {0};
    for (sigil_word_t i = 0; i < nmr && i < SIGIL_MSG_REGISTERS_IN_SYSCALL; i++) {
        regs[i] = mr[i];
    }
    for (unsigned i = 0; i < ncaps && i < SIGIL_MSG_MAX_EXTRA_CAPS; i++) {
        b->caps_or_badges[i] = caps[i];
    }
    sigil_msginfo_t info = sigil_msginfo_new(label, 0, ncaps, nmr);
    sigil_call_raw(service, &info, regs);
    for (unsigned i = 0; i < SIGIL_MSG_REGISTERS_IN_SYSCALL; i++) {
        b->msg[i] = regs[i]; /* so that sigil_get_mr(i) reads every reply word */
    }
    return info;
}

/* The seL4-style calls. Message registers are the IPC buffer's msg[] (sigil_set_mr /
 * sigil_get_mr): MR0-MR3 are moved to and from registers here. */
static inline sigil_word_t sigil_ipc(int64_t num, sigil_cptr_t cptr, sigil_msginfo_t *info,
                                     sigil_cptr_t reply)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    sigil_word_t badge = sigil_syscall_ipc(num, cptr, info, reply, b->msg);
    return badge;
}

/* Send (blocking) / NBSend a message; Signal a notification (Send on a notification cap). */
static inline void sigil_send(sigil_cptr_t dest, sigil_msginfo_t info)
{
    sigil_ipc(Sigil_SysSend, dest, &info, 0);
}

static inline void sigil_nbsend(sigil_cptr_t dest, sigil_msginfo_t info)
{
    sigil_ipc(Sigil_SysNBSend, dest, &info, 0);
}

static inline void sigil_signal(sigil_cptr_t ntfn)
{
    sigil_msginfo_t info = 0;
    sigil_ipc(Sigil_SysSend, ntfn, &info, 0);
}

/* Call: send and wait for the reply. Returns the reply's message info. */
static inline sigil_msginfo_t sigil_call(sigil_cptr_t dest, sigil_msginfo_t info)
{
    sigil_ipc(Sigil_SysCall, dest, &info, 0);
    return info;
}

/* Recv / NBRecv with a reply object; Wait / Poll without. Return the message info and store
 * the sender's badge (or a notification's word) in *badge. */
static inline sigil_msginfo_t sigil_recv(sigil_cptr_t src, sigil_word_t *badge, sigil_cptr_t reply)
{
    sigil_msginfo_t info = 0;
    *badge = sigil_ipc(Sigil_SysRecv, src, &info, reply);
    return info;
}

static inline sigil_msginfo_t sigil_nbrecv(sigil_cptr_t src, sigil_word_t *badge,
                                           sigil_cptr_t reply)
{
    sigil_msginfo_t info = 0;
    *badge = sigil_ipc(Sigil_SysNBRecv, src, &info, reply);
    return info;
}

static inline sigil_msginfo_t sigil_wait(sigil_cptr_t src, sigil_word_t *badge)
{
    sigil_msginfo_t info = 0;
    *badge = sigil_ipc(Sigil_SysWait, src, &info, 0);
    return info;
}

static inline sigil_msginfo_t sigil_poll(sigil_cptr_t src, sigil_word_t *badge)
{
    sigil_msginfo_t info = 0;
    *badge = sigil_ipc(Sigil_SysNBWait, src, &info, 0);
    return info;
}

/* Reply through `reply`, then receive on `src` with it. */
static inline sigil_msginfo_t sigil_reply_recv(sigil_cptr_t src, sigil_msginfo_t info,
                                               sigil_word_t *badge, sigil_cptr_t reply)
{
    *badge = sigil_ipc(Sigil_SysReplyRecv, src, &info, reply);
    return info;
}

/* Answer the caller linked to `reply` (Send on the reply cap). */
static inline void sigil_reply(sigil_cptr_t reply, sigil_msginfo_t info)
{
    sigil_ipc(Sigil_SysSend, reply, &info, 0);
}

/* seL4's DebugNameThread: name the thread of TCB cap `tcb` (its fault and exception reports
 * use the name). The name travels in the IPC buffer's message words; the kernel keeps at most
 * SIGIL_MSG_THREAD_NAME_MAX - 1 bytes of it. Returns Sigil_NoError, Sigil_InvalidCapability (not a
 * TCB cap) or Sigil_InvalidArgument (the caller has no IPC buffer). */
static inline uint64_t sigil_debug_name_thread(sigil_cptr_t tcb, const char *name)
{
    char *msg = (char *)sigil_ipc_buffer()->msg;
    unsigned i = 0;
    for (; i < SIGIL_MSG_THREAD_NAME_MAX - 1 && name[i] != '\0'; i++) {
        msg[i] = name[i];
    }
    msg[i] = '\0';
    register uint64_t x0 __asm__("x0") = tcb;
    register int64_t x7 __asm__("x7") = Sigil_SysDebugNameThread;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "memory");
    return x0;
}

#endif /* SIGIL_IPC_H */
