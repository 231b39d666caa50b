/*
 * Boot-time construction of the root task's capabilities (portable part).
 *
 * Given the free RAM regions (kernel image, root task image and anything else in use already
 * excluded) and the device regions, boot_caps_create() carves the root task's CNode, TCB,
 * VSpace root, boot-info frame and IPC buffer frame out of free RAM, places their caps and
 * the IRQ control, SMC and Debug master caps at the fixed slots below, and covers the rest of RAM
 * and every device region with untyped caps: each region is split into maximal naturally
 * aligned blocks of 2^4..2^47 bytes (seL4's algorithm), listed in the boot-info frame.
 * The arch boot code then fills in the TCB's registers and the VSpace, and may add more caps
 * (image frames, page tables) with boot_caps_provide().
 */
#ifndef KERNEL_BOOT_CAPS_H
#define KERNEL_BOOT_CAPS_H

#include <object/cdt.h>
#include <object/tcb.h>
#include <sigil/bootinfo.h>

/* The root task's initial CSpace layout: the fixed slots come from the ABI description
 * (kernel/abi/sigil.yaml, `boot_slots`). */
enum {
    BOOT_SLOT_NULL = Sigil_SlotNull,
    BOOT_SLOT_TCB = Sigil_SlotInitThreadTCB,
    BOOT_SLOT_CNODE = Sigil_SlotInitThreadCNode,
    BOOT_SLOT_VSPACE = Sigil_SlotInitThreadVSpace,
    BOOT_SLOT_IRQ_CONTROL = Sigil_SlotIRQControl,
    BOOT_SLOT_BOOT_INFO_FRAME = Sigil_SlotBootInfoFrame,
    BOOT_SLOT_IPC_BUFFER = Sigil_SlotInitThreadIPCBuffer,
    BOOT_SLOT_SMC = Sigil_SlotSMC,
    BOOT_SLOT_DEBUG = Sigil_SlotDebug,
    BOOT_SLOT_FIRST_FREE = Sigil_SlotFirstFree, /* untypeds start here, then provided caps */
};

#define BOOT_MAX_UNTYPEDS SIGIL_BOOTINFO_MAX_UNTYPEDS
#define BOOT_MAX_REGIONS  32u

typedef struct boot_region {
    paddr_t start; /* inclusive */
    paddr_t end;   /* exclusive */
} boot_region_t;

/* The boot-info frame given to the root task: the public layout of <sigil/bootinfo.h>. */
typedef sigil_untyped_desc_t boot_untyped_desc_t;
typedef sigil_bootinfo_t boot_info_t;

typedef struct boot_state {
    cte_t *root_cnode; /* slot array of the root CNode */
    tcb_t *root_tcb;
    void *root_vspace;
    void *ipc_buffer;
    boot_info_t *info;
    word_t lost_bytes; /* free RAM not covered by untypeds (too many blocks or < 16 bytes) */
} boot_state_t;

/* Build the initial capability state. Resets the CDT, the deletion engine, the IRQ table
 * and any CancelBadgedSends walk. Regions need not be sorted but must not overlap; at most
 * BOOT_MAX_REGIONS of each kind. Returns false (state unusable) if RAM cannot hold the boot
 * objects. */
bool boot_caps_create(const boot_region_t *ram, unsigned num_ram, const boot_region_t *dev,
                      unsigned num_dev, unsigned root_cnode_radix, boot_state_t *out);

/* Put one more cap into the next empty root slot as a CDT root; returns the slot index, or 0
 * when the root CNode is full. */
word_t boot_caps_provide(boot_state_t *st, cap_t cap);

#endif /* KERNEL_BOOT_CAPS_H */
