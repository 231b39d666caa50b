/*
 * A flood of deterministic-random requests to the resource manager, shared by the scenario
 * injector and the campaign driver: labels of the clients' requests (never an administrator's
 * request or Exit, which would act on others or end the sender) and a few unknown ones, random
 * arguments and lengths. Each is a Call, so each must be answered, or the sender hangs.
 */
#ifndef SCENARIO_FLOOD_H
#define SCENARIO_FLOOD_H

#include <sigil/rm.h>

/* Send `n` requests through `rm` from the sequence `seed` names; add the answers, by error
 * code, to by_error[0 .. RM_NUM_ERRORS - 1], and any other answer to by_error[RM_NUM_ERRORS]. */
void scenario_flood(sigil_cptr_t rm, sigil_word_t n, sigil_word_t seed,
                    unsigned long by_error[RM_NUM_ERRORS + 1]);

#endif
