/*
 * The boot-info page: what the kernel tells the root task at start-up.
 *
 * The kernel maps this page read-only into the root task and passes its address in x0.
 */
#ifndef SIGIL_BOOTINFO_H
#define SIGIL_BOOTINFO_H

#include <stdint.h>

#define SIGIL_BOOTINFO_MAGIC 0x4f464e494c474953ull /* "SIGLINFO" */

typedef struct sigil_bootinfo {
    uint64_t magic;        /* SIGIL_BOOTINFO_MAGIC */
    uint64_t ipc_buffer;   /* virtual address of the root thread's IPC buffer */
    uint64_t pmu_preamble; /* instructions the kernel ran before its cycle counter started */
    uint64_t kernel_el;    /* exception level the kernel runs at */
} sigil_bootinfo_t;

#endif /* SIGIL_BOOTINFO_H */
