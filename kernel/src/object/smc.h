/*
 * SMC capabilities (RFC-9 as merged in seL4).
 *
 * An SMC cap carries a badge: 0 is the master cap, which may issue any SMC function id; a
 * badged cap may only issue the function id equal to its badge. Mint sets a badge only on an
 * unbadged cap (minting from a badged SMC cap gives the null cap, answered IllegalOperation,
 * as for endpoints); a badged cap is revocable, so revoking the master removes every badged
 * cap derived from it. The call passes x0-x7 and returns x0-x7.
 */
#ifndef OBJECT_SMC_H
#define OBJECT_SMC_H

#include <api/invocation.h>

#define SMC_NUM_ARGS 8

typedef struct smc_op {
    word_t args[SMC_NUM_ARGS];
} smc_op_t;

/* Wrong label: IllegalOperation; fewer than 8 words: TruncatedMessage; badge != 0 and
 * badge != x0: IllegalOperation. */
syserr_t smc_decode(cte_t *slot, const invocation_t *inv, smc_op_t *op);

/* Issue the call and put x0-x7 into the reply. */
void smc_invoke(const smc_op_t *op, invocation_t *inv);

#endif /* OBJECT_SMC_H */
