/*
 * Hostile requests for tests of the resource manager: the pieces every program that sends the
 * manager deterministic-random messages shares (tests/rm/programs/hostile.c, tests/rm/share/
 * hostile.c, the scenario injector's and the campaign's flood). A sequence is xorshift64 from a
 * seed, so a run repeats exactly and its counts can be pinned; what the words mean is each
 * program's own choice (a word() function of its own).
 */
#ifndef SIGIL_TESTS_RM_HOSTILE_H
#define SIGIL_TESTS_RM_HOSTILE_H

#include <sigil/ipc.h>
#include <sigil/rm.h>

/* The next number of the xorshift64 sequence in *state (a state that is not 0 never becomes 0). */
static inline uint64_t hostile_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* A message length: below `usual` (drawn from *state), and one time in 32 any length up to the
 * maximum instead. */
unsigned hostile_length(uint64_t *state, unsigned usual);

/* Fills the message: mr[0..3], then the IPC buffer's words 4 .. SIGIL_MSG_MAX_LENGTH - 1, each
 * from word() in that order. */
void hostile_fill(sigil_word_t mr[4], sigil_word_t (*word)(void));

/* Calls the manager through `rm` with `info` and mr[0..3] (results come back in mr) and counts
 * the answer's label in by_error: an error code below RM_NUM_ERRORS at its index, any other
 * label (Aborted, or one the protocol does not know) at by_error[RM_NUM_ERRORS]. Returns the
 * label. */
sigil_word_t hostile_call(sigil_cptr_t rm, sigil_msginfo_t info, sigil_word_t mr[4],
                          unsigned long by_error[RM_NUM_ERRORS + 1]);

#endif
