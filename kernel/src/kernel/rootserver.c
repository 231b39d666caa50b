/*
 * Building the root task at boot: its address space, image, stack, IPC buffer and boot-info
 * page, from the ELF image the kernel carries (.rootimage).
 *
 * Layout of the root task's address space:
 *   the ELF's PT_LOAD segments, at their link addresses;
 *   the boot-info page (read-only), on the first page after the image;
 *   the IPC buffer, on the page after that;
 *   the stack, ROOT_STACK_PAGES pages below ROOT_STACK_TOP, with unmapped guard space below.
 */
#include <arch/arch.h>
#include <arch/vspace_boot.h>
#include <sigil/abi.h>
#include <sigil/bootinfo.h>

#include "kernel/bootmem.h"
#include "kernel/rootserver.h"
#include "lib/assert.h"
#include "lib/elf.h"
#include "lib/kstring.h"

#define PAGE             4096ull
#define ROOT_STACK_TOP   0x00007ff000000000ull
#define ROOT_STACK_PAGES 16

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

uint64_t rootserver_build(thread_t *t, uint64_t pmu_preamble)
{
    elf_image_t img;
    size_t size = (size_t)(_rootimage_end - _rootimage_start);
    elf_status_t st = elf_check(_rootimage_start, size, &img);
    if (st != ELF_OK) {
        kpanic("root task image: %s", elf_status_name(st));
    }
    paddr_t root = vspace_boot_create();
    uint64_t image_end = 0;
    for (unsigned i = 0; i < img.phnum; i++) {
        elf_segment_t seg;
        bool is_load;
        st = elf_segment(&img, i, ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE - PAGE, &seg, &is_load);
        if (st != ELF_OK) {
            kpanic("root task image, program header %u: %s", i, elf_status_name(st));
        }
        if (is_load && seg.memsz > 0) {
            load_segment(root, &seg);
            if (seg.vaddr + seg.memsz > image_end) {
                image_end = seg.vaddr + seg.memsz;
            }
        }
    }
    uint64_t bootinfo_va = (image_end + PAGE - 1) & ~(PAGE - 1);
    uint64_t ipcbuf_va = bootinfo_va + PAGE;
    paddr_t bi_frame = bootmem_alloc_pages(1);
    vspace_boot_map(root, bootinfo_va, bi_frame, VM_READ);
    vspace_boot_map(root, ipcbuf_va, bootmem_alloc_pages(1), VM_READ | VM_WRITE);
    for (uint64_t i = 1; i <= ROOT_STACK_PAGES; i++) {
        vspace_boot_map(root, ROOT_STACK_TOP - i * PAGE, bootmem_alloc_pages(1),
                        VM_READ | VM_WRITE);
    }
    sigil_bootinfo_t *bi = arch_kptr(bi_frame);
    bi->magic = SIGIL_BOOTINFO_MAGIC;
    bi->ipc_buffer = ipcbuf_va;
    bi->pmu_preamble = pmu_preamble;
    bi->kernel_el = 1;

    memset(&t->arch, 0, sizeof(t->arch));
    t->arch.regs.x[0] = bootinfo_va;
    t->arch.regs.x[ARCH_REG_PC] = img.entry;
    t->arch.regs.x[ARCH_REG_SP] = ROOT_STACK_TOP;
    t->arch.regs.x[ARCH_REG_SPSR] = SPSR_EL0T;
    t->name = "rootserver";
    t->runnable = true;
    t->vspace_root = root;
    t->asid = 1;
    return bootinfo_va;
}
