/*
 * Building the root task at boot: its address space, image, stack, IPC buffer, boot-info page
 * and initial capabilities, from the ELF image the kernel carries (.rootimage).
 *
 * Order matters, because everything allocated before the capabilities are created is kept out
 * of untyped memory, and nothing may be allocated after:
 *   1. load the image and map a stack, with frames and page tables from bootmem; create (but
 *      do not fill) the page tables for the boot-info page and the IPC buffer;
 *   2. boot_caps_create() over the RAM bootmem has not used: root CNode, TCB, VSpace, boot-info
 *      and IPC buffer frames, IRQ control, the SMC and Debug master caps and untypeds for the rest;
 *   3. move the address space into the VSpace object, map the boot-info page and IPC buffer;
 *   4. give the root task caps to its image frames, page tables and stack frames, and list
 *      them in the boot-info page; set up the TCB's registers.
 *
 * Layout of the root task's address space: the ELF's PT_LOAD segments at their link
 * addresses; the boot-info page (read-only) on the first page after the image; the IPC buffer
 * on the page after that; ROOT_STACK_PAGES of stack below ROOT_STACK_TOP.
 */
#include <arch/arch.h>
#include <arch/vspace.h>
#include <arch/vspace_boot.h>

#include "arch/hooks.h"
#include "lib/boot_untypeds.h"
#include <sigil/abi.h>
#include <sigil/bootinfo.h>

#include "kernel/boot_caps.h"
#include "kernel/bootmem.h"
#include "kernel/rootserver.h"
#include "lib/assert.h"
#include "lib/elf.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"

#define PAGE             SIGIL_PAGE_SIZE
#define ROOT_STACK_TOP   0x00007ff000000000ull
#define ROOT_STACK_PAGES 16
#define ROOT_CNODE_RADIX 15 /* 32768 slots, 1 MiB */
#define ROOT_PRIORITY    255

extern const uint8_t _rootimage_start[], _rootimage_end[];

/* Copy one segment into freshly allocated (or already mapped) frames. */
static void load_segment(paddr_t root, const elf_segment_t *seg)
{
    unsigned rights = VM_READ | (seg->writable ? VM_WRITE : 0) | (seg->executable ? VM_EXEC : 0);
    uint64_t start = seg->vaddr & ~(PAGE - 1);
    for (uint64_t va = start; va < seg->vaddr + seg->memsz; va += PAGE) {
        paddr_t frame = vspace_boot_lookup(root, va);
        if (frame == 0) {
            frame = bootmem_alloc_pages(1);
        }
        vspace_boot_map(root, va, frame, rights);
        /* The part of [va, va+PAGE) that has file contents. */
        uint64_t lo = va > seg->vaddr ? va : seg->vaddr;
        uint64_t hi = va + PAGE;
        if (hi > seg->vaddr + seg->filesz) {
            hi = seg->vaddr + seg->filesz;
        }
        uint8_t *kva = arch_kptr(frame);
        if (lo < hi) {
            memcpy(kva + (lo - va), seg->contents + (lo - seg->vaddr), hi - lo);
        }
        if (seg->executable) {
            arch_sync_icache(kva, PAGE);
        }
    }
}

typedef struct image_extent {
    uint64_t lo, hi; /* page-aligned [lo, hi) covering every segment */
    uint64_t entry;
} image_extent_t;

static image_extent_t load_image(paddr_t root)
{
    elf_image_t img;
    size_t size = (size_t)(_rootimage_end - _rootimage_start);
    elf_status_t st = elf_check(_rootimage_start, size, &img);
    if (st != ELF_OK) {
        kpanic("root task image: %s", elf_status_name(st));
    }
    image_extent_t ext = {~0ull, 0, img.entry};
    for (unsigned i = 0; i < img.phnum; i++) {
        elf_segment_t seg;
        bool is_load;
        st = elf_segment(&img, i, ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE - PAGE, &seg, &is_load);
        if (st != ELF_OK) {
            kpanic("root task image, program header %u: %s", i, elf_status_name(st));
        }
        if (is_load && seg.memsz > 0) {
            load_segment(root, &seg);
            uint64_t lo = seg.vaddr & ~(PAGE - 1);
            uint64_t hi = (seg.vaddr + seg.memsz + PAGE - 1) & ~(PAGE - 1);
            ext.lo = lo < ext.lo ? lo : ext.lo;
            ext.hi = hi > ext.hi ? hi : ext.hi;
        }
    }
    if (ext.hi == 0) {
        kpanic("root task image has nothing to load");
    }
    return ext;
}

static word_t root_id; /* the root VSpace's id, for mapping records */

static void provide_table(paddr_t table, uint64_t va, void *arg)
{
    cap_t c = cap_set_mapping(cap_page_table(arch_kptr(table)), root_id, va);
    if (boot_caps_provide(arg, c) == 0) {
        kpanic("root CNode too small for the root task's page tables");
    }
}

/* A cap to the frame mapped at `va`, with its mapping record. */
static word_t provide_frame(boot_state_t *st, paddr_t frame, uint64_t va)
{
    cap_t c = cap_frame_new(arch_kptr(frame), Sigil_Frame4KObject, false);
    word_t slot = boot_caps_provide(st, cap_set_mapping(c, root_id, va));
    if (slot == 0) {
        kpanic("root CNode too small for the root task's frames");
    }
    return slot;
}

/* Caps to the image frames (in address order), page tables and stack frames. */
static void provide_root_caps(boot_state_t *st, paddr_t root, const image_extent_t *ext)
{
    sigil_bootinfo_t *bi = st->info;
    bi->image_vaddr = ext->lo;
    bi->image_frames_start = bi->empty_start;
    for (uint64_t va = ext->lo; va < ext->hi; va += PAGE) {
        paddr_t frame = vspace_boot_lookup(root, va);
        kassert(frame != 0);
        provide_frame(st, frame, va);
    }
    bi->image_frames_end = bi->empty_start;
    bi->image_paging_start = bi->empty_start;
    vspace_boot_for_each_table(root, provide_table, st);
    bi->image_paging_end = bi->empty_start;
    bi->stack_vaddr = ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE;
    bi->stack_frames_start = bi->empty_start;
    for (uint64_t va = bi->stack_vaddr; va < ROOT_STACK_TOP; va += PAGE) {
        provide_frame(st, vspace_boot_lookup(root, va), va);
    }
    bi->stack_frames_end = bi->empty_start;
}

/* Physical regions that become device untypeds: everything outside RAM up to 2^40, except
 * the devices the kernel keeps for itself (GIC, console UART). The spec compiler models the
 * same regions with the same function, so a spec's device objects are checked against them. */
static unsigned device_regions(paddr_t ram_base, paddr_t ram_end, boot_region_t *out)
{
    sigil_region_t r[SIGIL_MAX_DEVICE_REGIONS];
    size_t n = sigil_device_regions(ram_base, ram_end, r, SIGIL_MAX_DEVICE_REGIONS);
    for (size_t i = 0; i < n; i++) {
        out[i] = (boot_region_t){r[i].start, r[i].end};
    }
    return (unsigned)n;
}

tcb_t *rootserver_build(paddr_t ram_base, paddr_t ram_end, uint64_t pmu_preamble)
{
    /* 1. Image, stack and page tables, from bootmem. */
    vspace_arch_init(ram_base, ram_end);
    paddr_t boot_root = vspace_boot_create();
    image_extent_t ext = load_image(boot_root);
    uint64_t bootinfo_va = ext.hi;
    uint64_t ipcbuf_va = bootinfo_va + PAGE;
    for (uint64_t va = ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE; va < ROOT_STACK_TOP; va += PAGE) {
        vspace_boot_map(boot_root, va, bootmem_alloc_pages(1), VM_READ | VM_WRITE);
    }
    vspace_boot_prepare(boot_root, bootinfo_va);
    vspace_boot_prepare(boot_root, ipcbuf_va);

    /* 2. The initial capabilities over the RAM that is left. */
    static boot_state_t st;
    boot_region_t ram = {bootmem_next(), ram_end};
    boot_region_t dev[SIGIL_MAX_DEVICE_REGIONS];
    unsigned ndev = device_regions(ram_base, ram_end, dev);
    if (!boot_caps_create(&ram, 1, dev, ndev, ROOT_CNODE_RADIX, &st)) {
        kpanic("not enough RAM for the root task's boot objects");
    }

    /* 3. The address space moves into the VSpace object. */
    paddr_t root = arch_paddr(st.root_vspace);
    memcpy(st.root_vspace, arch_kptr(boot_root), PAGE);
    arch_vspace_init(st.root_vspace);
    root_id = arch_vspace_id(st.root_vspace);
    vspace_boot_map(root, bootinfo_va, arch_paddr(st.info), VM_READ);
    vspace_boot_map(root, ipcbuf_va, arch_paddr(st.ipc_buffer), VM_READ | VM_WRITE);
    cte_t *slots = st.root_cnode;
    slots[BOOT_SLOT_BOOT_INFO_FRAME].cap =
        cap_set_mapping(slots[BOOT_SLOT_BOOT_INFO_FRAME].cap, root_id, bootinfo_va);
    slots[BOOT_SLOT_IPC_BUFFER].cap =
        cap_set_mapping(slots[BOOT_SLOT_IPC_BUFFER].cap, root_id, ipcbuf_va);

    /* 4. Caps, boot info, registers. */
    provide_root_caps(&st, root, &ext);
    sigil_bootinfo_t *bi = st.info;
    bi->magic = SIGIL_BOOTINFO_MAGIC;
    bi->ipc_buffer = ipcbuf_va;
    bi->pmu_preamble = pmu_preamble;
    bi->kernel_el = 1;
    if (st.lost_bytes != 0) {
        kprintf("sigil: %llu bytes of RAM not covered by untypeds\n",
                (unsigned long long)st.lost_bytes);
    }

    tcb_t *t = st.root_tcb;
    t->arch.regs.x[0] = bootinfo_va;
    t->arch.regs.x[ARCH_REG_PC] = ext.entry;
    t->arch.regs.x[ARCH_REG_SP] = ROOT_STACK_TOP;
    t->arch.regs.x[ARCH_REG_SPSR] = SPSR_EL0T;
    t->arch.regs.x[ARCH_REG_IPCBUF] = ipcbuf_va;
    t->priority = t->mcp = ROOT_PRIORITY;
    t->state = TCB_RUNNING;
    return t;
}
