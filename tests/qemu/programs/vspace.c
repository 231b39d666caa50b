/*
 * Address spaces through the real syscall path: page tables at every level, frames of every
 * size, every documented error of Map, remapping with fewer rights, unmapping (frames and page
 * tables, RevokeFirst included), GetAddress, cache maintenance (VSpace_InvalidateData's effect
 * and errors included) and TruncatedMessage from every architecture invocation that takes
 * words. Works in the root task's own VSpace, so each mapping is checked by using it.
 * (Booted with 3 GiB of RAM so that a 1 GiB frame can be made.)
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include <sigil/inspect.h>

#include "ktest.h"
#include "vm_common.h"

static void test_page_tables(void)
{
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    KTEST_EQ("VS-MAP-001a frame without tables",
             sigil_frame_map(f, VS, VM_BASE, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
             Sigil_FailedLookup);
    KTEST_EQ("VS-MAP-001b missing capability", sigil_get_mr(1), Sigil_MissingCapability);
    KTEST_EQ("VS-MAP-015 BitsLeft: the level-2 table is missing (seL4: 30)", sigil_get_mr(2), 30);
    sigil_word_t l2 = vm_retype(Sigil_PageTableObject, 0);
    sigil_word_t l3 = vm_retype(Sigil_PageTableObject, 0);
    KTEST_EQ("VS-PT-001 level-2 table", sigil_page_table_map(l2, VS, VM_BASE, 0), Sigil_NoError);
    KTEST_EQ("VS-PT-002 level-3 table", sigil_page_table_map(l3, VS, VM_BASE, 0), Sigil_NoError);
    KTEST_EQ("VS-PT-003 every level present",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, VM_BASE, 0),
             Sigil_DeleteFirst);
    KTEST_EQ("VS-PT-004 already mapped", sigil_page_table_map(l3, VS, VM_BASE + (1ull << 32), 0),
             Sigil_InvalidCapability);
    KTEST_EQ("VS-PT-005 past the top of user space",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, SIGIL_PLAT_USER_TOP, 0),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-PT-006 not a VSpace",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), f, VM_BASE, 0),
             Sigil_InvalidCapability);
}

static void test_frames(void)
{
    volatile uint64_t *p = (volatile uint64_t *)VM_BASE;
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    KTEST_EQ("VS-MAP-002a 4 KiB read-write",
             sigil_frame_map(f, VS, VM_BASE, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
             Sigil_NoError);
    p[0] = 0x5167111;
    p[511] = 42;
    KTEST_EQ("VS-MAP-002b memory works", p[0] + p[511], 0x5167111 + 42);
    KTEST_EQ("VS-MAP-003 slot taken",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, VM_BASE, Sigil_CanRead, 0),
             Sigil_DeleteFirst);
    KTEST_EQ(
        "VS-MAP-004 unaligned",
        sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, VM_BASE + 0x1800, Sigil_CanRead, 0),
        Sigil_AlignmentError);
    KTEST_EQ("VS-MAP-005 past the top",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, SIGIL_PLAT_USER_TOP,
                             Sigil_CanRead, 0),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-MAP-016 unaligned and past the top: alignment is checked first (seL4)",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS,
                             SIGIL_PLAT_USER_TOP - 0x1000 + 1, Sigil_CanRead, 0),
             Sigil_AlignmentError);
    KTEST_EQ("VS-MAP-006 last page below the top needs tables",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, SIGIL_PLAT_USER_TOP - 0x1000,
                             Sigil_CanRead, 0),
             Sigil_FailedLookup);
    KTEST_EQ("VS-MAP-017 BitsLeft: the level-2 table is missing (seL4: 30)", sigil_get_mr(2), 30);
    KTEST_EQ("VS-MAP-018 a frame where no level-1 table is",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, 1ull << 40, Sigil_CanRead, 0),
             Sigil_FailedLookup);
    KTEST_EQ("VS-MAP-019 BitsLeft: the level-1 table is missing (seL4: 39)", sigil_get_mr(2), 39);
    KTEST_EQ("VS-MAP-007 same cap elsewhere",
             sigil_frame_map(f, VS, VM_BASE + 0x1000, Sigil_CanRead, 0), Sigil_InvalidArgument);
    sigil_word_t other = vm_retype(Sigil_VSpaceObject, 0);
    KTEST_EQ("VS-MAP-008 same cap in another VSpace",
             sigil_frame_map(f, other, VM_BASE, Sigil_CanRead, 0), Sigil_InvalidCapability);
    KTEST_EQ("VS-MAP-009a remap read-only",
             sigil_frame_map(f, VS, VM_BASE, Sigil_CanRead, SIGIL_VM_CACHEABLE), Sigil_NoError);
    KTEST_EQ("VS-MAP-009b still readable", p[511], 42);
    sigil_word_t copy = vm_slot();
    sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, f, DEPTH, Sigil_CanRead);
    KTEST_EQ("VS-MAP-010a a copy maps too (own record)",
             sigil_frame_map(copy, VS, VM_BASE + 0x1000, Sigil_CanRead | Sigil_CanWrite,
                             SIGIL_VM_CACHEABLE),
             Sigil_NoError);
    KTEST_EQ("VS-MAP-010b copy of a read-only cap maps read-only, same memory",
             ((volatile uint64_t *)(VM_BASE + 0x1000))[0], 0x5167111);
    sigil_word_t pa = 0;
    KTEST_EQ("VS-ADDR-001a GetAddress", sigil_frame_get_address(f, &pa), Sigil_NoError);
    KTEST_EQ("VS-ADDR-001b page aligned RAM", (pa & 0xfff) == 0 && pa >= SIGIL_PLAT_RAM_BASE, 1);
    KTEST_EQ("VS-UNMAP-001 unmap", sigil_frame_unmap(copy), Sigil_NoError);
    KTEST_EQ("VS-UNMAP-002 unmap again is fine", sigil_frame_unmap(copy), Sigil_NoError);
    KTEST_EQ("VS-UNMAP-003 slot free again",
             sigil_frame_map(copy, VS, VM_BASE + 0x1000, Sigil_CanRead, SIGIL_VM_CACHEABLE),
             Sigil_NoError);

    /* Cache maintenance. */
    KTEST_EQ("VS-CACHE-001 frame clean", sigil_frame_clean_data(f, 0, 4096), Sigil_NoError);
    KTEST_EQ("VS-CACHE-002 frame past its end", sigil_frame_clean_invalidate_data(f, 0, 4097),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-CACHE-003 empty range", sigil_frame_invalidate_data(f, 8, 8),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-CACHE-004 unify", sigil_frame_unify_instruction(f, 0, 64), Sigil_NoError);
    KTEST_EQ("VS-CACHE-005 VSpace range", sigil_vspace_clean_data(VS, VM_BASE, VM_BASE + 4096),
             Sigil_NoError);
    KTEST_EQ("VS-CACHE-006 VSpace range across frames",
             sigil_vspace_clean_data(VS, VM_BASE + 4000, VM_BASE + 4200), Sigil_RangeError);
    KTEST_EQ("VS-CACHE-007 VSpace range unmapped",
             sigil_vspace_unify_instruction(VS, VM_BASE + 0x100000, VM_BASE + 0x100010),
             Sigil_FailedLookup);
}

/* Every error of every cache operation, each operation on its own (they share one decode, but
 * each label is its own invocation). `dev` is a device frame mapped at VM_BASE + 0x3000;
 * VM_BASE has a 4 KiB RAM frame and VM_BASE + 1 MiB nothing. */
static void test_cache_errors(sigil_word_t dev)
{
    const sigil_word_t ram = vm_retype(Sigil_Frame4KObject, 0);
    static const struct {
        const char *id;
        sigil_word_t label;
        int on; /* 0: a RAM frame, 1: the device frame, 2: the VSpace */
        uint64_t start, end;
        sigil_word_t error;
    } cases[] = {
        {"VS-CERR-001 Frame_CleanData: empty range", Sigil_Frame_CleanData, 0, 8, 8,
         Sigil_InvalidArgument},
        {"VS-CERR-002 Frame_CleanData: device frame", Sigil_Frame_CleanData, 1, 0, 64,
         Sigil_IllegalOperation},
        {"VS-CERR-003 Frame_InvalidateData: past the frame", Sigil_Frame_InvalidateData, 0, 0, 4097,
         Sigil_InvalidArgument},
        {"VS-CERR-004 Frame_InvalidateData: device frame", Sigil_Frame_InvalidateData, 1, 0, 64,
         Sigil_IllegalOperation},
        {"VS-CERR-005 Frame_CleanInvalidateData: end before start", Sigil_Frame_CleanInvalidateData,
         0, 64, 8, Sigil_InvalidArgument},
        {"VS-CERR-006 Frame_CleanInvalidateData: device frame", Sigil_Frame_CleanInvalidateData, 1,
         0, 64, Sigil_IllegalOperation},
        {"VS-CERR-007 Frame_UnifyInstruction: empty range", Sigil_Frame_UnifyInstruction, 0, 8, 8,
         Sigil_InvalidArgument},
        {"VS-CERR-008 Frame_UnifyInstruction: device frame", Sigil_Frame_UnifyInstruction, 1, 0, 64,
         Sigil_IllegalOperation},
        {"VS-CERR-009 VSpace_CleanData: empty range", Sigil_VSpace_CleanData, 2, VM_BASE, VM_BASE,
         Sigil_InvalidArgument},
        {"VS-CERR-010 VSpace_CleanData: nothing mapped", Sigil_VSpace_CleanData, 2,
         VM_BASE + 0x100000, VM_BASE + 0x100010, Sigil_FailedLookup},
        {"VS-CERR-011 VSpace_CleanData: past the page", Sigil_VSpace_CleanData, 2, VM_BASE + 4000,
         VM_BASE + 4200, Sigil_RangeError},
        {"VS-CERR-012 VSpace_CleanData: device mapping", Sigil_VSpace_CleanData, 2,
         VM_BASE + 0x3000, VM_BASE + 0x3040, Sigil_IllegalOperation},
        {"VS-CERR-013 VSpace_InvalidateData: above user space", Sigil_VSpace_InvalidateData, 2,
         SIGIL_PLAT_USER_TOP, SIGIL_PLAT_USER_TOP + 64, Sigil_InvalidArgument},
        {"VS-CERR-014 VSpace_InvalidateData: nothing mapped", Sigil_VSpace_InvalidateData, 2,
         VM_BASE + 0x100000, VM_BASE + 0x100010, Sigil_FailedLookup},
        {"VS-CERR-015 VSpace_InvalidateData: past the page", Sigil_VSpace_InvalidateData, 2,
         VM_BASE + 4000, VM_BASE + 4200, Sigil_RangeError},
        {"VS-CERR-016 VSpace_InvalidateData: device mapping", Sigil_VSpace_InvalidateData, 2,
         VM_BASE + 0x3000, VM_BASE + 0x3040, Sigil_IllegalOperation},
        {"VS-CERR-017 VSpace_CleanInvalidateData: end before start",
         Sigil_VSpace_CleanInvalidateData, 2, VM_BASE + 64, VM_BASE, Sigil_InvalidArgument},
        {"VS-CERR-018 VSpace_CleanInvalidateData: nothing mapped", Sigil_VSpace_CleanInvalidateData,
         2, VM_BASE + 0x100000, VM_BASE + 0x100010, Sigil_FailedLookup},
        {"VS-CERR-019 VSpace_CleanInvalidateData: past the page", Sigil_VSpace_CleanInvalidateData,
         2, VM_BASE + 4000, VM_BASE + 4200, Sigil_RangeError},
        {"VS-CERR-020 VSpace_CleanInvalidateData: device mapping", Sigil_VSpace_CleanInvalidateData,
         2, VM_BASE + 0x3000, VM_BASE + 0x3040, Sigil_IllegalOperation},
        {"VS-CERR-021 VSpace_UnifyInstruction: above user space", Sigil_VSpace_UnifyInstruction, 2,
         SIGIL_PLAT_USER_TOP + 4096, SIGIL_PLAT_USER_TOP + 8192, Sigil_InvalidArgument},
        {"VS-CERR-022 VSpace_UnifyInstruction: nothing mapped", Sigil_VSpace_UnifyInstruction, 2,
         VM_BASE + 0x100000, VM_BASE + 0x100010, Sigil_FailedLookup},
        {"VS-CERR-023 VSpace_UnifyInstruction: past the page", Sigil_VSpace_UnifyInstruction, 2,
         VM_BASE + 4000, VM_BASE + 4200, Sigil_RangeError},
        {"VS-CERR-024 VSpace_UnifyInstruction: device mapping", Sigil_VSpace_UnifyInstruction, 2,
         VM_BASE + 0x3000, VM_BASE + 0x3040, Sigil_IllegalOperation},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sigil_word_t words[2] = {cases[i].start, cases[i].end};
        sigil_word_t target = cases[i].on == 0 ? ram : cases[i].on == 1 ? dev : VS;
        sigil_msginfo_t info = sigil_invoke(target, cases[i].label, words, 2, 0, 0);
        KTEST_EQ(cases[i].id, sigil_msginfo_label(info), cases[i].error);
    }
}

static void test_large_frames(void)
{
    /* 2 MiB: a block in the level-2 table made above. */
    sigil_word_t big = vm_retype(Sigil_Frame2MObject, 0);
    uint64_t at = VM_BASE + (2ull << 20);
    KTEST_EQ("VS-MAP-011 2 MiB unaligned",
             sigil_frame_map(big, VS, at + 0x1000, Sigil_CanRead | Sigil_CanWrite, 1),
             Sigil_AlignmentError);
    KTEST_EQ("VS-MAP-012a 2 MiB",
             sigil_frame_map(big, VS, at, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
             Sigil_NoError);
    volatile uint64_t *p = (volatile uint64_t *)at;
    p[0] = 1;
    p[(2u << 20) / 8 - 1] = 2;
    KTEST_EQ("VS-MAP-012b both ends", p[0] + p[(2u << 20) / 8 - 1], 3);
    KTEST_EQ("VS-PT-007 a table where a block is",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, at, 0),
             Sigil_DeleteFirst);

    /* 1 GiB: a block in the level-1 table. */
    sigil_word_t huge = vm_retype(Sigil_Frame1GObject, 0);
    uint64_t gig = 1ull << 37;
    KTEST_EQ("VS-MAP-013a 1 GiB",
             sigil_frame_map(huge, VS, gig, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
             Sigil_NoError);
    volatile uint64_t *q = (volatile uint64_t *)gig;
    q[0] = 7;
    q[(1u << 30) / 8 - 1] = 8;
    KTEST_EQ("VS-MAP-013b both ends", q[0] + q[(1u << 30) / 8 - 1], 15);
    KTEST_EQ("VS-UNMAP-004 1 GiB", sigil_frame_unmap(huge), Sigil_NoError);

    /* A device frame maps as device memory (never executable). */
    sigil_word_t dev = vm_device_frame(SIGIL_PLAT_RTC_BASE);
    KTEST_EQ("VS-MAP-014a device frame (PL031 RTC)",
             sigil_frame_map(dev, VS, VM_BASE + 0x3000, Sigil_CanRead | Sigil_CanWrite,
                             SIGIL_VM_EXECUTABLE),
             Sigil_NoError);
    /* PL031 peripheral ID register 0 at 0xfe0 reads 0x31. */
    KTEST_EQ("VS-MAP-014b device register", *(volatile uint32_t *)(VM_BASE + 0x3000 + 0xfe0) & 0xff,
             0x31);

    /* Cache maintenance is for RAM: refused on device memory, whether named by the frame cap or
     * by the VSpace address that maps it (above 4 GiB the kernel window does not even reach). */
    KTEST_EQ("VS-CACHE-008 frame: device frame", sigil_frame_clean_data(dev, 0, 64),
             Sigil_IllegalOperation);
    KTEST_EQ("VS-CACHE-009 VSpace: device mapping",
             sigil_vspace_clean_data(VS, VM_BASE + 0x3000, VM_BASE + 0x3040),
             Sigil_IllegalOperation);
    sigil_word_t high = vm_device_frame(1ull << 32);
    KTEST_EQ("VS-CACHE-010a map a device frame above 4 GiB",
             sigil_frame_map(high, VS, VM_BASE + 0x4000, Sigil_CanRead, 0), Sigil_NoError);
    KTEST_EQ("VS-CACHE-010b VSpace: device mapping above 4 GiB",
             sigil_vspace_clean_invalidate_data(VS, VM_BASE + 0x4000, VM_BASE + 0x4040),
             Sigil_IllegalOperation);
    KTEST_EQ("VS-CACHE-011 frame: device frame above 4 GiB",
             sigil_frame_invalidate_data(high, 0, 64), Sigil_IllegalOperation);
    test_cache_errors(dev);
}

static void test_revoke_and_delete(void)
{
    /* Deleting the frame cap removes its mapping: the slot is free again. */
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    uint64_t at = VM_BASE + 0x5000;
    sigil_frame_map(f, VS, at, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
    KTEST_EQ("VS-DEL-001a delete mapped frame", sigil_cnode_delete(ROOT, f, DEPTH), Sigil_NoError);
    KTEST_EQ("VS-DEL-001b mapping gone",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, at, Sigil_CanRead, 0),
             Sigil_NoError);
    /* Revoking the original removes the mapping a derived copy made. */
    sigil_word_t orig = vm_retype(Sigil_Frame4KObject, 0), derived = vm_slot();
    sigil_cnode_copy(ROOT, derived, DEPTH, ROOT, orig, DEPTH, Sigil_AllRights);
    uint64_t at2 = VM_BASE + 0x6000;
    KTEST_EQ("VS-REV-001 map the copy",
             sigil_frame_map(derived, VS, at2, Sigil_CanRead | Sigil_CanWrite, 1), Sigil_NoError);
    KTEST_EQ("VS-REV-002 revoke the original", sigil_cnode_revoke(ROOT, orig, DEPTH),
             Sigil_NoError);
    KTEST_EQ("VS-REV-003 the copy is gone", vm_slot_empty(derived), 1);
    KTEST_EQ("VS-REV-004 and so is its mapping",
             sigil_frame_map(vm_retype(Sigil_Frame4KObject, 0), VS, at2, Sigil_CanRead, 0),
             Sigil_NoError);
    /* Deleting a VSpace leaves frames mapped in it stale but harmless. */
    sigil_word_t vs2 = vm_retype(Sigil_VSpaceObject, 0);
    sigil_word_t pt = vm_retype(Sigil_PageTableObject, 0);
    sigil_word_t g = vm_retype(Sigil_Frame4KObject, 0);
    KTEST_EQ("VS-DEL-002 table in a second VSpace", sigil_page_table_map(pt, vs2, 0, 0),
             Sigil_NoError);
    KTEST_EQ("VS-DEL-003 delete that VSpace", sigil_cnode_delete(ROOT, vs2, DEPTH), Sigil_NoError);
    KTEST_EQ("VS-DEL-004 unmap through the dead VSpace", sigil_page_table_unmap(pt), Sigil_NoError);
    KTEST_EQ("VS-DEL-005 the table maps again", sigil_page_table_map(pt, VS, 1ull << 40, 0),
             Sigil_NoError);
    KTEST_EQ("VS-DEL-006 a table below it",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, 1ull << 40, 0),
             Sigil_NoError);
    KTEST_EQ("VS-DEL-007 and a frame still needs the last level",
             sigil_frame_map(g, VS, 1ull << 40, Sigil_CanRead | Sigil_CanWrite, 1),
             Sigil_FailedLookup);
}

/* VSpace_InvalidateData on a mapped page, after cleaning it, keeps what was written; its
 * errors are those of the other VSpace cache operations. */
static void test_invalidate(void)
{
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    uint64_t at = VM_BASE + 0x8000;
    KTEST_EQ("VS-INVAL-001 map a page",
             sigil_frame_map(f, VS, at, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE),
             Sigil_NoError);
    *(volatile uint64_t *)at = 0x1a7e;
    KTEST_EQ("VS-INVAL-002 clean it", sigil_vspace_clean_data(VS, at, at + SIGIL_PAGE_SIZE),
             Sigil_NoError);
    KTEST_EQ("VS-INVAL-003 invalidate it",
             sigil_vspace_invalidate_data(VS, at, at + SIGIL_PAGE_SIZE), Sigil_NoError);
    KTEST_EQ("VS-INVAL-004 the cleaned word is still there", *(volatile uint64_t *)at, 0x1a7e);
    KTEST_EQ("VS-INVAL-005 across frames",
             sigil_vspace_invalidate_data(VS, at + 8, at + SIGIL_PAGE_SIZE + 8), Sigil_RangeError);
    KTEST_EQ("VS-INVAL-006 bytes left in the frame", sigil_get_mr(1), SIGIL_PAGE_SIZE - 8);
    KTEST_EQ("VS-INVAL-007 unmapped",
             sigil_vspace_invalidate_data(VS, at + 0x100000, at + 0x100010), Sigil_FailedLookup);
    KTEST_EQ("VS-INVAL-008 empty range", sigil_vspace_invalidate_data(VS, at, at),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-INVAL-009 past the top of user space",
             sigil_vspace_invalidate_data(VS, SIGIL_PLAT_USER_TOP, SIGIL_PLAT_USER_TOP + 8),
             Sigil_InvalidArgument);
    KTEST_EQ("VS-INVAL-010 not a VSpace", sigil_vspace_invalidate_data(f, at, at + 8),
             Sigil_IllegalOperation);
}

/* The tables a 4 KiB frame at `at` needs below a level-1 table, then the frame: the frame's
 * Frame_Map result (FailedLookup if a level is still missing). */
static sigil_word_t map_below_level1(uint64_t at, sigil_word_t frame)
{
    sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, at, 0);
    sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, at, 0);
    return sigil_frame_map(frame, VS, at, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
}

static uint64_t mapped_pa(uint64_t vaddr)
{
    uint64_t pa, bits, info;
    sigil_debug_vspace_lookup(VS, vaddr, &pa, &bits, &info);
    return pa;
}

/* PageTable_Unmap: a table's last cap unmaps it and what was mapped through it; a table whose
 * cap has a copy answers RevokeFirst and stays mapped. */
static void test_page_table_unmap(void)
{
    uint64_t at = 1ull << 41, at2 = at + (1ull << 39); /* level-1 entries nothing else uses */
    sigil_word_t pt = vm_retype(Sigil_PageTableObject, 0);
    KTEST_EQ("VS-PTUNMAP-001 map a level-1 table", sigil_page_table_map(pt, VS, at, 0),
             Sigil_NoError);
    KTEST_EQ("VS-PTUNMAP-002 and a frame through it",
             map_below_level1(at, vm_retype(Sigil_Frame4KObject, 0)), Sigil_NoError);
    KTEST_EQ("VS-PTUNMAP-003 the frame is mapped", mapped_pa(at) != 0, 1);
    KTEST_EQ("VS-PTUNMAP-004 unmap the table", sigil_page_table_unmap(pt), Sigil_NoError);
    KTEST_EQ("VS-PTUNMAP-005 nothing is mapped there now", mapped_pa(at), 0);
    KTEST_EQ("VS-PTUNMAP-006 its place is free: another table maps there",
             sigil_page_table_map(vm_retype(Sigil_PageTableObject, 0), VS, at, 0), Sigil_NoError);
    KTEST_EQ("VS-PTUNMAP-007 the unmapped table maps elsewhere",
             sigil_page_table_map(pt, VS, at2, 0), Sigil_NoError);
    sigil_word_t copy = vm_slot();
    sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, pt, DEPTH, Sigil_AllRights);
    KTEST_EQ("VS-PTUNMAP-008 a table with a copy of its cap", sigil_page_table_unmap(pt),
             Sigil_RevokeFirst);
    KTEST_EQ("VS-PTUNMAP-009 stays mapped: two more tables and a frame map below it",
             map_below_level1(at2, vm_retype(Sigil_Frame4KObject, 0)), Sigil_NoError);
    KTEST_EQ("VS-PTUNMAP-010 not a page table", sigil_page_table_unmap(VS), Sigil_IllegalOperation);
}

/* Every architecture invocation that takes words or a cap answers TruncatedMessage without
 * them, and changes nothing. */
static void test_truncated(void)
{
    static const struct {
        const char *id;
        sigil_word_t label;
        int on_vspace; /* invoked on the VSpace, else on a frame */
        unsigned words, caps;
    } cases[] = {
        {"VS-TRUNC-001 Frame_Map: 2 of 3 words", Sigil_Frame_Map, 0, 2, 1},
        {"VS-TRUNC-002 Frame_Map: no VSpace cap", Sigil_Frame_Map, 0, 3, 0},
        {"VS-TRUNC-003 Frame_CleanData", Sigil_Frame_CleanData, 0, 1, 0},
        {"VS-TRUNC-004 Frame_InvalidateData", Sigil_Frame_InvalidateData, 0, 1, 0},
        {"VS-TRUNC-005 Frame_CleanInvalidateData", Sigil_Frame_CleanInvalidateData, 0, 1, 0},
        {"VS-TRUNC-006 Frame_UnifyInstruction", Sigil_Frame_UnifyInstruction, 0, 1, 0},
        {"VS-TRUNC-007 VSpace_CleanData", Sigil_VSpace_CleanData, 1, 1, 0},
        {"VS-TRUNC-008 VSpace_InvalidateData", Sigil_VSpace_InvalidateData, 1, 1, 0},
        {"VS-TRUNC-009 VSpace_CleanInvalidateData", Sigil_VSpace_CleanInvalidateData, 1, 1, 0},
        {"VS-TRUNC-010 VSpace_UnifyInstruction", Sigil_VSpace_UnifyInstruction, 1, 1, 0},
    };
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    const sigil_word_t words[3] = {VM_BASE + 0x9000, Sigil_CanRead, SIGIL_VM_CACHEABLE};
    const sigil_cptr_t caps[1] = {VS};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sigil_msginfo_t info = sigil_invoke(cases[i].on_vspace ? VS : f, cases[i].label, words,
                                            cases[i].words, caps, cases[i].caps);
        KTEST_EQ(cases[i].id, sigil_msginfo_label(info), Sigil_TruncatedMessage);
    }
    sigil_word_t pt = vm_retype(Sigil_PageTableObject, 0);
    KTEST_EQ("VS-TRUNC-011 PageTable_Map: 1 of 2 words",
             sigil_msginfo_label(sigil_invoke(pt, Sigil_PageTable_Map, words, 1, caps, 1)),
             Sigil_TruncatedMessage);
    KTEST_EQ("VS-TRUNC-012 PageTable_Map: no VSpace cap",
             sigil_msginfo_label(sigil_invoke(pt, Sigil_PageTable_Map, words, 2, caps, 0)),
             Sigil_TruncatedMessage);
    KTEST_EQ("VS-TRUNC-013 nothing was mapped: the frame maps now",
             sigil_frame_map(f, VS, VM_BASE + 0x9000, Sigil_CanRead, SIGIL_VM_CACHEABLE),
             Sigil_NoError);
}

int main(const void *arg)
{
    vm_setup(arg);
    test_page_tables();
    test_frames();
    test_large_frames();
    test_revoke_and_delete();
    test_invalidate();
    test_page_table_unmap();
    test_truncated();
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
