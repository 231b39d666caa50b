/*
 * Invocation labels (the label of the message info word of an invocation).
 *
 * Provisional home: these numbers will move into the ABI description (kernel/abi/sigil.yaml)
 * so that the kernel, the user library and the docs are generated from one source. They
 * follow seL4's (non-MCS) order for the generic invocations.
 */
#ifndef API_LABELS_H
#define API_LABELS_H

enum {
    INV_INVALID = 0,
    INV_UNTYPED_RETYPE = 1,
    /* 2..15: TCB invocations (ReadRegisters, WriteRegisters, CopyRegisters, Configure,
     * SetPriority, SetMCPriority, SetSchedParams, SetIPCBuffer, SetSpace, Suspend, Resume,
     * BindNotification, UnbindNotification, SetTLSBase), owned by the IPC layer. */
    INV_TCB_FIRST = 2,
    INV_TCB_LAST = 15,
    INV_CNODE_REVOKE = 16,
    INV_CNODE_DELETE = 17,
    INV_CNODE_CANCEL_BADGED_SENDS = 18,
    INV_CNODE_COPY = 19,
    INV_CNODE_MINT = 20,
    INV_CNODE_MOVE = 21,
    INV_CNODE_MUTATE = 22,
    INV_CNODE_ROTATE = 23,
    INV_IRQ_ISSUE_IRQ_HANDLER = 25,
    INV_IRQ_ACK_IRQ = 26,
    INV_IRQ_SET_IRQ_HANDLER = 27,
    INV_IRQ_CLEAR_IRQ_HANDLER = 28,
    /* 29..39: reserved (TCB_SetFlags and other additions of the IPC layer). */
    /* 40..63: VSpace, page table and frame invocations (issue 7). */
    INV_ARCH_FIRST = 40,
    INV_SMC_CALL = 64,
};

#endif /* API_LABELS_H */
