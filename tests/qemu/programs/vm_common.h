/*
 * Helpers shared by the address-space test programs: slots, objects from untyped memory,
 * device frames by physical address.
 */
#ifndef TESTS_QEMU_VM_COMMON_H
#define TESTS_QEMU_VM_COMMON_H

#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#define ROOT    Sigil_SlotInitThreadCNode
#define VS      Sigil_SlotInitThreadVSpace
#define DEPTH   64
#define VM_BASE 0x1000000000ull /* 64 GiB: far from the root task's own mappings */

static const sigil_bootinfo_t *vm_bi;
static sigil_word_t vm_next_free;

static inline void vm_setup(const void *arg)
{
    vm_bi = arg;
    vm_next_free = vm_bi->empty_start;
}

static inline sigil_word_t vm_slot(void)
{
    return vm_next_free++;
}

/* Is the slot empty? (Copying from an empty slot fails its source lookup.) */
static inline int vm_slot_empty(sigil_word_t slot)
{
    sigil_word_t probe = vm_slot();
    sigil_word_t err = sigil_cnode_copy(ROOT, probe, DEPTH, ROOT, slot, DEPTH, Sigil_AllRights);
    if (err == Sigil_NoError) {
        sigil_cnode_delete(ROOT, probe, DEPTH);
        return 0;
    }
    return err == Sigil_FailedLookup && sigil_get_mr(0) == 1;
}

/* An object of `type` from the first RAM untyped with room (largest objects need the largest
 * untypeds; each call takes the first that works). */
static inline sigil_word_t vm_retype(sigil_word_t type, sigil_word_t size_bits)
{
    sigil_word_t slot = vm_slot();
    for (sigil_word_t i = 0; i < vm_bi->num_untypeds; i++) {
        if (vm_bi->untyped[i].is_device) {
            continue;
        }
        if (sigil_untyped_retype(vm_bi->untyped_start + i, type, size_bits, ROOT, ROOT, DEPTH, slot,
                                 1) == Sigil_NoError) {
            return slot;
        }
    }
    sigil_printf("vm: no untyped can hold object type %llu\n", (unsigned long long)type);
    return 0;
}

/* A 4 KiB device frame at physical address `pa`: carve it out of the device untyped that covers
 * it (retype frames up to it; objects are placed in order). */
static inline sigil_word_t vm_device_frame(sigil_word_t pa)
{
    for (sigil_word_t i = 0; i < vm_bi->num_untypeds; i++) {
        const sigil_untyped_desc_t *u = &vm_bi->untyped[i];
        if (!u->is_device || pa < u->paddr || pa - u->paddr >= (1ull << u->size_bits)) {
            continue;
        }
        sigil_word_t ut = vm_bi->untyped_start + i, slot = 0;
        for (sigil_word_t at = u->paddr; at <= pa; at += SIGIL_PAGE_SIZE) {
            slot = vm_slot();
            sigil_untyped_retype(ut, Sigil_Frame4KObject, 0, ROOT, ROOT, DEPTH, slot, 1);
        }
        return slot;
    }
    return 0;
}

#endif /* TESTS_QEMU_VM_COMMON_H */
