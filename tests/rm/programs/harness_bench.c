/*
 * The manager's benchmarks in the harness (image bench_rm, release kernel and manager):
 * bench_admin.c times the round trips and kills; bench_victim.c twice holds 100 and 10,000
 * endpoints, one allocation each. Ids, quotas and caps as tests/rm/bench.yaml gives them.
 */
#include <sigil/rm.h>

#include "harness.h"

const unsigned harness_cnode_bits = 17, harness_pool_bits = 27; /* 128 MiB */

int rm_bench_admin_main(const void *arg);
int rm_bench_victim_main(const void *arg);

static int status = 1;

static void run_admin(sigil_word_t a)
{
    status = rm_bench_admin_main((const void *)(uintptr_t)a);
    sigil_signal(63); /* harness_finished, the last slot of its CNode */
    for (sigil_word_t w;;) {
        sigil_wait(2, &w); /* `ready`: nobody signals it any more */
    }
}

static void run_victim(sigil_word_t a)
{
    rm_bench_victim_main((const void *)(uintptr_t)a);
}

int harness_run(void)
{
    sigil_word_t ready = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t sleep = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t v100[2] = {harness_slot(), sleep}, v10k[2] = {harness_slot(), sleep};
    harness_mint(v100[0], ready, Sigil_CanWrite, 1);
    harness_mint(v10k[0], ready, Sigil_CanWrite, 2);
    harness_client(1, "bench", 6, 80 << 20, 20000, 1, run_admin, 200, 0, &ready, 1);
    harness_client(2, "victim100", 7, 64 << 10, 100, 0, run_victim, 90, 100, v100, 2);
    harness_client(3, "victim10k", 14, 1 << 20, 10000, 0, run_victim, 80, 10000, v10k, 2);
    harness_start_manager();
    sigil_word_t w;
    sigil_wait(harness_finished, &w);
    return status;
}
