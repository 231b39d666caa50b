/*
 * Host arch hooks, scheduler and panic for the core's tests (see host_arch.h).
 */
#include "host_arch.h"

#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <lib/assert.h>
#include <lib/kprintf.h>
#include <lib/kstate.h>
#include <object/tcb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

host_stats_t host_stats;

static char *arena;
static size_t arena_size;
static long preempt_countdown = -1; /* -1: never; 0: always; n: after n checks */
static unsigned long cleared_since_check;
static unsigned long restarts_since_check;

void host_arena_init(unsigned bits)
{
    if (arena == NULL || arena_size != (size_t)1 << bits) {
        free(arena);
        arena_size = (size_t)1 << bits;
        if (posix_memalign((void **)&arena, arena_size, arena_size) != 0) {
            abort();
        }
    }
    memset(arena, 0, arena_size);
    memset(&host_stats, 0, sizeof(host_stats));
}

void *host_arena(void)
{
    return arena;
}

size_t host_arena_size(void)
{
    return arena_size;
}

void *arch_kptr_from_paddr(paddr_t pa)
{
    if (pa < HOST_PHYS_BASE || pa - HOST_PHYS_BASE > arena_size) {
        kpanic("paddr %#llx outside the host arena", (unsigned long long)pa);
    }
    return arena + (pa - HOST_PHYS_BASE);
}

paddr_t arch_paddr_from_kptr(const void *kptr)
{
    return HOST_PHYS_BASE + (paddr_t)((const char *)kptr - arena);
}

void arch_clear_memory(void *kptr, size_t len)
{
    if (((uintptr_t)kptr & 15) != 0 || (len & 15) != 0) {
        kpanic("arch_clear_memory(%p, %zu): misaligned", kptr, len);
    }
    memset(kptr, 0, len);
    host_stats.bytes_cleared += len;
    cleared_since_check += len;
}

void host_preempt_never(void)
{
    preempt_countdown = -1;
}

void host_preempt_always(void)
{
    preempt_countdown = 0;
}

void host_preempt_after(unsigned long n)
{
    preempt_countdown = (long)n;
}

static void note_check(void)
{
    unsigned long units = preempt_units_since_check();
    host_stats.checks++;
    if (units > host_stats.max_units) {
        host_stats.max_units = units;
    }
    if (cleared_since_check > host_stats.max_cleared) {
        host_stats.max_cleared = cleared_since_check;
    }
    if (restarts_since_check > host_stats.max_restarts) {
        host_stats.max_restarts = restarts_since_check;
    }
    cleared_since_check = 0;
    restarts_since_check = 0;
}

bool arch_preemption_pending(void)
{
    note_check();
    if (preempt_countdown < 0) {
        return false;
    }
    if (preempt_countdown == 0) {
        return true;
    }
    preempt_countdown--;
    return preempt_countdown == 0;
}

void arch_tcb_init(struct tcb *t)
{
    t->arch.regs.x[ARCH_REG_SPSR] = 0;
}

void arch_tcb_destroy(struct tcb *t)
{
    (void)t;
    host_stats.tcb_destroy++;
}

void arch_unmap_frame(cap_t frame_cap)
{
    if (cap_mapped_asid(frame_cap) != 0) {
        host_stats.unmap_frame++;
    }
}

void arch_unmap_page_table(cap_t pt_cap)
{
    if (cap_mapped_asid(pt_cap) != 0) {
        host_stats.unmap_pt++;
    }
}

/* The host has no translation tables: every address-space invocation is refused as an unknown
 * label would be. */
syserr_t arch_frame_invocation(cte_t *slot, invocation_t *inv)
{
    (void)slot, (void)inv;
    return syserr_make(Sigil_IllegalOperation, 0, 0);
}

syserr_t arch_page_table_invocation(cte_t *slot, invocation_t *inv)
{
    return arch_frame_invocation(slot, inv);
}

syserr_t arch_vspace_invocation(cte_t *slot, invocation_t *inv)
{
    return arch_frame_invocation(slot, inv);
}

void arch_vspace_init(void *root)
{
    (void)root; /* the host keeps no VSpace bookkeeping */
}

void arch_vspace_delete(cap_t vspace_cap)
{
    (void)vspace_cap;
    host_stats.vspace_delete++;
}

bool arch_irq_valid(word_t irq)
{
    return irq <= SIGIL_PLAT_MAX_IRQ && irq != SIGIL_PLAT_TIMER_IRQ;
}

void arch_irq_set_masked(word_t irq, bool masked)
{
    (void)irq;
    if (masked) {
        host_stats.irq_masked++;
    } else {
        host_stats.irq_unmasked++;
    }
}

void arch_smc_call(const word_t in[8], word_t out[8])
{
    out[0] = in[0] == 0x84000000ull ? 0x10001 : (word_t)-1;
    for (int i = 1; i < 8; i++) {
        out[i] = in[i];
    }
}

/* ---- scheduler: one FIFO through the TCB's sched links ---- */

KSTATE static tcb_t *ready_head; /* the kernel scheduler's state, in this host stand-in */
KSTATE static tcb_t *ready_tail;

static bool queued(const tcb_t *t)
{
    return t->sched_prev != NULL || ready_head == t;
}

void sched_enqueue(struct tcb *t)
{
    host_stats.sched_enqueues++;
    restarts_since_check++;
    if (queued(t)) {
        return;
    }
    t->sched_prev = ready_tail;
    t->sched_next = NULL;
    if (ready_tail != NULL) {
        ready_tail->sched_next = t;
    } else {
        ready_head = t;
    }
    ready_tail = t;
}

void sched_dequeue(struct tcb *t)
{
    if (!queued(t)) {
        return;
    }
    if (t->sched_prev != NULL) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        ready_head = t->sched_next;
    }
    if (t->sched_next != NULL) {
        t->sched_next->sched_prev = t->sched_prev;
    } else {
        ready_tail = t->sched_prev;
    }
    t->sched_next = NULL;
    t->sched_prev = NULL;
}

void sched_reschedule(void)
{
}

/* Weak, so a test with its own scheduler model can replace it. */
__attribute__((weak)) void sched_change_priority(struct tcb *t, unsigned prio)
{
    bool was_queued = queued(t);
    sched_dequeue(t);
    t->priority = (uint8_t)prio;
    if (was_queued) {
        sched_enqueue(t);
    }
}

unsigned long host_ready_count(void)
{
    unsigned long n = 0;
    for (tcb_t *t = ready_head; t != NULL; t = t->sched_next) {
        n++;
    }
    return n;
}

void host_sched_reset(void)
{
    ready_head = NULL;
    ready_tail = NULL;
}
