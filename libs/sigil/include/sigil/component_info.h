/*
 * What a component built from a spec knows about itself: its name, whether its end ends the
 * whole system, whether it is a managed client of the resource manager, the cptrs its
 * runtime needs to end cleanly, and the Debug cap its debug calls name. The spec compiler writes
 * this record into the frame of every program's IPC buffer, right after the buffer (the buffer is
 * 2^ipc_buffer_size_bits bytes at the start of its page), so it costs no memory and needs no cap;
 * libsigil's sigil_exit() reads it (docs/spec-format.md, "Ending a component").
 *
 * A thread without the record (the root task, a TCB written out by hand) has magic != the
 * constant below: for it sigil_exit() powers the machine off, as a root task on its own does.
 */
#ifndef SIGIL_COMPONENT_INFO_H
#define SIGIL_COMPONENT_INFO_H

#include <stdint.h>

#define SIGIL_COMPONENT_INFO_MAGIC  0x4f464e49504d4f43ull /* "COMPINFO" */
#define SIGIL_COMPONENT_INFO_OFFSET 1024u /* from the start of the IPC buffer's page */
#define SIGIL_COMPONENT_INFO_MAX    3072u /* the rest of the page: record and name */

/* sigil_component_info_t.flags */
#define SIGIL_COMPONENT_ENDS_SYSTEM 0x01u /* its end powers the machine off with its status */
/* a client of the resource manager: its end is Exit (unless it also ends the system) */
#define SIGIL_COMPONENT_MANAGED 0x02u

typedef struct {
    uint64_t magic; /* SIGIL_COMPONENT_INFO_MAGIC */
    uint32_t flags; /* SIGIL_COMPONENT_* */
    uint32_t name_length;
    uint64_t self_tcb;   /* cptr of a cap to its own TCB (to stop itself), 0 if none */
    uint64_t rm_request; /* managed: cptr of its request cap to the manager, else 0 */
    uint64_t client_id;  /* managed: its client id, else 0 */
    uint64_t debug_cap;  /* cptr of the Debug cap the spec gave it (sigil_debug_cap), 0: none */
    /* followed by name_length bytes of the component's name and a NUL */
} sigil_component_info_t;

_Static_assert(sizeof(sigil_component_info_t) == 48, "component info layout");

/* The component's name (NUL-terminated) after the record. */
static inline const char *sigil_component_name(const sigil_component_info_t *c)
{
    return (const char *)(c + 1);
}

#endif /* SIGIL_COMPONENT_INFO_H */
