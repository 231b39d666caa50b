/*
 * The boot untyped list (contracts in boot_untypeds.h): built by the kernel at boot, modelled by
 * the spec compiler and the capDL loader with this same code.
 *
 * Everything here is integer arithmetic on caller-provided arrays so that the loader can run it
 * freestanding at boot and the host tests can run it under sanitizers.
 */
#include "lib/boot_untypeds.h"

#include <sigil/abi.h>

#define BIT64(b) ((uint64_t)1 << (b))

const sigil_kernel_device_t sigil_kernel_devices[SIGIL_NUM_KERNEL_DEVICES] = {
    {SIGIL_PLAT_GICD_BASE, SIGIL_PLAT_GICD_BASE + SIGIL_PLAT_GIC_SIZE, "interrupt controller"},
    {SIGIL_PLAT_UART_BASE, SIGIL_PLAT_UART_BASE + SIGIL_PLAT_UART_SIZE, "console UART"},
};

static unsigned floor_log2(uint64_t x)
{
    return 63u - (unsigned)__builtin_clzll(x);
}

/* Largest b such that `cur` is aligned to 2^b and cur + 2^b <= end (cur < end). */
static unsigned block_bits(uint64_t cur, uint64_t end)
{
    unsigned align = cur == 0 ? 63u : (unsigned)__builtin_ctzll(cur);
    unsigned fit = floor_log2(end - cur);
    unsigned b = align < fit ? align : fit;
    return b < SIGIL_UT_MAX_BITS ? b : SIGIL_UT_MAX_BITS;
}

int sigil_split_next(uint64_t *cur, uint64_t end, int is_device, sigil_untyped_t *out)
{
    while (*cur < end) {
        unsigned b = block_bits(*cur, end);
        uint64_t at = *cur;
        *cur += BIT64(b);
        if (b >= SIGIL_UT_MIN_BITS) {
            *out = (sigil_untyped_t){at, (uint8_t)b, (uint8_t)(is_device != 0)};
            return 1;
        }
    }
    return 0;
}

size_t sigil_split_region(uint64_t start, uint64_t end, int is_device, sigil_untyped_t *out,
                          size_t max)
{
    size_t n = 0;
    sigil_untyped_t block;
    while (sigil_split_next(&start, end, is_device, &block)) {
        if (n < max) {
            out[n] = block;
        }
        n++;
    }
    return n;
}

/* Append the blocks of [start, end) after the `n` already counted. */
static size_t append_region(uint64_t start, uint64_t end, int is_device, sigil_untyped_t *out,
                            size_t max, size_t n)
{
    if (start >= end) {
        return n;
    }
    sigil_untyped_t *dst = n < max ? out + n : NULL;
    size_t room = n < max ? max - n : 0;
    return n + sigil_split_region(start, end, is_device, dst, room);
}

/* Append [start, end) to the `n` regions counted so far if it is not empty. */
static size_t add_region(uint64_t start, uint64_t end, sigil_region_t *out, size_t max, size_t n)
{
    if (start >= end) {
        return n;
    }
    if (n < max) {
        out[n] = (sigil_region_t){start, end};
    }
    return n + 1;
}

size_t sigil_device_regions(uint64_t ram_base, uint64_t ram_end, sigil_region_t *out, size_t max)
{
    /* What is not device memory, sorted by address: the kernel's devices and RAM. */
    sigil_region_t taken[SIGIL_NUM_KERNEL_DEVICES + 1];
    size_t t = 0;
    for (; t < SIGIL_NUM_KERNEL_DEVICES; t++) {
        taken[t] = (sigil_region_t){sigil_kernel_devices[t].start, sigil_kernel_devices[t].end};
    }
    size_t k = t++;
    for (; k > 0 && taken[k - 1].start > ram_base; k--) {
        taken[k] = taken[k - 1];
    }
    taken[k] = (sigil_region_t){ram_base, ram_end};
    size_t n = 0;
    uint64_t at = 0;
    for (size_t i = 0; i < t; i++) {
        n = add_region(at, taken[i].start, out, max, n);
        at = taken[i].end > at ? taken[i].end : at;
    }
    return add_region(at, BIT64(SIGIL_UT_DEVICE_TOP_BITS), out, max, n);
}

const sigil_kernel_device_t *sigil_kernel_device_at(uint64_t paddr, unsigned size_bits)
{
    uint64_t end = paddr + BIT64(size_bits);
    for (size_t i = 0; i < SIGIL_NUM_KERNEL_DEVICES; i++) {
        const sigil_kernel_device_t *d = &sigil_kernel_devices[i];
        if (paddr < d->end && d->start < end) {
            return d;
        }
    }
    return NULL;
}

size_t sigil_boot_untypeds(uint64_t ram_base, uint64_t ram_size, uint64_t reserve,
                           sigil_untyped_t *out, size_t max)
{
    uint64_t ram_end = ram_base + ram_size;
    sigil_region_t dev[SIGIL_MAX_DEVICE_REGIONS];
    size_t ndev = sigil_device_regions(ram_base, ram_end, dev, SIGIL_MAX_DEVICE_REGIONS);
    size_t n = 0, i = 0;
    for (; i < ndev && dev[i].start < ram_base; i++) {
        n = append_region(dev[i].start, dev[i].end, 1, out, max, n);
    }
    n = append_region(ram_base + reserve, ram_end, 0, out, max, n);
    for (; i < ndev; i++) {
        n = append_region(dev[i].start, dev[i].end, 1, out, max, n);
    }
    return n;
}
