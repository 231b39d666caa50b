/*
 * Deterministic object placement (contracts in alloc.h).
 *
 * Everything here is integer arithmetic on caller-provided arrays so that the loader can run it
 * freestanding at boot and the host tests can run it under sanitizers.
 */
#include "alloc.h"

#define BIT64(b) ((uint64_t)1 << (b))

void sigil_alloc_init(sigil_alloc_t *a, const sigil_untyped_t *untypeds, uint64_t *watermark,
                      size_t count)
{
    a->untypeds = untypeds;
    a->watermark = watermark;
    a->count = count;
    a->last_ram_bits = 0xff;
    a->last_dev_end = 0;
    for (size_t i = 0; i < count; i++) {
        watermark[i] = 0;
    }
}

static uint64_t align_up(uint64_t x, unsigned bits)
{
    return (x + BIT64(bits) - 1) & ~(BIT64(bits) - 1);
}

sigil_alloc_status_t sigil_alloc_ram(sigil_alloc_t *a, uint8_t size_bits, sigil_place_t *out)
{
    if (size_bits == 0 || size_bits > SIGIL_UT_MAX_BITS) {
        return SIGIL_ALLOC_BAD_SIZE;
    }
    if (size_bits > a->last_ram_bits) {
        return SIGIL_ALLOC_BAD_ORDER;
    }
    a->last_ram_bits = size_bits;
    for (size_t i = 0; i < a->count; i++) {
        const sigil_untyped_t *ut = &a->untypeds[i];
        if (ut->is_device || size_bits > ut->size_bits) {
            continue;
        }
        uint64_t at = align_up(a->watermark[i], size_bits);
        if (at + BIT64(size_bits) <= BIT64(ut->size_bits)) {
            a->watermark[i] = at + BIT64(size_bits);
            out->untyped = (uint32_t)i;
            out->offset = at;
            out->gap = at;
            return SIGIL_ALLOC_OK;
        }
    }
    return SIGIL_ALLOC_NO_SPACE;
}

/* Index of the last untyped starting at or below paddr, or count if none. */
static size_t find_untyped(const sigil_alloc_t *a, uint64_t paddr)
{
    size_t lo = 0, hi = a->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->untypeds[mid].paddr <= paddr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? a->count : lo - 1;
}

sigil_alloc_status_t sigil_alloc_device(sigil_alloc_t *a, uint64_t paddr, uint8_t size_bits,
                                        sigil_place_t *out)
{
    if (size_bits == 0 || size_bits > SIGIL_UT_MAX_BITS || (paddr & (BIT64(size_bits) - 1))) {
        return SIGIL_ALLOC_BAD_SIZE;
    }
    size_t i = find_untyped(a, paddr);
    if (i == a->count) {
        return SIGIL_ALLOC_NOT_COVERED;
    }
    const sigil_untyped_t *ut = &a->untypeds[i];
    uint64_t offset = paddr - ut->paddr;
    if (!ut->is_device || size_bits > ut->size_bits ||
        offset + BIT64(size_bits) > BIT64(ut->size_bits)) {
        return SIGIL_ALLOC_NOT_COVERED;
    }
    if (paddr < a->last_dev_end || offset < a->watermark[i]) {
        return SIGIL_ALLOC_OVERLAP;
    }
    out->untyped = (uint32_t)i;
    out->offset = offset;
    out->gap = a->watermark[i];
    a->watermark[i] = offset + BIT64(size_bits);
    a->last_dev_end = paddr + BIT64(size_bits);
    return SIGIL_ALLOC_OK;
}

uint64_t sigil_alloc_free_ram(const sigil_alloc_t *a)
{
    uint64_t total = 0;
    for (size_t i = 0; i < a->count; i++) {
        if (!a->untypeds[i].is_device) {
            total += BIT64(a->untypeds[i].size_bits) - a->watermark[i];
        }
    }
    return total;
}
