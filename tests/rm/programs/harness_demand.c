/*
 * Demand-zero memory in the harness (test rm.harness_demand): pager.c touches a region of 1,024
 * demand-zero pages and checks contents and charges; greedy.c runs out of quota on a touch and
 * is ended; an administrator (the root thread's cap) checks the pool is whole afterwards.
 */
#include <sigil/bootinfo.h>
#include <sigil/invocations.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

#include "harness.h"

const unsigned harness_cnode_bits = 16, harness_pool_bits = 25; /* 32 MiB */

int rm_pager_main(const void *arg);
int rm_greedy_main(const void *arg);

static void run_pager(sigil_word_t a)
{
    rm_pager_main((const void *)(uintptr_t)a);
}

static void run_greedy(sigil_word_t a)
{
    rm_greedy_main((const void *)(uintptr_t)a);
}

int harness_run(void)
{
    harness_client(1, "admin", 0, 0, 0, 1, 0, 0, 0, 0, 0);
    harness_client(2, "pager", 4, 8 << 20, 2048, 0, run_pager, 100, 0, 0, 0);
    harness_client(3, "greedy", 4, 16 << 10, 16, 0, run_greedy, 90, 0, 0, 0);
    harness_start_manager();
    /* Below the clients: the root thread goes on once both have ended. */
    sigil_tcb_set_sched_params(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 255, 10);
    sigil_word_t pool[4] = {0}, whole = 0, bytes = 0;
    rm_pool_stats(rm_admin_cap, &pool[0], &pool[1], &pool[2], &pool[3]);
    int ok = rm_verify_pool(rm_admin_cap, &whole, &bytes) == Rm_ErrOk && bytes == pool[0] &&
             pool[1] == pool[0];
    sigil_printf("rm-admin: pool %lu bytes, %lu free, retyped whole: %s\n", (unsigned long)pool[0],
                 (unsigned long)pool[1], ok ? "yes" : "FAILED");
    return !ok;
}
