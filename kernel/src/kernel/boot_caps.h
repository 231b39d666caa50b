/*
 * Boot-time construction of the root task's capabilities (portable part).
 *
 * Given the free RAM regions (kernel image, root task image and anything else in use already
 * excluded) and the device regions, boot_caps_create() carves the root task's CNode, TCB,
 * VSpace root, boot-info frame and IPC buffer frame out of free RAM, places their caps and
 * the IRQ control and SMC master caps at the fixed slots below, and covers the rest of RAM
 * and every device region with untyped caps: each region is split into maximal naturally
 * aligned blocks of 2^4..2^47 bytes (seL4's algorithm), listed in the boot-info frame.
 * The arch boot code then fills in the TCB's registers and the VSpace, and may add more caps
 * (image frames, page tables) with boot_caps_provide().
 */
#ifndef KERNEL_BOOT_CAPS_H
#define KERNEL_BOOT_CAPS_H

#include <object/cdt.h>
#include <object/tcb.h>

/* The root task's initial CSpace layout (seL4's numbers where seL4 has the same cap).
 * Provisional home: to move into the ABI description. */
enum {
    BOOT_SLOT_NULL = 0,
    BOOT_SLOT_TCB = 1,
    BOOT_SLOT_CNODE = 2,
    BOOT_SLOT_VSPACE = 3,
    BOOT_SLOT_IRQ_CONTROL = 4,
    BOOT_SLOT_BOOT_INFO_FRAME = 9,
    BOOT_SLOT_IPC_BUFFER = 10,
    BOOT_SLOT_SMC = 15,
    BOOT_SLOT_FIRST_FREE = 16, /* untypeds start here, then boot_caps_provide() caps */
};

#define BOOT_MAX_UNTYPEDS 240u
#define BOOT_MAX_REGIONS  32u

typedef struct boot_region {
    paddr_t start; /* inclusive */
    paddr_t end;   /* exclusive */
} boot_region_t;

typedef struct boot_untyped_desc {
    word_t paddr;
    uint8_t size_bits;
    uint8_t is_device;
    uint8_t pad[6];
} boot_untyped_desc_t;

/* The boot-info frame given to the root task (one 4 KiB page, read by user space). */
typedef struct boot_info {
    word_t root_cnode_radix; /* root CNode: 2^radix slots, guard 0 of 64 - radix bits */
    word_t untyped_start;    /* slots [untyped_start, untyped_end) hold the untypeds */
    word_t untyped_end;
    word_t empty_start; /* slots [empty_start, empty_end) are empty */
    word_t empty_end;
    word_t num_untypeds;
    word_t ipc_buffer_paddr;
    word_t reserved;
    boot_untyped_desc_t untyped[BOOT_MAX_UNTYPEDS]; /* entry i is slot untyped_start + i */
} boot_info_t;

_Static_assert(sizeof(boot_info_t) <= (1u << Sigil_Frame4KBits), "boot info fits a page");

typedef struct boot_state {
    cte_t *root_cnode; /* slot array of the root CNode */
    tcb_t *root_tcb;
    void *root_vspace;
    void *ipc_buffer;
    boot_info_t *info;
    word_t lost_bytes; /* free RAM not covered by untypeds (too many blocks or < 16 bytes) */
} boot_state_t;

/* Build the initial capability state. Resets the CDT, the deletion engine and the IRQ table.
 * Regions need not be sorted but must not overlap; at most BOOT_MAX_REGIONS of each kind.
 * Returns false (state unusable) if RAM cannot hold the boot objects. */
bool boot_caps_create(const boot_region_t *ram, unsigned num_ram, const boot_region_t *dev,
                      unsigned num_dev, unsigned root_cnode_radix, boot_state_t *out);

/* Put one more cap into the next empty root slot as a CDT root; returns the slot index, or 0
 * when the root CNode is full. */
word_t boot_caps_provide(boot_state_t *st, cap_t cap);

#endif /* KERNEL_BOOT_CAPS_H */
