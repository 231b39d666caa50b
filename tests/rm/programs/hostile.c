/*
 * The hostile client of tests/rm/hostile.yaml: sends the manager REQUESTS deterministic-random
 * messages — any label (Exit aside: it would end the client early), any length up to the
 * maximum, any words (valid types, sizes and slots mixed with garbage and its own earlier
 * handles, live or stale), claimed extra caps, Send instead of Call — and checks that every
 * answer carries a known error code. Then it tells the judge it is done and waits, still
 * holding what it was given, for the judge to kill it.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager (no Grant); 2 the judge's `done`
 * notification (Write, badge 1); 3 a notification of its own to sleep on (Read); 4 .. 255 empty.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "hostile.h"

enum { RM = 1, DONE = 2, SLEEP = 3, SLOTS = 256 };
#define REQUESTS 30000u
#define HANDLES  32u

static uint64_t rng = 0x68057113ull;

static uint64_t rnd(void)
{
    return hostile_next(&rng);
}

static sigil_word_t handles[HANDLES];

/* A word that is often meaningful to the manager and often not. */
static sigil_word_t word(void)
{
    switch (rnd() % 8) {
    case 0:
        return rnd();
    case 1:
        return rnd() % 12; /* an object type, or just past them */
    case 2:
        return rnd() % 40; /* a size in bits */
    case 3:
        return rnd() % (SLOTS + 8); /* a slot, sometimes past the CNode */
    case 4:
        return handles[rnd() % HANDLES];
    case 5:
        return (rnd() % 0x1000) << 12; /* a page address, mostly below the program */
    case 6:
        return 0x40000000ull + ((rnd() % 64) << 12); /* a page address nothing uses */
    default:
        return rnd() % 4;
    }
}

int main(const void *arg)
{
    (void)arg;
    unsigned long answers[RM_NUM_ERRORS + 1] = {0};
    unsigned sends = 0;
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    for (unsigned i = 0; i < REQUESTS; i++) {
        static const sigil_word_t known[] = {Rm_ReqAlloc,      Rm_ReqFree,         Rm_ReqStats,
                                             Rm_ReqMapFrame,   Rm_ReqDemandRegion, Rm_ReqKill,
                                             Rm_ReqStatsOf,    Rm_ReqSetQuota,     Rm_ReqPoolStats,
                                             Rm_ReqVerifyPool, Rm_ReqEvict};
        sigil_word_t label = known[rnd() % (sizeof(known) / sizeof(known[0]))];
        if (rnd() % 4 == 0) {
            label = rnd() % 32; /* any small label */
        } else if (rnd() % 16 == 0) {
            label = rnd() >> 12; /* labels far outside the protocol */
        }
        if (i % 16 == 0) {
            sigil_yield(); /* let the well-behaved client in: they alternate */
        }
        if (label == Rm_ReqExit) {
            label = Rm_ReqAlloc;
        }
        unsigned length = hostile_length(&rng, 6);
        sigil_word_t mr[4];
        hostile_fill(mr, word);
        unsigned extra = (unsigned)(rnd() % 4);
        for (unsigned j = 0; j < extra; j++) {
            b->caps_or_badges[j] = rnd() % 8;
        }
        sigil_msginfo_t info = sigil_msginfo_new(label, 0, extra, length);
        if (rnd() % 64 == 0) {
            sigil_syscall_ipc(Sigil_SysSend, RM, &info, 0, mr); /* no reply to wait for */
            sends++;
            continue;
        }
        sigil_word_t err = hostile_call(RM, info, mr, answers);
        if (err == Rm_ErrOk && label == Rm_ReqAlloc) {
            handles[rnd() % HANDLES] = mr[0];
        }
    }
    sigil_printf("rm-hostile: %u requests (%u sent without waiting): %lu Ok, %lu OutOfQuota, "
                 "%lu Denied, %lu InvalidSlot, %lu InvalidArgument, %lu NoMemory, "
                 "%lu UnknownRequest, %lu unknown answers\n",
                 REQUESTS, sends, answers[Rm_ErrOk], answers[Rm_ErrOutOfQuota],
                 answers[Rm_ErrDenied], answers[Rm_ErrInvalidSlot], answers[Rm_ErrInvalidArgument],
                 answers[Rm_ErrNoMemory], answers[Rm_ErrUnknownRequest], answers[RM_NUM_ERRORS]);
    sigil_signal(DONE);
    sigil_word_t w;
    for (;;) {
        sigil_wait(SLEEP, &w); /* nobody signals it */
    }
}
