/*
 * Host implementation of the arch hooks for tests: physical memory is an aligned malloc'd
 * arena at HOST_PHYS_BASE; preemption can be programmed; hook calls are counted.
 */
#ifndef TESTS_CORE_HOST_ARCH_H
#define TESTS_CORE_HOST_ARCH_H

#include <arch/hooks.h>

#define HOST_PHYS_BASE 0x40000000ull

/* Allocate a zeroed arena of 2^bits bytes, aligned to its size. */
void host_arena_init(unsigned bits);
void *host_arena(void);
size_t host_arena_size(void);

/* Preemption: never (the default), always, or after n more interrupt checks. */
void host_preempt_never(void);
void host_preempt_always(void);
void host_preempt_after(unsigned long n);

/* Counters of hook calls and of work between interrupt checks. */
typedef struct host_stats {
    unsigned long checks;         /* arch_preemption_pending calls */
    unsigned long max_units;      /* most preempt units seen at one check */
    unsigned long bytes_cleared;  /* arch_clear_memory total */
    unsigned long max_cleared;    /* most bytes cleared between two checks */
    unsigned long max_restarts;   /* most threads restarted between two checks */
    unsigned long unmap_frame;    /* arch_unmap_frame calls on a mapped frame cap */
    unsigned long unmap_pt;       /* arch_unmap_page_table calls on a mapped table */
    unsigned long vspace_delete;  /* arch_vspace_delete calls */
    unsigned long tcb_destroy;    /* arch_tcb_destroy calls */
    unsigned long sched_enqueues; /* sched_enqueue calls */
    unsigned long irq_masked;     /* arch_irq_set_masked(.., true) calls */
    unsigned long irq_unmasked;   /* arch_irq_set_masked(.., false) calls */
} host_stats_t;
extern host_stats_t host_stats;

/* The host's ready queue (kernel/sched.h implemented as one FIFO). */
unsigned long host_ready_count(void);
void host_sched_reset(void);

#endif /* TESTS_CORE_HOST_ARCH_H */
