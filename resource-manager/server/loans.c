/*
 * Loans taken back by an administrator: RevokeLoans(client, server), the fault injection behind
 * the scenario injector's `lend_revoke` (docs/scenarios.md, "Injections").
 *
 * A lender may revoke its loan at any moment (Unlend, share.c); a scenario must be able to make
 * that moment one it chooses, typically while the server is in the middle of a request on the
 * buffer, without the lender's cooperation (it is blocked in its call to the server). This
 * request does for the lender exactly what its own Unlend would, loan by loan: the manager's
 * copies of the frame caps are deleted, so the server's mapping goes, and the share is marked
 * revoked, so that the server's next touch there is recovered with reason `revoked` and the
 * lender is answered Aborted (recovery.c). The lender's frames, mappings and charge are
 * untouched, as with Unlend. Decode first: an unknown client, an unknown or non-serving server,
 * or no loan between them is InvalidArgument and changes nothing.
 */
#include <sigil/runtime.h>

#include "server.h"

static rm_result_t error(rm_word_t err, rm_word_t detail)
{
    return (rm_result_t){.err = err, .detail = {detail, 0}};
}

void rm_revoke_loans(rm_server_t *s, uint32_t by, const rm_word_t *msg, rm_answer_t *a)
{
    uint32_t ci = rm_live_client(s, msg[0]);
    if (ci == RM_NONE) {
        a->r = error(Rm_ErrInvalidArgument, 0);
        return;
    }
    uint32_t si = rm_live_client(s, msg[1]);
    uint32_t loans = 0;
    for (uint32_t i = 0; si != RM_NONE && s->services[si].serving && i < RM_MAX_SHARES; i++) {
        loans += (uint32_t)rm_share_is_loan(s, &s->shares[i], ci, si);
    }
    if (loans == 0) {
        a->r = error(Rm_ErrInvalidArgument, 1);
        return;
    }
    const rm_client_t *c = s->core.clients;
    for (uint32_t i = 0; i < RM_MAX_SHARES; i++) {
        rm_share_t *sh = &s->shares[i];
        if (rm_share_is_loan(s, sh, ci, si)) {
            rm_share_revoke(s, sh);
            sigil_printf(RM_EVENT_REVOKE_LOAN, c[ci].name, c[si].name, (unsigned long)sh->vaddr,
                         c[by].name);
        }
    }
    a->words[0] = loans;
    a->nwords = 1;
}
