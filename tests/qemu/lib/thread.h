/*
 * Threads for in-QEMU tests: a new thread in the root task's address space or in a fresh
 * VSpace that shares the root task's image (mapped read-execute), each with its own stack and
 * IPC buffer. Built only from kernel invocations, as any user-level thread library would be.
 */
#ifndef TESTS_QEMU_THREAD_H
#define TESTS_QEMU_THREAD_H

#include <sigil/invocations.h>
#include <sigil/ipc.h>

#include "vm_common.h"

#define THREAD_STACK_BYTES 8192
#define THREAD_AREA        0x2000000000ull /* 128 GiB: stacks and IPC buffers of test threads */

typedef struct test_thread {
    sigil_word_t tcb;
    sigil_word_t vspace;
    uint64_t ipc_buffer; /* its IPC buffer's address in its VSpace */
} test_thread_t;

/* Map page tables until `vaddr` can take a 4 KiB frame in `vs`. */
static inline void thread_tables(sigil_word_t vs, uint64_t vaddr)
{
    for (int level = 0; level < 3; level++) {
        sigil_word_t pt = vm_retype(Sigil_PageTableObject, 0);
        if (sigil_page_table_map(pt, vs, vaddr, 0) != Sigil_NoError) {
            sigil_cnode_delete(ROOT, pt, DEPTH);
            return;
        }
    }
}

/* A fresh frame mapped read-write at `vaddr` of `vs`. */
static inline sigil_word_t thread_frame(sigil_word_t vs, uint64_t vaddr)
{
    thread_tables(vs, vaddr);
    sigil_word_t f = vm_retype(Sigil_Frame4KObject, 0);
    sigil_frame_map(f, vs, vaddr, Sigil_CanRead | Sigil_CanWrite, SIGIL_VM_CACHEABLE);
    return f;
}

/* A new VSpace holding the root task's image (copies of its frame caps, read-execute). */
static inline sigil_word_t thread_vspace(void)
{
    sigil_word_t vs = vm_retype(Sigil_VSpaceObject, 0);
    for (sigil_word_t i = vm_bi->image_frames_start; i < vm_bi->image_frames_end; i++) {
        uint64_t va = vm_bi->image_vaddr + (i - vm_bi->image_frames_start) * SIGIL_PAGE_SIZE;
        sigil_word_t copy = vm_slot();
        sigil_cnode_copy(ROOT, copy, DEPTH, ROOT, i, DEPTH, Sigil_CanRead);
        thread_tables(vs, va);
        sigil_frame_map(copy, vs, va, Sigil_CanRead, SIGIL_VM_CACHEABLE | SIGIL_VM_EXECUTABLE);
    }
    return vs;
}

static unsigned thread_count;

/* Create (not yet start) a thread running fn(arg) at `prio`, in `vs` (0: the root task's). */
static inline void thread_create(test_thread_t *th, void (*fn)(sigil_word_t), sigil_word_t arg,
                                 unsigned prio, sigil_word_t vs)
{
    unsigned n = thread_count++;
    uint64_t area = THREAD_AREA + (uint64_t)n * 0x10000;
    th->vspace = vs != 0 ? vs : VS;
    th->tcb = vm_retype(Sigil_TCBObject, 0);
    for (uint64_t off = 0; off < THREAD_STACK_BYTES; off += SIGIL_PAGE_SIZE) {
        thread_frame(th->vspace, area + off);
    }
    th->ipc_buffer = area + 0x8000;
    sigil_word_t ipc = thread_frame(th->vspace, th->ipc_buffer);
    sigil_tcb_configure(th->tcb, ROOT, 0, th->vspace, 0, th->ipc_buffer, ipc);
    sigil_tcb_set_sched_params(th->tcb, Sigil_SlotInitThreadTCB, prio, prio);
    sigil_word_t regs[SIGIL_CONTEXT_WORDS] = {0};
    regs[Sigil_Ctx_PC] = (sigil_word_t)(uintptr_t)fn;
    regs[Sigil_Ctx_SP] = area + THREAD_STACK_BYTES;
    regs[Sigil_Ctx_X0] = arg;
    sigil_tcb_write_registers(th->tcb, 0, 0, Sigil_Ctx_X0 + 1, regs); /* pc, sp, spsr, x0 */
}

static inline void thread_start(test_thread_t *th)
{
    sigil_tcb_resume(th->tcb);
}

#endif /* TESTS_QEMU_THREAD_H */
