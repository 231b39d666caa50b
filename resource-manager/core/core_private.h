/*
 * The core's internal steps shared by its files (core.c, batch.c); not for the server.
 */
#ifndef RM_CORE_PRIVATE_H
#define RM_CORE_PRIVATE_H

#include "rm_core.h"

static inline rm_result_t rm_core_result(rm_word_t err, rm_word_t d0, rm_word_t d1)
{
    return (rm_result_t){.err = err, .detail = {d0, d1}};
}

/* Whether client `cl`'s quota can pay for `bytes` and `objects` more objects of `type`; if not,
 * *r says what is missing (objects: the larger shortfall of the total and the type's). */
int rm_core_fits_quota(const rm_client_t *cl, unsigned type, uint64_t bytes, uint64_t objects,
                       rm_result_t *r);

/* Take an unused allocation entry and a block of 2^bits for it; RM_NONE if either is missing
 * (c->short_bits then says what was missing). */
uint32_t rm_core_take_entry(rm_core_t *c, unsigned bits);

/* Put entry `e` (block already freed or never used) back on the unused list. */
void rm_core_drop_entry(rm_core_t *c, uint32_t e);

/* Charge allocation `e` (type, count, block set) to client `ci` and put it on the client's list
 * (cannot fail); a batch is charged for its handed-out frames. */
void rm_core_charge(rm_core_t *c, uint32_t ci, uint32_t e);

/* Take batch allocation `e` off the books before its block is freed: its handed-out frames
 * uncharged, its reserve gone, the batch index free again (batch.c). */
void rm_core_batch_end(rm_core_t *c, uint32_t e);

/* Check the batches (rule -16, see rm_core_check); *reserve is the sum of their reserves. */
int rm_core_batch_check(const rm_core_t *c, uint64_t *reserve);

#endif /* RM_CORE_PRIVATE_H */
