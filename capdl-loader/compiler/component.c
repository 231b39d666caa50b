/*
 * How components end (docs/spec-format.md, "Ending a component"): every program gets the
 * record of <sigil/component_info.h> in its IPC buffer's frame, after the buffer, so that its
 * runtime can end it cleanly when main returns:
 *   - a managed client (policy) sends Exit to the resource manager through its request cap;
 *   - any other component reports `sigil: component <name> exited with status N` and stops
 *     its own thread (through a cap to its own TCB the compiler adds at the highest empty slot
 *     of its cspace) while the others go on;
 *   - a component with `ends_system: true` powers the machine off with its status instead
 *     (a managed client too: nothing needs reclaiming when the machine stops, so its end is
 *     no Exit request; an administrator that judges a system's run ends it this way); it gets
 *     a Debug cap allowing PowerOff for that (debug.c), which the record names.
 * Default: a spec in which no component says `ends_system` keeps the behaviour every spec had
 * before the flag existed — any program that is not a managed client ends the system.
 * Runs after policy_resolve (it needs the request caps) and before caps_check.
 */
#include <stdlib.h>
#include <string.h>

#include <sigil/component_info.h>

#include "model.h"
#include "num.h"

/* The client id of component `comp` (0: not a managed client) and its request slot. */
static uint64_t client_id(const spec_t *s, uint32_t comp, uint32_t *request_slot)
{
    for (size_t i = 0; i < s->nclients; i++) {
        if (s->clients[i].p.component == comp) {
            *request_slot = s->clients[i].p.request_slot;
            return s->clients[i].p.id;
        }
    }
    return 0;
}

uint32_t spec_add_top_cap(spec_t *s, uint32_t cn, uint32_t object, uint64_t badge, unsigned line)
{
    for (uint64_t slot = ((uint64_t)1 << s->objs[cn].radix) - 1; slot >= 1; slot--) {
        uint64_t key = (uint64_t)cn << 32 | slot;
        if (u64map_get(&s->slots, key) != SPECC_NONE) {
            continue;
        }
        uint32_t ci = (uint32_t)s->ncaps;
        u64map_put(&s->slots, key, ci);
        m_cap_t *cap = VEC_PUSH(s->caps, s->capcaps, s->ncaps);
        memset(cap, 0, sizeof *cap);
        cap->cnode = cn;
        cap->line = line;
        cap->path = spec_subpath(s, cn, "[%llu]", (unsigned long long)slot);
        cap->c.object = object;
        cap->c.slot = (uint32_t)slot;
        cap->c.rights = (uint8_t)Sigil_AllRights;
        cap->c.badge = badge;
        return (uint32_t)slot;
    }
    return SPECC_NONE;
}

/* The cptr of a cap to the component's own TCB: an existing one, else one added at the highest
 * empty slot of its cspace; 0 if there is no room. */
static uint64_t self_tcb(spec_t *s, const m_comp_t *c, const sigil_spec_tcb_t *t)
{
    uint32_t cn = c->cspace;
    if (cn == SPECC_NONE || t->cspace != cn || (c->flags & SIGIL_SPEC_COMP_RESOURCE_MANAGER)) {
        return 0; /* the manager's free slots go to the handover (it has its TCB cap with a policy)
                   */
    }
    uint64_t cptr_high = t->cspace_guard << s->objs[cn].radix;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].cnode == cn && s->caps[i].c.object == c->tcb) {
            return cptr_high | s->caps[i].c.slot;
        }
    }
    uint32_t slot = spec_add_top_cap(s, cn, c->tcb, 0, c->line);
    return slot == SPECC_NONE ? 0 : cptr_high | slot;
}

/* Write the record into the frame of the program's IPC buffer. */
static void write_info(spec_t *s, uint32_t comp, uint32_t flags)
{
    const m_comp_t *c = &s->comps[comp];
    sigil_spec_tcb_t *t = &s->tcbs[s->objs[c->tcb].detail];
    if (t->ipc_frame == SPECC_NONE || (t->ipc_vaddr & (SIGIL_PAGE_SIZE - 1)) != 0) {
        return;
    }
    uint32_t request = SIGIL_SPEC_NONE;
    uint64_t id = client_id(s, comp, &request);
    size_t len = strlen(c->name),
           max = SIGIL_COMPONENT_INFO_MAX - sizeof(sigil_component_info_t) - 1;
    len = len < max ? len : max;
    sigil_component_info_t r = {SIGIL_COMPONENT_INFO_MAGIC, flags, (uint32_t)len, 0, 0, id, 0};
    /* A component that ends the system needs its Debug cap more than a cap to its own TCB (it
     * powers off rather than stopping itself): it gets the first empty slot from the top. */
    int ends = (flags & SIGIL_COMPONENT_ENDS_SYSTEM) != 0;
    if (ends) {
        r.debug_cap = debug_component_cap(s, c, t, 1);
    }
    r.self_tcb = self_tcb(s, c, t);
    if (!ends) {
        r.debug_cap = debug_component_cap(s, c, t, 0);
    }
    if (id && request != SIGIL_SPEC_NONE) {
        r.flags |= SIGIL_COMPONENT_MANAGED;
        r.rm_request = t->cspace_guard << s->objs[c->cspace].radix | request;
    }
    size_t n = sizeof r + len + 1;
    uint8_t *bytes = xmalloc(n);
    memcpy(bytes, &r, sizeof r);
    memcpy(bytes + sizeof r, c->name, len);
    bytes[sizeof r + len] = 0;
    m_fill_t *f = VEC_PUSH(s->fills, s->capfills, s->nfills);
    f->frame = t->ipc_frame;
    f->f.data_offset = spec_add_data(s, bytes, n, 8);
    f->f.dest_offset = SIGIL_COMPONENT_INFO_OFFSET;
    f->f.length = (uint32_t)n;
    free(bytes);
}

void components_finish(spec_t *s)
{
    int stated = 0;
    for (uint32_t c = 0; c < s->ncomps; c++) {
        stated |= s->comps[c].y->ends_system != NULL;
    }
    for (uint32_t c = 0; c < s->ncomps; c++) {
        const m_comp_t *mc = &s->comps[c];
        const y_component_t *y = mc->y;
        uint64_t h = path_key(mc->yh, "ends_system");
        uint32_t request;
        int managed = client_id(s, c, &request) != 0, ends = !stated && !managed;
        if (!get_bool(s->d, y->ends_system, h, mc->path, &ends)) {
            continue;
        }
        int program = y->program && mc->tcb != SPECC_NONE && s->objs[mc->tcb].detail != SPECC_NONE;
        if (y->ends_system && !program) {
            diag_error(s->d, diag_line(s->d, h), mc->path,
                       "ends_system applies to components with a program");
        } else if (program) {
            write_info(s, c, ends ? SIGIL_COMPONENT_ENDS_SYSTEM : 0);
        }
    }
}
