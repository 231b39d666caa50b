/*
 * SMC caps (see smc.h).
 */
#include <api/labels.h>
#include <arch/hooks.h>
#include <object/smc.h>

syserr_t smc_decode(cte_t *slot, const invocation_t *inv, smc_op_t *op)
{
    if (inv->label != INV_SMC_CALL) {
        return syserr_make(Sigil_IllegalOperation, 0, 0);
    }
    if (inv->length < SMC_NUM_ARGS) {
        return syserr_make(Sigil_TruncatedMessage, 0, 0);
    }
    word_t badge = cap_badge(slot->cap);
    if (badge != 0 && badge != inv->mr[0]) {
        return syserr_make(Sigil_IllegalOperation, 0, 0);
    }
    for (unsigned i = 0; i < SMC_NUM_ARGS; i++) {
        op->args[i] = inv->mr[i];
    }
    return syserr_ok();
}

void smc_invoke(const smc_op_t *op, invocation_t *inv)
{
    arch_smc_call(op->args, inv->reply_mr);
    inv->reply_length = SMC_NUM_ARGS;
}
