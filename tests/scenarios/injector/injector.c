/*
 * The scenario injector: a trusted administrator client of the resource manager that the
 * scenario build adds to a system (tools/scenario/derive.py, docs/scenarios.md "Injections").
 *
 * Its script is a read-only frame the build fills (layout: protocol.yaml `injector:`, generated
 * into <sigil/rm_protocol.h>), whose address is main's argument. It performs the records in
 * order. Each waits for its condition first, polling StatsOf of the client it names and yielding
 * between polls, so an injection is tied to what the system has done (a client holds N objects,
 * a client has ended), never to time; the injector runs at the lowest priority of the system, so
 * it acts only when the threads above it are blocked. Then it makes the injection through the
 * manager's administrator requests. It prints two whole lines per step, before and after:
 *
 *   injector: step N: OP[ client ID]
 *   injector: step N: OP[ client ID]: ERROR[; details]
 *
 * The runner takes the first as the step met (the manager's event lines for the injection come
 * between the two) and fails the scenario if the second names an error.
 *
 * It holds nothing but its request cap: every injection is something the manager's policy lets
 * an administrator do. A bad script is reported and the injector ends (status 1).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "flood.h"

enum { RM = 1 };

static const char *op_name(sigil_word_t op)
{
    switch (op) {
    case Rm_InjectKill:
        return "kill";
    case Rm_InjectRevoke:
        return "revoke";
    case Rm_InjectExhaustQuota:
        return "exhaust_quota";
    case Rm_InjectFault:
        return "fault";
    case Rm_InjectEvict:
        return "evict";
    case Rm_InjectFlood:
        return "flood";
    case Rm_InjectLendRevoke:
        return "lend_revoke";
    default:
        return 0;
    }
}

/* Wait until the record's condition holds. */
static void wait_for(const sigil_word_t *rec)
{
    sigil_word_t who = rec[RM_INJECT_WHEN_CLIENT], stat = rec[RM_INJECT_WHEN_STAT];
    if (who == RM_INJECT_WHEN_ALWAYS) {
        return;
    }
    sigil_word_t stats[RM_NUM_STATS];
    for (;;) {
        rm_error_t err = rm_stats_of(RM, who, stats);
        if (stat == RM_INJECT_WHEN_ENDED
                ? err == Rm_ErrInvalidArgument
                : err == Rm_ErrOk && stats[stat] >= rec[RM_INJECT_WHEN_VALUE]) {
            return;
        }
        sigil_yield();
    }
}

/* " client ID" for a record that names a client, "" for one that does not (flood). */
static const char *client_part(const sigil_word_t *rec)
{
    static char text[32];
    char digits[24];
    unsigned n = 0, k = 0;
    sigil_word_t id = rec[RM_INJECT_CLIENT];
    if (!id) {
        return "";
    }
    do {
        digits[n++] = (char)('0' + id % 10);
        id /= 10;
    } while (id);
    for (const char *p = " client "; *p; p++) {
        text[k++] = *p;
    }
    while (n) {
        text[k++] = digits[--n];
    }
    text[k] = 0;
    return text;
}

#define STEP(rec)                                                                                  \
    (unsigned long)(rec)[RM_INJECT_STEP], op_name((rec)[RM_INJECT_OP]), client_part(rec)
#define HEAD "injector: step %lu: %s%s"

/* Make one injection, then print its line (whole: the manager's event lines, printed while
 * the request is served, never land inside it). */
static void inject(const sigil_word_t *rec)
{
    sigil_word_t id = rec[RM_INJECT_CLIENT], arg = rec[RM_INJECT_ARG];
    sigil_word_t stats[RM_NUM_STATS], dropped = 0, stored = 0, loans = 0;
    unsigned long by[RM_NUM_ERRORS + 1] = {0};
    rm_error_t err = Rm_ErrOk;
    sigil_printf(HEAD "\n", STEP(rec));
    switch (rec[RM_INJECT_OP]) {
    case Rm_InjectKill:
        err = rm_kill(RM, id);
        break;
    case Rm_InjectRevoke:
        err = rm_revoke_cap(RM, id, arg);
        break;
    case Rm_InjectFault:
        err = rm_fault_client(RM, id);
        break;
    case Rm_InjectExhaustQuota:
        err = rm_stats_of(RM, id, stats);
        if (err == Rm_ErrOk) {
            err = rm_set_quota(RM, id, stats[Rm_StatUsedBytes], stats[Rm_StatUsedObjects]);
        }
        break;
    case Rm_InjectEvict:
        err = rm_evict(RM, id, arg, &dropped, &stored);
        break;
    case Rm_InjectFlood:
        scenario_flood(RM, arg, rec[RM_INJECT_STEP], by);
        break;
    case Rm_InjectLendRevoke:
        err = rm_revoke_loans(RM, id, arg, &loans);
        break;
    }
    if (err != Rm_ErrOk) {
        sigil_printf(HEAD ": %s\n", STEP(rec), rm_error_name(err));
        return;
    }
    switch (rec[RM_INJECT_OP]) {
    case Rm_InjectExhaustQuota:
        sigil_printf(HEAD ": Ok; quota now %lu bytes, %lu objects\n", STEP(rec),
                     (unsigned long)stats[Rm_StatUsedBytes],
                     (unsigned long)stats[Rm_StatUsedObjects]);
        break;
    case Rm_InjectEvict:
        sigil_printf(HEAD ": Ok; %lu pages dropped, %lu stored\n", STEP(rec),
                     (unsigned long)dropped, (unsigned long)stored);
        break;
    case Rm_InjectLendRevoke:
        sigil_printf(HEAD ": Ok; loans to server %lu revoked: %lu\n", STEP(rec), (unsigned long)arg,
                     (unsigned long)loans);
        break;
    case Rm_InjectFlood: {
        unsigned long other = (unsigned long)arg;
        for (unsigned e = Rm_ErrOk; e <= Rm_ErrUnknownRequest; e++) {
            other -= by[e];
        }
        sigil_printf(HEAD ": Ok; %lu requests answered: %lu Ok, %lu OutOfQuota, %lu Denied, "
                          "%lu InvalidSlot, %lu InvalidArgument, %lu NoMemory, %lu UnknownRequest, "
                          "%lu other\n",
                     STEP(rec), (unsigned long)arg, by[Rm_ErrOk], by[Rm_ErrOutOfQuota],
                     by[Rm_ErrDenied], by[Rm_ErrInvalidSlot], by[Rm_ErrInvalidArgument],
                     by[Rm_ErrNoMemory], by[Rm_ErrUnknownRequest], other);
        break;
    }
    default:
        sigil_printf(HEAD ": Ok\n", STEP(rec));
    }
}

int main(const void *arg)
{
    const sigil_word_t *script = arg;
    if (!script || script[0] != RM_INJECT_MAGIC || script[1] > 4096) {
        sigil_printf("injector: no valid script at %p\n", arg);
        return 1;
    }
    sigil_word_t count = script[1];
    const sigil_word_t *rec = script + RM_INJECT_HEADER_WORDS;
    for (sigil_word_t i = 0; i < count; i++, rec += RM_INJECT_RECORD_WORDS) {
        if (!op_name(rec[RM_INJECT_OP]) || (rec[RM_INJECT_WHEN_STAT] >= RM_NUM_STATS &&
                                            rec[RM_INJECT_WHEN_STAT] != RM_INJECT_WHEN_ENDED)) {
            sigil_printf("injector: record %lu of the script is malformed\n", (unsigned long)i);
            return 1;
        }
        wait_for(rec);
        inject(rec);
    }
    sigil_printf("injector: all %lu injections made\n", (unsigned long)count);
    return 0;
}
