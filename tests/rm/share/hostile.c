/*
 * A hostile client of the shared-buffer requests (tests/rm/share/rm_share_hostile.yaml): sends
 * the debug manager REQUESTS deterministic-random Serve, Window, Recovery, Recovered, Connect,
 * Lend, Unlend, Donate and Release requests (and Alloc, Free and MapFrame of frames, so that it
 * has handles to lend and donate), with words that mix valid handles, the real server's id, its
 * own id, slots, window addresses and garbage, any length, and checks that every answer carries
 * a known error code. The manager checks its invariants after every request. It then lends to
 * the real server once more and ends: its loans go with it, its donations stay with the server.
 *
 * CSpace (slot = cptr): 1 its request cap; 2 .. 255 empty (where Alloc, Serve and Connect put
 * what they make).
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

#include "hostile.h"
#include "share_test.h"

enum { RM = 1, SLOTS = 256 };
#define REQUESTS 6000u
#define HANDLES  16u

static uint64_t rng = 0x5ea7b0a7ull;

static uint64_t rnd(void)
{
    return hostile_next(&rng);
}

static sigil_word_t handles[HANDLES];

static sigil_word_t word(void)
{
    switch (rnd() % 10) {
    case 0:
        return rnd();
    case 1:
        return handles[rnd() % HANDLES];
    case 2:
        return rnd() % 2 ? ID_SERVER : ID_HOSTILE;
    case 3:
        return 2 + rnd() % (SLOTS + 4); /* a slot, sometimes past the CNode */
    case 4:
        return WINDOW + ((rnd() % 20) << 12); /* in the server's window, or just past it */
    case 5:
        return 0x50000000ull + ((rnd() % 8) << 12); /* a window of its own */
    case 6:
        return (rnd() % 5) << 12; /* a size */
    case 7:
        return 1 + rnd() % 3; /* rights */
    case 8:
        return (rnd() % 0x1000) << 12; /* a page address, mostly below the program */
    default:
        return rnd() % 4;
    }
}

int main(const void *arg)
{
    (void)arg;
    static const sigil_word_t labels[] = {
        Rm_ReqServe, Rm_ReqWindow, Rm_ReqRecovery, Rm_ReqRecovered, Rm_ReqConnect,
        Rm_ReqLend,  Rm_ReqLend,   Rm_ReqUnlend,   Rm_ReqDonate,    Rm_ReqRelease,
        Rm_ReqAlloc, Rm_ReqAlloc,  Rm_ReqFree,     Rm_ReqMapFrame};
    unsigned long answers[RM_NUM_ERRORS + 1] = {0};
    for (unsigned i = 0; i < REQUESTS; i++) {
        sigil_word_t label = labels[rnd() % (sizeof(labels) / sizeof(labels[0]))];
        unsigned length = hostile_length(&rng, 5);
        sigil_word_t mr[4];
        hostile_fill(mr, word);
        if ((label == Rm_ReqLend || label == Rm_ReqDonate || label == Rm_ReqUnlend) &&
            rnd() % 4 != 0) { /* mostly its own handles and a real server */
            mr[0] = handles[rnd() % HANDLES];
            mr[1] = rnd() % 4 ? ID_SERVER : ID_HOSTILE;
        }
        if (label == Rm_ReqAlloc) { /* frames (1 to 3), so that there is something to lend */
            mr[0] = Sigil_Frame4KObject;
            mr[2] = 1 + rnd() % 3;
            length = 4;
        }
        sigil_msginfo_t info = sigil_msginfo_new(label, 0, 0, length);
        sigil_word_t err = hostile_call(RM, info, mr, answers);
        if (err == Rm_ErrOk && label == Rm_ReqAlloc) {
            handles[rnd() % HANDLES] = mr[0];
        }
    }
    sigil_word_t stats[RM_NUM_STATS];
    (void)rm_stats(RM, stats);
    sigil_printf("share-hostile: %u requests: %lu Ok, %lu OutOfQuota, %lu Denied, "
                 "%lu InvalidSlot, %lu InvalidArgument, %lu NoMemory, %lu UnknownRequest, "
                 "%lu other answers. using %lu bytes\n",
                 REQUESTS, answers[Rm_ErrOk], answers[Rm_ErrOutOfQuota], answers[Rm_ErrDenied],
                 answers[Rm_ErrInvalidSlot], answers[Rm_ErrInvalidArgument],
                 answers[Rm_ErrNoMemory], answers[Rm_ErrUnknownRequest], answers[RM_NUM_ERRORS],
                 (unsigned long)stats[Rm_StatUsedBytes]);
    return 0;
}
