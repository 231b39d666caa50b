/*
 * The compiler's model of a spec: the records of <sigil/spec.h> in growable arrays, plus what
 * only the compiler needs (names, display paths, lines, source nodes). Stages fill it in order:
 *
 *   build.c    components and objects (names, types, sizes, device addresses, IRQs)
 *   program.c  objects created from `program:` and `regions:` (ELF frames, stack, IPC buffer)
 *   caps.c     CNode slots, TCB fields, IRQ bindings, cap-level rules
 *   policy.c   what the resource manager's policy adds (caps, fault handlers, boot page), its
 *              checks
 *   vspace.c   explicit table entries, table levels, `mappings:` (tables created on demand)
 *   cover.c    untyped covers (objects retyped from an Untyped of the spec)
 *   place.c    object order (final ids) and the simulated boot placement
 *   emit.c     the binary spec
 *
 * Until place.c assigns final ids, every object reference is a model index (`m_object_t`
 * position); emit.c renumbers. Each stage reports every error it finds and leaves the model
 * consistent enough for the next stage to run, so one run shows as many errors as possible.
 */
#ifndef SPECC_MODEL_H
#define SPECC_MODEL_H

#include <sigil/abi.h>
#include <sigil/spec.h>
#include <stdint.h>

#include "alloc.h"
#include "diag.h"
#include "doc.h"
#include "util.h"

typedef struct {
    char *name; /* full name: "component.object" or "object" */
    char *path; /* display path for messages: "components.c.obj" / "objects.obj" */
    unsigned line;
    uint8_t type;        /* sigil_object_type_t or SIGIL_SPEC_TYPE_* */
    uint8_t size_bits;   /* memory taken (log2 bytes), 0 if none */
    uint8_t radix;       /* CNode: log2 slots; Untyped: size bits */
    uint8_t flags;       /* SIGIL_SPEC_OBJ_* */
    uint8_t level;       /* tables: 0..3 or SIGIL_SPEC_LEVEL_UNMAPPED */
    uint32_t comp;       /* component index or SPECC_NONE */
    uint64_t paddr;      /* device address, or IRQ number */
    uint32_t original;   /* cap index of the original cap, or SPECC_NONE */
    uint32_t detail;     /* TCB: tcbs index; IRQHandler: irqs index; else SPECC_NONE */
    uint32_t mapped_by;  /* tables: entry index mapping it, or SPECC_NONE */
    uint32_t vspace;     /* tables: the VSpace reaching it */
    uint64_t vaddr;      /* tables: base virtual address of their span */
    uint32_t id;         /* final object id (place.c) */
    uint32_t depth;      /* cover.c: how many covering untypeds it is inside */
    const y_object_t *y; /* source node, NULL for created objects */
    uint64_t yh;         /* its path hash */
} m_object_t;

typedef struct {
    sigil_spec_cap_t c; /* object = model index until emit */
    uint32_t cnode;     /* model index of the CNode */
    unsigned line;
    char *path;
} m_cap_t;

typedef struct {
    sigil_spec_entry_t e; /* object, vspace = model indices until emit */
    uint32_t table;       /* model index of the table holding the entry */
    unsigned line;
    char *path;
} m_entry_t;

typedef struct {
    sigil_spec_fill_t f; /* data_offset relative to the data buffer until emit */
    uint32_t frame;
} m_fill_t;

/* A `mappings:` entry or a program mapping, applied by vspace.c after the explicit entries. */
typedef struct {
    uint32_t vspace, frame;
    uint64_t vaddr;
    uint8_t rights, attrs;
    unsigned line;
    char *path;
} m_mapping_t;

typedef struct {
    char *name, *path;
    unsigned line;
    uint32_t flags; /* SIGIL_SPEC_COMP_* */
    /* its objects named `tcb`, `cspace` and `vspace` if they have those types (the component's
     * thread, CSpace and VSpace), or SPECC_NONE; set by spec_add_object */
    uint32_t tcb, cspace, vspace;
    const y_component_t *y;
    uint64_t yh;
} m_comp_t;

/* A demand-zero region of a policy client (its entry of `demand_regions`). */
typedef struct {
    uint64_t vaddr, size;
    uint8_t rights; /* Sigil_CanRead and/or Sigil_CanWrite */
    unsigned line;
    char *path; /* "policy.clients[i].demand_regions[j]" */
} m_region_t;

typedef struct {
    sigil_spec_policy_client_t p; /* component, memory_object: model indices until emit */
    uint32_t *smc, *caps;         /* SMC function ids; model object indices */
    m_region_t *regions;          /* p.num_regions of them */
    char *path;                   /* "policy.clients[i]" */
    unsigned line;
} m_client_t;

/* The resource manager's record (<sigil/spec.h> sigil_spec_rm_t), when the spec has a policy. */
typedef struct {
    int present;
    sigil_spec_rm_t r;    /* endpoint, reply: model indices until emit */
    uint32_t *boot_pages; /* model indices of the boot page's frames, in address order */
    uint64_t next_slot;   /* the next slot policy.c may fill in the manager's cspace */
} m_rm_t;

/* The name of a managed client's own untyped (in its component). */
#define SPECC_RM_MEMORY "rm_memory"

/* The name of the frames of the resource manager's boot page: <name>_0, <name>_1, ... */
#define SPECC_RM_BOOT_PAGE "rm_boot"

typedef struct {
    diag_t *d;
    const char *dir;           /* directory of the spec file (for relative paths) */
    const char *const *search; /* more directories for relative paths (-L), in order */
    size_t nsearch;
    int unchecked_irqs; /* --unchecked-irqs: accept IRQs the kernel refuses (loader tests) */
    const y_spec_t *doc;
    uint64_t reserve; /* RAM reserve for the boot model */

    m_object_t *objs;
    size_t nobjs, capobjs;
    m_comp_t *comps;
    size_t ncomps, capcomps;
    m_cap_t *caps;
    size_t ncaps, capcaps;
    m_entry_t *entries;
    size_t nentries, capentries;
    m_fill_t *fills;
    size_t nfills, capfills;
    sigil_spec_tcb_t *tcbs;
    size_t ntcbs, captcbs;
    sigil_spec_irq_t *irqs;
    size_t nirqs, capirqs;
    m_mapping_t *maps;
    size_t nmaps, capmaps;
    m_client_t *clients;
    size_t nclients, capclients;
    m_rm_t rm;
    uint64_t rm_boot_vaddr; /* where program.c mapped the manager's boot page */
    uint8_t *data;
    size_t ndata, capdata;

    u64map_t names;                            /* hash of full name -> object index */
    u64map_t cnames;                           /* hash of component name -> component index */
    u64map_t slots;                            /* (cnode << 32 | slot) -> cap index */
    u64map_t tslots;                           /* (table << 9 | index) -> entry index */
    u64map_t irqnums;                          /* IRQ number -> IRQHandler object index */
    u64map_t client_ids;                       /* policy client id -> client index */
    u64map_t bound;                            /* notification -> line of the TCB bound to it */
    uint32_t irq_control, smc, debug, manager; /* singletons (object / component index) or NONE */
    uint32_t *order;                           /* place.c: model index of each final id */
    size_t nram, ndev;                         /* place.c: RAM and device objects in `order` */
    sigil_untyped_t *uts;                      /* place.c: the boot untyped list of the model */
    size_t nuts;
    /* place.c: where each final id went in `uts` (untyped = SPECC_NONE: not from a boot
     * untyped: no memory, a managed client's object, or it did not fit) */
    sigil_place_t *where;
    uint64_t free_ram; /* place.c: RAM bytes left in the boot untypeds */
} spec_t;

/* Initialise an empty model for document `doc` read from a file in directory `dir`. */
void spec_init(spec_t *s, diag_t *d, const y_spec_t *doc, const char *dir, uint64_t reserve);
void spec_free(spec_t *s);

/* The file a spec names (an ELF, a fill's file): an absolute name as it is; a relative one next
 * to the spec if it is there, else in the first search directory that has it, else (to be
 * reported as missing) next to the spec. Free the result. */
char *spec_file_path(const spec_t *s, const char *name);

/* Add an object (name is the local name; comp may be SPECC_NONE). Reports a duplicate full
 * name and returns SPECC_NONE in that case. Records the component's tcb, cspace and vspace. */
uint32_t spec_add_object(spec_t *s, uint32_t comp, const char *name, uint8_t type, unsigned line);

/* The object a reference written in component `comp` names, or SPECC_NONE (no message). */
uint32_t spec_lookup(const spec_t *s, uint32_t comp, const char *ref);

/* Resolve a reference written in component `comp` (see docs/spec-format.md). Reports
 * "no object named" and returns SPECC_NONE if it names nothing. */
uint32_t spec_resolve(spec_t *s, uint32_t comp, const char *ref, unsigned line, const char *path);

/* Resolve and check the type: `want` is a type or one of the SPECC_WANT_* classes. */
#define SPECC_WANT_FRAME 200u /* any Frame size */
uint32_t spec_resolve_type(spec_t *s, uint32_t comp, const char *ref, unsigned want, unsigned line,
                           const char *path);

/* The name of an object type as written in specs ("Endpoint", "IRQHandler", ...). */
const char *spec_type_name(unsigned type);
/* Parse a type name; returns 0xff if unknown. */
uint8_t spec_type_parse(const char *name);
/* log2 of the size of a fixed-size type (frames, TCB, ...), 0 for types without memory. */
uint8_t spec_fixed_bits(unsigned type);

/* Append `n` bytes (NULL: zeros) to the data buffer aligned to `align`; returns the offset. */
uint64_t spec_add_data(spec_t *s, const void *bytes, size_t n, size_t align);

/* A path for a slot/entry etc.: "<object path><suffix>". */
char *spec_subpath(const spec_t *s, uint32_t obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The TCB settings shared by explicit TCBs and programs. */
typedef struct {
    const y_fault_t *fault_handler;
    const char *bound_notification, *priority, *max_priority;
    char **args;
    unsigned args_count;
    const char *fpu, *tls, *start;
} tcb_fields_t;

/* Give TCB object `obj` a fresh TCB record (nothing resolved yet); returns its index. */
uint32_t caps_new_tcb(spec_t *s, uint32_t obj);
/* Read the shared TCB settings `f` (YAML node at `h`) into `t`. */
void caps_tcb_common(spec_t *s, sigil_spec_tcb_t *t, uint32_t comp, const tcb_fields_t *f,
                     uint64_t h, const char *path);
/* The frame mapped at `vaddr` in VSpace `vspace`, or SPECC_NONE. */
uint32_t vspace_lookup(const spec_t *s, uint32_t vspace, uint64_t vaddr);
/* Queue a mapping of `frame` at `vaddr` in `vspace` for vspace_build. */
void vspace_queue(spec_t *s, uint32_t vspace, uint32_t frame, uint64_t vaddr, uint8_t rights,
                  uint8_t attrs, unsigned line, const char *path);

/* Put a cap to `object` (all rights, `badge`) in the highest empty slot of CNode `cn`; returns
 * the slot, or SPECC_NONE when the CNode is full (component.c). */
uint32_t spec_add_top_cap(spec_t *s, uint32_t cn, uint32_t object, uint64_t badge, unsigned line);
/* Debug caps (debug.c): the spec's Debug object (added as `debug` if the spec declares none;
 * SPECC_NONE after an error); the badge a `debug:` list at YAML node `h` names (false after an
 * error); and the cptr of component `c`'s Debug cap (0: none), given PowerOff when `ends`. */
uint32_t debug_object(spec_t *s, unsigned line);
int debug_badge(spec_t *s, char **ops, unsigned n, uint64_t h, const char *path, uint64_t *badge);
uint64_t debug_component_cap(spec_t *s, const m_comp_t *c, const sigil_spec_tcb_t *t, int ends);

/* Stages (each reports its errors through s->d). */
void build_objects(spec_t *s);
void program_create(spec_t *s);
void program_resolve(spec_t *s);
void caps_resolve(spec_t *s);
void caps_check(spec_t *s);
void policy_resolve(spec_t *s);
void policy_check(spec_t *s);
void policy_memory(spec_t *s);
void cover_resolve(spec_t *s);
void components_finish(spec_t *s);
/* A managed client's thread: its TCB `tcb` with a CSpace and VSpace root, or NULL. */
const sigil_spec_tcb_t *client_thread(const spec_t *s, const m_comp_t *c);
void policy_check_pool(spec_t *s, uint64_t pool_bytes);
/* policy_regions.c: a client's `demand_regions` (read with the client; checked once the address
 * spaces exist, from policy_check). */
void policy_read_regions(spec_t *s, m_client_t *c, const y_client_t *y, uint64_t h);
void policy_check_regions(spec_t *s);

/* Bytes of the boot page the resource manager component `comp` needs (0: it has none, the spec
 * has no policy or `comp` is not the manager). Known from the document alone, so program.c can
 * map it with the manager's other regions. */
uint64_t policy_boot_page_size(const spec_t *s, uint32_t comp);
void vspace_build(spec_t *s);
void place_objects(spec_t *s);
/* placement.c: the placement place_objects computed, as JSON (docs/spec-tools.md). Call only
 * after place_objects ran without errors. */
void placement_write_json(const spec_t *s, FILE *out);

#endif /* SPECC_MODEL_H */
