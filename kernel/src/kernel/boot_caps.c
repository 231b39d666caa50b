/*
 * Boot-time capability construction (see boot_caps.h).
 *
 * Phases: reset core state; carve the fixed boot objects from RAM (largest first, each
 * naturally aligned, splitting the region around it so no memory is lost); place the fixed
 * caps; cover what is left of RAM, then the device regions, with untyped caps; write the
 * boot-info frame. Cost is linear in the number of regions and untypeds.
 */
#include <arch/hooks.h>
#include <kernel/boot_caps.h>
#include <lib/boot_untypeds.h>
#include <lib/kstate.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/irq.h>

typedef struct region_set {
    boot_region_t r[2 * BOOT_MAX_REGIONS + 8];
    unsigned n;
} region_set_t;

/* Take 2^bits naturally aligned bytes from `set`; returns the kernel pointer or NULL. */
static void *carve(region_set_t *set, unsigned bits)
{
    for (unsigned i = 0; i < set->n; i++) {
        boot_region_t *r = &set->r[i];
        paddr_t at = ALIGN_UP(r->start, bits);
        if (at < r->start || at + BIT(bits) > r->end || at + BIT(bits) < at) {
            continue;
        }
        set->r[set->n].start = at + BIT(bits);
        set->r[set->n].end = r->end;
        set->n++;
        r->end = at;
        void *p = arch_kptr_from_paddr(at);
        arch_clear_memory(p, BIT(bits));
        return p;
    }
    return NULL;
}

static void put_root(boot_state_t *st, word_t slot, cap_t cap)
{
    cdt_insert_root(&st->root_cnode[slot], cap);
}

/* Next maximal block at `start` below `end`: log2 size, or 0 if under the minimum. */
static word_t slot_count(const boot_state_t *st)
{
    return BIT(st->info->root_cnode_radix);
}

static bool untyped_room(const boot_state_t *st)
{
    const boot_info_t *bi = st->info;
    return bi->num_untypeds < BOOT_MAX_UNTYPEDS && bi->untyped_end < slot_count(st);
}

static void cover_region(boot_state_t *st, boot_region_t r, bool device)
{
    /* The splitting is the one the spec compiler and the loader model (lib/boot_untypeds.c):
     * at most two blocks per size, so 128 entries always suffice. */
    sigil_untyped_t blocks[128];
    size_t n = sigil_split_region(r.start, r.end, device, blocks, 128);
    word_t covered = 0;
    for (size_t i = 0; i < n && untyped_room(st); i++) {
        boot_info_t *bi = st->info;
        unsigned bits = blocks[i].size_bits;
        put_root(st, bi->untyped_end++,
                 cap_untyped(arch_kptr_from_paddr(blocks[i].paddr), bits, device, 0));
        boot_untyped_desc_t *d = &bi->untyped[bi->num_untypeds++];
        d->paddr = blocks[i].paddr;
        d->size_bits = (uint8_t)bits;
        d->is_device = device;
        covered += BIT(bits);
    }
    if (!device) {
        st->lost_bytes += (r.end - r.start) - covered;
    }
}

static bool carve_boot_objects(region_set_t *set, unsigned radix, boot_state_t *out)
{
    out->root_cnode = carve(set, radix + Sigil_CNodeSlotBits);
    out->root_vspace = carve(set, Sigil_VSpaceBits);
    out->info = carve(set, Sigil_Frame4KBits);
    out->ipc_buffer = carve(set, Sigil_Frame4KBits);
    out->root_tcb = carve(set, Sigil_TCBBits);
    return out->root_cnode && out->root_vspace && out->info && out->ipc_buffer && out->root_tcb;
}

static void place_fixed_caps(boot_state_t *st, unsigned radix)
{
    tcb_t *t = st->root_tcb;
    tcb_init(t);
    put_root(st, BOOT_SLOT_TCB, cap_tcb(t));
    put_root(st, BOOT_SLOT_CNODE, cap_cnode(st->root_cnode, radix, 0, WORD_BITS - radix));
    put_root(st, BOOT_SLOT_VSPACE, cap_vspace(st->root_vspace));
    put_root(st, BOOT_SLOT_IRQ_CONTROL, cap_irq_control());
    put_root(st, BOOT_SLOT_BOOT_INFO_FRAME, cap_frame_new(st->info, Sigil_Frame4KObject, false));
    put_root(st, BOOT_SLOT_IPC_BUFFER, cap_frame_new(st->ipc_buffer, Sigil_Frame4KObject, false));
    put_root(st, BOOT_SLOT_SMC, cap_smc(0));
    put_root(st, BOOT_SLOT_DEBUG, cap_debug(0));
    cte_t *root = st->root_cnode;
    cdt_insert_derived(&root[BOOT_SLOT_CNODE], &t->slots[TCB_SLOT_CSPACE],
                       root[BOOT_SLOT_CNODE].cap);
    cdt_insert_derived(&root[BOOT_SLOT_VSPACE], &t->slots[TCB_SLOT_VSPACE],
                       root[BOOT_SLOT_VSPACE].cap);
    cdt_insert_derived(&root[BOOT_SLOT_IPC_BUFFER], &t->slots[TCB_SLOT_IPC_BUFFER],
                       root[BOOT_SLOT_IPC_BUFFER].cap);
}

bool boot_caps_create(const boot_region_t *ram, unsigned num_ram, const boot_region_t *dev,
                      unsigned num_dev, unsigned root_cnode_radix, boot_state_t *out)
{
    KSTATE static region_set_t set;
    if (num_ram > BOOT_MAX_REGIONS || num_dev > BOOT_MAX_REGIONS || root_cnode_radix < 5 ||
        root_cnode_radix > Sigil_CNodeMaxBits) {
        return false;
    }
    cdt_init();
    delete_init();
    irq_init();
    endpoint_init();
    set.n = num_ram;
    for (unsigned i = 0; i < num_ram; i++) {
        set.r[i] = ram[i];
    }
    out->lost_bytes = 0;
    if (!carve_boot_objects(&set, root_cnode_radix, out)) {
        return false;
    }
    boot_info_t *bi = out->info;
    bi->root_cnode_radix = root_cnode_radix;
    bi->untyped_start = bi->untyped_end = BOOT_SLOT_FIRST_FREE;
    bi->ipc_buffer_paddr = arch_paddr_from_kptr(out->ipc_buffer);
    place_fixed_caps(out, root_cnode_radix);
    for (unsigned i = 0; i < set.n; i++) {
        cover_region(out, set.r[i], false);
    }
    for (unsigned i = 0; i < num_dev; i++) {
        cover_region(out, dev[i], true);
    }
    bi->empty_start = bi->untyped_end;
    bi->empty_end = slot_count(out);
    return true;
}

word_t boot_caps_provide(boot_state_t *st, cap_t cap)
{
    boot_info_t *bi = st->info;
    if (bi->empty_start == bi->empty_end) {
        return 0;
    }
    word_t slot = bi->empty_start++;
    put_root(st, slot, cap);
    return slot;
}
