/*
 * Host unit tests of the boot untyped model and the placement algorithm (capdl-loader/common/
 * alloc.c): fixed cases from seL4's splitting rule, then property tests over random inputs
 * (fixed seeds, so every run checks the same cases): blocks are aligned, maximal and cover the
 * region; placed objects are aligned, inside RAM untypeds and never overlap; a failed object
 * really had no room; the same input always gives the same placement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "check.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t bit(unsigned b)
{
    return (uint64_t)1 << b;
}

static void test_split_fixed(void)
{
    sigil_untyped_t out[8];
    size_t n = sigil_split_region(0x1000, 0x4000, 0, out, 8);
    CHECK(n == 2);
    CHECK(out[0].paddr == 0x1000 && out[0].size_bits == 12);
    CHECK(out[1].paddr == 0x2000 && out[1].size_bits == 13);
    /* Free RAM of the default platform after a 64 MiB reserve: 64 + 128 + 256 + 512 MiB. */
    n = sigil_split_region(0x44000000, 0x80000000, 0, out, 8);
    CHECK(n == 4);
    CHECK(out[0].paddr == 0x44000000 && out[0].size_bits == 26);
    CHECK(out[3].paddr == 0x60000000 && out[3].size_bits == 29);
    /* Pieces below 16 bytes are dropped; counting works without an array. */
    CHECK(sigil_split_region(0x8, 0x20, 1, NULL, 0) == 1);
    CHECK(sigil_split_region(0x5, 0xc, 1, NULL, 0) == 0);
    /* Blocks never exceed 2^47. */
    n = sigil_split_region(0, bit(49), 1, out, 8);
    CHECK(n == 4 && out[0].size_bits == 47 && out[3].paddr == 3 * bit(47));
}

/* Every block aligned, maximal and in order; blocks plus dropped bits cover the region. */
static void check_split(uint64_t start, uint64_t end)
{
    size_t n = sigil_split_region(start, end, 0, NULL, 0);
    sigil_untyped_t *b = malloc((n + 1) * sizeof *b);
    CHECK(sigil_split_region(start, end, 0, b, n) == n);
    uint64_t covered = 0, prev_end = start;
    for (size_t i = 0; i < n; i++) {
        uint64_t size = bit(b[i].size_bits);
        CHECK(b[i].size_bits >= SIGIL_UT_MIN_BITS && b[i].size_bits <= SIGIL_UT_MAX_BITS);
        CHECK((b[i].paddr & (size - 1)) == 0);
        /* only an unaligned head (under 16 bytes) comes before the first block; no gaps after */
        CHECK(i == 0 ? b[i].paddr - start < bit(SIGIL_UT_MIN_BITS) : b[i].paddr == prev_end);
        CHECK(b[i].paddr + size <= end);
        /* maximal: the doubled block would be misaligned, too long, or too big */
        int grows = b[i].size_bits < SIGIL_UT_MAX_BITS && (b[i].paddr & (2 * size - 1)) == 0 &&
                    b[i].paddr + 2 * size <= end;
        CHECK(!grows);
        prev_end = b[i].paddr + size;
        covered += size;
    }
    /* sigil_split_next gives the same blocks one at a time */
    uint64_t cur = start;
    sigil_untyped_t one;
    for (size_t i = 0; i < n; i++) {
        CHECK(sigil_split_next(&cur, end, 0, &one) && one.paddr == b[i].paddr &&
              one.size_bits == b[i].size_bits);
    }
    CHECK(!sigil_split_next(&cur, end, 0, &one) && cur >= end);
    /* At most 15 bytes can be dropped at each end of a run. */
    CHECK(end - start - covered < 2 * bit(SIGIL_UT_MIN_BITS));
    free(b);
}

static void test_split_random(void)
{
    rng_state = 0x5eed;
    for (int i = 0; i < 2000; i++) {
        uint64_t a = rnd() & (bit(40) - 1), len = rnd() & (bit(1 + rnd() % 39) - 1);
        check_split(a, a + len);
    }
}

/* Device memory is everything outside RAM below 2^40 except the GIC and the console UART. */
static void test_device_regions(void)
{
    sigil_region_t r[SIGIL_MAX_DEVICE_REGIONS];
    size_t n = sigil_device_regions(0x40000000, 0x80000000, r, SIGIL_MAX_DEVICE_REGIONS);
    CHECK(n == 4);
    CHECK(r[0].start == 0 && r[0].end == 0x08000000);
    CHECK(r[1].start == 0x08050000 && r[1].end == 0x09000000);
    CHECK(r[2].start == 0x09001000 && r[2].end == 0x40000000);
    CHECK(r[3].start == 0x80000000 && r[3].end == bit(SIGIL_UT_DEVICE_TOP_BITS));
    CHECK(sigil_device_regions(0x40000000, 0x80000000, NULL, 0) == 4);
    CHECK(sigil_kernel_device_at(0x09000000, 12) == &sigil_kernel_devices[1]);
    CHECK(sigil_kernel_device_at(0x08040000, 16) == &sigil_kernel_devices[0]);
    CHECK(sigil_kernel_device_at(0x08000000, 28) != NULL); /* covers both */
    CHECK(sigil_kernel_device_at(0x09001000, 12) == NULL);
    CHECK(sigil_kernel_device_at(0x08050000, 12) == NULL);
}

static void test_boot_untypeds(void)
{
    size_t n = sigil_boot_untypeds(0x40000000, 0x40000000, 64ull << 20, NULL, 0);
    sigil_untyped_t *u = malloc(n * sizeof *u);
    CHECK(sigil_boot_untypeds(0x40000000, 0x40000000, 64ull << 20, u, n) == n);
    uint64_t ram = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t end = u[i].paddr + bit(u[i].size_bits);
        CHECK(u[i].paddr >= prev_end);
        CHECK(end <= bit(SIGIL_UT_DEVICE_TOP_BITS));
        int in_ram = u[i].paddr >= 0x40000000 && end <= 0x80000000;
        CHECK(u[i].is_device == !in_ram);
        CHECK(!u[i].is_device || end <= 0x40000000 || u[i].paddr >= 0x80000000);
        CHECK(sigil_kernel_device_at(u[i].paddr, u[i].size_bits) == NULL);
        if (!u[i].is_device) {
            CHECK(u[i].paddr >= 0x44000000);
            ram += bit(u[i].size_bits);
        }
        prev_end = end;
    }
    CHECK(ram == 0x40000000 - (64ull << 20));
    free(u);
}

typedef struct {
    uint8_t bits;
    int ok;
    sigil_place_t at;
} obj_t;

static int cmp_bits_desc(const void *a, const void *b)
{
    return (int)((const obj_t *)b)->bits - (int)((const obj_t *)a)->bits;
}

static void place_all(const sigil_untyped_t *u, size_t nu, obj_t *o, size_t n)
{
    uint64_t *wm = malloc(nu * sizeof *wm);
    sigil_alloc_t a;
    sigil_alloc_init(&a, u, wm, nu);
    for (size_t i = 0; i < n; i++) {
        uint64_t before = sigil_alloc_free_ram(&a);
        o[i].ok = sigil_alloc_ram(&a, o[i].bits, &o[i].at) == SIGIL_ALLOC_OK;
        CHECK(o[i].ok ? sigil_alloc_free_ram(&a) == before - bit(o[i].bits)
                      : sigil_alloc_free_ram(&a) == before);
        if (!o[i].ok) {
            /* It really had no room: every RAM untyped is too small or too full. */
            for (size_t k = 0; k < nu; k++) {
                CHECK(u[k].is_device || o[i].bits > u[k].size_bits ||
                      bit(u[k].size_bits) - wm[k] < bit(o[i].bits));
            }
        }
    }
    free(wm);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void check_placement(const sigil_untyped_t *u, const obj_t *o, size_t n)
{
    uint64_t *iv = malloc(2 * n * sizeof *iv);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!o[i].ok) {
            continue;
        }
        const sigil_untyped_t *ut = &u[o[i].at.untyped];
        uint64_t pa = ut->paddr + o[i].at.offset;
        CHECK(!ut->is_device);
        CHECK((pa & (bit(o[i].bits) - 1)) == 0);
        CHECK(o[i].at.offset + bit(o[i].bits) <= bit(ut->size_bits));
        iv[2 * k] = pa;
        iv[2 * k + 1] = pa + bit(o[i].bits);
        k++;
    }
    qsort(iv, k, 2 * sizeof *iv, cmp_u64); /* sorts (start, end) pairs by start */
    for (size_t i = 1; i < k; i++) {
        CHECK(iv[2 * i] >= iv[2 * i - 1]);
    }
    free(iv);
}

static void test_place_random(void)
{
    size_t nu = sigil_boot_untypeds(0x40000000, 0x40000000, 64ull << 20, NULL, 0);
    sigil_untyped_t *u = malloc(nu * sizeof *u);
    sigil_boot_untypeds(0x40000000, 0x40000000, 64ull << 20, u, nu);
    rng_state = 0xa110c;
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rnd() % 3000;
        obj_t *o = calloc(n, sizeof *o), *again = calloc(n, sizeof *again);
        for (size_t i = 0; i < n; i++) {
            o[i].bits = (uint8_t)(4 + rnd() % (round % 4 == 0 ? 26 : 18));
        }
        qsort(o, n, sizeof *o, cmp_bits_desc);
        memcpy(again, o, n * sizeof *o);
        place_all(u, nu, o, n);
        check_placement(u, o, n);
        place_all(u, nu, again, n);
        CHECK(memcmp(o, again, n * sizeof *o) == 0); /* deterministic */
        free(o);
        free(again);
    }
    free(u);
}

static void test_place_errors(void)
{
    sigil_untyped_t u[3] = {{0x09000000, 24, 1}, {0x40000000, 20, 0}, {0x40100000, 20, 0}};
    uint64_t wm[3];
    sigil_alloc_t a;
    sigil_place_t at;
    sigil_alloc_init(&a, u, wm, 3);
    CHECK(sigil_alloc_ram(&a, 20, &at) == SIGIL_ALLOC_OK && at.untyped == 1);
    CHECK(sigil_alloc_ram(&a, 21, &at) == SIGIL_ALLOC_BAD_ORDER);
    CHECK(sigil_alloc_ram(&a, 20, &at) == SIGIL_ALLOC_OK && at.untyped == 2);
    CHECK(sigil_alloc_ram(&a, 12, &at) == SIGIL_ALLOC_NO_SPACE);
    CHECK(sigil_alloc_ram(&a, 0, &at) == SIGIL_ALLOC_BAD_SIZE);
    /* Device objects: exact address, gap reported, increasing order, no overlap. */
    CHECK(sigil_alloc_device(&a, 0x09001000, 12, &at) == SIGIL_ALLOC_OK);
    CHECK(at.untyped == 0 && at.offset == 0x1000 && at.gap == 0);
    CHECK(sigil_alloc_device(&a, 0x09001000, 12, &at) == SIGIL_ALLOC_OVERLAP);
    CHECK(sigil_alloc_device(&a, 0x09010000, 16, &at) == SIGIL_ALLOC_OK && at.gap == 0x2000);
    CHECK(sigil_alloc_device(&a, 0x09000800, 12, &at) == SIGIL_ALLOC_BAD_SIZE);
    CHECK(sigil_alloc_device(&a, 0x40000000, 12, &at) == SIGIL_ALLOC_NOT_COVERED);
    CHECK(sigil_alloc_device(&a, 0x08000000, 12, &at) == SIGIL_ALLOC_NOT_COVERED);
    CHECK(sigil_alloc_device(&a, 0x0a000000, 25, &at) == SIGIL_ALLOC_NOT_COVERED);
}

int main(void)
{
    test_split_fixed();
    test_split_random();
    test_device_regions();
    test_boot_untypeds();
    test_place_random();
    test_place_errors();
    if (failures) {
        fprintf(stderr, "test_alloc: %d checks failed\n", failures);
        return 1;
    }
    printf("test_alloc: all checks passed\n");
    return 0;
}
