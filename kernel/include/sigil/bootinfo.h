/*
 * The boot-info page: what the kernel tells the root task at start-up.
 *
 * The kernel maps this page read-only into the root task and passes its address in x0.
 * Slot numbers name slots of the root task's root CNode (2^root_cnode_radix slots, guard 0 of
 * 64 - radix bits, so a slot's index is its cptr at depth 64). The fixed slots are listed in
 * kernel/abi/sigil.yaml (`boot_slots`).
 */
#ifndef SIGIL_BOOTINFO_H
#define SIGIL_BOOTINFO_H

#include <stdint.h>

#define SIGIL_BOOTINFO_MAGIC        0x4f464e494c474953ull /* "SIGLINFO" */
#define SIGIL_BOOTINFO_MAX_UNTYPEDS 230u

typedef struct sigil_untyped_desc {
    uint64_t paddr;
    uint8_t size_bits;
    uint8_t is_device;
    uint8_t pad[6];
} sigil_untyped_desc_t;

typedef struct sigil_bootinfo {
    uint64_t magic;            /* SIGIL_BOOTINFO_MAGIC */
    uint64_t ipc_buffer;       /* virtual address of the root thread's IPC buffer */
    uint64_t pmu_preamble;     /* instructions the kernel ran before its cycle counter started */
    uint64_t kernel_el;        /* exception level the kernel runs at */
    uint64_t root_cnode_radix; /* root CNode: 2^radix slots */
    uint64_t untyped_start;    /* slots [untyped_start, untyped_end) hold the untypeds */
    uint64_t untyped_end;
    uint64_t empty_start; /* slots [empty_start, empty_end) are empty */
    uint64_t empty_end;
    uint64_t num_untypeds;
    uint64_t ipc_buffer_paddr;
    uint64_t image_frames_start; /* slots of the frames holding the root task's image, in */
    uint64_t image_frames_end;   /* virtual address order, from image_vaddr */
    uint64_t image_vaddr;
    uint64_t image_paging_start; /* slots of the root task's page tables */
    uint64_t image_paging_end;
    uint64_t stack_frames_start; /* slots of its stack frames, lowest address first */
    uint64_t stack_frames_end;
    uint64_t stack_vaddr; /* lowest address of the stack */
    uint64_t reserved[5];
    sigil_untyped_desc_t untyped[SIGIL_BOOTINFO_MAX_UNTYPEDS]; /* entry i: untyped_start + i */
} sigil_bootinfo_t;

_Static_assert(sizeof(sigil_bootinfo_t) <= 4096, "the boot-info page is one 4 KiB frame");

#endif /* SIGIL_BOOTINFO_H */
