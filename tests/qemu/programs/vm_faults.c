/*
 * Faults that must happen: each image of this program (VM_FAULT_CASE) sets up one mapping
 * situation and then touches memory it must not; the kernel's fault report (kind, address,
 * fault status) is what the test checks. Printed before the access: the line the test expects
 * first, so a fault in the set-up is not mistaken for the one under test.
 *   1  write to a frame mapped read-only          -> permission fault, level 3
 *   2  execute from a frame mapped without Executable -> instruction abort, permission fault
 *   3  read after the frame cap was deleted        -> translation fault, level 3
 *   4  read after the level-3 page table was deleted -> translation fault, level 2
 *   5  write after a writable frame was remapped read-only (its old entry was in use, so the
 *      remap must invalidate it in the TLB)      -> permission fault, level 3
 */
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "vm_common.h"

#define RW (Sigil_CanRead | Sigil_CanWrite)

int main(const void *arg)
{
    vm_setup(arg);
    sigil_word_t l2 = vm_retype(Sigil_PageTableObject, 0);
    sigil_word_t l3 = vm_retype(Sigil_PageTableObject, 0);
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    sigil_page_table_map(l2, VS, VM_BASE, 0);
    sigil_page_table_map(l3, VS, VM_BASE, 0);
    volatile uint32_t *p = (volatile uint32_t *)VM_BASE;
#if VM_FAULT_CASE == 1
    sigil_frame_map(f, VS, VM_BASE, Sigil_CanRead, SIGIL_VM_CACHEABLE);
    sigil_printf("vm_faults: %u, now writing\n", p[0]);
    p[0] = 1;
#elif VM_FAULT_CASE == 2
    sigil_frame_map(f, VS, VM_BASE, RW, SIGIL_VM_CACHEABLE);
    p[0] = 0xd65f03c0; /* ret */
    sigil_frame_unify_instruction(f, 0, 4);
    sigil_printf("vm_faults: now executing\n");
    ((void (*)(void))VM_BASE)();
#elif VM_FAULT_CASE == 3
    sigil_frame_map(f, VS, VM_BASE, RW, SIGIL_VM_CACHEABLE);
    p[0] = 5;
    sigil_cnode_delete(ROOT, f, DEPTH);
    sigil_printf("vm_faults: now reading\n");
    (void)p[0];
#elif VM_FAULT_CASE == 4
    sigil_frame_map(f, VS, VM_BASE, RW, SIGIL_VM_CACHEABLE);
    p[0] = 5;
    sigil_cnode_delete(ROOT, l3, DEPTH);
    sigil_printf("vm_faults: now reading\n");
    (void)p[0];
#elif VM_FAULT_CASE == 5
    sigil_frame_map(f, VS, VM_BASE, RW, SIGIL_VM_CACHEABLE);
    p[0] = 5;
    sigil_frame_map(f, VS, VM_BASE, Sigil_CanRead, SIGIL_VM_CACHEABLE);
    sigil_printf("vm_faults: %u, remapped read-only, now writing\n", p[0]);
    p[0] = 6;
#endif
    sigil_printf("vm_faults: no fault happened\n");
    return 1;
}
