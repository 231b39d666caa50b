/*
 * TCB invocations: decode (check everything, change nothing) and invoke (act, cannot fail).
 *
 * Labels and message layouts are those of kernel/abi/sigil.yaml (`invocations: TCB`): the
 * `word` parameters arrive in message registers in the order listed, the `cap` parameters as
 * extra caps in the order listed. Every check, its order and its error follow seL4 (non-MCS
 * labels; RFC-11 fault handler badge and rights; RFC-18 flags; RFC-3 TLS), except where
 * docs/kernel/tcb.md says otherwise. Register order: arch/user_context.h.
 *
 * Installing caps in the TCB's own slots (Configure, SetSpace, SetIPCBuffer) deletes the old
 * cap first, as seL4 does. Decode refuses (IllegalOperation) when that deletion would be long
 * running (the old cap is the last one to a CNode, TCB, or an endpoint/notification with
 * waiters, or is a zombie), so in practice invoke never stops; should it reach a preemption
 * point anyway it returns INVOKE_PREEMPTED and the restarted call decodes again from scratch.
 */
#ifndef OBJECT_TCB_INVOKE_H
#define OBJECT_TCB_INVOKE_H

#include <api/invocation.h>
#include <arch/user_context.h>
#include <object/tcb.h>

/* RFC-18: bit 0 of the TCB's flags (and of SetFlags' clear/set words) disables the FPU. */

#define TCB_FLAGS_KNOWN (TCB_FLAG_FPU_DISABLED | TCB_FLAG_PRINT_ERRORS)

/* Words ReadRegisters can return: the whole user context, or as much as a reply can hold. */
#define TCB_READ_MAX                                                                               \
    (ARCH_CONTEXT_WORDS < API_MAX_REPLY_WORDS ? ARCH_CONTEXT_WORDS : API_MAX_REPLY_WORDS)

struct notification;

/* One cap to put into one of the TCB's slots. */
typedef struct tcb_install {
    bool change; /* whether this slot is rewritten at all */
    cte_t *src;  /* slot the new cap is derived from (NULL when `cap` is null) */
    cap_t cap;   /* derived cap to insert, or the null cap to just empty the slot */
} tcb_install_t;

/* A decoded TCB invocation: everything invoke needs, computed by decode. */
typedef struct tcb_op {
    word_t label;
    tcb_t *tcb;   /* the invoked thread */
    cte_t *slot;  /* the invoked cap's slot */
    tcb_t *other; /* CopyRegisters: the source; priorities: the authority (unused by invoke) */

    /* Register transfer. */
    bool suspend_source, resume_target, transfer_frame, transfer_integer;
    word_t count;   /* Read/WriteRegisters: context words */
    unsigned first; /* WriteRegisters: message register holding context word 0 */

    /* Scheduling. */
    bool set_mcp, set_prio;
    word_t mcp, prio;

    /* Slots (Configure, SetSpace, SetIPCBuffer), indexed by TCB_SLOT_*. */
    tcb_install_t install[TCB_NUM_SLOTS];
    word_t buffer;                    /* IPC buffer address (when IPC_BUFFER changes) */
    word_t fault_badge, fault_rights; /* effective handler badge and rights (SetSpace) */

    struct notification *ntfn; /* BindNotification */
    word_t word;               /* SetTLSBase: the base; SetFlags: the new flags */
} tcb_op_t;

/* Decode an invocation of the TCB cap in `slot` made by `caller`. Changes nothing. */
syserr_t tcb_decode(tcb_t *caller, cte_t *slot, const invocation_t *inv, tcb_op_t *op);

/* Perform a decoded operation; results go to inv->reply_length/reply_mr (label 0). Only
 * returns INVOKE_PREEMPTED from a slot deletion (see the file comment). */
invoke_result_t tcb_invoke(tcb_op_t *op, invocation_t *inv);

#endif /* OBJECT_TCB_INVOKE_H */
