/*
 * Test fixture (see fixture.h).
 */
#include "fixture.h"

#include <object/delete.h>
#include <object/endpoint.h>
#include <object/irq.h>
#include <stdlib.h>
#include <string.h>

boot_state_t fx;
int fx_failures;
int fx_cases;
unsigned fx_check_every = 1;

static inv_object_t *scratch;
#define SCRATCH_LEN (1u << 20)

void fx_boot(unsigned arena_bits)
{
    fx_boot_with(arena_bits, FX_RADIX);
}

void fx_boot_with(unsigned arena_bits, unsigned radix)
{
    host_arena_init(arena_bits);
    host_sched_reset();
    host_preempt_never();
    boot_region_t ram = {HOST_PHYS_BASE + 0x10000, HOST_PHYS_BASE + host_arena_size()};
    boot_region_t dev = {FX_DEVICE_BASE, FX_DEVICE_END};
    if (!boot_caps_create(&ram, 1, &dev, 1, radix, &fx)) {
        fprintf(stderr, "boot failed\n");
        abort();
    }
    irq_reserve(SIGIL_PLAT_TIMER_IRQ);
    fx_caller()->state = TCB_RUNNING;
    fx_check("boot");
}

tcb_t *fx_caller(void)
{
    return fx.root_tcb;
}

cte_t *fx_slot(word_t index)
{
    return &fx.root_cnode[index];
}

word_t fx_big_untyped(void)
{
    word_t best = 0;
    unsigned bits = 0;
    for (word_t i = 0; i < fx.info->num_untypeds; i++) {
        if (!fx.info->untyped[i].is_device && fx.info->untyped[i].size_bits > bits) {
            bits = fx.info->untyped[i].size_bits;
            best = fx.info->untyped_start + i;
        }
    }
    return best;
}

word_t fx_device_untyped(void)
{
    for (word_t i = 0; i < fx.info->num_untypeds; i++) {
        if (fx.info->untyped[i].is_device) {
            return fx.info->untyped_start + i;
        }
    }
    return 0;
}

word_t fx_free_slot(void)
{
    return fx.info->empty_start;
}

sigil_status_t fx_call(invocation_t *inv, word_t cptr, word_t label, unsigned n, const word_t *args,
                       unsigned ne, const word_t *extra)
{
    memset(inv, 0, sizeof(*inv));
    inv->label = label;
    inv->length = n;
    for (unsigned i = 0; i < n; i++) {
        inv->mr[i] = args[i];
    }
    inv->extra_caps = ne;
    for (unsigned i = 0; i < ne; i++) {
        inv->extra[i] = extra[i] == FX_NO_CAP ? NULL : fx_slot(extra[i]);
    }
    sigil_status_t st = api_invoke(fx_caller(), cptr, inv);
    static unsigned long calls;
    if (++calls % fx_check_every == 0) {
        fx_check("invocation");
    }
    return st;
}

sigil_status_t fx_call_all(invocation_t *inv, word_t cptr, word_t label, unsigned n,
                           const word_t *args, unsigned ne, const word_t *extra,
                           unsigned long *restarts)
{
    sigil_status_t st;
    unsigned long r = 0;
    while ((st = fx_call(inv, cptr, label, n, args, ne, extra)) == SIGIL_STATUS_PREEMPTED) {
        r++;
    }
    if (restarts != NULL) {
        *restarts = r;
    }
    return st;
}

static word_t root_extra[1] = {BOOT_SLOT_CNODE};

sigil_status_t fx_retype(word_t ut, word_t type, word_t size_bits, word_t dest, word_t count)
{
    invocation_t inv;
    return fx_call_all(&inv, ut, INV_UNTYPED_RETYPE, 6, ARGS(type, size_bits, 0, 0, dest, count), 1,
                       root_extra, NULL);
}

sigil_status_t fx_copy(word_t dest, word_t src, word_t rights)
{
    invocation_t inv;
    return fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_COPY, 5, ARGS(dest, 64, src, 64, rights), 1,
                   root_extra);
}

sigil_status_t fx_mint(word_t dest, word_t src, word_t rights, word_t data)
{
    invocation_t inv;
    return fx_call(&inv, BOOT_SLOT_CNODE, INV_CNODE_MINT, 6, ARGS(dest, 64, src, 64, rights, data),
                   1, root_extra);
}

sigil_status_t fx_delete(word_t slot)
{
    invocation_t inv;
    return fx_call_all(&inv, BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS(slot, 64), 0, NULL, NULL);
}

sigil_status_t fx_revoke(word_t slot)
{
    invocation_t inv;
    return fx_call_all(&inv, BOOT_SLOT_CNODE, INV_CNODE_REVOKE, 2, ARGS(slot, 64), 0, NULL, NULL);
}

void fx_check(const char *where)
{
    if (scratch == NULL) {
        scratch = malloc(SCRATCH_LEN * sizeof(*scratch));
    }
    const char *e = invariants_check(scratch, SCRATCH_LEN);
    if (e != NULL) {
        fprintf(stderr, "invariant violated after %s: %s\n", where, e);
        fx_failures++;
    }
}

/* ---- snapshots ---- */

/* All kernel state: the object memory (the arena) and every global the core marks KSTATE, which
 * the linker gathers between these two symbols (lib/kstate.h; core_state_complete checks that
 * no writable global of the core is left out). */
extern char __start_sigil_kstate[], __stop_sigil_kstate[];

static struct {
    char *arena;
    char *kstate;
} snap;

static size_t kstate_size(void)
{
    return (size_t)(__stop_sigil_kstate - __start_sigil_kstate);
}

/* Byte by byte and unchecked: with clang's AddressSanitizer the section holds poisoned padding
 * between the variables, which memcpy and memcmp would report. */
__attribute__((no_sanitize("address"))) static void kstate_copy(char *to)
{
    const volatile char *from = __start_sigil_kstate;
    for (size_t i = 0; i < kstate_size(); i++) {
        to[i] = from[i];
    }
}

__attribute__((no_sanitize("address"))) static bool kstate_same(const char *as)
{
    const volatile char *now = __start_sigil_kstate;
    for (size_t i = 0; i < kstate_size(); i++) {
        if (now[i] != as[i]) {
            return false;
        }
    }
    return true;
}

void fx_snapshot(void)
{
    static size_t snap_size;
    if (snap_size != host_arena_size()) {
        free(snap.arena);
        snap_size = host_arena_size();
        snap.arena = malloc(snap_size);
    }
    if (snap.kstate == NULL) {
        snap.kstate = malloc(kstate_size());
    }
    memcpy(snap.arena, host_arena(), host_arena_size());
    kstate_copy(snap.kstate);
}

/* The caller's CancelBadgedSends ticket is system-call restart bookkeeping (like a thread's
 * restart state), forgotten whenever one of its invocations finishes, errors included: it is
 * not object state, so the comparison ignores it. */
static void ignore_ticket(void)
{
    const char *t = (const char *)fx_caller();
    size_t off = (size_t)(t - (const char *)host_arena());
    size_t from = offsetof(tcb_t, cancel_ep);
    size_t to = offsetof(tcb_t, cancel_badge) + sizeof(word_t);
    memcpy(snap.arena + off + from, t + from, to - from);
}

bool fx_unchanged(void)
{
    ignore_ticket();
    return memcmp(snap.arena, host_arena(), host_arena_size()) == 0 && kstate_same(snap.kstate);
}

void fx_expect_error(const char *where, sigil_status_t st, const invocation_t *inv,
                     sigil_error_t code, unsigned n, const word_t *words)
{
    bool ok = st == SIGIL_STATUS_ERROR && inv->reply_label == (word_t)code;
    for (unsigned i = 0; ok && i < n; i++) {
        ok = inv->reply_length > i && inv->reply_mr[i] == words[i];
    }
    if (!ok) {
        fprintf(stderr, "%s: expected error %d, got status %d label %lu words", where, code, st,
                (unsigned long)inv->reply_label);
        for (unsigned i = 0; i < inv->reply_length; i++) {
            fprintf(stderr, " %#lx", (unsigned long)inv->reply_mr[i]);
        }
        fprintf(stderr, "\n");
        fx_failures++;
    }
    if (!fx_unchanged()) {
        fprintf(stderr, "%s: the error changed kernel state\n", where);
        fx_failures++;
    }
    fx_check(where);
}

int fx_finish(const char *name)
{
    printf("%s: %d cases, %d failures\n", name, fx_cases, fx_failures);
    return fx_failures == 0 ? 0 : 1;
}
