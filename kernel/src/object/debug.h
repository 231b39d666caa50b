/*
 * Debug capabilities: the authority for the debug calls that reach beyond the caller
 * (docs/kernel/debug.md).
 *
 * A Debug cap names no object and no memory, like the IRQ control and SMC caps. Its badge is
 * the set of operations it allows (Sigil_DebugPowerOff, Sigil_DebugIntrospect from the ABI
 * description); badge 0 is the master cap, which the root task receives at boot and which
 * allows every operation. Mint sets a badge only on the master (cap.c, as for SMC caps), and a
 * cap whose badge differs from its source is revocable, so revoking the master takes every
 * handed-on Debug cap back. The cap has no invocations: the gated debug calls name it in x6
 * (kernel/debugcall.c) and ask debug_check() whether it allows what they do.
 */
#ifndef OBJECT_DEBUG_H
#define OBJECT_DEBUG_H

#include <object/cap.h>

/* Whether the Debug cap `c` allows every operation in `ops` (Sigil_Debug* bits): the master
 * (badge 0) allows all, a badged cap the bits of its badge. False for any other cap type. */
static inline bool debug_cap_allows(cap_t c, word_t ops)
{
    word_t badge = cap_badge(c);
    return cap_type(c) == Sigil_CapDebug && (badge == 0 || (badge & ops) == ops);
}

/* The gate of a debug call: Sigil_NoError when `cptr`, resolved with all 64 bits in the CSpace
 * whose root cap is `cspace`, names a Debug cap allowing `ops`; Sigil_InvalidCapability when
 * the cptr does not resolve, the slot is empty or holds another type of cap, or the cap's badge
 * lacks one of the operations. Reads only. */
sigil_error_t debug_check(cap_t cspace, cptr_t cptr, word_t ops);

#endif /* OBJECT_DEBUG_H */
