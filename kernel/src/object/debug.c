/*
 * Debug caps (see debug.h).
 */
#include <kernel/cspace.h>
#include <object/debug.h>

sigil_error_t debug_check(cap_t cspace, cptr_t cptr, word_t ops)
{
    cspace_result_t r = cspace_lookup_slot(cspace, cptr);
    if (r.slot == NULL || !debug_cap_allows(r.slot->cap, ops)) {
        return Sigil_InvalidCapability;
    }
    return Sigil_NoError;
}
