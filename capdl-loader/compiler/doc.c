/*
 * The libcyaml schema of the spec format: one table of fields per mapping kind (see doc.h).
 * Required keys are the fields without CYAML_FLAG_OPTIONAL.
 */
#include "doc.h"

#define OPT CYAML_FLAG_OPTIONAL
#define STR(key, flags, type, member)                                                              \
    CYAML_FIELD_STRING_PTR(key, flags, type, member, 0, CYAML_UNLIMITED)
#define STRS(key, type, member)                                                                    \
    CYAML_FIELD_SEQUENCE(key, OPT | CYAML_FLAG_POINTER, type, member, &string_entry, 0,            \
                         CYAML_UNLIMITED)
#define LIST(key, type, member, entry)                                                             \
    CYAML_FIELD_SEQUENCE(key, OPT | CYAML_FLAG_POINTER, type, member, &entry, 0, CYAML_UNLIMITED)
#define MAP(key, type, member, fields) CYAML_FIELD_MAPPING_PTR(key, OPT, type, member, fields)

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t fill_fields[] = {
    STR("offset", 0, y_fill_t, offset),
    STR("file", OPT, y_fill_t, file),
    STR("file_offset", OPT, y_fill_t, file_offset),
    STR("length", OPT, y_fill_t, length),
    STR("data", OPT, y_fill_t, data),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t fill_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_fill_t, fill_fields),
};

static const cyaml_schema_field_t cap_fields[] = {
    STR("slot", OPT, y_cap_t, slot),
    STR("cap", OPT, y_cap_t, cap),
    STRS("rights", y_cap_t, rights),
    STR("badge", OPT, y_cap_t, badge),
    STR("guard", OPT, y_cap_t, guard),
    STR("guard_size", OPT, y_cap_t, guard_size),
    STR("original", OPT, y_cap_t, original),
    STRS("debug", y_cap_t, debug),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t cap_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_cap_t, cap_fields),
};

static const cyaml_schema_field_t cnode_ref_fields[] = {
    STR("cap", 0, y_cnode_ref_t, cap),
    STR("guard", OPT, y_cnode_ref_t, guard),
    STR("guard_size", OPT, y_cnode_ref_t, guard_size),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t ipc_fields[] = {
    STR("frame", 0, y_ipc_t, frame),
    STR("vaddr", 0, y_ipc_t, vaddr),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t fault_fields[] = {
    STR("cap", 0, y_fault_t, cap),
    STR("badge", OPT, y_fault_t, badge),
    STRS("rights", y_fault_t, rights),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t entry_fields[] = {
    STR("index", 0, y_entry_t, index),
    STR("table", OPT, y_entry_t, table),
    STR("frame", OPT, y_entry_t, frame),
    STRS("rights", y_entry_t, rights),
    STR("executable", OPT, y_entry_t, executable),
    STR("cached", OPT, y_entry_t, cached),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t entry_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_entry_t, entry_fields),
};

static const cyaml_schema_field_t mapping_fields[] = {
    STR("vaddr", 0, y_entry_t, vaddr),     STR("frame", 0, y_entry_t, frame),
    STRS("rights", y_entry_t, rights),     STR("executable", OPT, y_entry_t, executable),
    STR("cached", OPT, y_entry_t, cached), CYAML_FIELD_END,
};
static const cyaml_schema_value_t mapping_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_entry_t, mapping_fields),
};

static const cyaml_schema_field_t object_fields[] = {
    STR("name", 0, y_object_t, name),
    STR("type", 0, y_object_t, type),
    STR("bits", OPT, y_object_t, bits),
    STR("paddr", OPT, y_object_t, paddr),
    STRS("covers", y_object_t, covers),
    STR("irq", OPT, y_object_t, irq),
    STR("notification", OPT, y_object_t, notification),
    STR("badge", OPT, y_object_t, badge),
    STR("trigger", OPT, y_object_t, trigger),
    LIST("fill", y_object_t, fill, fill_entry),
    LIST("slots", y_object_t, slots, cap_entry),
    LIST("entries", y_object_t, entries, entry_entry),
    LIST("mappings", y_object_t, mappings, mapping_entry),
    MAP("cspace", y_object_t, cspace, cnode_ref_fields),
    STR("vspace", OPT, y_object_t, vspace),
    MAP("ipc_buffer", y_object_t, ipc_buffer, ipc_fields),
    MAP("fault_handler", y_object_t, fault_handler, fault_fields),
    STR("bound_notification", OPT, y_object_t, bound_notification),
    STR("entry", OPT, y_object_t, entry),
    STR("stack", OPT, y_object_t, stack),
    STRS("args", y_object_t, args),
    STR("priority", OPT, y_object_t, priority),
    STR("max_priority", OPT, y_object_t, max_priority),
    STR("fpu", OPT, y_object_t, fpu),
    STR("tls", OPT, y_object_t, tls),
    STR("start", OPT, y_object_t, start),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t object_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_object_t, object_fields),
};

static const cyaml_schema_field_t cspace_fields[] = {
    STR("bits", 0, y_cspace_t, bits),
    LIST("slots", y_cspace_t, slots, cap_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t program_fields[] = {
    STR("elf", 0, y_program_t, elf),
    STR("priority", OPT, y_program_t, priority),
    STR("max_priority", OPT, y_program_t, max_priority),
    STRS("args", y_program_t, args),
    MAP("fault_handler", y_program_t, fault_handler, fault_fields),
    STR("bound_notification", OPT, y_program_t, bound_notification),
    STR("fpu", OPT, y_program_t, fpu),
    STR("tls", OPT, y_program_t, tls),
    STR("start", OPT, y_program_t, start),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t region_fields[] = {
    STR("name", 0, y_region_t, name),
    STR("kind", 0, y_region_t, kind),
    STR("vaddr", OPT, y_region_t, vaddr),
    STR("size", OPT, y_region_t, size),
    STR("paddr", OPT, y_region_t, paddr),
    STR("cached", OPT, y_region_t, cached),
    STR("executable", OPT, y_region_t, executable),
    STRS("frames", y_region_t, frames),
    STRS("rights", y_region_t, rights),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t region_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_region_t, region_fields),
};

static const cyaml_schema_field_t component_fields[] = {
    STR("name", 0, y_component_t, name),
    STR("resource_manager", OPT, y_component_t, resource_manager),
    STR("ends_system", OPT, y_component_t, ends_system),
    LIST("objects", y_component_t, objects, object_entry),
    MAP("cspace", y_component_t, cspace, cspace_fields),
    MAP("program", y_component_t, program, program_fields),
    LIST("regions", y_component_t, regions, region_entry),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t component_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_component_t, component_fields),
};

static const cyaml_schema_field_t demand_fields[] = {
    STR("vaddr", 0, y_demand_t, vaddr),
    STR("size", 0, y_demand_t, size),
    STRS("rights", y_demand_t, rights),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t demand_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_demand_t, demand_fields),
};

static const cyaml_schema_field_t client_fields[] = {
    STR("component", 0, y_client_t, component),
    STR("id", 0, y_client_t, id),
    STR("memory", OPT, y_client_t, memory),
    STR("objects", OPT, y_client_t, objects),
    STR("reply_objects", OPT, y_client_t, reply_objects),
    STR("admin", OPT, y_client_t, admin),
    STR("request_slot", OPT, y_client_t, request_slot),
    STR("grant_via_reply", OPT, y_client_t, grant_via_reply),
    STR("on_fault", OPT, y_client_t, on_fault),
    STR("pageable", OPT, y_client_t, pageable),
    STRS("smc", y_client_t, smc),
    STRS("caps", y_client_t, caps),
    LIST("demand_regions", y_client_t, demand_regions, demand_entry),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t client_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_client_t, client_fields),
};

static const cyaml_schema_field_t policy_fields[] = {
    STR("endpoint", OPT, y_policy_t, endpoint),
    STR("reply", OPT, y_policy_t, reply),
    LIST("clients", y_policy_t, clients, client_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t spec_fields[] = {
    STR("version", 0, y_spec_t, version),
    LIST("objects", y_spec_t, objects, object_entry),
    LIST("components", y_spec_t, components, component_entry),
    MAP("policy", y_spec_t, policy, policy_fields),
    CYAML_FIELD_END,
};

const cyaml_schema_value_t doc_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_spec_t, spec_fields),
};
