/*
 * The YAML document as libcyaml loads it: one C struct per kind of mapping in the format
 * (docs/spec-format.md). Every scalar is kept as the string the user wrote (NULL when the key
 * is absent): numbers, booleans and enumerations are parsed later by the builder, which can
 * report a bad value with its path and line and keep going. Lists come with a `_count`.
 *
 * The same schema drives the reader's first pass (doc_read.c), so a key is known to the format
 * exactly when it appears in these tables.
 */
#ifndef SPECC_DOC_H
#define SPECC_DOC_H

#include <cyaml/cyaml.h>

typedef struct {
    char *offset, *file, *file_offset, *length, *data;
} y_fill_t;

typedef struct {
    char *slot, *cap, *badge, *guard, *guard_size, *original;
    char **rights;
    unsigned rights_count;
    char **debug; /* `debug: [PowerOff, Introspect]`: a Debug cap instead of `cap` */
    unsigned debug_count;
} y_cap_t;

typedef struct {
    char *cap, *guard, *guard_size;
} y_cnode_ref_t;

typedef struct {
    char *frame, *vaddr;
} y_ipc_t;

typedef struct {
    char *cap, *badge;
    char **rights;
    unsigned rights_count;
} y_fault_t;

/* An explicit table entry (`index`) or a high-level mapping (`vaddr`). */
typedef struct {
    char *index, *vaddr, *table, *frame, *executable, *cached;
    char **rights;
    unsigned rights_count;
} y_entry_t;

typedef struct {
    char *name, *type, *bits, *paddr;
    char *irq, *notification, *badge, *trigger;
    char **covers; /* Untyped: the objects retyped from it */
    unsigned covers_count;
    y_fill_t *fill;
    unsigned fill_count;
    y_cap_t *slots;
    unsigned slots_count;
    y_entry_t *entries;
    unsigned entries_count;
    y_entry_t *mappings;
    unsigned mappings_count;
    /* TCB */
    y_cnode_ref_t *cspace;
    char *vspace;
    y_ipc_t *ipc_buffer;
    y_fault_t *fault_handler;
    char *bound_notification, *entry, *stack, *priority, *max_priority, *fpu, *tls, *start;
    char **args;
    unsigned args_count;
} y_object_t;

typedef struct {
    char *bits;
    y_cap_t *slots;
    unsigned slots_count;
} y_cspace_t;

typedef struct {
    char *elf, *priority, *max_priority, *bound_notification, *fpu, *tls, *start;
    char **args;
    unsigned args_count;
    y_fault_t *fault_handler;
} y_program_t;

typedef struct {
    char *name, *kind, *vaddr, *size, *paddr, *cached, *executable;
    char **frames;
    unsigned frames_count;
    char **rights;
    unsigned rights_count;
} y_region_t;

typedef struct {
    char *name, *resource_manager, *ends_system;
    y_object_t *objects;
    unsigned objects_count;
    y_cspace_t *cspace;
    y_program_t *program;
    y_region_t *regions;
    unsigned regions_count;
} y_component_t;

typedef struct {
    char *vaddr, *size;
    char **rights;
    unsigned rights_count;
} y_demand_t;

typedef struct {
    char *component, *id, *memory, *objects, *reply_objects, *admin, *request_slot;
    char *grant_via_reply, *on_fault, *pageable;
    char **smc;
    unsigned smc_count;
    char **caps;
    unsigned caps_count;
    y_demand_t *demand_regions;
    unsigned demand_regions_count;
} y_client_t;

typedef struct {
    char *endpoint, *reply;
    y_client_t *clients;
    unsigned clients_count;
} y_policy_t;

typedef struct {
    char *version;
    y_object_t *objects;
    unsigned objects_count;
    y_component_t *components;
    unsigned components_count;
    y_policy_t *policy;
} y_spec_t;

/* The schema of a whole spec document (top-level value: pointer to y_spec_t). */
extern const cyaml_schema_value_t doc_schema;

#endif /* SPECC_DOC_H */
