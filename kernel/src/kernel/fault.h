/*
 * Fault delivery: a thread's fault becomes a Call on its fault handler.
 *
 * The fault handler is the endpoint cap in the TCB's fault-handler slot; the badge and rights
 * given in TCB_SetSpace (RFC-11) apply to it. The faulting thread sends a fault message (seL4's
 * labels and layouts, docs/kernel/ipc.md) and waits for the reply, which restarts it. A thread
 * without a usable handler is suspended; a debug build prints a report naming the thread, the
 * fault and the address.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <api/syserr.h>
#include <object/tcb.h>
#include <sigil/abi.h>

/* Fault types; the value is the label of the fault message (seL4's non-MCS labels; labels and
 * layouts come from kernel/abi/sigil.yaml, `faults`). */
typedef enum {
    FAULT_NONE = 0,
    FAULT_CAP = Sigil_Fault_CapFault,
    FAULT_UNKNOWN_SYSCALL = Sigil_Fault_UnknownSyscall,
    FAULT_USER_EXCEPTION = Sigil_Fault_UserException,
    FAULT_VM = Sigil_Fault_VMFault,
} fault_type_t;

/* Message registers of each fault message. */
#define FAULT_VM_WORDS              Sigil_VMFault_Length
#define FAULT_UNKNOWN_SYSCALL_WORDS Sigil_UnknownSyscall_Length
#define FAULT_USER_EXCEPTION_WORDS  Sigil_UserException_Length
#define FAULT_MAX_WORDS             SIGIL_FAULT_MAX_LENGTH

/* Raise a fault for `t` (the current thread): record it and send it to the fault handler, or
 * suspend `t` with a report if it has none usable. d0..d3 are the fault's details:
 *   FAULT_VM: address, prefetch (1 for an instruction fetch), FSR;
 *   FAULT_UNKNOWN_SYSCALL: syscall number;
 *   FAULT_USER_EXCEPTION: number, code.
 * A CapFault is raised with fault_raise_cap. */
void fault_raise(tcb_t *t, fault_type_t type, word_t d0, word_t d1, word_t d2, word_t d3);

/* Raise a CapFault for `t`: `cptr` did not resolve (or named no usable cap) in the send or the
 * receive phase, for the reason `f`. Its message carries seL4's layout: IP, Addr, InRecvPhase,
 * LookupFailureType, then the failure's own words (BitsLeft; DepthMismatch: BitsLeft,
 * BitsFound; GuardMismatch: BitsLeft, GuardFound, BitsFound). */
void fault_raise_cap(tcb_t *t, cptr_t cptr, bool in_receive, lookup_fault_t f);

/* The fault message of `t` (whose fault_type is not FAULT_NONE): writes the words, returns
 * their number. */
unsigned fault_message(const tcb_t *t, word_t mr[FAULT_MAX_WORDS]);

/* A reply (label, words) reached `t`, which was waiting for the answer to its fault. Applies
 * what the reply may change, clears the fault, and says whether `t` runs again. */
bool fault_handle_reply(tcb_t *t, word_t label, const word_t *mr, unsigned length);

#endif /* KERNEL_FAULT_H */
