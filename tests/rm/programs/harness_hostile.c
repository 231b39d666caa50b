/*
 * The hostile scenario in the harness (test rm.harness_hostile): hostile.c and good.c at the
 * same priority (the timer interleaves them), judge.c last, with the ids, quotas and caps
 * tests/rm/hostile.yaml gives them. The manager is the debug build: it checks its invariants
 * after every request.
 */
#include <sigil/rm.h>

#include "harness.h"

const unsigned harness_cnode_bits = 16, harness_pool_bits = 25; /* 32 MiB */

int rm_hostile_main(const void *arg);
int rm_good_main(const void *arg);
int rm_judge_main(const void *arg);

static int judge_status = 1;

static void run_hostile(sigil_word_t a)
{
    rm_hostile_main((const void *)(uintptr_t)a);
}

static void run_good(sigil_word_t a)
{
    rm_good_main((const void *)(uintptr_t)a);
}

static void run_judge(sigil_word_t a)
{
    judge_status = rm_judge_main((const void *)(uintptr_t)a);
    sigil_signal(15); /* harness_finished, the last slot of its CNode */
    for (sigil_word_t w;;) {
        sigil_wait(2, &w); /* `done`: nobody signals it any more */
    }
}

int harness_run(void)
{
    sigil_word_t done = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t sleep = harness_object(Sigil_NotificationObject, 0);
    sigil_word_t done1 = harness_slot();
    sigil_word_t done2 = harness_slot();
    harness_mint(done1, done, Sigil_CanWrite, 1);
    harness_mint(done2, done, Sigil_CanWrite, 2);
    sigil_word_t hostile_caps[2] = {done1, sleep};
    harness_client(1, "hostile", 8, 256 << 10, 64, 0, run_hostile, 100, 0, hostile_caps, 2);
    harness_client(2, "good", 4, 64 << 10, 8, 0, run_good, 100, 0, &done2, 1);
    harness_client(3, "judge", 4, 0, 0, 1, run_judge, 50, 0, &done, 1);
    harness_start_manager();
    sigil_word_t w;
    sigil_wait(harness_finished, &w);
    return judge_status;
}
