/*
 * Stage 3 of the model: everything that refers to other objects by name — caps in CNode
 * slots, TCB settings, IRQ bindings and the resource manager's policy — and the cap-level
 * well-formedness rules of l4v's sys-init that fit AArch64 plus Sigil's own:
 *   slots inside their CNode and used once; caps only to existing objects; rights, badges and
 *   guards only where they apply and within range; at most one original cap per object and
 *   never a badged one; one cap per IRQ handler; untyped caps and the master SMC cap only in
 *   the resource manager; a table no VSpace maps has only its original cap;
 *   every TCB has a CNode root (guard + radix 1..64), a VSpace root and a mapped IPC buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "num.h"

#define ALL_RIGHTS ((uint8_t)Sigil_AllRights)

static const char *right_name(uint8_t bit)
{
    return bit == Sigil_CanWrite   ? "Write"
           : bit == Sigil_CanRead  ? "Read"
           : bit == Sigil_CanGrant ? "Grant"
                                   : "GrantReply";
}

/* Rights of a cap: the written list checked against the type, or every right that applies. */
static uint8_t cap_rights(spec_t *s, char **list, unsigned n, uint64_t h, unsigned type,
                          const char *path)
{
    uint8_t allowed = (uint8_t)sigil_spec_rights_that_apply(type), r = 0;
    if (!diag_present(s->d, h)) {
        return allowed ? allowed : ALL_RIGHTS;
    }
    get_rights(s->d, list, n, h, path, &r);
    for (uint8_t bit = 1; bit <= Sigil_CanGrantReply; bit <<= 1) {
        if ((r & bit) && !(allowed & bit)) {
            diag_error(s->d, diag_line(s->d, h), path, "right '%s' does not apply to %s caps",
                       right_name(bit), spec_type_name(type));
            return r;
        }
    }
    return allowed ? r : ALL_RIGHTS;
}

static void cap_badge(spec_t *s, const y_cap_t *y, uint64_t h, m_cap_t *c, unsigned type)
{
    uint64_t bh = path_key(h, "badge");
    if (!y->badge) {
        return;
    }
    if (!sigil_spec_has_badge(type)) {
        diag_error(s->d, diag_line(s->d, bh), c->path, "%s caps cannot have a badge",
                   spec_type_name(type));
        return;
    }
    const char *what = type == SIGIL_SPEC_TYPE_SMC ? "SMC badge" : "badge";
    get_uint(s->d, y->badge, bh, c->path, what, type == SIGIL_SPEC_TYPE_SMC ? 32 : 64, 0,
             &c->c.badge);
}

static void cap_guard(spec_t *s, const y_cap_t *y, uint64_t h, m_cap_t *c, uint32_t target)
{
    uint64_t gs = 0, g = 0;
    if (!y->guard && !y->guard_size) {
        return;
    }
    if (s->objs[target].type != Sigil_CNodeObject) {
        diag_error(s->d, diag_line(s->d, h), c->path, "guard applies only to CNode caps");
        return;
    }
    if (!get_uint(s->d, y->guard_size, path_key(h, "guard_size"), c->path, "guard_size", 8, 0,
                  &gs) &&
        y->guard_size) {
        return;
    }
    if (gs + s->objs[target].radix > 64) {
        diag_error(s->d, diag_line(s->d, h), c->path, "guard_size %llu + CNode bits %u exceeds 64",
                   (unsigned long long)gs, s->objs[target].radix);
        return;
    }
    if (get_uint(s->d, y->guard, path_key(h, "guard"), c->path, "guard", 64, 0, &g) && gs < 64 &&
        (g >> gs) != 0) {
        diag_error(s->d, diag_line(s->d, h), c->path,
                   "guard %s does not fit in guard_size %llu bits", y->guard,
                   (unsigned long long)gs);
        return;
    }
    c->c.badge = g;
    c->c.guard_size = (uint8_t)gs;
}

/* The original cap of an object: marked `original: true`, and always the (only) cap to an
 * untyped, so that whoever holds an untyped can revoke everything made from it, and to
 * IRQControl, which the kernel cannot copy (its copies derive to nothing). */
static void cap_original(spec_t *s, const y_cap_t *y, uint64_t h, uint32_t ci)
{
    int orig = 0;
    m_cap_t *c = &s->caps[ci];
    m_object_t *o = &s->objs[c->c.object];
    int only_cap = o->type == Sigil_UntypedObject || o->type == SIGIL_SPEC_TYPE_IRQ_CONTROL;
    if (only_cap && o->original != SPECC_NONE) {
        diag_error(s->d, c->line, c->path, "%s '%s' already has its cap at %s",
                   o->type == Sigil_UntypedObject ? "untyped" : spec_type_name(o->type), o->name,
                   s->caps[o->original].path);
        return;
    }
    if (!get_bool(s->d, y->original, path_key(h, "original"), c->path, &orig) ||
        (!orig && !only_cap)) {
        return;
    }
    uint8_t all = (uint8_t)sigil_spec_rights_that_apply(o->type);
    if (c->c.badge && sigil_spec_has_badge(o->type)) {
        diag_error(s->d, c->line, c->path, "a badged cap cannot be original");
    } else if (all && c->c.rights != all) {
        diag_error(s->d, c->line, c->path,
                   "an original cap keeps all its rights (the loader moves the cap it made): "
                   "drop 'rights' or 'original'");
    } else if (o->original != SPECC_NONE) {
        diag_error(s->d, c->line, c->path, "second original cap to '%s' (first at %s)", o->name,
                   s->caps[o->original].path);
    } else {
        o->original = ci;
        c->c.flags |= SIGIL_SPEC_CAP_ORIGINAL;
    }
}

/* One slot entry of CNode `cn`; `*next` is the default slot (previous + 1). */
static void add_cap(spec_t *s, uint32_t cn, const y_cap_t *y, uint64_t h, uint64_t *next)
{
    uint64_t slot = *next;
    unsigned line = diag_line(s->d, h);
    const m_object_t *cno = &s->objs[cn];
    int ok = 1;
    if (y->slot && parse_u64(y->slot, 0, &slot) != NUM_OK) { /* slow path: report it */
        char *tmp = spec_subpath(s, cn, ".slots");
        ok = get_uint(s->d, y->slot, path_key(h, "slot"), tmp, "slot", 32, 0, &slot);
        free(tmp);
    }
    *next = slot + 1;
    if (!ok) {
        return;
    }
    char *path = spec_subpath(s, cn, "[%llu]", (unsigned long long)slot);
    if (slot >> cno->radix) {
        diag_error(s->d, line, path, "slot %llu outside the CNode (2^%u slots)",
                   (unsigned long long)slot, cno->radix);
        free(path);
        return;
    }
    uint64_t key = (uint64_t)cn << 32 | slot;
    uint32_t prev = u64map_get(&s->slots, key);
    if (prev != SPECC_NONE) {
        diag_error(s->d, line, path, "slot %llu already holds a cap (line %u)",
                   (unsigned long long)slot, s->caps[prev].line);
        free(path);
        return;
    }
    int debug = diag_present(s->d, path_key(h, "debug"));
    if (debug == (y->cap != NULL)) {
        diag_error(s->d, line, path,
                   debug ? "a slot holds `cap:` or `debug:`, not both"
                         : "a slot needs `cap:` (or `debug:`)");
        free(path);
        return;
    }
    uint32_t target =
        debug ? debug_object(s, line) : spec_resolve(s, cno->comp, y->cap, line, path);
    if (target == SPECC_NONE) {
        free(path);
        return;
    }
    uint32_t ci = (uint32_t)s->ncaps;
    u64map_put(&s->slots, key, ci);
    m_cap_t *c = VEC_PUSH(s->caps, s->capcaps, s->ncaps);
    c->cnode = cn;
    c->line = line;
    c->path = path;
    c->c.object = target;
    c->c.slot = (uint32_t)slot;
    unsigned type = s->objs[target].type;
    c->c.rights = cap_rights(s, y->rights, y->rights_count, path_key(h, "rights"), type, path);
    cap_badge(s, y, h, c, type);
    if (debug && y->badge) {
        diag_error(s->d, line, path, "`debug:` is the badge of the cap: drop `badge`");
    } else if (debug) {
        if (!debug_badge(s, y->debug, y->debug_count, path_key(h, "debug"), path, &c->c.badge)) {
            c->c.badge = Sigil_DebugAll; /* reported: no second error about a master cap */
        }
    }
    cap_guard(s, y, h, c, target);
    cap_original(s, y, h, ci);
}

static void add_slots(spec_t *s, uint32_t cn, const y_cap_t *slots, unsigned n, uint64_t h)
{
    uint64_t next = 0;
    for (unsigned i = 0; i < n; i++) {
        add_cap(s, cn, &slots[i], path_index(h, i), &next);
    }
}

/* ---- TCBs ---- */

static void tcb_cspace(spec_t *s, sigil_spec_tcb_t *t, uint32_t comp, const y_cnode_ref_t *y,
                       uint64_t h, const char *path)
{
    unsigned line = diag_line(s->d, h);
    uint64_t gs = 0, g = 0;
    t->cspace = spec_resolve_type(s, comp, y->cap, Sigil_CNodeObject, line, path);
    if (t->cspace == SPECC_NONE) {
        return;
    }
    unsigned radix = s->objs[t->cspace].radix;
    get_uint(s->d, y->guard_size, path_key(h, "guard_size"), path, "guard_size", 8, 0, &gs);
    get_uint(s->d, y->guard, path_key(h, "guard"), path, "guard", 64, 0, &g);
    if (gs + radix == 0 || gs + radix > 64) {
        diag_error(s->d, line, path, "cspace guard_size %llu + bits %u must be 1..64",
                   (unsigned long long)gs, radix);
    } else if (gs < 64 && (g >> gs)) {
        diag_error(s->d, line, path, "guard %s does not fit in guard_size %llu bits", y->guard,
                   (unsigned long long)gs);
    }
    t->cspace_guard_size = (uint8_t)gs;
    t->cspace_guard = g;
}

static void tcb_ipc(spec_t *s, sigil_spec_tcb_t *t, uint32_t comp, const y_ipc_t *y, uint64_t h,
                    const char *path)
{
    unsigned line = diag_line(s->d, h);
    t->ipc_frame = spec_resolve_type(s, comp, y->frame, Sigil_Frame4KObject, line, path);
    if (get_uint(s->d, y->vaddr, path_key(h, "vaddr"), path, "vaddr", 64, 0, &t->ipc_vaddr) &&
        (t->ipc_vaddr & ((1u << SIGIL_MSG_IPC_BUFFER_SIZE_BITS) - 1))) {
        diag_error(s->d, line, path, "ipc_buffer vaddr %s is not 1024-byte aligned", y->vaddr);
    }
}

static void tcb_fault(spec_t *s, sigil_spec_tcb_t *t, uint32_t comp, const y_fault_t *y, uint64_t h,
                      const char *path)
{
    unsigned line = diag_line(s->d, h);
    t->fault_ep = spec_resolve_type(s, comp, y->cap, Sigil_EndpointObject, line, path);
    get_uint(s->d, y->badge, path_key(h, "badge"), path, "badge", 64, 0, &t->fault_badge);
    uint8_t r = ALL_RIGHTS;
    if (diag_present(s->d, path_key(h, "rights"))) {
        get_rights(s->d, y->rights, y->rights_count, path_key(h, "rights"), path, &r);
    }
    if (!(r & Sigil_CanWrite) || !(r & (Sigil_CanGrant | Sigil_CanGrantReply))) {
        diag_error(s->d, line, path, "fault handler cap needs Write and Grant or GrantReply");
    }
    t->fault_rights = r;
}

static void tcb_priority(spec_t *s, const char *v, uint64_t h, const char *path, const char *what,
                         uint8_t *out)
{
    uint64_t p = 0;
    if (get_uint(s->d, v, h, path, what, 64, 0, &p)) {
        if (p > 255) {
            diag_error(s->d, diag_line(s->d, h), path, "%s %llu above 255", what,
                       (unsigned long long)p);
        } else {
            *out = (uint8_t)p;
        }
    }
}

static void tcb_args(spec_t *s, sigil_spec_tcb_t *t, char **args, unsigned n, uint64_t h,
                     const char *path)
{
    if (n > SIGIL_SPEC_MAX_ARGS) {
        diag_error(s->d, diag_line(s->d, h), path, "at most %u args", SIGIL_SPEC_MAX_ARGS);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        get_uint(s->d, args[i], path_index(h, i), path, "arg", 64, 0, &t->args[i]);
    }
    t->num_args = (uint8_t)n;
}

static void tcb_address(spec_t *s, const char *v, uint64_t h, const char *path, const char *what,
                        uint64_t *out)
{
    if (!get_uint(s->d, v, h, path, what, 64, 0, out)) {
        return;
    }
    uint64_t top = SIGIL_PLAT_USER_TOP;
    if (*out > top || (*out == top && strcmp(what, "stack") != 0)) {
        diag_error(s->d, diag_line(s->d, h), path, "%s %s is not below user_top 0x%llx", what, v,
                   (unsigned long long)top);
    } else if (strcmp(what, "stack") == 0 && (*out & 15)) {
        diag_error(s->d, diag_line(s->d, h), path, "stack %s is not 16-byte aligned", v);
    }
}

void caps_tcb_common(spec_t *s, sigil_spec_tcb_t *t, uint32_t comp, const tcb_fields_t *f,
                     uint64_t h, const char *path)
{
    int fpu = 1, start = 1;
    if (f->fault_handler) {
        tcb_fault(s, t, comp, f->fault_handler, path_key(h, "fault_handler"), path);
    }
    if (f->bound_notification) {
        unsigned line = diag_line(s->d, path_key(h, "bound_notification"));
        t->bound_ntfn =
            spec_resolve_type(s, comp, f->bound_notification, Sigil_NotificationObject, line, path);
        uint32_t first =
            t->bound_ntfn == SPECC_NONE ? SPECC_NONE : u64map_get(&s->bound, t->bound_ntfn);
        if (first != SPECC_NONE) {
            /* The kernel binds a notification to one TCB at a time (BindNotification). */
            diag_error(s->d, line, path, "notification '%s' is already bound to a TCB (line %u)",
                       f->bound_notification, first);
        } else if (t->bound_ntfn != SPECC_NONE) {
            u64map_put(&s->bound, t->bound_ntfn, line);
        }
    }
    tcb_priority(s, f->priority, path_key(h, "priority"), path, "priority", &t->priority);
    tcb_priority(s, f->max_priority, path_key(h, "max_priority"), path, "max_priority",
                 &t->max_priority);
    tcb_args(s, t, f->args, f->args_count, path_key(h, "args"), path);
    get_uint(s->d, f->tls, path_key(h, "tls"), path, "tls", 64, 0, &t->tls);
    get_bool(s->d, f->fpu, path_key(h, "fpu"), path, &fpu);
    get_bool(s->d, f->start, path_key(h, "start"), path, &start);
    t->flags =
        (uint8_t)((start ? SIGIL_SPEC_TCB_START : 0) | (fpu ? 0 : SIGIL_SPEC_TCB_FPU_DISABLED));
}

uint32_t caps_new_tcb(spec_t *s, uint32_t obj)
{
    s->objs[obj].detail = (uint32_t)s->ntcbs;
    sigil_spec_tcb_t *t = VEC_PUSH(s->tcbs, s->captcbs, s->ntcbs);
    t->cspace = t->vspace = t->ipc_frame = t->fault_ep = t->bound_ntfn = SPECC_NONE;
    return s->objs[obj].detail;
}

static void explicit_tcb(spec_t *s, uint32_t obj)
{
    const m_object_t *o = &s->objs[obj];
    const y_object_t *y = o->y;
    uint64_t h = o->yh;
    uint32_t ti = caps_new_tcb(s, obj);
    sigil_spec_tcb_t *t = &s->tcbs[ti];
    tcb_fields_t f = {y->fault_handler, y->bound_notification, y->priority, y->max_priority,
                      y->args,          y->args_count,         y->fpu,      y->tls,
                      y->start};
    if (!y->cspace) {
        diag_error(s->d, o->line, o->path, "TCB has no cspace");
    } else {
        tcb_cspace(s, t, o->comp, y->cspace, path_key(h, "cspace"), o->path);
    }
    if (!y->vspace) {
        diag_error(s->d, o->line, o->path, "TCB has no vspace");
    } else {
        t->vspace = spec_resolve_type(s, o->comp, y->vspace, Sigil_VSpaceObject,
                                      diag_line(s->d, path_key(h, "vspace")), o->path);
    }
    if (!y->ipc_buffer) {
        diag_error(s->d, o->line, o->path, "TCB has no ipc_buffer");
    } else {
        tcb_ipc(s, t, o->comp, y->ipc_buffer, path_key(h, "ipc_buffer"), o->path);
    }
    tcb_address(s, y->entry, path_key(h, "entry"), o->path, "entry", &t->entry);
    tcb_address(s, y->stack, path_key(h, "stack"), o->path, "stack", &t->stack);
    caps_tcb_common(s, t, o->comp, &f, h, o->path);
}

static void bind_irq(spec_t *s, uint32_t obj)
{
    const m_object_t *o = &s->objs[obj];
    if (o->detail == SPECC_NONE || !o->y->notification) {
        return;
    }
    s->irqs[o->detail].notification =
        spec_resolve_type(s, o->comp, o->y->notification, Sigil_NotificationObject,
                          diag_line(s->d, path_key(o->yh, "notification")), o->path);
}

void caps_resolve(spec_t *s)
{
    size_t n = s->nobjs; /* objects created from here on have no YAML node */
    for (uint32_t i = 0; i < n; i++) {
        const m_object_t *o = &s->objs[i];
        if (o->type == Sigil_CNodeObject && o->y && o->y->slots_count) {
            add_slots(s, i, o->y->slots, o->y->slots_count, path_key(o->yh, "slots"));
        } else if (o->type == Sigil_CNodeObject && !o->y && o->comp != SPECC_NONE &&
                   s->comps[o->comp].cspace == i) { /* the `cspace:` shorthand */
            const y_cspace_t *cs = s->comps[o->comp].y->cspace;
            uint64_t h = path_key(path_key(s->comps[o->comp].yh, "cspace"), "slots");
            add_slots(s, i, cs->slots, cs->slots_count, h);
        } else if (o->type == Sigil_TCBObject && o->y) {
            explicit_tcb(s, i);
        } else if (o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER) {
            bind_irq(s, i);
        }
    }
}

/* ---- rules over all caps (after the address spaces are built) ---- */

static void check_ipc_mapped(spec_t *s, uint32_t obj)
{
    const sigil_spec_tcb_t *t = &s->tcbs[s->objs[obj].detail];
    if (t->ipc_frame == SPECC_NONE || t->vspace == SPECC_NONE) {
        return;
    }
    if (vspace_lookup(s, t->vspace, t->ipc_vaddr) != t->ipc_frame) {
        diag_error(s->d, s->objs[obj].line, s->objs[obj].path,
                   "ipc_buffer frame '%s' is not mapped at 0x%llx in '%s'",
                   s->objs[t->ipc_frame].name, (unsigned long long)t->ipc_vaddr,
                   s->objs[t->vspace].name);
    }
}

void caps_check(spec_t *s)
{
    uint32_t *first = xmalloc(s->nobjs * sizeof *first);
    memset(first, 0xff, s->nobjs * sizeof *first);
    for (uint32_t ci = 0; ci < s->ncaps; ci++) {
        const m_cap_t *c = &s->caps[ci];
        const m_object_t *o = &s->objs[c->c.object];
        uint32_t holder = s->objs[c->cnode].comp;
        if (o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER && first[c->c.object] != SPECC_NONE) {
            diag_error(s->d, c->line, c->path, "second cap to IRQ handler '%s' (first at %s)",
                       o->name, s->caps[first[c->c.object]].path);
        }
        if (o->type == Sigil_UntypedObject && (holder == SPECC_NONE || holder != s->manager)) {
            diag_error(s->d, c->line, c->path,
                       "untyped caps may only be held by the resource manager component");
        }
        if (o->type == Sigil_PageTableObject && o->level == SIGIL_SPEC_LEVEL_UNMAPPED &&
            !(c->c.flags & SIGIL_SPEC_CAP_ORIGINAL)) {
            diag_error(s->d, c->line, c->path,
                       "page table '%s' is mapped in no VSpace and the kernel copies only mapped "
                       "tables: its one cap must be original",
                       o->name);
        }
        if (o->type == SIGIL_SPEC_TYPE_SMC && c->c.badge == 0 &&
            (holder == SPECC_NONE || holder != s->manager)) {
            diag_error(s->d, c->line, c->path,
                       "the master SMC cap (badge 0) may only be held by the resource manager "
                       "component");
        }
        if (o->type == SIGIL_SPEC_TYPE_DEBUG && (c->c.badge & ~(uint64_t)Sigil_DebugAll)) {
            diag_error(s->d, c->line, c->path,
                       "Debug badge 0x%llx has bits no operation uses (PowerOff 0x%x, "
                       "Introspect 0x%x)",
                       (unsigned long long)c->c.badge, Sigil_DebugPowerOff, Sigil_DebugIntrospect);
        } else if (o->type == SIGIL_SPEC_TYPE_DEBUG && c->c.badge == 0) {
            diag_error(s->d, c->line, c->path,
                       "the master Debug cap (badge 0) stays with the loader: name the operations "
                       "the component needs (debug: [PowerOff], [Introspect] or both)");
        }
        if (first[c->c.object] == SPECC_NONE) {
            first[c->c.object] = ci;
        }
    }
    free(first);
    for (uint32_t i = 0; i < s->nobjs; i++) {
        if (s->objs[i].type == Sigil_TCBObject && s->objs[i].detail != SPECC_NONE) {
            check_ipc_mapped(s, i);
        }
    }
}
