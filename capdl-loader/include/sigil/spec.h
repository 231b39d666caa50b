/*
 * The binary spec: the one layout shared by the spec compiler (host) and the capDL loader
 * (aarch64, freestanding, no heap), so the two can never drift apart.
 *
 * Design. The compiler writes one contiguous little-endian blob; the loader reads it in place
 * and never modifies it. The blob holds no pointers: a header of fixed size, then arrays of
 * fixed-size records, each located by a {offset from the start of the blob, count} range.
 * Every reference between records is an index into one of these arrays, so every lookup the
 * loader makes is constant time:
 *
 *   header ─► objects[id] ─► type-specific range: caps[] (CNode), entries[] (VSpace and
 *             │                PageTable), fills[] (Frame), tcbs[] (TCB), irqs[] (IRQHandler)
 *             ├► components[] ─► words[] (member object ids)
 *             ├► policy[] ─► words[] (SMC function ids, object ids, demand-zero regions)
 *             ├► rm[] (0 or 1): the resource manager's own objects, slots and boot page
 *             ├► strings (NUL-terminated names, referenced by byte offset)
 *             └► data (frame contents; page-aligned in the blob so a loader can hand a
 *                  whole page of its own image to a program instead of copying it)
 *
 * Object ids are assigned in allocation order (see capdl-loader/common/alloc.h):
 *   [0, num_ram_objects)                     objects allocated from RAM, size_bits non-increasing
 *                                            (a managed client's objects and covered objects
 *                                            are retyped from an untyped of the spec, a smaller
 *                                            id: SIGIL_SPEC_OBJ_IN_PARENT)
 *   [num_ram_objects, +num_device_objects)   device objects, paddr increasing
 *   [.., num_objects)                        objects without memory (IRQHandler, IRQControl, SMC)
 * so the loader can run the same placement code as the compiler by walking ids in order.
 *
 * Caps of a CNode are sorted by slot; entries of a table by index. Every section starts 8-byte
 * aligned and the data section 4 KiB aligned (the loader must place the blob 4 KiB aligned).
 * Fields are little-endian; the record sizes are fixed by the static assertions at the end.
 *
 * Reading it (details in docs/spec-compiler.md): run sigil_spec_check() first; place objects
 * by walking ids in order with capdl-loader/common/alloc.h; every table entry carries the VSpace,
 * virtual address and parent level its map call needs, so tables can be mapped with one pass per
 * level (entries with SIGIL_SPEC_MAP_TABLE and level 0, then 1, then 2) and frames after them.
 */
#ifndef SIGIL_SPEC_H
#define SIGIL_SPEC_H

#include <sigil/abi.h>
#include <stdint.h>

#define SIGIL_SPEC_MAGIC      0x0043455053474953ull /* "SIGSPEC\0" */
#define SIGIL_SPEC_VERSION    2u
#define SIGIL_SPEC_NONE       0xffffffffu /* "no object / no record" in any uint32_t index */
#define SIGIL_SPEC_DATA_ALIGN SIGIL_PAGE_SIZE

/* Object types: the kernel's object type numbers (sigil_object_type_t in <sigil/abi.h>, 0..10)
 * plus the capabilities that have no memory of their own. */
enum {
    SIGIL_SPEC_TYPE_IRQ_HANDLER = 32,
    SIGIL_SPEC_TYPE_IRQ_CONTROL = 33,
    SIGIL_SPEC_TYPE_SMC = 34,
    SIGIL_SPEC_TYPE_DEBUG = 35, /* the Debug cap (docs/kernel/debug.md): badge = operations */
};

/* sigil_spec_object_t.flags */
#define SIGIL_SPEC_OBJ_DEVICE 0x01u /* placed at paddr from a device untyped */
#define SIGIL_SPEC_OBJ_IN_PARENT                                                                   \
    0x02u /* a managed client's object or one an untyped `covers`: retyped                         \
           * from that untyped, whose object id is `paddr` (a smaller id) */
#define SIGIL_SPEC_OBJ_CLIENT_MEMORY 0x04u /* an untyped holding a managed client's objects */

/* sigil_spec_cap_t.flags */
#define SIGIL_SPEC_CAP_ORIGINAL 0x01u /* the loader moves (not copies) its cap into this slot */

/* sigil_spec_entry_t.attrs */
#define SIGIL_SPEC_MAP_TABLE      0x01u /* the entry maps a PageTable (else a frame) */
#define SIGIL_SPEC_MAP_EXECUTABLE 0x02u /* user may execute (else execute-never) */
#define SIGIL_SPEC_MAP_UNCACHED   0x04u /* device nGnRnE (else normal write-back) */

/* sigil_spec_tcb_t.flags */
#define SIGIL_SPEC_TCB_START        0x01u /* resume the thread in the last phase */
#define SIGIL_SPEC_TCB_FPU_DISABLED 0x02u /* TCB_SetFlags(fpuDisabled) (RFC-18) */

/* sigil_spec_irq_t.trigger */
#define SIGIL_SPEC_IRQ_LEVEL 0u
#define SIGIL_SPEC_IRQ_EDGE  1u

/* sigil_spec_component_t.flags */
#define SIGIL_SPEC_COMP_RESOURCE_MANAGER 0x01u

/* sigil_spec_policy_client_t.flags */
#define SIGIL_SPEC_CLIENT_ADMIN            0x01u /* policy `admin: true` */
#define SIGIL_SPEC_CLIENT_NO_GRANT_REPLY   0x02u /* policy `grant_via_reply: false` (RFC-13) */
#define SIGIL_SPEC_CLIENT_ON_FAULT_REPORT  0x04u /* policy `on_fault: report` (default kill) */
#define SIGIL_SPEC_CLIENT_PAGEABLE         0x08u /* policy `pageable: true` */
#define SIGIL_SPEC_CLIENT_ON_FAULT_RECOVER 0x10u /* policy `on_fault: recover` */

#define SIGIL_SPEC_MAX_ARGS 8u

/* A section of the blob: `count` records (bytes for strings and data) at `offset`. */
typedef struct {
    uint64_t offset;
    uint64_t count;
} sigil_spec_range_t;

typedef struct {
    uint64_t magic;       /* SIGIL_SPEC_MAGIC */
    uint32_t version;     /* SIGIL_SPEC_VERSION */
    uint32_t header_size; /* sizeof(sigil_spec_header_t) */
    uint64_t total_size;  /* bytes in the blob */
    uint64_t reserve;     /* RAM reserve (bytes) the compiler's placement check assumed */
    uint32_t num_ram_objects;
    uint32_t num_device_objects;
    sigil_spec_range_t objects;    /* sigil_spec_object_t, indexed by object id */
    sigil_spec_range_t caps;       /* sigil_spec_cap_t */
    sigil_spec_range_t entries;    /* sigil_spec_entry_t */
    sigil_spec_range_t fills;      /* sigil_spec_fill_t */
    sigil_spec_range_t tcbs;       /* sigil_spec_tcb_t */
    sigil_spec_range_t irqs;       /* sigil_spec_irq_t */
    sigil_spec_range_t components; /* sigil_spec_component_t */
    sigil_spec_range_t policy;     /* sigil_spec_policy_client_t */
    sigil_spec_range_t rm;         /* sigil_spec_rm_t: one record if the spec has a policy */
    sigil_spec_range_t words;      /* uint32_t lists used by components and policy */
    sigil_spec_range_t strings;    /* bytes */
    sigil_spec_range_t data;       /* bytes */
} sigil_spec_header_t;

/*
 * One object. `first`/`count` by type:
 *   CNode:           caps[first .. first+count), sorted by slot; extra = radix (log2 slots)
 *   VSpace/PageTable: entries[first .. first+count), sorted by index; extra = level (0 = VSpace;
 *                    SIGIL_SPEC_LEVEL_UNMAPPED if no VSpace reaches the table)
 *   Frame*:          fills[first .. first+count), each inside the frame; frames' fill ranges
 *                    are disjoint and follow id order
 *   TCB:             tcbs[first], count = 1
 *   IRQHandler:      irqs[first], count = 1
 *   others:          first = SIGIL_SPEC_NONE, count = 0
 */
typedef struct {
    uint32_t name;      /* strings offset of the full name ("component.object" or "object") */
    uint8_t type;       /* sigil_object_type_t or SIGIL_SPEC_TYPE_* */
    uint8_t size_bits;  /* log2 of the memory the object takes; 0 if it takes none */
    uint8_t flags;      /* SIGIL_SPEC_OBJ_* */
    uint8_t extra;      /* CNode radix / table level / 0 */
    uint32_t component; /* owning component index, or SIGIL_SPEC_NONE (top-level object) */
    uint32_t first;
    uint32_t count;
    uint32_t original; /* index in caps[] of the cap marked original, or SIGIL_SPEC_NONE */
    uint64_t paddr;    /* device objects: physical address; IRQHandler: the IRQ number;
                        * SIGIL_SPEC_OBJ_IN_PARENT: the id of the untyped it is retyped from */
} sigil_spec_object_t;

#define SIGIL_SPEC_LEVEL_UNMAPPED 0xffu

/* A cap in a CNode slot. Its type is the type of `object`. */
typedef struct {
    uint64_t badge;     /* Endpoint/Notification/SMC badge; CNode caps: the guard */
    uint32_t object;    /* object id */
    uint32_t slot;      /* slot index in the CNode */
    uint8_t rights;     /* Sigil_Can* bits */
    uint8_t guard_size; /* CNode caps only */
    uint8_t flags;      /* SIGIL_SPEC_CAP_* */
    uint8_t pad[5];
} sigil_spec_cap_t;

/* An entry of a VSpace or PageTable: a table or a frame mapped at `vaddr` in `vspace`. */
typedef struct {
    uint64_t vaddr;  /* virtual address the entry covers (the map invocation's argument) */
    uint32_t object; /* PageTable or frame object id */
    uint32_t vspace; /* VSpace object id of the address space (SIGIL_SPEC_NONE if unreachable) */
    uint16_t index;  /* 0..511 in the parent table */
    uint8_t rights;  /* frames: Sigil_CanRead | Sigil_CanWrite */
    uint8_t attrs;   /* SIGIL_SPEC_MAP_* */
    uint8_t level;   /* level of the parent table (0..3) */
    uint8_t pad[3];
} sigil_spec_entry_t;

/* Initial contents of a frame: `length` bytes of data at `data_offset` (from the start of the
 * blob) go to byte `dest_offset` of the frame (dest_offset + length <= the frame's size). A fill
 * with dest_offset 0, length 4096 and a 4 KiB aligned data_offset is a whole page the loader may
 * donate instead of copying. */
typedef struct {
    uint64_t data_offset;
    uint32_t dest_offset;
    uint32_t length;
} sigil_spec_fill_t;

typedef struct {
    uint32_t cspace;     /* CNode object id (CSpace root) */
    uint32_t vspace;     /* VSpace object id */
    uint32_t ipc_frame;  /* Frame4K object id */
    uint32_t fault_ep;   /* Endpoint object id, or SIGIL_SPEC_NONE */
    uint32_t bound_ntfn; /* Notification object id, or SIGIL_SPEC_NONE */
    uint8_t cspace_guard_size;
    uint8_t fault_rights; /* Sigil_Can* rights of the fault handler cap (RFC-11) */
    uint8_t priority;
    uint8_t max_priority;
    uint8_t flags; /* SIGIL_SPEC_TCB_* */
    uint8_t num_args;
    uint8_t pad[6];
    uint64_t cspace_guard;
    uint64_t fault_badge;
    uint64_t ipc_vaddr;
    uint64_t entry;                     /* pc */
    uint64_t stack;                     /* sp */
    uint64_t tls;                       /* tpidr_el0 */
    uint64_t args[SIGIL_SPEC_MAX_ARGS]; /* x0.., num_args of them */
} sigil_spec_tcb_t;

typedef struct {
    uint64_t badge;        /* badge of the notification cap used to bind */
    uint32_t irq;          /* IRQ number */
    uint32_t notification; /* Notification object id, or SIGIL_SPEC_NONE (not bound) */
    uint8_t trigger;       /* SIGIL_SPEC_IRQ_LEVEL or _EDGE */
    uint8_t pad[7];
} sigil_spec_irq_t;

typedef struct {
    uint32_t name;         /* strings offset */
    uint32_t flags;        /* SIGIL_SPEC_COMP_* */
    uint32_t tcb;          /* the program's TCB object id, or SIGIL_SPEC_NONE */
    uint32_t cspace;       /* the `cspace` CNode object id, or SIGIL_SPEC_NONE */
    uint32_t vspace;       /* the program's VSpace object id, or SIGIL_SPEC_NONE */
    uint32_t first_member; /* words[first_member .. +num_members): the component's object ids */
    uint32_t num_members;
    uint32_t pad;
} sigil_spec_component_t;

/* The resource manager's policy for one client. The loader copies it into the manager's boot
 * page (<sigil/rm_boot.h>); slots are in the manager's `cspace` CNode unless said otherwise. */
typedef struct {
    uint64_t id;        /* client id: its fault badge (request badge: id | RM_BADGE_REQUEST) */
    uint64_t memory;    /* untyped memory quota, bytes */
    uint32_t component; /* component index */
    uint32_t objects;   /* object quota */
    uint32_t reply_objects;
    uint32_t first_smc; /* words[first_smc .. +num_smc): allowed SMC function ids */
    uint32_t num_smc;
    uint32_t first_cap; /* words[first_cap .. +num_caps): object ids the manager acts on */
    uint32_t num_caps;
    uint32_t flags;          /* SIGIL_SPEC_CLIENT_* */
    uint32_t request_slot;   /* slot of the client's request cap in its own `cspace` */
    uint32_t rm_cspace_slot; /* the manager's caps to the client's CSpace root (a CNode cap with */
    uint32_t rm_vspace_slot; /* guard 0 and guard size 0), VSpace, TCB and own untyped */
    uint32_t rm_tcb_slot;    /* (SIGIL_SPEC_NONE: none) */
    uint32_t rm_memory_slot;
    uint32_t memory_object; /* the client's own untyped (object id), or SIGIL_SPEC_NONE */
    uint32_t first_region;  /* words[first_region .. + SIGIL_SPEC_REGION_WORDS * num_regions): */
    uint32_t num_regions;   /* its demand-zero regions (policy `demand_regions`) */
} sigil_spec_policy_client_t;

/* A demand-zero region in words[]: vaddr (low, high 32 bits), size (low, high), rights. */
#define SIGIL_SPEC_REGION_WORDS 5u

/* The resource manager itself, when the spec has a policy: its objects and the slots of its
 * `cspace` CNode holding its caps (SIGIL_SPEC_NONE: none), and the frames of its boot page. */
typedef struct {
    uint32_t component;       /* component index of the manager */
    uint32_t endpoint;        /* object id: the endpoint its clients' faults and requests reach */
    uint32_t reply;           /* object id: its reply object */
    uint32_t first_boot_page; /* words[first_boot_page .. +num_boot_pages): Frame4K object ids */
    uint32_t num_boot_pages;  /* of the boot page, in address order */
    uint32_t endpoint_slot;
    uint32_t reply_slot;
    uint32_t cspace_slot; /* a cap to its own cspace CNode (guard 0, guard size 0) */
    uint32_t vspace_slot;
    uint32_t tcb_slot;
    uint32_t smc_slot;      /* the master SMC cap, if it holds it */
    uint32_t pool_capacity; /* pool records the boot page has room for */
} sigil_spec_rm_t;

_Static_assert(sizeof(sigil_spec_header_t) == 232, "spec header layout");
_Static_assert(sizeof(sigil_spec_object_t) == 32, "spec object layout");
_Static_assert(sizeof(sigil_spec_cap_t) == 24, "spec cap layout");
_Static_assert(sizeof(sigil_spec_entry_t) == 24, "spec entry layout");
_Static_assert(sizeof(sigil_spec_fill_t) == 16, "spec fill layout");
_Static_assert(sizeof(sigil_spec_tcb_t) == 144, "spec tcb layout");
_Static_assert(sizeof(sigil_spec_irq_t) == 24, "spec irq layout");
_Static_assert(sizeof(sigil_spec_component_t) == 32, "spec component layout");
_Static_assert(sizeof(sigil_spec_policy_client_t) == 80, "spec policy layout");
_Static_assert(sizeof(sigil_spec_rm_t) == 48, "spec rm layout");

/* What a type's caps carry: the one definition for compiler, checker and loader. */

/* Whether objects of spec type `type` are frames. */
static inline int sigil_spec_is_frame(unsigned type)
{
    return type == Sigil_Frame4KObject || type == Sigil_Frame2MObject ||
           type == Sigil_Frame1GObject;
}

/* log2 of the size of a frame type, 0 for other types. */
static inline unsigned sigil_spec_frame_bits(unsigned type)
{
    return type == Sigil_Frame4KObject   ? Sigil_Frame4KBits
           : type == Sigil_Frame2MObject ? Sigil_Frame2MBits
           : type == Sigil_Frame1GObject ? Sigil_Frame1GBits
                                         : 0;
}

/* The rights that mean something on caps to objects of `type` (Sigil_Can* bits, 0: none):
 * endpoints all four, notifications and frames Read and Write; Reply caps have none (no grant
 * bit, RFC-13). The kernel's own caps may carry more bits; only these are compared. */
static inline unsigned sigil_spec_rights_that_apply(unsigned type)
{
    if (type == Sigil_EndpointObject) {
        return Sigil_AllRights;
    }
    return type == Sigil_NotificationObject || sigil_spec_is_frame(type)
               ? Sigil_CanRead | Sigil_CanWrite
               : 0;
}

/* Whether caps to objects of `type` carry a badge: endpoints, notifications, SMC (whose
 * badge is the one function id the cap may call) and Debug (whose badge is the set of
 * Sigil_Debug* operations it allows). CNode caps carry a guard instead. */
static inline int sigil_spec_has_badge(unsigned type)
{
    return type == Sigil_EndpointObject || type == Sigil_NotificationObject ||
           type == SIGIL_SPEC_TYPE_SMC || type == SIGIL_SPEC_TYPE_DEBUG;
}

/* Typed access to a section. The blob must be 8-byte aligned and checked by sigil_spec_check()
 * (capdl-loader/common/spec_check.h) before any of these is used. */
#define SIGIL_SPEC_SECTION(hdr, field, type)                                                       \
    ((const type *)(const void *)((const uint8_t *)(hdr) + (hdr)->field.offset))

static inline const sigil_spec_object_t *sigil_spec_objects(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, objects, sigil_spec_object_t);
}

static inline const sigil_spec_cap_t *sigil_spec_caps(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, caps, sigil_spec_cap_t);
}

static inline const sigil_spec_entry_t *sigil_spec_entries(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, entries, sigil_spec_entry_t);
}

static inline const sigil_spec_fill_t *sigil_spec_fills(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, fills, sigil_spec_fill_t);
}

static inline const sigil_spec_tcb_t *sigil_spec_tcbs(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, tcbs, sigil_spec_tcb_t);
}

static inline const sigil_spec_irq_t *sigil_spec_irqs(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, irqs, sigil_spec_irq_t);
}

static inline const sigil_spec_component_t *sigil_spec_components(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, components, sigil_spec_component_t);
}

static inline const sigil_spec_policy_client_t *sigil_spec_policy(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, policy, sigil_spec_policy_client_t);
}

static inline const sigil_spec_rm_t *sigil_spec_rm(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, rm, sigil_spec_rm_t);
}

static inline const uint32_t *sigil_spec_words(const sigil_spec_header_t *h)
{
    return SIGIL_SPEC_SECTION(h, words, uint32_t);
}

/* The NUL-terminated string at offset `off` of the string table. */
static inline const char *sigil_spec_string(const sigil_spec_header_t *h, uint32_t off)
{
    return (const char *)h + h->strings.offset + off;
}

/* The full name of object `id` ("component.object"), for reports. */
static inline const char *sigil_spec_object_name(const sigil_spec_header_t *h, uint32_t id)
{
    return sigil_spec_string(h, sigil_spec_objects(h)[id].name);
}

#endif /* SIGIL_SPEC_H */
