/*
 * Capabilities: a two-word value naming one kernel object (or a region, an IRQ, an SMC
 * badge) together with the authority it conveys.
 *
 * Layout: kernel/abi/cap_layout.yaml names every field (word, bits, how it is stored) and
 * tools/bitfieldgen.py generates its accessors, <sigil/cap_layout.h> (cap_get_untyped_size_bits,
 * cap_set_rights, ...), and docs/kernel/cap-layout.md. In short: w0 holds the type (bits 0-4),
 * per-type small fields (bits 5-15: rights, size, radix, device bit, zombie kind) and the object
 * pointer (bits 16-63, sign-extended); w1 is a per-type word (badge, untyped watermark, CNode
 * guard data, mapping, IRQ, zombie progress). Only the accessors below use the generated ones;
 * nothing in the kernel shifts or masks a cap word itself.
 * A cap is a plain value: functions here never touch kernel state, they only compute. The
 * rules that decide what Copy/Mint/Mutate produce (derivation, rights masking, cap data) and
 * which caps are related in the derivation tree (same region / same object) live here too,
 * because they are functions of caps alone.
 */
#ifndef OBJECT_CAP_H
#define OBJECT_CAP_H

#include <object/types.h>
#include <sigil/abi.h>

typedef struct cap {
    word_t w0;
    word_t w1;
} cap_t;

typedef sigil_cap_type_t cap_type_t;

#include <sigil/cap_layout.h>

/* What a zombie cap is finalising. Container kinds empty a slot array; queue kinds drain a
 * queue of waiting threads. */
typedef enum {
    ZOMBIE_CNODE = 1,
    ZOMBIE_TCB = 2,
    ZOMBIE_IRQ = 3,
    ZOMBIE_ENDPOINT = 4,
    ZOMBIE_NOTIFICATION = 5,
} zombie_kind_t;

/* Frame sizes as stored in a frame cap. */
typedef enum {
    FRAME_4K = 0,
    FRAME_2M = 1,
    FRAME_1G = 2,
} frame_size_t;

/* log2 of the bytes a frame of size class `size` covers. */
static inline unsigned frame_size_bits(frame_size_t size)
{
    /* Each size class maps one translation level higher: 9 bits more. */
    _Static_assert(Sigil_Frame2MBits == Sigil_Frame4KBits + 9 &&
                       Sigil_Frame1GBits == Sigil_Frame2MBits + 9,
                   "frame sizes are 4 KiB, 2 MiB and 1 GiB");
    return Sigil_Frame4KBits + 9 * (unsigned)size;
}

#define CAP_RIGHTS_MASK      ((word_t)Sigil_AllRights)
#define CAP_ZOMBIE_MAX_COUNT (BIT(CAP_ZOMBIE_COUNT_HIGH_BITS + CAP_ZOMBIE_COUNT_LOW_BITS) - 1)

/* ---- raw field access ---- */

static inline cap_t cap_null(void)
{
    cap_t c = {0, 0};
    return c;
}

static inline cap_type_t cap_type(cap_t c)
{
    return (cap_type_t)cap_get_common_type(c);
}

static inline bool cap_is_null(cap_t c)
{
    return cap_type(c) == Sigil_CapNone;
}

static inline void *cap_ptr(cap_t c)
{
    return (void *)(uintptr_t)cap_get_common_ptr(c);
}

/* Build a cap of `type` naming `ptr` (must be a canonical 48-bit address or NULL). */
cap_t cap_make(cap_type_t type, const void *ptr, word_t w1);

static inline bool cap_equal(cap_t a, cap_t b)
{
    return a.w0 == b.w0 && a.w1 == b.w1;
}

/* ---- per-type constructors and accessors ---- */

cap_t cap_untyped(const void *base, unsigned size_bits, bool is_device, word_t watermark);
static inline unsigned cap_untyped_size_bits(cap_t c)
{
    return (unsigned)cap_get_untyped_size_bits(c);
}
static inline bool cap_untyped_is_device(cap_t c)
{
    return cap_get_untyped_is_device(c) != 0;
}
static inline word_t cap_untyped_watermark(cap_t c)
{
    return cap_get_untyped_watermark(c);
}
static inline cap_t cap_untyped_set_watermark(cap_t c, word_t wm)
{
    return cap_set_untyped_watermark(c, wm);
}

/* Endpoint, notification: rights and badge. SMC, Debug: badge (0: the master cap; a Debug
 * cap's badge is the set of Sigil_Debug* operations it allows). */
cap_t cap_endpoint(const void *ep, word_t badge, unsigned rights);
cap_t cap_notification(const void *ntfn, word_t badge, unsigned rights);
cap_t cap_smc(word_t badge);
cap_t cap_debug(word_t badge);
static inline unsigned cap_rights(cap_t c)
{
    return (unsigned)cap_get_rights(c);
}
/* The badge of an endpoint, notification, SMC or Debug cap (0 for every other type). */
word_t cap_badge(cap_t c);
static inline bool cap_has_badge(cap_t c)
{
    const word_t badged = BIT(Sigil_CapEndpoint) | BIT(Sigil_CapNotification) | BIT(Sigil_CapSMC) |
                          BIT(Sigil_CapDebug);
    return (badged >> cap_type(c)) & 1;
}

/* CNode: radix, and seL4's cap data `guard << 6 | guard_size` as two fields. */
cap_t cap_cnode(const void *cnode, unsigned radix, word_t guard, unsigned guard_size);
static inline unsigned cap_cnode_radix(cap_t c)
{
    return (unsigned)cap_get_cnode_radix(c);
}
static inline unsigned cap_cnode_guard_size(cap_t c)
{
    return (unsigned)cap_get_cnode_guard_size(c);
}
static inline word_t cap_cnode_guard(cap_t c)
{
    return cap_get_cnode_guard(c);
}

cap_t cap_tcb(const void *tcb);
cap_t cap_reply(const void *reply);
cap_t cap_irq_control(void);
cap_t cap_irq_handler(word_t irq);
static inline word_t cap_irq(cap_t c)
{
    return cap_get_irq_handler_irq(c);
}

/* Frame: rights (Read/Write), size class, device bit, and the mapping record, all zero when
 * unmapped (see below). */
cap_t cap_frame(const void *frame, frame_size_t size, bool is_device, unsigned rights);
/* The cap to a new frame (made by retype or at boot) of retype type `object_type`, which must be
 * one of the Frame types: Read and Write, unmapped. */
cap_t cap_frame_new(const void *frame, word_t object_type, bool is_device);
static inline frame_size_t cap_frame_size(cap_t c)
{
    return (frame_size_t)cap_get_frame_size(c);
}
static inline bool cap_frame_is_device(cap_t c)
{
    return cap_get_frame_is_device(c) != 0;
}
/* PageTable: the mapping record, zero when unmapped. VSpace: no fields of its own.
 * A mapping record names the VSpace by an identifier the arch layer chooses (nonzero, at most
 * CAP_MAPPING_ASID_BITS; on AArch64 the VSpace's page frame number) and the page-aligned
 * virtual address. "asid" in the accessors' names means that identifier. */
cap_t cap_page_table(const void *pt);
cap_t cap_vspace(const void *vs);
static inline word_t cap_mapped_asid(cap_t c)
{
    return cap_get_mapping_asid(c);
}
static inline word_t cap_mapped_vaddr(cap_t c)
{
    return cap_get_mapping_vaddr(c);
}
static inline cap_t cap_set_mapping(cap_t c, word_t asid, word_t vaddr)
{
    return cap_set_mapping_vaddr(cap_set_mapping_asid(c, asid), vaddr);
}

/* Zombie: kind, and a count split in two fields (count_high, count_low); `link` is the slot
 * holding the zombie this one interrupts (or NULL). */
struct cte;
cap_t cap_zombie(zombie_kind_t kind, const void *ptr, word_t count, const struct cte *link);
static inline zombie_kind_t cap_zombie_kind(cap_t c)
{
    return (zombie_kind_t)cap_get_zombie_kind(c);
}
word_t cap_zombie_count(cap_t c);
cap_t cap_zombie_set_count(cap_t c, word_t count);
struct cte *cap_zombie_link(cap_t c);

/* ---- object extent ---- */

/* log2 of the size of the object a cap names (0 for caps that name no memory object). */
unsigned cap_object_size_bits(cap_t c);
/* Whether the cap names memory (so it lives inside some untyped or boot region). */
bool cap_names_memory(cap_t c);

/* ---- derivation rules (seL4's) ---- */

/* b's object/region is inside a's (the first half of "b may be a's child"). */
bool cap_same_region_as(cap_t a, cap_t b);
/* a and b name the same object, so deleting one of them is not final if the other exists. */
bool cap_same_object_as(cap_t a, cap_t b);
/* Whether a cap derived from `src` as `derived` becomes a parent of later derivations. */
bool cap_is_revocable(cap_t derived, cap_t src);
/* Rights masking for Copy/Mint (frames: Read/Write only, Write needs Read). */
cap_t cap_mask_rights(cap_t c, unsigned rights);
/* seL4's updateCapData: Mint (preserve=false) sets a badge on an unbadged cap or the guard
 * of a CNode cap; Mutate/Rotate (preserve=true) may only change a CNode guard. Returns the
 * null cap when the result would be invalid. */
cap_t cap_update_data(bool preserve, word_t data, cap_t c);

#endif /* OBJECT_CAP_H */
