/*
 * The flood of random requests (flood.h): xorshift64 from the seed, mostly small arguments so
 * that many requests pass their first checks and reach deeper ones.
 */
#include <sigil/ipc.h>

#include "flood.h"
#include "hostile.h"

void scenario_flood(sigil_cptr_t rm, sigil_word_t n, sigil_word_t seed,
                    unsigned long by_error[RM_NUM_ERRORS + 1])
{
    uint64_t x = 0x9e3779b97f4a7c15ull ^ seed;
    for (sigil_word_t i = 0; i < n; i++) {
        sigil_word_t w[6];
        for (unsigned k = 0; k < 6; k++) {
            hostile_next(&x);
            w[k] = (k > 0 && (x & 3)) ? (x >> 8) & 0xff : x; /* mostly small arguments */
        }
        int admin, noreply;
        sigil_word_t label = w[0] % 8; /* mostly the clients' requests, some unknown */
        if (rm_request_shape(label, &admin, &noreply) >= 0 && (admin || noreply)) {
            label = 0; /* an unknown label instead */
        }
        sigil_word_t mr[4] = {w[1], w[2], w[3], w[4]};
        sigil_msginfo_t info = sigil_msginfo_new(label, 0, 0, w[5] % 5);
        hostile_call(rm, info, mr, by_error);
    }
}
