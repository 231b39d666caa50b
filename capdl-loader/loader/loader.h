/*
 * The capDL loader: Sigil's root task, which turns a binary spec (<sigil/spec.h>) into the
 * running system it describes, checks the result, and gets out of the way.
 *
 * The loader follows the algorithm of l4v's sys-init phase by phase; each phase is a function
 * on one explicit context (loader_t, internal.h) that returns a loader_status_t naming the
 * phase, the object (and slot or entry) it was working on and the kernel's error. Nothing
 * aborts where an error happens: the first failing phase stops the pipeline and one reporter
 * prints the status and powers the machine off. Design and decisions: docs/loader.md.
 */
#ifndef SIGIL_LOADER_H
#define SIGIL_LOADER_H

#include <stdint.h>

#include <sigil/bootinfo.h>

/* The phases, in the order they run (loader_phase_name() gives their report names). */
typedef enum {
    LOADER_PHASE_SPEC,       /* structural check of the blob and of what the loader needs */
    LOADER_PHASE_OBJECTS,    /* create every object (untyped retype, donated image pages) */
    LOADER_PHASE_IRQS,       /* IRQ handler caps from IRQControl */
    LOADER_PHASE_DUPLICATES, /* one mapping cap per frame mapping */
    LOADER_PHASE_BIND_IRQS,  /* IRQ handlers to their notifications */
    LOADER_PHASE_VSPACES,    /* page tables per level, frames, frame contents */
    LOADER_PHASE_TCBS,       /* spaces, IPC buffer, fault handler, priorities, registers */
    LOADER_PHASE_CSPACES,    /* copy pass, then move pass */
    LOADER_PHASE_CHECK,      /* read back everything and compare with the spec */
    LOADER_PHASE_HANDOVER,   /* remaining untyped memory to the resource manager */
    LOADER_PHASE_START,      /* resume the threads */
    LOADER_PHASE_CLEANUP,    /* delete every cap the spec does not need the loader to keep */
    LOADER_NUM_PHASES
} loader_phase_t;

/* What went wrong, as a value. `object` is a spec object id (or SIGIL_SPEC_NONE), `index` a
 * CNode slot or table entry of that object (or SIGIL_SPEC_NONE), `error` the kernel's error
 * code (sigil_error_t; 0 for errors the loader found itself). ok() means phase == NUM. */
typedef struct {
    loader_phase_t phase;
    uint32_t object;
    uint32_t index;
    uint64_t error;
    const char *message;
} loader_status_t;

/* Figures for reports and benchmarks. */
typedef struct {
    uint64_t objects;         /* spec objects */
    uint64_t donated;         /* frames that are pages of the loader's image */
    uint64_t copied;          /* frames filled by copying */
    uint64_t handed_over;     /* untyped caps given to the resource manager */
    uint64_t started;         /* threads resumed */
    uint64_t own_cnode_radix; /* radix of the CNode the loader made for itself, 0 if none */
    uint64_t cycles_loaded;   /* cycle counter when the last thread was started */
} loader_stats_t;

/*
 * Build the system described by the `size`-byte blob at `blob` (4 KiB aligned in the loader's
 * image) with the root task's initial caps described by `bi`.
 * Pre: called once, by the root task, with its initial CSpace untouched.
 * Post: on success every object, cap, mapping and thread of the spec exists and was checked (if
 * the check is built in), the threads marked `start` run, and the loader holds only what
 * docs/loader.md lists; on failure the status says where the pipeline stopped.
 */
loader_status_t sigil_loader_run(const sigil_bootinfo_t *bi, const void *blob, uint64_t size,
                                 loader_stats_t *stats);

/* Print `loader: FAILED in <phase>: <name>: <message>` for a failed status. */
void sigil_loader_report(const void *blob, loader_status_t st);

/* The report name of a phase ("create objects", ...). */
const char *loader_phase_name(loader_phase_t phase);

#endif /* SIGIL_LOADER_H */
