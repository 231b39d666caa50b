/*
 * Structural check of a binary spec before anyone reads it in place: every section inside the
 * blob and aligned, every index in range, every per-object range inside its array, strings
 * terminated, and object ids in allocation order. Linear in the blob's size, no heap, no libc:
 * the loader runs it at boot, `sigil-specc --dump` runs it on the host. It checks the layout,
 * not the spec's meaning (the compiler did that).
 */
#ifndef SIGIL_SPEC_CHECK_H
#define SIGIL_SPEC_CHECK_H

#include <sigil/spec.h>

typedef enum {
    SIGIL_SPEC_CHECK_OK = 0,
    SIGIL_SPEC_CHECK_HEADER,    /* magic, version, sizes */
    SIGIL_SPEC_CHECK_SECTION,   /* a section outside the blob or misaligned; index = section */
    SIGIL_SPEC_CHECK_OBJECT,    /* index = object id */
    SIGIL_SPEC_CHECK_CAP,       /* index = cap */
    SIGIL_SPEC_CHECK_ENTRY,     /* index = table entry */
    SIGIL_SPEC_CHECK_FILL,      /* index = fill */
    SIGIL_SPEC_CHECK_TCB,       /* index = tcb record */
    SIGIL_SPEC_CHECK_IRQ,       /* index = irq record */
    SIGIL_SPEC_CHECK_COMPONENT, /* index = component */
    SIGIL_SPEC_CHECK_POLICY,    /* index = policy client */
    SIGIL_SPEC_CHECK_ORDER,     /* object ids not in allocation order; index = object id */
    SIGIL_SPEC_CHECK_RM,        /* the resource manager's record; index = record */
} sigil_spec_check_status_t;

typedef struct {
    sigil_spec_check_status_t status;
    uint64_t index; /* which record failed */
} sigil_spec_check_t;

/* Check `size` bytes at `blob` (8-byte aligned). Only after an OK result may the accessors of
 * <sigil/spec.h> be used on it. */
sigil_spec_check_t sigil_spec_check(const void *blob, uint64_t size);

/* A short English name for a status ("bad cap", ...). */
const char *sigil_spec_check_name(sigil_spec_check_status_t status);

#endif /* SIGIL_SPEC_CHECK_H */
