/*
 * Untyped covers: `covers: [names]` on an Untyped says that those objects are retyped from it,
 * as a capDL `ut (N bits) { a, b }` block does. Runs after policy_memory, when every object
 * exists and a managed client's objects are already known to come from its own untyped.
 *
 * A covered object gets SIGIL_SPEC_OBJ_IN_PARENT with the covering untyped in `paddr` (a model
 * index, renumbered by emit.c), the form a managed client's objects already have, so the loader
 * retypes it from that untyped where the kernel's watermark is: objects come largest first, so
 * each lands right after the previous one and the untyped holds exactly the sum of their sizes.
 * Rules: only RAM objects are covered (a device object is placed at its own address; objects
 * without memory have none to take), by a RAM untyped, once; a managed client's objects come
 * from its `rm_memory` and cannot be covered elsewhere; the covered sizes add up to at most the
 * untyped's size; covers do not form a cycle. `depth` (how many untypeds an object is inside)
 * orders objects of one size so that an untyped is made before what it covers (place.c).
 */
#include <stdlib.h>

#include "model.h"

/* Record that untyped `ut` covers the object named `ref` (entry `h` of its `covers`). */
static void cover_one(spec_t *s, uint32_t ut, const char *ref, uint64_t h)
{
    const m_object_t *u = &s->objs[ut];
    unsigned line = diag_line(s->d, h);
    uint32_t c = spec_resolve(s, u->comp, ref, line, u->path);
    if (c == SPECC_NONE) {
        return;
    }
    m_object_t *o = &s->objs[c];
    if (c == ut) {
        diag_error(s->d, line, u->path, "an untyped cannot cover itself");
    } else if (o->size_bits == 0) {
        diag_error(s->d, line, u->path, "'%s' is an %s, which takes no memory to cover", ref,
                   spec_type_name(o->type));
    } else if (o->flags & SIGIL_SPEC_OBJ_DEVICE) {
        diag_error(s->d, line, u->path,
                   "'%s' is a device object: it is placed at its paddr, not in an untyped", ref);
    } else if ((o->flags & SIGIL_SPEC_OBJ_IN_PARENT) &&
               (s->objs[o->paddr].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY)) {
        diag_error(s->d, line, u->path,
                   "'%s' is a managed client's object: it comes from the client's untyped '%s'",
                   ref, s->objs[o->paddr].name);
    } else if (o->flags & SIGIL_SPEC_OBJ_IN_PARENT) {
        diag_error(s->d, line, u->path, "'%s' is already covered by '%s' (line %u)", ref,
                   s->objs[o->paddr].name, s->objs[o->paddr].line);
    } else {
        o->flags |= SIGIL_SPEC_OBJ_IN_PARENT;
        o->paddr = ut;
    }
}

/* The number of untypeds object `i` is inside, or SPECC_NONE for a cycle of covers. */
static uint32_t cover_depth(const spec_t *s, uint32_t i)
{
    uint32_t depth = 0;
    for (uint32_t k = i; s->objs[k].flags & SIGIL_SPEC_OBJ_IN_PARENT;
         k = (uint32_t)s->objs[k].paddr) {
        if (++depth > s->nobjs) {
            return SPECC_NONE;
        }
    }
    return depth;
}

void cover_resolve(spec_t *s)
{
    size_t n = s->nobjs;
    for (uint32_t i = 0; i < n; i++) {
        const m_object_t *u = &s->objs[i];
        if (u->type != Sigil_UntypedObject || !u->y || !u->y->covers_count) {
            continue;
        }
        uint64_t h = path_key(u->yh, "covers");
        if (u->flags & SIGIL_SPEC_OBJ_DEVICE) {
            diag_error(s->d, diag_line(s->d, h), u->path,
                       "a device untyped cannot cover objects (they would be retyped at its "
                       "watermark, not at their own paddr)");
            continue;
        }
        for (unsigned k = 0; k < u->y->covers_count; k++) {
            cover_one(s, i, u->y->covers[k], path_index(h, k));
        }
    }
    uint64_t *used = xmalloc((n + 1) * sizeof *used);
    for (size_t i = 0; i < n; i++) {
        used[i] = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        m_object_t *o = &s->objs[i];
        if (!(o->flags & SIGIL_SPEC_OBJ_IN_PARENT) ||
            (s->objs[o->paddr].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY)) {
            continue;
        }
        used[o->paddr] += (uint64_t)1 << o->size_bits;
        o->depth = cover_depth(s, i);
        if (o->depth == SPECC_NONE) {
            diag_error(s->d, o->line, o->path, "covers form a cycle through '%s'", o->name);
            o->flags &= (uint8_t)~SIGIL_SPEC_OBJ_IN_PARENT; /* report the cycle once */
            o->depth = 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        const m_object_t *u = &s->objs[i];
        if (used[i] > ((uint64_t)1 << u->size_bits) && u->type == Sigil_UntypedObject) {
            diag_error(s->d, diag_line(s->d, path_key(u->yh, "covers")), u->path,
                       "covers %llu bytes, more than its 2^%u", (unsigned long long)used[i],
                       u->size_bits);
        }
    }
    free(used);
}
