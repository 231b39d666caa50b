/*
 * Object placement, shared by the spec compiler (build-time check) and the capDL loader (boot),
 * over the boot untyped list the kernel makes (kernel/src/lib/boot_untypeds.h). Pure functions
 * on caller-provided arrays: no heap, no libc.
 *
 * Placement. Objects are placed one at a time, in the order the caller gives them:
 *   - RAM objects must come in non-increasing size order; each goes to the first untyped (in list
 *     order) with room for it at its watermark. Because sizes never grow and every untyped is
 *     naturally aligned, each watermark is always aligned to the next object's size, so there is
 *     no alignment waste and the result equals what seL4's Untyped_Retype does.
 *   - Device objects must come in increasing physical address order; each goes to the device
 *     untyped that contains it, and the caller fills the gap [watermark, paddr) with padding
 *     untypeds (sigil_split_region gives them).
 * The same inputs always give the same placement, which is why the compiler's check holds for
 * the loader as long as the real untyped list offers at least what the model offered.
 */
#ifndef SIGIL_ALLOC_H
#define SIGIL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "lib/boot_untypeds.h"

typedef enum {
    SIGIL_ALLOC_OK = 0,
    SIGIL_ALLOC_NO_SPACE,    /* no RAM untyped has room for the object */
    SIGIL_ALLOC_NOT_COVERED, /* no device untyped contains the device object */
    SIGIL_ALLOC_OVERLAP,     /* the device object starts below the untyped's watermark */
    SIGIL_ALLOC_BAD_ORDER,   /* objects not given in the order the contract requires */
    SIGIL_ALLOC_BAD_SIZE,    /* size_bits outside 1..SIGIL_UT_MAX_BITS or misaligned paddr */
} sigil_alloc_status_t;

/* Placement state. `watermark[i]` is the offset of the first free byte in untyped i. */
typedef struct {
    const sigil_untyped_t *untypeds;
    uint64_t *watermark;
    size_t count;
    uint8_t last_ram_bits; /* size of the previous RAM object (order check) */
    uint64_t last_dev_end; /* end of the previous device object (order check) */
} sigil_alloc_t;

/* Where an object went: untyped index and byte offset inside it. For device objects `gap` is the
 * offset where the padding starts (the watermark before the object). */
typedef struct {
    uint32_t untyped;
    uint64_t offset;
    uint64_t gap;
} sigil_place_t;

/* Start a placement over `count` untypeds (sorted by address); `watermark` is caller storage
 * for `count` entries, cleared here. */
void sigil_alloc_init(sigil_alloc_t *a, const sigil_untyped_t *untypeds, uint64_t *watermark,
                      size_t count);

/* Place a RAM object of 2^size_bits bytes. Sizes must be non-increasing across calls. On
 * failure nothing changes and later (smaller) objects may still fit. */
sigil_alloc_status_t sigil_alloc_ram(sigil_alloc_t *a, uint8_t size_bits, sigil_place_t *out);

/* Place a device object of 2^size_bits bytes at `paddr` (aligned to its size). Device objects
 * must come in increasing address order. On failure nothing changes. */
sigil_alloc_status_t sigil_alloc_device(sigil_alloc_t *a, uint64_t paddr, uint8_t size_bits,
                                        sigil_place_t *out);

/* Bytes still free in RAM untypeds after the watermarks. */
uint64_t sigil_alloc_free_ram(const sigil_alloc_t *a);

#endif /* SIGIL_ALLOC_H */
