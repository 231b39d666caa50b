/*
 * librm: the resource manager's client library.
 *
 * <sigil/rm_client.h> (generated from protocol.yaml) has one function per request: rm_alloc,
 * rm_free, rm_stats, rm_exit, rm_map_frame and the administrator's rm_kill, rm_stats_of,
 * rm_set_quota, rm_pool_stats, rm_verify_pool. Each returns the reply's error code (Rm_ErrOk or
 * an rm_error_t); on error sigil_get_mr(0) and (1) hold its details (OutOfQuota: bytes and
 * objects missing; InvalidArgument / InvalidSlot: the argument's index).
 *
 * This header adds the few helpers most clients want. `rm` is always the client's request cap to
 * the manager's endpoint (badged by the spec with the client's id | RM_BADGE_REQUEST).
 */
#ifndef SIGIL_RM_H
#define SIGIL_RM_H

#include <sigil/rm_client.h>

/* Allocate one 4 KiB frame into `slot` and map it read-write at `vaddr`; on success *handle
 * names it (free it with rm_free). On a mapping error the frame is freed again. */
rm_error_t rm_alloc_mapped_page(sigil_cptr_t rm, sigil_word_t slot, sigil_word_t vaddr,
                                sigil_word_t *handle);

/* The client's statistic `which` (an rm_stat_t), or ~0 if the request failed. */
sigil_word_t rm_stat(sigil_cptr_t rm, unsigned which);

/* End this client through the manager: everything it holds is reclaimed. Never returns. */
_Noreturn void rm_exit_now(sigil_cptr_t rm, int status);

#endif /* SIGIL_RM_H */
