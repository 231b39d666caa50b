/*
 * Boot-time capabilities: the fixed slot layout, the untyped split (maximal naturally
 * aligned blocks covering exactly the free memory), device untypeds and the boot-info frame.
 */
#include "fixture.h"

#include <object/cdt.h>

static void check_cover(const boot_region_t *r, unsigned n, bool device)
{
    const boot_info_t *bi = fx.info;
    for (unsigned k = 0; k < n; k++) {
        word_t covered = 0;
        for (word_t i = 0; i < bi->num_untypeds; i++) {
            const boot_untyped_desc_t *d = &bi->untyped[i];
            cap_t c = fx_slot(bi->untyped_start + i)->cap;
            CHECK(cap_type(c) == Sigil_CapUntyped && cap_untyped_size_bits(c) == d->size_bits);
            CHECK(arch_paddr_from_kptr(cap_ptr(c)) == d->paddr);
            CHECK(IS_ALIGNED(d->paddr, d->size_bits) && d->size_bits >= 4 && d->size_bits <= 47);
            if (d->is_device == device && d->paddr >= r[k].start && d->paddr < r[k].end) {
                CHECK(d->paddr + BIT(d->size_bits) <= r[k].end);
                CHECK(cap_untyped_is_device(c) == device);
                covered += BIT(d->size_bits);
            }
        }
        word_t want = (r[k].end & ~15ull) - ALIGN_UP(r[k].start, 4);
        CHECK(device ? covered == want : covered <= want);
        fx_cases++;
    }
}

int main(void)
{
    host_arena_init(24);
    host_sched_reset();
    /* Two odd RAM regions and one device region inside the arena. */
    boot_region_t ram[] = {
        {HOST_PHYS_BASE + 0x10008, HOST_PHYS_BASE + 0x7fffc8},
        {HOST_PHYS_BASE + 0x800000, HOST_PHYS_BASE + 0xffff00},
    };
    boot_region_t dev[] = {{HOST_PHYS_BASE + 0x1000, HOST_PHYS_BASE + 0x9010}};
    CHECK(boot_caps_create(ram, 2, dev, 1, 10, &fx));
    const boot_info_t *bi = fx.info;
    CHECK(cap_type(fx_slot(BOOT_SLOT_TCB)->cap) == Sigil_CapTCB);
    CHECK(cap_type(fx_slot(BOOT_SLOT_CNODE)->cap) == Sigil_CapCNode);
    CHECK(cap_cnode_radix(fx_slot(BOOT_SLOT_CNODE)->cap) == 10);
    CHECK(cap_cnode_guard_size(fx_slot(BOOT_SLOT_CNODE)->cap) == 54);
    CHECK(cap_type(fx_slot(BOOT_SLOT_VSPACE)->cap) == Sigil_CapVSpace);
    CHECK(cap_type(fx_slot(BOOT_SLOT_IRQ_CONTROL)->cap) == Sigil_CapIRQControl);
    CHECK(cap_type(fx_slot(BOOT_SLOT_BOOT_INFO_FRAME)->cap) == Sigil_CapFrame);
    CHECK(cap_type(fx_slot(BOOT_SLOT_IPC_BUFFER)->cap) == Sigil_CapFrame);
    CHECK(cap_type(fx_slot(BOOT_SLOT_SMC)->cap) == Sigil_CapSMC);
    CHECK(cap_badge(fx_slot(BOOT_SLOT_SMC)->cap) == 0);
    CHECK(cap_type(fx_slot(BOOT_SLOT_DEBUG)->cap) == Sigil_CapDebug);
    CHECK(cap_badge(fx_slot(BOOT_SLOT_DEBUG)->cap) == 0 && cdt_revocable(fx_slot(BOOT_SLOT_DEBUG)));
    CHECK(cap_equal(fx.root_tcb->slots[TCB_SLOT_CSPACE].cap, fx_slot(BOOT_SLOT_CNODE)->cap));
    CHECK(bi->untyped_start == BOOT_SLOT_FIRST_FREE);
    CHECK(bi->untyped_end == bi->untyped_start + bi->num_untypeds);
    CHECK(bi->empty_start == bi->untyped_end && bi->empty_end == 1024);
    fx_cases += 5;
    check_cover(ram, 2, false);
    check_cover(dev, 1, true);
    /* RAM covered + boot objects + lost = all RAM. */
    word_t ram_total = 0, ut_total = 0;
    for (unsigned k = 0; k < 2; k++) {
        ram_total += ram[k].end - ram[k].start;
    }
    for (word_t i = 0; i < bi->num_untypeds; i++) {
        ut_total += bi->untyped[i].is_device ? 0 : BIT(bi->untyped[i].size_bits);
    }
    word_t boot_objs = BIT(10 + 5) + 3 * 4096 + 2048;
    CHECK(ut_total + boot_objs + fx.lost_bytes == ram_total);
    CHECK(fx.lost_bytes < 64);
    word_t slot = boot_caps_provide(&fx, cap_irq_handler(3));
    CHECK(slot == bi->untyped_end && bi->empty_start == slot + 1);
    CHECK(cdt_has_children(fx_slot(BOOT_SLOT_CNODE))); /* the TCB's CSpace root copy */
    fx_cases += 3;
    /* Too little RAM for the boot objects. */
    boot_region_t tiny = {HOST_PHYS_BASE + 0x10000, HOST_PHYS_BASE + 0x11000};
    boot_state_t st2;
    CHECK(!boot_caps_create(&tiny, 1, NULL, 0, 10, &st2));
    fx_cases++;
    /* A fresh boot for the invariant checker (the failed one reset the state). */
    CHECK(boot_caps_create(ram, 2, dev, 1, 10, &fx));
    fx_check("boot");
    return fx_finish("core_boot");
}
