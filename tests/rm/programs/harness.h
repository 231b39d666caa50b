/*
 * The manager harness (harness.c): a root task that stands in for the loader. The scenario
 * (scenario.c, or bench.c for the benchmarks) defines harness_run(): it adds its clients with
 * harness_client() — the root thread itself with fn == 0 — then starts the manager with
 * harness_start_manager() and plays the administrator through rm_admin_cap.
 */
#ifndef RM_TESTS_HARNESS_H
#define RM_TESTS_HARNESS_H

#include <sigil/ipc.h>

/* Set by the scenario: log2 of the manager's CNode slots and of its pool's bytes. */
extern const unsigned harness_cnode_bits, harness_pool_bits;

/* The root thread's request cap to the manager (after harness_client(..., fn = 0, ...)). */
extern sigil_word_t rm_admin_cap;

/* A notification the root thread waits on; every client thread holds it (Write) in the last
 * slot of its CNode. */
extern sigil_word_t harness_finished;

/* Add client `id` named `name` (one of harness.c's names) with its quotas: its record in the
 * boot page and, unless it is the root thread (fn == 0), a thread running fn(arg) at `prio` in
 * the root task's VSpace with its own CNode of 2^bits slots: slot 1 its request cap, slots
 * 2 .. 2 + nextra - 1 copies of the root task's caps extra[], the last slot `harness_finished`
 * (Write). Its fault handler is the manager (badge = id). Returns its TCB (fn == 0: the root
 * thread's request cap, also in rm_admin_cap). */
sigil_word_t harness_client(uint64_t id, const char *name, unsigned bits, uint64_t quota,
                            uint64_t objects, int admin, void (*fn)(sigil_word_t), unsigned prio,
                            sigil_word_t arg, const sigil_word_t *extra, unsigned nextra);

/* A new object of `type` in the root task's CNode (its slot). */
sigil_word_t harness_object(sigil_word_t type, sigil_word_t size_bits);

/* An empty slot of the root task's CNode. */
sigil_word_t harness_slot(void);

/* Mint into root slot `dest` the cap in root slot `src` with `rights` and `badge`. */
void harness_mint(sigil_word_t dest, sigil_word_t src, sigil_word_t rights, sigil_word_t badge);

/* Start the manager thread: after every client is added (it reads the boot page once). */
void harness_start_manager(void);

/* The scenario: returns the root task's exit status (0 = passed). */
int harness_run(void);

#endif
