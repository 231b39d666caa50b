/*
 * Hostile requests (hostile.h): message lengths, filling a message from a word source, and
 * calling the manager with the answer counted.
 */
#include "hostile.h"

unsigned hostile_length(uint64_t *state, unsigned usual)
{
    unsigned length = (unsigned)(hostile_next(state) % usual);
    if (hostile_next(state) % 32 == 0) {
        length = (unsigned)(hostile_next(state) % (SIGIL_MSG_MAX_LENGTH + 1));
    }
    return length;
}

void hostile_fill(sigil_word_t mr[4], sigil_word_t (*word)(void))
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    for (unsigned j = 0; j < SIGIL_MSG_MAX_LENGTH; j++) {
        sigil_word_t w = word();
        if (j < 4) {
            mr[j] = w;
        } else {
            b->msg[j] = w;
        }
    }
}

sigil_word_t hostile_call(sigil_cptr_t rm, sigil_msginfo_t info, sigil_word_t mr[4],
                          unsigned long by_error[RM_NUM_ERRORS + 1])
{
    sigil_call_raw(rm, &info, mr);
    sigil_word_t label = sigil_msginfo_label(info);
    by_error[label < RM_NUM_ERRORS ? label : RM_NUM_ERRORS]++;
    return label;
}
