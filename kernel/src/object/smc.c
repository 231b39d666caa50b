/*
 * SMC caps (see smc.h).
 */
#include <api/labels.h>
#include <arch/hooks.h>
#include <object/smc.h>

syserr_t smc_decode(cte_t *slot, const invocation_t *inv, smc_op_t *op)
{
    if (inv->label != INV_SMC_CALL) {
        return SYSERR(Sigil_IllegalOperation, 0, 0, "SMC: not an SMC invocation");
    }
    if (inv->length < SMC_NUM_ARGS) {
        return SYSERR(Sigil_TruncatedMessage, 0, 0, "SMC_Call: needs x0-x7");
    }
    word_t badge = cap_badge(slot->cap);
    if (badge != 0 && badge != inv->mr[0]) {
        return SYSERR(Sigil_IllegalOperation, 0, 0, "SMC_Call: x0 is not the cap's badge");
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
