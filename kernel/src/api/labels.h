/*
 * Invocation labels (the label of the message info word of an invocation).
 *
 * The numbers come from the ABI description (kernel/abi/sigil.yaml, `invocations`, generated
 * into <sigil/abi.h>); these short names are what the core's decode functions use.
 */
#ifndef API_LABELS_H
#define API_LABELS_H

#include <sigil/abi.h>

enum {
    INV_INVALID = Sigil_InvalidInvocation,
    INV_UNTYPED_RETYPE = Sigil_Untyped_Retype,
    INV_CNODE_REVOKE = Sigil_CNode_Revoke,
    INV_CNODE_DELETE = Sigil_CNode_Delete,
    INV_CNODE_CANCEL_BADGED_SENDS = Sigil_CNode_CancelBadgedSends,
    INV_CNODE_COPY = Sigil_CNode_Copy,
    INV_CNODE_MINT = Sigil_CNode_Mint,
    INV_CNODE_MOVE = Sigil_CNode_Move,
    INV_CNODE_MUTATE = Sigil_CNode_Mutate,
    INV_CNODE_ROTATE = Sigil_CNode_Rotate,
    INV_IRQ_ISSUE_IRQ_HANDLER = Sigil_IRQControl_Get,
    INV_IRQ_ACK_IRQ = Sigil_IRQHandler_Ack,
    INV_IRQ_SET_IRQ_HANDLER = Sigil_IRQHandler_SetNotification,
    INV_IRQ_CLEAR_IRQ_HANDLER = Sigil_IRQHandler_Clear,
    INV_SMC_CALL = Sigil_SMC_Call,
};

/* CNode labels are contiguous from Revoke to Rotate (cnode_decode relies on it). */
_Static_assert(Sigil_CNode_Rotate - Sigil_CNode_Revoke == 7, "CNode labels contiguous");

#endif /* API_LABELS_H */
