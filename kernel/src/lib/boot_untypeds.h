/*
 * How the kernel turns physical memory into its boot untypeds. The kernel owns this algorithm;
 * the spec compiler (build-time placement check) and the capDL loader (boot) compile this same
 * file to model the list they will get, so model and kernel cannot disagree. Pure functions on
 * caller-provided arrays: no heap, no libc.
 *
 * The kernel splits every free physical region [start, end) into maximal naturally
 * aligned power-of-two blocks (seL4's algorithm): from the current address take the largest block
 * 2^b that is aligned there and ends at or before `end`, with SIGIL_UT_MIN_BITS <= b <=
 * SIGIL_UT_MAX_BITS; leftovers smaller than the minimum are dropped. RAM after the reserved head
 * gives normal untypeds; every non-RAM address below 2^SIGIL_UT_DEVICE_TOP_BITS gives device
 * untypeds, except the devices the kernel keeps for itself (sigil_kernel_devices). The list is
 * sorted by address. The kernel makes its boot untypeds from the same device regions
 * (sigil_device_regions), so the compiler's model and the real list cannot disagree on them.
 */
#ifndef SIGIL_LIB_BOOT_UNTYPEDS_H
#define SIGIL_LIB_BOOT_UNTYPEDS_H

#include <stddef.h>
#include <stdint.h>

#define SIGIL_UT_MIN_BITS        4
#define SIGIL_UT_MAX_BITS        47
#define SIGIL_UT_DEVICE_TOP_BITS 40
/* Default RAM reserve for the DTB, kernel image, loader image and boot structures. */
#define SIGIL_DEFAULT_RESERVE (64ull << 20)

typedef struct {
    uint64_t paddr;
    uint8_t size_bits;
    uint8_t is_device;
} sigil_untyped_t;

/* A physical address range [start, end). */
typedef struct {
    uint64_t start, end;
} sigil_region_t;

/* A device range the kernel keeps for itself (kernel/abi/sigil.yaml, `platform:`). */
typedef struct {
    uint64_t start, end;
    const char *what; /* for messages: "console UART" */
} sigil_kernel_device_t;

#define SIGIL_NUM_KERNEL_DEVICES 2
/* Most regions sigil_device_regions() gives: one below each kept range and RAM, one above. */
#define SIGIL_MAX_DEVICE_REGIONS (SIGIL_NUM_KERNEL_DEVICES + 2)

/* The GIC and the console UART, by address: the only list of them. */
extern const sigil_kernel_device_t sigil_kernel_devices[SIGIL_NUM_KERNEL_DEVICES];

/*
 * Split [start, end) into maximal aligned blocks as the kernel does. Writes at most `max` blocks
 * to `out` (out may be NULL when max is 0) and returns how many blocks the region has, so a
 * caller can size its array with a first call. Requires start <= end.
 */
size_t sigil_split_region(uint64_t start, uint64_t end, int is_device, sigil_untyped_t *out,
                          size_t max);

/* The same blocks one at a time, for callers without an array: the next block of [*cur, end)
 * in *out, *cur advanced past it (and past leftovers below the minimum); 0 when none is left. */
int sigil_split_next(uint64_t *cur, uint64_t end, int is_device, sigil_untyped_t *out);

/*
 * The physical space that becomes device untypeds: [0, 2^40) without RAM [ram_base, ram_end)
 * and without the kernel's devices, as at most SIGIL_MAX_DEVICE_REGIONS regions in address
 * order. Writes at most `max` of them and returns how many there are. Requires RAM below 2^40
 * and not overlapping a kernel device.
 */
size_t sigil_device_regions(uint64_t ram_base, uint64_t ram_end, sigil_region_t *out, size_t max);

/* The kernel device overlapping [paddr, paddr + 2^size_bits), or NULL. */
const sigil_kernel_device_t *sigil_kernel_device_at(uint64_t paddr, unsigned size_bits);

/*
 * The boot untyped list the kernel creates for RAM [ram_base, ram_base + ram_size) with the
 * first `reserve` bytes of RAM taken: device untypeds for sigil_device_regions(), normal
 * untypeds for the rest of RAM, sorted by address. Same return convention as
 * sigil_split_region. Requires reserve <= ram_size and the RAM below 2^40.
 */
size_t sigil_boot_untypeds(uint64_t ram_base, uint64_t ram_size, uint64_t reserve,
                           sigil_untyped_t *out, size_t max);

#endif /* SIGIL_LIB_BOOT_UNTYPEDS_H */
