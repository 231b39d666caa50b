/*
 * The rm-demo scenario in the harness (test rm.harness_demo): the programs of apps/rm-demo
 * (linked in with their main renamed) as threads with the same ids, quotas, priorities and caps
 * as specs/rm-demo.yaml gives them.
 */
#include <sigil/rm.h>

#include "harness.h"

const unsigned harness_cnode_bits = 16, harness_pool_bits = 25; /* 32 MiB */

int rm_demo_worker_main(const void *arg);
int rm_demo_victim_main(const void *arg);
int rm_demo_crasher_main(const void *arg);
int rm_demo_admin_main(const void *arg);

static int admin_status = 1;

static void run_worker(sigil_word_t a)
{
    rm_demo_worker_main((const void *)(uintptr_t)a); /* ends with an Exit request */
}

static void run_victim(sigil_word_t a)
{
    rm_demo_victim_main((const void *)(uintptr_t)a);
}

static void run_crasher(sigil_word_t a)
{
    rm_demo_crasher_main((const void *)(uintptr_t)a);
}

static void run_admin(sigil_word_t a)
{
    admin_status = rm_demo_admin_main((const void *)(uintptr_t)a);
    sigil_signal(15); /* harness_finished, the last slot of its CNode */
    for (sigil_word_t w;;) {
        sigil_wait(2, &w); /* `ready`: nobody signals it any more */
    }
}

int harness_run(void)
{
    sigil_word_t ready = harness_object(Sigil_NotificationObject, 0);
    harness_client(1, "worker", 6, 64 << 10, 40, 0, run_worker, 100, 0, 0, 0);
    harness_client(2, "victim", 6, 64 << 10, 40, 0, run_victim, 90, 0, &ready, 1);
    harness_client(3, "crasher", 4, 16 << 10, 4, 0, run_crasher, 95, 0, 0, 0);
    harness_client(4, "admin", 4, 0, 0, 1, run_admin, 92, 0, &ready, 1);
    harness_start_manager();
    sigil_word_t w;
    sigil_wait(harness_finished, &w);
    return admin_status;
}
