/*
 * Transparent paging in the harness (test rm.harness_evict): paged.c fills demand-zero pages
 * with patterns; the administrator (the root thread) evicts them — zero pages dropped, the
 * others stored — and the client reads every word back unchanged, refaulting each page.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

#include "harness.h"

const unsigned harness_cnode_bits = 16, harness_pool_bits = 25; /* 32 MiB */

int rm_paged_main(const void *arg);

static void run_paged(sigil_word_t a)
{
    rm_paged_main((const void *)(uintptr_t)a);
}

int harness_run(void)
{
    sigil_word_t ready = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t go = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t caps[2] = {ready, go};
    harness_client(1, "admin", 0, 0, 0, 1, 0, 0, 0, 0, 0);
    harness_client(2, "paged", 4, 1 << 20, 64, 0, run_paged, 100, 0, caps, 2);
    harness_start_manager();
    sigil_word_t w, stats[RM_NUM_STATS] = {0}, dropped = 0, kept = 0;
    sigil_wait(ready, &w);
    rm_stats_of(rm_admin_cap, 2, stats);
    sigil_word_t before = stats[Rm_StatUsedBytes];
    rm_error_t err = rm_evict(rm_admin_cap, 2, 100, &dropped, &kept);
    rm_stats_of(rm_admin_cap, 2, stats);
    sigil_printf("rm-admin: evicted the paged client's pages (%s): %lu zero pages dropped, %lu "
                 "stored; its usage %lu -> %lu bytes\n",
                 rm_error_name(err), (unsigned long)dropped, (unsigned long)kept,
                 (unsigned long)before, (unsigned long)stats[Rm_StatUsedBytes]);
    /* Below the client from here: it finishes (and exits) before the root thread goes on. */
    sigil_tcb_set_sched_params(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 255, 10);
    sigil_signal(go);
    sigil_wait(harness_finished, &w);
    sigil_word_t pool[4] = {0}, whole = 0, bytes = 0;
    rm_pool_stats(rm_admin_cap, &pool[0], &pool[1], &pool[2], &pool[3]);
    int ok = rm_verify_pool(rm_admin_cap, &whole, &bytes) == Rm_ErrOk && bytes == pool[0];
    sigil_printf("rm-admin: pool %lu bytes, %lu free, retyped whole: %s\n", (unsigned long)pool[0],
                 (unsigned long)pool[1], ok ? "yes" : "FAILED");
    return !ok;
}
