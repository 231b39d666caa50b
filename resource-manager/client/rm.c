/*
 * librm helpers (see <sigil/rm.h>).
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

rm_error_t rm_alloc_mapped_page(sigil_cptr_t rm, sigil_word_t slot, sigil_word_t vaddr,
                                sigil_word_t *handle)
{
    sigil_word_t h;
    rm_error_t err = rm_alloc(rm, Sigil_Frame4KObject, 0, 1, slot, &h);
    if (err != Rm_ErrOk) {
        return err;
    }
    err = rm_map_frame(rm, h, 0, vaddr, Sigil_CanRead | Sigil_CanWrite);
    if (err != Rm_ErrOk) {
        sigil_word_t d0 = sigil_get_mr(0), d1 = sigil_get_mr(1);
        (void)rm_free(rm, h);
        sigil_set_mr(0, d0); /* the caller sees the mapping's error details */
        sigil_set_mr(1, d1);
        return err;
    }
    *handle = h;
    return Rm_ErrOk;
}

sigil_word_t rm_stat(sigil_cptr_t rm, unsigned which)
{
    sigil_word_t stats[RM_NUM_STATS];
    if (which >= RM_NUM_STATS || rm_stats(rm, stats) != Rm_ErrOk) {
        return ~(sigil_word_t)0;
    }
    return stats[which];
}

_Noreturn void rm_exit_now(sigil_cptr_t rm, int status)
{
    for (;;) {
        (void)rm_exit(rm, (sigil_word_t)status); /* the manager never answers */
    }
}

/* libsigil's sigil_exit() in a managed client (<sigil/runtime.h>): returning from main is an
 * Exit request on the request cap the spec compiler gave the client. */
void sigil_rm_exit_hook(uint64_t rm, int status)
{
    rm_exit_now(rm, status);
}
