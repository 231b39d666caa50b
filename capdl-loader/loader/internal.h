/*
 * The loader's context and the helpers its phases share.
 *
 * Slots. Every cap the loader works with is named by a cptr that resolves at depth 64 in its
 * own CSpace ("loader slot"). They live in one CNode, the root CNode or, when that is too small,
 * a CNode the loader makes for itself (slots.c), laid out as
 *   obj_base + id          the loader's cap to spec object `id` (its original, or after the
 *                          move pass a copy of it)
 *   dup_base + e           the cap that maps frame entry `e` of the entries[] array
 *   free_next .. free_end  slots handed out one by one: padding untypeds, one scratch slot
 * so every "where is the cap of X" is arithmetic. CNode operations name a loader slot as
 * LOADER_AT(l, cptr) = (service CNode, index, depth), Untyped_Retype's destination as
 * LOADER_DEST(l) plus loader_offset(). With its own CNode of 2^R slots the loader's CSpace root
 * has a guard of 64 - 15 - R bits, so root slot j is cptr j << R (loader_root_slot). The memory
 * of the context is static storage in loader.c; nothing is allocated.
 */
#ifndef SIGIL_LOADER_INTERNAL_H
#define SIGIL_LOADER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sigil/abi.h>
#include <sigil/bootinfo.h>
#include <sigil/inspect.h>
#include <sigil/rm_boot.h>
#include <sigil/spec.h>

#include "alloc.h"
#include "loader.h"

/* ABI numbers, all from kernel/abi/sigil.yaml */
#define LOADER_PAGE   SIGIL_PAGE_SIZE
#define LOADER_FANOUT SIGIL_RETYPE_FAN_OUT_LIMIT /* most objects one Untyped_Retype makes */

/* TCB_Read/WriteRegisters context words (docs/kernel/tcb.md): pc, sp, spsr, then x0 ... */
#define LOADER_REG_FIRST_ARG Sigil_Ctx_X0
#define LOADER_REG_TLS       Sigil_Ctx_TPIDR_EL0

typedef struct loader {
    /* the spec, read in place (never written) */
    const sigil_spec_header_t *spec;
    const sigil_spec_object_t *objects;
    const sigil_spec_cap_t *caps;
    const sigil_spec_entry_t *entries;
    const sigil_spec_fill_t *fills;
    const sigil_spec_tcb_t *tcbs;
    const sigil_spec_irq_t *irqs;
    const sigil_spec_component_t *components;
    uint32_t num_objects;
    uint32_t num_entries;
    uint32_t manager; /* component index of the resource manager, or SIGIL_SPEC_NONE */
    /* the boot environment */
    const sigil_bootinfo_t *bi;
    uint64_t blob_vaddr;
    /* addressing (see above) */
    uint64_t svc;       /* cptr of the CNode cap that CNode operations on loader slots use */
    unsigned own_radix; /* R: radix of the loader's own CNode; 0 while it uses the root CNode */
    uint64_t own_index; /* root slot holding the loader's own CNode cap */
    uint64_t dest_root; /* Untyped_Retype destination (root, index, depth) of loader slots */
    uint64_t dest_index;
    uint64_t dest_depth;
    /* slot layout (see above) */
    uint64_t obj_base;
    uint64_t dup_base;
    uint64_t free_next;
    uint64_t free_end;
    uint64_t scratch_slot;
    uint64_t irq_control; /* slot of the IRQControl cap (moved if the spec names it) */
    uint64_t smc_master;  /* slot of the master SMC cap (moved if the spec names it) */
    uint64_t pad_first;   /* padding untypeds made for device objects: [pad_first, pad_end) */
    uint64_t pad_end;
    uint64_t scratch_vaddr; /* a page of the loader's address space for copying fills */
    /* placement, the same code as the compiler's check */
    sigil_alloc_t alloc;
    sigil_untyped_t untypeds[SIGIL_BOOTINFO_MAX_UNTYPEDS]; /* sorted by address */
    uint64_t untyped_slot[SIGIL_BOOTINFO_MAX_UNTYPEDS];    /* root slot of untypeds[i]'s cap */
    uint64_t sim_watermark[SIGIL_BOOTINFO_MAX_UNTYPEDS];   /* slots.c's dry run */
    uint64_t watermark[SIGIL_BOOTINFO_MAX_UNTYPEDS];
    uint32_t differences; /* check phase */
    loader_stats_t stats;
} loader_t;

/* Status constructors. */
static inline loader_status_t loader_ok(void)
{
    loader_status_t s = {LOADER_NUM_PHASES, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, 0, NULL};
    return s;
}

static inline int loader_failed(loader_status_t s)
{
    return s.phase != LOADER_NUM_PHASES;
}

static inline loader_status_t loader_fail(loader_phase_t phase, uint32_t object, uint32_t index,
                                          uint64_t error, const char *message)
{
    loader_status_t s = {phase, object, index, error, message};
    return s;
}

/* Evaluate a kernel call; on an error return a status from the enclosing phase function. */
#define LOADER_TRY(phase, object, index, call, message)                                            \
    do {                                                                                           \
        uint64_t loader_err_ = (call);                                                             \
        if (loader_err_ != Sigil_NoError) {                                                        \
            return loader_fail((phase), (object), (index), loader_err_, (message));                \
        }                                                                                          \
    } while (0)

/* Propagate a failed status. */
#define LOADER_PROPAGATE(expr)                                                                     \
    do {                                                                                           \
        loader_status_t loader_st_ = (expr);                                                       \
        if (loader_failed(loader_st_)) {                                                           \
            return loader_st_;                                                                     \
        }                                                                                          \
    } while (0)

/* Debug builds check the phases' conditions; a broken one is a loader bug, reported like any
 * other failure (never an abort at the call site). */
#ifdef SIGIL_LOADER_ASSERTS
#define LOADER_ENSURE(phase, object, cond, message)                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return loader_fail((phase), (object), SIGIL_SPEC_NONE, 0,                              \
                               "condition broken: " message);                                      \
        }                                                                                          \
    } while (0)
#else
#define LOADER_ENSURE(phase, object, cond, message) ((void)0)
#endif

static inline uint64_t loader_root_slot(const loader_t *l, uint64_t slot)
{
    return slot << l->own_radix;
}

static inline int loader_in_own_cnode(const loader_t *l, uint64_t cptr)
{
    return l->own_radix != 0 && (cptr >> l->own_radix) == l->own_index;
}

/* Index and depth of a loader slot for CNode operations through l->svc. */
static inline uint64_t loader_index(const loader_t *l, uint64_t cptr)
{
    return loader_in_own_cnode(l, cptr) ? cptr : cptr >> l->own_radix;
}

static inline uint64_t loader_depth(const loader_t *l, uint64_t cptr)
{
    return loader_in_own_cnode(l, cptr) ? 64 : 64 - l->own_radix;
}

#define LOADER_AT(l, cptr) (l)->svc, loader_index((l), (cptr)), loader_depth((l), (cptr))
#define LOADER_DEST(l)     (l)->dest_root, (l)->dest_index, (l)->dest_depth

/* Offset of a loader slot (obj, dup or free range) in the CNode LOADER_DEST names. */
static inline uint64_t loader_offset(const loader_t *l, uint64_t cptr)
{
    return l->own_radix == 0 ? cptr : cptr & (((uint64_t)1 << l->own_radix) - 1);
}

/* The cap of boot untyped i (address order). */
static inline uint64_t loader_untyped(const loader_t *l, uint32_t i)
{
    return loader_root_slot(l, l->untyped_slot[i]);
}

static inline uint64_t loader_obj_slot(const loader_t *l, uint32_t id)
{
    return l->obj_base + id;
}

static inline uint64_t loader_dup_slot(const loader_t *l, uint32_t entry)
{
    return l->dup_base + entry;
}

/* The next free slot of the loader's CNode, or 0 if none is left. */
static inline uint64_t loader_take_slot(loader_t *l)
{
    return l->free_next < l->free_end ? l->free_next++ : 0;
}

/* Whether the loader keeps a copy of a moved original: of everything it can copy (the start
 * and check phases use them; clean-up deletes them). An untyped copy would mark the original
 * full, IRQControl derives to nothing and an unmapped page table cannot be copied. */
static inline int loader_keeps_copy(const sigil_spec_object_t *o)
{
    return o->type != Sigil_UntypedObject && o->type != SIGIL_SPEC_TYPE_IRQ_CONTROL &&
           !(o->type == Sigil_PageTableObject && o->extra == SIGIL_SPEC_LEVEL_UNMAPPED);
}

/* The cap type the kernel reports for caps to objects of spec type `type`. */
unsigned loader_cap_type(uint8_t type);

/* Slot of the loader's image frame holding the blob page at blob offset `offset` (4 KiB
 * aligned), or 0 when that page is not a page of the image. */
uint64_t loader_image_page_slot(const loader_t *l, uint64_t offset);

/* Whether frame `id` takes a whole page of the blob that the loader can donate. */
int loader_donatable(const loader_t *l, uint32_t id);

/* create.c: the object phase's placement walk, objects in id order where `a` places them: RAM
 * objects retyped in runs (or donated), device objects after their padding. With `dry` it only
 * places (slots.c's dry run on a copy of the watermarks). Either way *padding is the number of
 * padding untypeds the device objects need, and `placed` (if not NULL) is told where each RAM
 * object placed in a boot untyped starts. */
typedef void (*loader_placed_t)(loader_t *l, uint32_t id, uint64_t paddr, void *ctx);
loader_status_t loader_place_objects(loader_t *l, sigil_alloc_t *a, int dry, uint64_t *padding,
                                     loader_placed_t placed, void *ctx);

/* Where loader_retype_split() puts untypeds: consecutive slots [next, end) of the CNode that
 * Untyped_Retype's (root, index, depth) names. `owner` is the spec CNode those slots belong to,
 * for reports, or SIGIL_SPEC_NONE for the loader's own slots. */
typedef struct {
    uint64_t root, index, depth;
    uint64_t next, end;
    uint32_t owner;
} loader_dest_t;

/* Retype [from, to) (offsets) of boot untyped `ut` as the maximal aligned child untypeds
 * sigil_split_region() cuts, one per slot of `d` (d->next advances). Fails with `no_room` (in
 * `phase`, for `object`) when `d` has no slot left: no part of the region is ever dropped. */
loader_status_t loader_retype_split(loader_t *l, uint32_t ut, uint64_t from, uint64_t to,
                                    loader_dest_t *d, loader_phase_t phase, uint32_t object,
                                    const char *no_room);

/* slots.c: lay out the loader's slots, making its own CNode if the root CNode is too small;
 * and at the very end, return to the boot CSpace layout. */
loader_status_t loader_lay_out(loader_t *l);
loader_status_t loader_leave_own_cnode(loader_t *l);

/* check.c: read slot `k` of spec CNode `id` (moved out to the scratch slot and back) into *out:
 * 1 if it holds a cap, 0 if it is empty; a slot that cannot be read or put back is reported as a
 * difference. loader_expect reports `what` of object `id` (slot `index`) if got != want. The
 * differences make the phase that found them fail (loader_check, the handover). */
int loader_read_slot(loader_t *l, uint32_t id, uint64_t k, sigil_cap_info_t *out);
void loader_expect(loader_t *l, uint32_t id, uint32_t index, const char *what, uint64_t got,
                   uint64_t want);

/* rm_boot.c: the resource manager's boot page, written by the handover (<sigil/rm_boot.h>).
 * begin: lay it out (nothing to do without a policy or boot page); pool: record the untyped `u`
 * just put in slot `slot` of the manager's cspace (and, with the check, compare the slot with
 * it); finish: write the rest, with `first_free` the manager's first empty slot after them. */
typedef struct {
    const sigil_spec_rm_t *rm; /* NULL: no boot page */
    uint64_t mapped;           /* boot page frame mapped at the scratch address, or none */
    uint64_t clients_at, regions_at, words_at, strings_at, strings_len, pool_at;
    uint64_t pool; /* pool records written */
} loader_rm_boot_t;
loader_status_t loader_rm_boot_begin(loader_t *l, loader_rm_boot_t *w);
loader_status_t loader_rm_boot_pool(loader_t *l, loader_rm_boot_t *w, uint64_t slot,
                                    const sigil_untyped_t *u);
loader_status_t loader_rm_boot_finish(loader_t *l, loader_rm_boot_t *w, uint64_t first_free);

/* The phases (pre- and postconditions at their definitions). */
loader_status_t loader_create_objects(loader_t *l);
loader_status_t loader_create_irqs(loader_t *l);
loader_status_t loader_duplicate_caps(loader_t *l);
loader_status_t loader_bind_irqs(loader_t *l);
loader_status_t loader_init_vspaces(loader_t *l);
loader_status_t loader_init_tcbs(loader_t *l);
loader_status_t loader_init_cspaces(loader_t *l);
loader_status_t loader_check(loader_t *l);
loader_status_t loader_hand_over(loader_t *l);
loader_status_t loader_start_threads(loader_t *l);
loader_status_t loader_clean_up(loader_t *l);

#endif /* SIGIL_LOADER_INTERNAL_H */
