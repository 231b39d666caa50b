/*
 * The invocation record the syscall layer hands to the core, and the core's entry point.
 *
 * The syscall layer gathers a message into an invocation_t (label, length, message words
 * from registers and the IPC buffer, extra caps already looked up to their slots), calls
 * api_invoke(), and scatters the reply back. Every invocation is a decode step that checks
 * everything and changes nothing, then an invoke step that cannot fail but may stop at a
 * preemption point (SIGIL_STATUS_PREEMPTED): then the syscall layer leaves the caller in a
 * restart state, handles the interrupt and later re-executes the same system call from
 * scratch; the operation finds its progress saved in kernel objects and continues.
 */
#ifndef API_INVOCATION_H
#define API_INVOCATION_H

#include <api/syserr.h>
#include <object/cdt.h>

struct tcb;

#define API_MAX_REPLY_WORDS 36 /* TCB_ReadRegisters returns the whole user context */

typedef enum {
    SIGIL_STATUS_OK = 0,    /* reply_label 0; reply_length words in reply_mr */
    SIGIL_STATUS_ERROR,     /* reply_label = error code; reply_mr = its details */
    SIGIL_STATUS_PREEMPTED, /* stopped at a preemption point: re-execute the syscall later */
    SIGIL_STATUS_CAP_FAULT, /* cptr did not resolve: raise a CapFault with `fault` */
    SIGIL_STATUS_NOT_CORE,  /* the cap in `target` is served by another layer (IPC, TCB,
                               VSpace...): dispatch it there */
} sigil_status_t;

typedef struct invocation {
    /* In: gathered by the syscall layer. */
    word_t label;      /* message info label (api/labels.h) */
    word_t length;     /* valid words in mr[] (<= SIGIL_MSG_MAX_LENGTH) */
    word_t extra_caps; /* valid entries in extra[] (<= SIGIL_MSG_MAX_EXTRA_CAPS) */
    cte_t *extra[SIGIL_MSG_MAX_EXTRA_CAPS]; /* slots of the extra caps, resolved */
    word_t mr[SIGIL_MSG_MAX_LENGTH];

    /* Out: filled by api_invoke. */
    word_t reply_label;
    word_t reply_length;
    word_t reply_mr[API_MAX_REPLY_WORDS];
    lookup_fault_t fault; /* SIGIL_STATUS_CAP_FAULT */
#if SYSERR_REASONS
    const char *reply_reason; /* SIGIL_STATUS_ERROR: the error's reason (api/syserr.h) */
#endif
    cte_t *target; /* the invoked slot (set whenever the lookup succeeded) */
} invocation_t;

/* Invoke the cap at `cptr` in `caller`'s CSpace with `inv`. See the file comment for the
 * statuses. The caller's thread state is not changed here: on OK/ERROR the syscall layer
 * replies (if the caller still runs: an invocation can delete or suspend its own caller,
 * check the TCB state afterwards); on PREEMPTED it sets the caller to restart. */
sigil_status_t api_invoke(struct tcb *caller, cptr_t cptr, invocation_t *inv);

/* The same for an already resolved slot (used by tests and by api_invoke). */
sigil_status_t api_invoke_slot(struct tcb *caller, cte_t *slot, invocation_t *inv);

/* Argument i of the message (0 when absent: decode checks lengths first). */
static inline word_t inv_arg(const invocation_t *inv, unsigned i)
{
    return i < inv->length ? inv->mr[i] : 0;
}

/* The cap of extra cap i, or NULL when not supplied. */
static inline cte_t *inv_extra(const invocation_t *inv, unsigned i)
{
    return i < inv->extra_caps ? inv->extra[i] : NULL;
}

#endif /* API_INVOCATION_H */
