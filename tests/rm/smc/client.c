/*
 * The managed client of the SMC-grant test (tests/rm/rm_smc.yaml): its policy lists PSCI_VERSION
 * and PSCI_FEATURES. It asks the manager for caps to both (SmcGrant), calls QEMU's PSCI firmware
 * through them with real `smc` instructions, is refused SYSTEM_OFF, sends hostile requests that
 * must be refused without changing anything, copies a granted cap and sees the revoke take both
 * copies, passes a cap to the watcher and ends while holding grants: the manager revokes them
 * (the watcher sees its copy gone). Every line it prints is compared exactly.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

#define PSCI_VERSION  0x84000000ull
#define PSCI_FEATURES 0x8400000aull
#define SYSTEM_OFF    0x84000008ull

enum { RM = 1, SELF = 2, WATCHER = 3, VERSION_CAP = 4, FEATURES_CAP = 5, SPARE = 6, COPY = 8 };
enum { SLOTS = 16 };

static int wrong;

static sigil_word_t smc(sigil_cptr_t cap, sigil_word_t function, sigil_word_t arg, sigil_word_t *x0)
{
    sigil_word_t args[8] = {function, arg}, out[8] = {0};
    sigil_word_t err = sigil_smc_call(cap, args, out);
    *x0 = out[0];
    return err;
}

/* "SMC 0x<badge>" for an SMC cap, "empty" for none, "another cap" otherwise (into buf). */
static const char *describe(char buf[24], sigil_cptr_t slot)
{
    sigil_cap_info_t i = sigil_debug_cap_inspect(slot);
    if (i.type == Sigil_CapNone) {
        return "empty";
    }
    if (i.type != Sigil_CapSMC) {
        return "another cap";
    }
    static const char prefix[] = "SMC 0x", hex[] = "0123456789abcdef";
    unsigned n = 0, digits = 1;
    while (digits < 16 && (i.word >> (4 * digits))) {
        digits++;
    }
    for (; prefix[n]; n++) {
        buf[n] = prefix[n];
    }
    for (unsigned d = digits; d-- > 0;) {
        buf[n++] = hex[(i.word >> (4 * d)) & 0xf];
    }
    buf[n] = 0;
    return buf;
}

static void expect(const char *what, rm_error_t got, rm_error_t want)
{
    if (got != want) {
        sigil_printf("smc-user: %s: %s, expected %s\n", what, rm_error_name(got),
                     rm_error_name(want));
        wrong++;
    }
}

/* A request with `length` words (the stubs always send all of a request's arguments). */
static rm_error_t raw(sigil_word_t label, unsigned length, sigil_word_t w0)
{
    sigil_set_mr(0, w0);
    return (rm_error_t)sigil_msginfo_label(sigil_call(RM, sigil_msginfo_new(label, 0, 0, length)));
}

/* Hostile requests: each must be refused with its error and detail, and change nothing. */
static void hostile(sigil_word_t hv)
{
    sigil_word_t h = 0;
    unsigned refused = 0;
    struct {
        const char *what;
        rm_error_t err;
        sigil_word_t detail;
    } r[12];
    unsigned n = 0;
#define TRY(w, call)                                                                               \
    do {                                                                                           \
        r[n].what = w;                                                                             \
        r[n].err = call;                                                                           \
        r[n].detail = sigil_get_mr(0);                                                             \
        n++;                                                                                       \
    } while (0)
    TRY("SYSTEM_OFF", rm_smc_grant(RM, SYSTEM_OFF, SPARE, &h));
    TRY("id 0 (the master's badge)", rm_smc_grant(RM, 0, SPARE, &h));
    TRY("PSCI_VERSION | 1 << 32", rm_smc_grant(RM, PSCI_VERSION | 1ull << 32, SPARE, &h));
    TRY("PSCI_VERSION again", rm_smc_grant(RM, PSCI_VERSION, SPARE, &h));
    TRY("slot 16 (past the CNode)", rm_smc_grant(RM, PSCI_FEATURES, SLOTS, &h));
    TRY("slot 1 (occupied)", rm_smc_grant(RM, PSCI_FEATURES, RM, &h));
    TRY("one word", raw(Rm_ReqSmcGrant, 1, PSCI_FEATURES));
    TRY("revoke 0", rm_smc_revoke(RM, 0));
    TRY("revoke a wrong index", rm_smc_revoke(RM, hv + 2));
    TRY("revoke a wrong generation", rm_smc_revoke(RM, hv + (1ull << 32)));
    TRY("Free of a grant's handle", rm_free(RM, hv));
    TRY("revoke without a word", raw(Rm_ReqSmcRevoke, 0, hv));
#undef TRY
    static const rm_error_t want[] = {
        Rm_ErrDenied,          Rm_ErrDenied,          Rm_ErrDenied,          Rm_ErrInvalidArgument,
        Rm_ErrInvalidSlot,     Rm_ErrInvalidSlot,     Rm_ErrInvalidArgument, Rm_ErrInvalidArgument,
        Rm_ErrInvalidArgument, Rm_ErrInvalidArgument, Rm_ErrInvalidArgument, Rm_ErrInvalidArgument};
    static const sigil_word_t want_detail[] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0};
    for (unsigned i = 0; i < n; i++) {
        if (r[i].err == want[i] && r[i].detail == want_detail[i]) {
            refused++;
        } else {
            sigil_printf("smc-user: %s: %s %lu, expected %s %lu\n", r[i].what,
                         rm_error_name(r[i].err), (unsigned long)r[i].detail,
                         rm_error_name(want[i]), (unsigned long)want_detail[i]);
            wrong++;
        }
    }
    char v[24], f[24], s[24];
    sigil_printf("smc-user: %u of %u hostile requests refused as expected. slot 4 holds %s, "
                 "slot 5 %s, slot 6 %s. using %lu bytes, %lu objects\n",
                 refused, n, describe(v, VERSION_CAP), describe(f, FEATURES_CAP),
                 describe(s, SPARE), (unsigned long)rm_stat(RM, Rm_StatUsedBytes),
                 (unsigned long)rm_stat(RM, Rm_StatUsedObjects));
}

int main(const void *arg)
{
    (void)arg;
    sigil_word_t hv = 0, hf = 0, x0 = 0, err;
    expect("grant PSCI_VERSION", rm_smc_grant(RM, PSCI_VERSION, VERSION_CAP, &hv), Rm_ErrOk);
    err = smc(VERSION_CAP, PSCI_VERSION, 0, &x0);
    sigil_printf("smc-user: PSCI_VERSION through the granted cap: error %lu, version 0x%lx\n",
                 (unsigned long)err, (unsigned long)x0);
    err = smc(VERSION_CAP, PSCI_FEATURES, PSCI_VERSION, &x0);
    sigil_printf("smc-user: PSCI_FEATURES through PSCI_VERSION's cap: %s\n",
                 err == Sigil_IllegalOperation ? "IllegalOperation" : "NOT refused");
    hostile(hv);

    expect("grant PSCI_FEATURES", rm_smc_grant(RM, PSCI_FEATURES, FEATURES_CAP, &hf), Rm_ErrOk);
    sigil_word_t fv, fo, fu;
    sigil_word_t e1 = smc(FEATURES_CAP, PSCI_FEATURES, PSCI_VERSION, &fv);
    sigil_word_t e2 = smc(FEATURES_CAP, PSCI_FEATURES, SYSTEM_OFF, &fo);
    sigil_word_t e3 = smc(FEATURES_CAP, PSCI_FEATURES, 0x840000ffull, &fu);
    sigil_printf("smc-user: PSCI_FEATURES through the granted cap: PSCI_VERSION %ld, SYSTEM_OFF "
                 "%ld, 0x840000ff %ld (errors %lu %lu %lu)\n",
                 (long)fv, (long)fo, (long)fu, (unsigned long)e1, (unsigned long)e2,
                 (unsigned long)e3);

    /* A copy of the grant in another slot: the revoke takes it too. */
    sigil_word_t ce = sigil_cnode_copy(SELF, COPY, 64, SELF, VERSION_CAP, 64, Sigil_AllRights);
    char c[24];
    sigil_printf("smc-user: copied slot 4 to slot 8 (error %lu): %s\n", (unsigned long)ce,
                 describe(c, COPY));
    expect("revoke PSCI_VERSION", rm_smc_revoke(RM, hv), Rm_ErrOk);
    char v[24];
    err = smc(VERSION_CAP, PSCI_VERSION, 0, &x0);
    sigil_printf("smc-user: revoked: slot 4 %s, slot 8 %s. PSCI_VERSION through slot 4: error %lu "
                 "(%s)\n",
                 describe(v, VERSION_CAP), describe(c, COPY), (unsigned long)err,
                 err == Sigil_InvalidCapability ? "InvalidCapability" : "unexpected");
    expect("revoke the same handle again", rm_smc_revoke(RM, hv), Rm_ErrInvalidArgument);
    sigil_word_t hv2 = 0;
    expect("grant PSCI_VERSION anew", rm_smc_grant(RM, PSCI_VERSION, VERSION_CAP, &hv2), Rm_ErrOk);
    expect("revoke with the old handle", rm_smc_revoke(RM, hv), Rm_ErrInvalidArgument);
    err = smc(VERSION_CAP, PSCI_VERSION, 0, &x0);
    sigil_printf("smc-user: granted anew (%s handle): version 0x%lx\n",
                 hv2 != hv ? "a new" : "THE SAME", (unsigned long)x0);

    /* Pass PSCI_FEATURES's cap to the watcher, then end holding both grants. */
    sigil_ipc_buffer()->caps_or_badges[0] = FEATURES_CAP;
    sigil_set_mr(0, 0);
    (void)sigil_call(WATCHER, sigil_msginfo_new(0, 0, 1, 1));
    sigil_printf("smc-user: %d wrong. ending with 2 grants held\n", wrong);
    return 0;
}
