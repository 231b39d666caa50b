/*
 * CSpace addressing: multi-level guarded lookup, every lookup failure with its detail words,
 * the invocation entry point's cap faults, and the encoding of error replies.
 */
#include "fixture.h"

#include <kernel/cspace.h>

static const word_t ROOT[] = {BOOT_SLOT_CNODE};

static void expect_fault(const char *what, cspace_result_t r, sigil_lookup_failure_t type,
                         word_t left, word_t found, word_t guard)
{
    if (r.slot != NULL || r.fault.type != type || r.fault.bits_left != left ||
        r.fault.bits_found != found || r.fault.guard_found != guard) {
        fprintf(stderr, "%s: got type %d left %lu found %lu guard %lu\n", what, r.fault.type,
                (unsigned long)r.fault.bits_left, (unsigned long)r.fault.bits_found,
                (unsigned long)r.fault.guard_found);
        fx_failures++;
    }
    fx_cases++;
}

int main(void)
{
    fx_boot(24);
    word_t ut = fx_big_untyped(), s = fx_free_slot();
    word_t r0 = s++, sub = s++, gsub = s++, ep = s++;
    /* r0: the root CNode without guard (12 bits per level); sub: radix 4; gsub: sub with a
     * 3-bit guard 0b101. */
    CHECK(fx_mint(r0, BOOT_SLOT_CNODE, 15, 0) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_CNodeObject, 4, sub, 1) == SIGIL_STATUS_OK);
    CHECK(fx_mint(gsub, sub, 15, (5u << 6) | 3) == SIGIL_STATUS_OK);
    CHECK(fx_retype(ut, Sigil_EndpointObject, 0, ep, 1) == SIGIL_STATUS_OK);
    cap_t root = fx_slot(r0)->cap;
    cte_t *subslots = cap_ptr(fx_slot(sub)->cap);

    cspace_result_t r = cspace_resolve(root, (sub << 4) | 7, 16);
    CHECK(r.slot == &subslots[7] && r.bits_remaining == 0);
    r = cspace_resolve(root, (gsub << 7) | (5 << 4) | 3, 19);
    CHECK(r.slot == &subslots[3] && r.bits_remaining == 0);
    r = cspace_resolve(root, (ep << 4) | 3, 16);
    CHECK(r.slot == fx_slot(ep) && r.bits_remaining == 4);
    r = cspace_lookup_slot(fx_slot(BOOT_SLOT_CNODE)->cap, ep);
    CHECK(r.slot == fx_slot(ep));
    fx_cases += 4;

    expect_fault("guard mismatch", cspace_resolve(root, (gsub << 7) | (4 << 4) | 3, 19),
                 Sigil_GuardMismatch, 7, 3, 5);
    expect_fault("guard longer than bits", cspace_resolve(root, (gsub << 2), 14),
                 Sigil_GuardMismatch, 2, 3, 5);
    expect_fault("depth mismatch", cspace_resolve(root, (sub << 2), 14), Sigil_DepthMismatch, 2, 4,
                 0);
    expect_fault("invalid root", cspace_resolve(fx_slot(ep)->cap, 0, 12), Sigil_InvalidRoot, 0, 0,
                 0);
    expect_fault("root guard", cspace_lookup_slot(fx_slot(BOOT_SLOT_CNODE)->cap, 1ull << 63),
                 Sigil_GuardMismatch, 64, 52, 0);

    /* The single-level shortcut of cspace_lookup_slot finds what the general walk finds, for
     * flat roots with and without a guard and for a root that is not flat. */
    word_t flat_g = s++;
    CHECK(fx_mint(flat_g, BOOT_SLOT_CNODE, 15, (5u << 6) | 52) == SIGIL_STATUS_OK);
    const cap_t roots[] = {fx_slot(BOOT_SLOT_CNODE)->cap, fx_slot(flat_g)->cap, root};
    word_t x = 12345;
    for (unsigned i = 0; i < 3 * 80; i++) {
        cap_t rc = roots[i % 3];
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const word_t fixed[] = {0,     ep,        4095, 4096, (5ull << 12) | ep, (4ull << 12) | ep,
                                ~0ull, 1ull << 63};
        word_t cptr = i / 3 < 8 ? fixed[i / 3] : (i & 1 ? x : (5ull << 12) | (x & 4095));
        cspace_result_t a = cspace_lookup_slot(rc, cptr), b = cspace_resolve(rc, cptr, 64);
        if (a.slot != b.slot || a.bits_remaining != b.bits_remaining ||
            a.fault.type != b.fault.type || a.fault.bits_left != b.fault.bits_left ||
            a.fault.bits_found != b.fault.bits_found ||
            a.fault.guard_found != b.fault.guard_found) {
            fprintf(stderr, "flat lookup of 0x%lx in root %u differs from the walk\n",
                    (unsigned long)cptr, i % 3);
            fx_failures++;
        }
        fx_cases++;
    }
    CHECK(cspace_lookup_slot(fx_slot(flat_g)->cap, (5ull << 12) | ep).slot == fx_slot(ep));
    fx_cases++;

    cte_t *out;
    syserr_t e = cspace_lookup_for_op(root, (ep << 4) | 3, 16, true, &out);
    CHECK(e.code == Sigil_FailedLookup && e.lookup_source && e.fault.type == Sigil_DepthMismatch &&
          e.fault.bits_left == 4 && e.fault.bits_found == 0);
    e = cspace_lookup_for_op(fx_slot(ep)->cap, 0, 12, false, &out);
    CHECK(e.code == Sigil_FailedLookup && !e.lookup_source && e.fault.type == Sigil_InvalidRoot);
    e = cspace_lookup_for_op(root, 0, 0, false, &out);
    CHECK(e.code == Sigil_RangeError && e.arg0 == 1 && e.arg1 == 64);
    fx_cases += 3;

    /* Error reply encodings (KERNEL-FACTS). */
    word_t w[SYSERR_MAX_WORDS];
    syserr_t g = syserr_lookup(true, lookup_fault_make(Sigil_GuardMismatch, 7, 3, 5));
    CHECK(syserr_to_words(g, w) == 5 && w[0] == 1 && w[1] == Sigil_GuardMismatch && w[2] == 7 &&
          w[3] == 5 && w[4] == 3);
    CHECK(syserr_to_words(syserr_make(Sigil_RangeError, 1, 9), w) == 2 && w[0] == 1 && w[1] == 9);
    CHECK(syserr_to_words(syserr_make(Sigil_NotEnoughMemory, 77, 0), w) == 1 && w[0] == 77);
    CHECK(syserr_to_words(syserr_make(Sigil_DeleteFirst, 0, 0), w) == 0);
    fx_cases += 4;

    /* The entry point: cap faults, null caps, caps served elsewhere. */
    invocation_t inv;
    CHECK(fx_call(&inv, 1ull << 40, INV_CNODE_DELETE, 0, NULL, 0, NULL) == SIGIL_STATUS_CAP_FAULT);
    CHECK(inv.fault.type == Sigil_GuardMismatch);
    fx_snapshot();
    sigil_status_t st = fx_call(&inv, s, INV_CNODE_DELETE, 0, NULL, 0, NULL);
    fx_expect_error("invoke null cap", st, &inv, Sigil_InvalidCapability, 1, ARGS(0));
    CHECK(fx_call(&inv, ep, 0, 0, NULL, 1, ROOT) == SIGIL_STATUS_NOT_CORE &&
          inv.target == fx_slot(ep));
    /* Through a two-level CPtr in the caller's CSpace: root slot sub holds... a CNode whose
     * slot 7 is empty: lookup stops there. */
    CHECK(fx_call(&inv, (word_t)BOOT_SLOT_CNODE, INV_CNODE_DELETE, 2, ARGS((sub << 4) | 7, 16), 0,
                  NULL) == SIGIL_STATUS_ERROR);
    CHECK(inv.reply_label == Sigil_FailedLookup); /* guard of the root cap needs 52 bits */
    fx_cases += 4;
    fx_check("cspace");
    return fx_finish("core_cspace");
}
