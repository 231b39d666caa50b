/*
 * Debug caps in a spec (docs/spec-format.md, "Debug caps"; docs/kernel/debug.md).
 *
 * A slot `{slot: N, debug: [PowerOff, Introspect]}` holds a Debug cap whose badge is the set of
 * operations named: the kernel lets DebugPowerOff through a cap allowing PowerOff and the
 * inspection calls through one allowing Introspect. Every such cap refers to the spec's one
 * Debug object (declared `{name: ..., type: Debug}` or, when none is declared, added here under
 * the name `debug`); the loader makes the object from its master Debug cap, which it keeps, and
 * mints each cap with its badge. The master itself (badge 0) is never handed on.
 *
 * A component whose end ends the system gets PowerOff without asking: its Debug cap gains the
 * bit, or it gets a cap at the highest empty slot of its CSpace. Its component record names
 * the cap, so that its runtime's debug calls use it (sigil_debug_cap).
 */
#include <string.h>

#include "model.h"
#include "num.h"

uint32_t debug_object(spec_t *s, unsigned line)
{
    if (s->debug == SPECC_NONE) {
        uint32_t idx = spec_add_object(s, SPECC_NONE, "debug", SIGIL_SPEC_TYPE_DEBUG, line);
        if (idx == SPECC_NONE) {
            diag_error(s->d, line, NULL,
                       "`debug:` slots need the spec's Debug object: declare one "
                       "({name: ..., type: Debug}) or free the name 'debug'");
        }
        s->debug = idx;
    }
    return s->debug;
}

int debug_badge(spec_t *s, char **ops, unsigned n, uint64_t h, const char *path, uint64_t *badge)
{
    static const char *const names[] = SIGIL_DEBUG_OPERATION_NAMES;
    uint64_t b = 0;
    int ok = 1;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = 0;
        while (k < SIGIL_DEBUG_NUM_OPERATIONS && strcmp(ops[i], names[k]) != 0) {
            k++;
        }
        if (k == SIGIL_DEBUG_NUM_OPERATIONS) {
            diag_error(s->d, diag_line(s->d, path_index(h, i)), path,
                       "unknown debug operation '%s' (PowerOff, Introspect)", ops[i]);
            ok = 0;
        } else {
            b |= 1ull << k;
        }
    }
    if (ok && b == 0) {
        diag_error(s->d, diag_line(s->d, h), path,
                   "`debug:` names no operation (PowerOff, Introspect)");
        ok = 0;
    }
    *badge = b;
    return ok;
}

uint64_t debug_component_cap(spec_t *s, const m_comp_t *c, const sigil_spec_tcb_t *t, int ends)
{
    uint32_t cn = c->cspace;
    if (cn == SPECC_NONE || t->cspace != cn) {
        return 0;
    }
    uint64_t cptr_high = t->cspace_guard << s->objs[cn].radix;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        m_cap_t *cap = &s->caps[i];
        if (cap->cnode == cn && s->objs[cap->c.object].type == SIGIL_SPEC_TYPE_DEBUG) {
            if (ends) {
                cap->c.badge |= Sigil_DebugPowerOff;
            }
            return cptr_high | cap->c.slot;
        }
    }
    if (!ends || (c->flags & SIGIL_SPEC_COMP_RESOURCE_MANAGER)) {
        return 0; /* the manager's free slots go to the handover: only what its spec names */
    }
    uint32_t obj = debug_object(s, c->line);
    if (obj == SPECC_NONE) {
        return 0;
    }
    uint32_t slot = spec_add_top_cap(s, cn, obj, Sigil_DebugPowerOff, c->line);
    if (slot == SPECC_NONE) {
        diag_error(s->d, c->line, c->path,
                   "ends the system, but its cspace has no empty slot for the Debug cap that "
                   "allows it to power off");
        return 0;
    }
    return cptr_high | slot;
}
