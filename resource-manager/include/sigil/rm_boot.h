/*
 * The resource manager's boot description: the one layout shared by the spec compiler (which
 * sizes it and adds the frames that hold it to the manager), the capDL loader (which writes it
 * at handover) and the resource manager (which reads it at boot and learns from it everything
 * it needs: no slot number is written into the manager's code).
 *
 * Design. Like the binary spec (<sigil/spec.h>), the boot page holds no pointers: a header of
 * fixed size, then arrays of fixed-size records, each located by a {offset from the start of
 * the page, count} range, and references between records are indices or byte offsets:
 *
 *   header ─► pool[]     untyped caps the loader handed over (cptr, size, paddr, device)
 *          ├► clients[]  one per policy client: id, name, flags (admin ...), quotas, the
 *          │             manager's caps to the client's CSpace root (with radix and guard),
 *          │             VSpace, TCB and own untyped, where its request cap sits, SMC ids,
 *          │             its demand-zero regions
 *          ├► regions[]  the clients' demand-zero regions (policy `demand_regions`)
 *          ├► words[]    uint64_t lists (the clients' allowed SMC function ids)
 *          └► strings    NUL-terminated names (clients' component names)
 *
 * The compiler adds the frames (consecutive pages, mapped read-only in the manager's VSpace)
 * and passes their address to the manager's thread in x0, so the manager receives it as the
 * argument of main(). Their number is fixed at build time: room for the header, the clients
 * and their strings, and one pool record per slot the handover may fill (docs/loader.md). The
 * loader writes the page after the check phase, when the handover has put every untyped in
 * place, and before any thread runs; the manager only reads it.
 *
 * Every cptr is in the manager's own CSpace and resolves at depth 64 (the manager's CSpace
 * root has guard 0 and guard_size 64 - radix, as every program's). A cap to a CNode comes with
 * what is needed to name its slots in CNode invocations (sigil_rm_boot_cnode_t).
 *
 * Badges (docs/resource-manager.md): a managed client's faults reach the manager's endpoint
 * with badge = its id (1 .. SIGIL_RM_CLIENT_ID_MAX, RFC-11: kept in its TCB); its requests
 * with badge = id | SIGIL_RM_BADGE_REQUEST. A fault badge can therefore never equal a request
 * badge, and the manager tells faults from requests by the badge alone. The compiler checks
 * the split for every cap and TCB of the spec.
 *
 * Read it: check with sigil_rm_boot_valid() first, then use the accessors below. All fields
 * are little-endian; record sizes are fixed by the static assertions at the end.
 */
#ifndef SIGIL_RM_BOOT_H
#define SIGIL_RM_BOOT_H

#include <stdint.h>

/* The badge split (see above): SIGIL_RM_BADGE_REQUEST, SIGIL_RM_CLIENT_ID_MIN/MAX, generated
 * from resource-manager/protocol.yaml by tools/rmgen.py. */
#include <sigil/rm_badge.h>

#define SIGIL_RM_BOOT_MAGIC   0x544f4f424d524753ull /* "SGRMBOOT" */
#define SIGIL_RM_BOOT_VERSION 2u

/* Demand-zero regions the manager keeps per client: the policy's and those the client asks for
 * at run time (DemandRegion) together. The compiler refuses a policy with more. */
#define SIGIL_RM_MAX_REGIONS 8u

/* sigil_rm_boot_client_t.flags */
#define SIGIL_RM_CLIENT_ADMIN            0x01u /* may kill, read and change other clients */
#define SIGIL_RM_CLIENT_NO_GRANT_REPLY   0x02u /* policy grant_via_reply: false (RFC-13) */
#define SIGIL_RM_CLIENT_ON_FAULT_REPORT  0x04u /* policy on_fault: report (default kill) */
#define SIGIL_RM_CLIENT_PAGEABLE         0x08u /* policy pageable: true (memory pressure) */
#define SIGIL_RM_CLIENT_ON_FAULT_RECOVER 0x10u /* policy on_fault: recover (servers) */

/* Per-type object quotas: one entry per kernel object type (sigil_object_type_t, < 16). */
#define SIGIL_RM_BOOT_TYPES    16u
#define SIGIL_RM_BOOT_NO_LIMIT 0xffffffffu

/* `count` records (bytes for strings) at `offset` from the start of the page. */
typedef struct {
    uint64_t offset;
    uint64_t count;
} sigil_rm_boot_range_t;

/* A cap to a CNode and how to name its slots: for slot s, CNode invocations take
 * (cptr, (guard << radix) | s, guard_size + radix); Untyped_Retype into the CNode itself takes
 * (cptr, 0, 0) and the slot as offset. */
typedef struct {
    uint64_t cptr;
    uint64_t guard;
    uint8_t radix; /* log2 of the number of slots */
    uint8_t guard_size;
    uint8_t pad[6];
} sigil_rm_boot_cnode_t;

/* An untyped cap the manager holds. */
typedef struct {
    uint64_t cptr;  /* 0: none (a client without memory of its own) */
    uint64_t paddr; /* physical address of its first byte */
    uint8_t size_bits;
    uint8_t is_device;
    uint8_t pad[6];
} sigil_rm_boot_untyped_t;

/* A demand-zero region of a client (policy `demand_regions`, docs/resource-manager.md):
 * [vaddr, vaddr + size) of its VSpace, 4 KiB aligned, below the user top, overlapping none of
 * its mappings; each page is made from its quota and mapped with `rights` at its first touch. */
typedef struct {
    uint64_t vaddr;
    uint64_t size;
    uint64_t rights; /* Sigil_CanRead and/or Sigil_CanWrite */
} sigil_rm_boot_region_t;

/* One client of the policy. */
typedef struct {
    uint64_t id;            /* its fault badge; its request badge is id | RM_BADGE_REQUEST */
    uint32_t name;          /* strings offset: the component's name */
    uint32_t flags;         /* SIGIL_RM_CLIENT_* */
    uint64_t quota_bytes;   /* memory the manager may give it, bytes */
    uint64_t quota_objects; /* objects the manager may give it */
    uint32_t quota_per_type[SIGIL_RM_BOOT_TYPES]; /* by object type; SIGIL_RM_BOOT_NO_LIMIT */
    sigil_rm_boot_cnode_t cspace;   /* the manager's cap to the client's CSpace root */
    uint64_t vspace;                /* the manager's cap to the client's VSpace */
    uint64_t tcb;                   /* the manager's cap to the client's TCB */
    sigil_rm_boot_untyped_t memory; /* the client's own untyped: every object the spec made
                                     * for the client was retyped from it (docs/loader.md) */
    uint64_t client_guard;          /* the client's own view of its CSpace root (the guard and */
    uint8_t client_guard_size;      /* guard size its TCB names), to turn slots into its cptrs */
    uint8_t pad[3];
    uint32_t reply_objects;        /* reply objects the manager may give it */
    uint64_t request_slot;         /* slot of its request cap in its own CSpace */
    sigil_rm_boot_range_t smc;     /* words[]: SMC function ids it may be granted */
    sigil_rm_boot_range_t regions; /* regions[]: its demand-zero regions */
} sigil_rm_boot_client_t;

typedef struct {
    uint64_t magic;       /* SIGIL_RM_BOOT_MAGIC */
    uint32_t version;     /* SIGIL_RM_BOOT_VERSION */
    uint32_t header_size; /* sizeof(sigil_rm_boot_t) */
    uint64_t total_size;  /* bytes of the page(s) in use */
    uint64_t capacity;    /* bytes mapped (total_size <= capacity) */
    /* the manager's own caps */
    uint64_t endpoint;            /* its endpoint: faults and requests of its clients */
    uint64_t reply;               /* its reply object */
    uint64_t vspace;              /* its own VSpace */
    uint64_t tcb;                 /* its own TCB */
    uint64_t smc;                 /* the master SMC cap, 0 if it holds none */
    sigil_rm_boot_cnode_t cspace; /* its own CSpace root */
    uint64_t first_free_slot;     /* slots first_free_slot .. 2^radix - 1 of its CSpace are empty */
    sigil_rm_boot_range_t pool;   /* sigil_rm_boot_untyped_t: the untyped memory handed over */
    sigil_rm_boot_range_t clients; /* sigil_rm_boot_client_t, in policy order */
    sigil_rm_boot_range_t words;   /* uint64_t */
    sigil_rm_boot_range_t strings; /* bytes */
    sigil_rm_boot_range_t regions; /* sigil_rm_boot_region_t, client by client */
} sigil_rm_boot_t;

_Static_assert(sizeof(sigil_rm_boot_range_t) == 16, "rm boot range layout");
_Static_assert(sizeof(sigil_rm_boot_cnode_t) == 24, "rm boot cnode layout");
_Static_assert(sizeof(sigil_rm_boot_untyped_t) == 24, "rm boot untyped layout");
_Static_assert(sizeof(sigil_rm_boot_region_t) == 24, "rm boot region layout");
_Static_assert(sizeof(sigil_rm_boot_client_t) == 216, "rm boot client layout");
_Static_assert(sizeof(sigil_rm_boot_t) == 184, "rm boot header layout");

/* Bytes the boot page needs for `clients` clients whose names take `string_bytes` bytes (NULs
 * included), `smc_ids` SMC ids and `regions` demand-zero regions in all, and room for `pool`
 * untypeds: what the compiler maps. */
static inline uint64_t sigil_rm_boot_size(uint64_t clients, uint64_t smc_ids, uint64_t string_bytes,
                                          uint64_t pool, uint64_t regions)
{
    return sizeof(sigil_rm_boot_t) + pool * sizeof(sigil_rm_boot_untyped_t) +
           clients * sizeof(sigil_rm_boot_client_t) + regions * sizeof(sigil_rm_boot_region_t) +
           smc_ids * sizeof(uint64_t) + ((string_bytes + 7) & ~(uint64_t)7);
}

/* Whether `count` records of `size` bytes at `r` lie inside the first `total` bytes. */
static inline int sigil_rm_boot_range_ok(sigil_rm_boot_range_t r, uint64_t size, uint64_t total)
{
    return r.offset % 8 == 0 && r.offset <= total && r.count <= (total - r.offset) / size;
}

/*
 * Whether the `size` mapped bytes at `page` hold a well-formed boot page: magic, version and
 * header size; every range inside total_size <= size; every name, SMC and region range inside
 * its section (at most SIGIL_RM_MAX_REGIONS regions a client); the last string byte a NUL. The
 * manager calls this before anything else.
 */
static inline int sigil_rm_boot_valid(const void *page, uint64_t size)
{
    const sigil_rm_boot_t *b = (const sigil_rm_boot_t *)page;
    if (size < sizeof *b || b->magic != SIGIL_RM_BOOT_MAGIC ||
        b->version != SIGIL_RM_BOOT_VERSION || b->header_size != sizeof *b ||
        b->total_size > size || b->total_size > b->capacity) {
        return 0;
    }
    uint64_t t = b->total_size;
    if (!sigil_rm_boot_range_ok(b->pool, sizeof(sigil_rm_boot_untyped_t), t) ||
        !sigil_rm_boot_range_ok(b->clients, sizeof(sigil_rm_boot_client_t), t) ||
        !sigil_rm_boot_range_ok(b->words, sizeof(uint64_t), t) ||
        !sigil_rm_boot_range_ok(b->strings, 1, t) ||
        !sigil_rm_boot_range_ok(b->regions, sizeof(sigil_rm_boot_region_t), t)) {
        return 0;
    }
    const char *strings = (const char *)page + b->strings.offset;
    if (b->strings.count == 0 || strings[b->strings.count - 1] != '\0') {
        return 0;
    }
    const sigil_rm_boot_client_t *c =
        (const sigil_rm_boot_client_t *)(const void *)((const uint8_t *)page + b->clients.offset);
    for (uint64_t i = 0; i < b->clients.count; i++) {
        if (c[i].name >= b->strings.count || c[i].smc.offset > b->words.count ||
            c[i].smc.count > b->words.count - c[i].smc.offset ||
            c[i].regions.offset > b->regions.count ||
            c[i].regions.count > b->regions.count - c[i].regions.offset ||
            c[i].regions.count > SIGIL_RM_MAX_REGIONS) {
            return 0;
        }
    }
    return 1;
}

/* Typed access (after sigil_rm_boot_valid). */
#define SIGIL_RM_BOOT_SECTION(b, field, type)                                                      \
    ((const type *)(const void *)((const uint8_t *)(b) + (b)->field.offset))

static inline const sigil_rm_boot_untyped_t *sigil_rm_boot_pool(const sigil_rm_boot_t *b)
{
    return SIGIL_RM_BOOT_SECTION(b, pool, sigil_rm_boot_untyped_t);
}

static inline const sigil_rm_boot_client_t *sigil_rm_boot_clients(const sigil_rm_boot_t *b)
{
    return SIGIL_RM_BOOT_SECTION(b, clients, sigil_rm_boot_client_t);
}

/* The SMC function ids client `c` may be granted: c->smc.count of them. */
static inline const uint64_t *sigil_rm_boot_smc_ids(const sigil_rm_boot_t *b,
                                                    const sigil_rm_boot_client_t *c)
{
    return SIGIL_RM_BOOT_SECTION(b, words, uint64_t) + c->smc.offset;
}

/* Client `c`'s demand-zero regions: c->regions.count of them. */
static inline const sigil_rm_boot_region_t *sigil_rm_boot_regions(const sigil_rm_boot_t *b,
                                                                  const sigil_rm_boot_client_t *c)
{
    return SIGIL_RM_BOOT_SECTION(b, regions, sigil_rm_boot_region_t) + c->regions.offset;
}

static inline const char *sigil_rm_boot_name(const sigil_rm_boot_t *b, uint32_t off)
{
    return (const char *)b + b->strings.offset + off;
}

/* CNode invocation arguments for slot `slot` of the CNode `c` describes. */
static inline uint64_t sigil_rm_boot_slot_index(const sigil_rm_boot_cnode_t *c, uint64_t slot)
{
    return c->guard_size == 0 ? slot : (c->guard << c->radix) | slot;
}

static inline uint64_t sigil_rm_boot_slot_depth(const sigil_rm_boot_cnode_t *c)
{
    return (uint64_t)c->guard_size + c->radix;
}

#endif /* SIGIL_RM_BOOT_H */
