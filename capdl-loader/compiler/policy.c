/*
 * The resource manager's policy (docs/spec-format.md, "Policy"): read it, make what it implies,
 * and check it, so that the manager can learn everything from its boot page
 * (<sigil/rm_boot.h>) and no client can forge a fault.
 *
 * policy_resolve (after program_resolve) makes, unless the spec already has them:
 *   - the manager's endpoint `rm_endpoint` and reply object `rm_reply` (or takes the policy's
 *     `endpoint`/`reply`), with caps in the manager's `cspace`;
 *   - for each client: its fault handler (the manager's endpoint, badge = its id, RFC-11) and
 *     its request cap (the endpoint, badge = id | RM_BADGE_REQUEST, Write + GrantReply) in its
 *     `cspace` at `request_slot` (default: its first empty slot from 1);
 *   - in the manager's `cspace`, after the highest slot the spec fills: caps to its own CSpace
 *     root, VSpace and TCB, then per client to the client's CSpace root, VSpace and TCB; the
 *     client's own untyped follows in policy_untypeds (after the tables exist);
 *   - and finds the frames of the boot page (program.c mapped them read-only).
 * Everything it makes is found again in a spec printed by --dump, so compiling that gives the
 * same binary. policy_check (after caps_check) checks the badge split over every cap and TCB
 * and that the manager holds each cap the policy's `caps` names; policy_check_pool (after
 * placement) that the quotas fit in the memory the manager will be handed.
 */
#include <stdlib.h>
#include <string.h>

#include <sigil/rm_boot.h>

#include "alloc.h"
#include "model.h"
#include "num.h"

#define POLICY_PATH "policy"

static uint64_t clients_hash(void)
{
    return path_key(path_key(PATH_ROOT, "policy"), "clients");
}

uint64_t policy_boot_page_size(const spec_t *s, uint32_t comp)
{
    const y_policy_t *p = s->doc->policy;
    const y_component_t *y = comp < s->ncomps ? s->comps[comp].y : NULL;
    if (!p || comp != s->manager || !y || !y->cspace || !y->program) {
        return 0;
    }
    uint64_t bits = 0, names = 0, smc = 0, regions = 0;
    if (!y->cspace->bits || parse_u64(y->cspace->bits, 0, &bits) != NUM_OK || bits > 28) {
        return 0; /* reported by build.c */
    }
    for (unsigned i = 0; i < p->clients_count; i++) {
        names += strlen(p->clients[i].component) + 1;
        smc += p->clients[i].smc_count;
        regions += p->clients[i].demand_regions_count;
    }
    /* Room for one pool record per slot the spec leaves empty: the handover fills at most
     * those (docs/loader.md). */
    uint64_t used = y->cspace->slots_count + 1;
    uint64_t pool = ((uint64_t)1 << bits) > used ? ((uint64_t)1 << bits) - used : 0;
    return sigil_rm_boot_size(p->clients_count, smc, names + 1, pool, regions);
}

/* ---- caps the policy adds ---- */

/* The first cap in CNode `cn` to `object` (for `want_guard`, a CNode cap with guard 0 and guard
 * size 0), or SPECC_NONE. */
static uint32_t find_cap(const spec_t *s, uint32_t cn, uint32_t object, int want_guard)
{
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const m_cap_t *c = &s->caps[i];
        if (c->cnode == cn && c->c.object == object &&
            (!want_guard || (c->c.badge == 0 && c->c.guard_size == 0))) {
            return i;
        }
    }
    return SPECC_NONE;
}

/* The highest slot the spec fills in CNode `cn` plus one (1 if it is empty: slot 0 stays
 * null, as in every program's CSpace). */
static uint64_t after_last_slot(const spec_t *s, uint32_t cn)
{
    uint64_t next = 1;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].cnode == cn && s->caps[i].c.slot + 1ull > next) {
            next = s->caps[i].c.slot + 1ull;
        }
    }
    return next;
}

/* Put a cap to `object` into slot `slot` of CNode `cn`; returns its index, or SPECC_NONE after
 * reporting (at `line`, `path`) that the slot is outside the CNode or taken. */
static uint32_t put_cap(spec_t *s, uint32_t cn, uint64_t slot, uint32_t object, uint8_t rights,
                        uint64_t badge, unsigned line, const char *path, const char *what)
{
    const m_object_t *cno = &s->objs[cn];
    uint32_t prev =
        slot >> cno->radix ? SPECC_NONE : u64map_get(&s->slots, (uint64_t)cn << 32 | slot);
    if (slot >> cno->radix) {
        diag_error(s->d, line, path, "no room for %s: slot %llu is outside '%s' (2^%u slots)", what,
                   (unsigned long long)slot, cno->name, cno->radix);
        return SPECC_NONE;
    }
    if (prev != SPECC_NONE) {
        diag_error(s->d, line, path,
                   "no room for %s: slot %llu of '%s' already holds a cap (line %u)", what,
                   (unsigned long long)slot, cno->name, s->caps[prev].line);
        return SPECC_NONE;
    }
    uint32_t ci = (uint32_t)s->ncaps;
    u64map_put(&s->slots, (uint64_t)cn << 32 | slot, ci);
    m_cap_t *c = VEC_PUSH(s->caps, s->capcaps, s->ncaps);
    memset(c, 0, sizeof *c);
    c->cnode = cn;
    c->line = line;
    c->path = spec_subpath(s, cn, "[%llu]", (unsigned long long)slot);
    c->c.object = object;
    c->c.slot = (uint32_t)slot;
    c->c.rights = rights;
    c->c.badge = badge;
    return ci;
}

/* The manager's cap to `object` (`cnode_cap`: a CNode cap without guard): the slot of an
 * existing one, else one added at *next. SIGIL_SPEC_NONE if none could be added. */
static uint32_t manager_cap(spec_t *s, uint32_t object, int cnode_cap, uint64_t *next,
                            unsigned line, const char *path, const char *what)
{
    uint32_t cn = s->comps[s->manager].cspace;
    if (object == SPECC_NONE) {
        return SIGIL_SPEC_NONE;
    }
    uint32_t ci = find_cap(s, cn, object, cnode_cap);
    if (ci == SPECC_NONE) {
        unsigned type = s->objs[object].type;
        uint8_t all = (uint8_t)sigil_spec_rights_that_apply(type);
        ci = put_cap(s, cn, (*next)++, object, all ? all : (uint8_t)Sigil_AllRights, 0, line, path,
                     what);
    }
    return ci == SPECC_NONE ? SIGIL_SPEC_NONE : s->caps[ci].c.slot;
}

/* The manager's endpoint or reply object: the policy's, or one the compiler makes. */
static uint32_t manager_object(spec_t *s, const char *ref, const char *key, const char *name,
                               uint8_t type)
{
    uint64_t h = path_key(path_key(PATH_ROOT, "policy"), key);
    if (ref) {
        return spec_resolve_type(s, s->manager, ref, type, diag_line(s->d, h), POLICY_PATH);
    }
    uint32_t o = spec_lookup(s, s->manager, name);
    if (o != SPECC_NONE) {
        return s->objs[o].type == type ? o : SPECC_NONE;
    }
    o = spec_add_object(s, s->manager, name, type, s->comps[s->manager].line);
    if (o != SPECC_NONE) {
        s->objs[o].size_bits = spec_fixed_bits(type);
    }
    return o;
}

/* ---- clients ---- */

/* An SMC function id the manager may grant (RFC-9: it becomes the badge of the client's cap):
 * not 0 (badge 0 is the master cap, which may call every function), an SMCCC id (a fast call,
 * bit 31, has bits 23:16 zero), and listed once. */
static void check_smc_id(spec_t *s, const m_client_t *c, uint32_t id, unsigned line)
{
    if (id == 0) {
        diag_error(s->d, line, c->path,
                   "SMC function id 0 is the master cap's badge (every function): not grantable");
    } else if ((id >> 31) && (id & 0x00ff0000u)) {
        diag_error(s->d, line, c->path,
                   "SMC function id 0x%x is not an SMCCC function id: a fast call has bits 23:16 "
                   "zero",
                   id);
    }
    for (uint32_t k = 0; k < c->p.num_smc; k++) {
        if (c->smc[k] == id) {
            diag_error(s->d, line, c->path, "SMC function id 0x%x is listed twice", id);
        }
    }
}

static void read_client(spec_t *s, const y_client_t *y, uint64_t h, size_t k)
{
    m_client_t *c = VEC_PUSH(s->clients, s->capclients, s->nclients);
    memset(c, 0, sizeof *c);
    c->path = xasprintf("policy.clients[%zu]", k);
    c->line = diag_line(s->d, h);
    const char *path = c->path;
    uint32_t comp = u64map_get(&s->cnames, hash_str(y->component));
    c->p.component = comp;
    c->p.request_slot = c->p.rm_cspace_slot = c->p.rm_vspace_slot = SIGIL_SPEC_NONE;
    c->p.rm_tcb_slot = c->p.rm_memory_slot = c->p.memory_object = SIGIL_SPEC_NONE;
    if (comp == SPECC_NONE) {
        diag_error(s->d, c->line, path, "no component named '%s'", y->component);
    } else if (comp == s->manager) {
        diag_error(s->d, c->line, path, "the resource manager '%s' cannot be its own client",
                   y->component);
        c->p.component = comp = SPECC_NONE;
    }
    for (size_t i = 0; comp != SPECC_NONE && i + 1 < s->nclients; i++) {
        if (s->clients[i].p.component == comp) {
            diag_error(s->d, c->line, path, "component '%s' is already a client (%s)", y->component,
                       s->clients[i].path);
            c->p.component = comp = SPECC_NONE;
        }
    }
    uint64_t v = 0;
    if (get_uint(s->d, y->id, path_key(h, "id"), path, "id", 64, 0, &c->p.id)) {
        uint32_t prev = u64map_get(&s->client_ids, c->p.id);
        if (c->p.id == 0 || c->p.id > SIGIL_RM_CLIENT_ID_MAX) {
            diag_error(s->d, c->line, path, "client id %s outside 1..0x%llx", y->id,
                       (unsigned long long)SIGIL_RM_CLIENT_ID_MAX);
        } else if (prev != SPECC_NONE && s->clients[prev].p.component != SPECC_NONE) {
            diag_error(s->d, c->line, path, "client id %s already used by '%s'", y->id,
                       s->comps[s->clients[prev].p.component].name);
        } else if (prev == SPECC_NONE) {
            u64map_put(&s->client_ids, c->p.id, (uint32_t)k);
        }
    }
    get_uint(s->d, y->memory, path_key(h, "memory"), path, "memory", 64, 1, &c->p.memory);
    if (get_uint(s->d, y->objects, path_key(h, "objects"), path, "objects", 32, 0, &v)) {
        c->p.objects = (uint32_t)v;
    }
    if (get_uint(s->d, y->reply_objects, path_key(h, "reply_objects"), path, "reply_objects", 32, 0,
                 &v)) {
        c->p.reply_objects = (uint32_t)v;
    }
    if (get_uint(s->d, y->request_slot, path_key(h, "request_slot"), path, "request_slot", 32, 0,
                 &v)) {
        c->p.request_slot = (uint32_t)v;
    }
    int admin = 0, grant = 1, pageable = 0;
    get_bool(s->d, y->admin, path_key(h, "admin"), path, &admin);
    get_bool(s->d, y->grant_via_reply, path_key(h, "grant_via_reply"), path, &grant);
    get_bool(s->d, y->pageable, path_key(h, "pageable"), path, &pageable);
    c->p.flags = (admin ? SIGIL_SPEC_CLIENT_ADMIN : 0) |
                 (grant ? 0 : SIGIL_SPEC_CLIENT_NO_GRANT_REPLY) |
                 (pageable ? SIGIL_SPEC_CLIENT_PAGEABLE : 0);
    /* on_fault: what the manager does with a fault it cannot serve (docs/resource-manager.md,
     * "Server recovery"): kill (the default), report or recover. */
    if (y->on_fault && strcmp(y->on_fault, "report") == 0) {
        c->p.flags |= SIGIL_SPEC_CLIENT_ON_FAULT_REPORT;
    } else if (y->on_fault && strcmp(y->on_fault, "recover") == 0) {
        c->p.flags |= SIGIL_SPEC_CLIENT_ON_FAULT_RECOVER;
    } else if (y->on_fault && strcmp(y->on_fault, "kill") != 0) {
        diag_error(s->d, diag_line(s->d, path_key(h, "on_fault")), path,
                   "on_fault '%s' is not an action (kill, report or recover)", y->on_fault);
    }
    c->smc = xmalloc((y->smc_count + 1) * sizeof(uint32_t));
    for (unsigned i = 0; i < y->smc_count; i++) {
        v = 0;
        uint64_t at = path_index(path_key(h, "smc"), i);
        if (get_uint(s->d, y->smc[i], at, path, "SMC function id", 32, 0, &v)) {
            check_smc_id(s, c, (uint32_t)v, diag_line(s->d, at));
        }
        c->smc[c->p.num_smc++] = (uint32_t)v;
    }
    policy_read_regions(s, c, y, h);
    c->caps = xmalloc((y->caps_count + 1) * sizeof(uint32_t));
    for (unsigned i = 0; i < y->caps_count; i++) {
        uint32_t o = spec_resolve(s, comp, y->caps[i],
                                  diag_line(s->d, path_index(path_key(h, "caps"), i)), path);
        if (o != SPECC_NONE) {
            c->caps[c->p.num_caps++] = o;
        }
    }
}

/* The client's fault handler: the manager's endpoint with badge = its id. A spec may write it
 * out (a printed spec does); then it must be exactly that. */
static void client_fault_handler(spec_t *s, m_client_t *c, uint32_t ep)
{
    const m_comp_t *comp = &s->comps[c->p.component];
    sigil_spec_tcb_t *t = &s->tcbs[s->objs[comp->tcb].detail];
    const m_object_t *to = &s->objs[comp->tcb];
    if (t->fault_ep == SPECC_NONE) {
        t->fault_ep = ep;
        t->fault_badge = c->p.id;
        t->fault_rights = Sigil_CanWrite | Sigil_CanGrantReply;
    } else if (t->fault_ep != ep || t->fault_badge != c->p.id) {
        diag_error(s->d, to->line, to->path,
                   "a managed client's fault handler is the resource manager's endpoint '%s' "
                   "with badge %llu (its id): drop 'fault_handler'",
                   s->objs[ep].name, (unsigned long long)c->p.id);
    }
}

/* The client's request cap: the one it holds to the endpoint, or one added. */
static void client_request_cap(spec_t *s, m_client_t *c, uint32_t ep, uint32_t cn)
{
    uint32_t ci = find_cap(s, cn, ep, 0);
    if (ci == SPECC_NONE) {
        uint64_t slot = c->p.request_slot;
        if (slot == SIGIL_SPEC_NONE) {
            for (slot = 1; (slot >> s->objs[cn].radix) == 0 &&
                           u64map_get(&s->slots, (uint64_t)cn << 32 | slot) != SPECC_NONE;
                 slot++) {
            }
        }
        ci = put_cap(s, cn, slot, ep, Sigil_CanWrite | Sigil_CanGrantReply,
                     c->p.id | SIGIL_RM_BADGE_REQUEST, c->line, c->path, "the request cap");
    } else if (c->p.request_slot != SIGIL_SPEC_NONE && s->caps[ci].c.slot != c->p.request_slot) {
        diag_error(s->d, c->line, c->path, "request_slot %u: the client's cap to '%s' is at %s",
                   c->p.request_slot, s->objs[ep].name, s->caps[ci].path);
    }
    if (ci != SPECC_NONE) {
        c->p.request_slot = s->caps[ci].c.slot;
    }
}

/* The client's thread: its component's TCB `tcb`, with a CSpace and a VSpace (the ones the
 * manager acts on: the TCB's roots, whatever their names), or NULL. */
const sigil_spec_tcb_t *client_thread(const spec_t *s, const m_comp_t *c)
{
    if (c->tcb == SPECC_NONE || s->objs[c->tcb].detail == SPECC_NONE) {
        return NULL;
    }
    const sigil_spec_tcb_t *t = &s->tcbs[s->objs[c->tcb].detail];
    return t->cspace != SPECC_NONE && t->vspace != SPECC_NONE ? t : NULL;
}

/* The frames of the boot page: rm_boot_0, rm_boot_1, ... of the manager. */
static void find_boot_page(spec_t *s)
{
    size_t n = 0;
    for (;; n++) {
        char *name = xasprintf(SPECC_RM_BOOT_PAGE "_%zu", n);
        uint32_t o = spec_lookup(s, s->manager, name);
        free(name);
        if (o == SPECC_NONE || s->objs[o].type != Sigil_Frame4KObject ||
            s->objs[o].comp != s->manager) {
            break;
        }
        s->rm.boot_pages = xrealloc(s->rm.boot_pages, (n + 1) * sizeof(uint32_t));
        s->rm.boot_pages[n] = o;
    }
    s->rm.r.num_boot_pages = (uint32_t)n;
    uint64_t names = 1, smc = 0, regions = 0;
    for (size_t i = 0; i < s->nclients; i++) {
        const m_client_t *c = &s->clients[i];
        names += c->p.component == SPECC_NONE ? 1 : strlen(s->comps[c->p.component].name) + 1;
        smc += c->p.num_smc;
        regions += c->p.num_regions;
    }
    uint64_t fixed = sigil_rm_boot_size(s->nclients, smc, names, 0, regions),
             room = n * SIGIL_PAGE_SIZE;
    if (n == 0) {
        return; /* a manager written out without a boot page (a test spec) gets none */
    }
    if (room < fixed) {
        diag_error(s->d, s->comps[s->manager].line, s->comps[s->manager].path,
                   "the boot page ('%s_0'..'%s_%zu') holds %llu bytes, the policy needs %llu",
                   SPECC_RM_BOOT_PAGE, SPECC_RM_BOOT_PAGE, n - 1, (unsigned long long)room,
                   (unsigned long long)fixed);
        return;
    }
    s->rm.r.pool_capacity = (uint32_t)((room - fixed) / sizeof(sigil_rm_boot_untyped_t));
}

void policy_resolve(spec_t *s)
{
    const y_policy_t *p = s->doc->policy;
    if (!p) {
        return;
    }
    uint64_t ph = path_key(PATH_ROOT, "policy");
    for (unsigned i = 0; i < p->clients_count; i++) {
        read_client(s, &p->clients[i], path_index(clients_hash(), i), i);
    }
    if (s->manager == SPECC_NONE || s->comps[s->manager].cspace == SPECC_NONE) {
        diag_error(s->d, diag_line(s->d, ph), POLICY_PATH,
                   "a policy needs a resource manager component with a cspace");
        return;
    }
    const m_comp_t *rm = &s->comps[s->manager];
    m_rm_t *r = &s->rm;
    r->present = 1;
    r->r.component = s->manager;
    r->r.endpoint = manager_object(s, p->endpoint, "endpoint", "rm_endpoint", Sigil_EndpointObject);
    r->r.reply = manager_object(s, p->reply, "reply", "rm_reply", Sigil_ReplyObject);
    uint64_t next = after_last_slot(s, rm->cspace);
    unsigned line = rm->line;
    const char *path = rm->path;
    r->r.endpoint_slot = manager_cap(s, r->r.endpoint, 0, &next, line, path, "its endpoint");
    r->r.reply_slot = manager_cap(s, r->r.reply, 0, &next, line, path, "its reply object");
    r->r.cspace_slot = manager_cap(s, rm->cspace, 1, &next, line, path, "a cap to its cspace");
    r->r.vspace_slot = manager_cap(s, rm->vspace, 0, &next, line, path, "a cap to its vspace");
    r->r.tcb_slot = manager_cap(s, rm->tcb, 0, &next, line, path, "a cap to its tcb");
    uint32_t smc = s->smc == SPECC_NONE ? SPECC_NONE : find_cap(s, rm->cspace, s->smc, 0);
    r->r.smc_slot =
        smc == SPECC_NONE || s->caps[smc].c.badge ? SIGIL_SPEC_NONE : s->caps[smc].c.slot;
    for (size_t i = 0; i < s->nclients && r->r.smc_slot == SIGIL_SPEC_NONE; i++) {
        const m_client_t *c = &s->clients[i];
        if (c->p.num_smc && c->p.component != SPECC_NONE) {
            diag_error(s->d, c->line, c->path,
                       "client '%s' lists SMC function ids, but the resource manager '%s' holds "
                       "no master SMC cap (an unbadged cap to an SMC object) to grant them from",
                       s->comps[c->p.component].name, rm->name);
        }
    }
    for (size_t i = 0; i < s->nclients; i++) {
        m_client_t *c = &s->clients[i];
        if (c->p.component == SPECC_NONE) {
            continue;
        }
        const m_comp_t *cc = &s->comps[c->p.component];
        const sigil_spec_tcb_t *t = client_thread(s, cc);
        if (!t) {
            diag_error(s->d, c->line, c->path,
                       "client '%s' needs a thread (a TCB named 'tcb', or a program) with a "
                       "CSpace and a VSpace for the manager to act on",
                       cc->name);
            continue;
        }
        if (r->r.endpoint == SPECC_NONE) {
            continue;
        }
        uint32_t cspace = t->cspace, vspace = t->vspace;
        client_fault_handler(s, c, r->r.endpoint);
        client_request_cap(s, c, r->r.endpoint, cspace);
        c->p.rm_cspace_slot = manager_cap(s, cspace, 1, &next, c->line, c->path,
                                          "the manager's cap to the client's cspace");
        c->p.rm_vspace_slot = manager_cap(s, vspace, 0, &next, c->line, c->path,
                                          "the manager's cap to the client's vspace");
        c->p.rm_tcb_slot = manager_cap(s, cc->tcb, 0, &next, c->line, c->path,
                                       "the manager's cap to the client's tcb");
    }
    r->next_slot = next;
    find_boot_page(s);
}

/* Whether object `o` of a managed client's component goes into the client's own untyped: RAM
 * objects, except the untyped itself. (Frames filled from the image are then copied, not
 * donated: the loader's image pages are not the client's memory.) */
static int in_client_memory(const m_object_t *o, uint32_t memory, uint32_t i)
{
    return i != memory && o->size_bits && !(o->flags & SIGIL_SPEC_OBJ_DEVICE);
}

/* A managed client's own untyped `rm_memory`: every RAM object of its component is retyped
 * from it (docs/loader.md, "Per-client memory"), and the manager holds its only cap. Runs
 * after vspace_build, when the tables exist. */
void policy_memory(spec_t *s)
{
    if (!s->rm.present) {
        return;
    }
    for (size_t k = 0; k < s->nclients; k++) {
        m_client_t *c = &s->clients[k];
        if (c->p.component == SPECC_NONE || !client_thread(s, &s->comps[c->p.component])) {
            continue;
        }
        uint32_t comp = c->p.component, mem = spec_lookup(s, comp, SPECC_RM_MEMORY);
        if (mem == SPECC_NONE) {
            mem = spec_add_object(s, comp, SPECC_RM_MEMORY, Sigil_UntypedObject, c->line);
        } else if (s->objs[mem].type != Sigil_UntypedObject || s->objs[mem].comp != comp) {
            mem = SPECC_NONE;
        }
        if (mem == SPECC_NONE) {
            continue;
        }
        uint64_t total = 0;
        for (uint32_t i = 0; i < s->nobjs; i++) {
            m_object_t *o = &s->objs[i];
            if (o->comp == comp && in_client_memory(o, mem, i)) {
                o->flags |= SIGIL_SPEC_OBJ_IN_PARENT;
                o->paddr = mem;
                total += 1ull << o->size_bits;
            }
        }
        unsigned bits = SIGIL_UT_MIN_BITS;
        while ((1ull << bits) < total) {
            bits++;
        }
        m_object_t *mo = &s->objs[mem];
        if (mo->size_bits && mo->size_bits != bits) {
            diag_error(s->d, mo->line, mo->path,
                       "a managed client's untyped '%s' holds its objects: %llu bytes need 2^%u, "
                       "not 2^%u",
                       mo->name, (unsigned long long)total, bits, mo->size_bits);
        }
        mo->size_bits = mo->radix = (uint8_t)bits;
        mo->flags |= SIGIL_SPEC_OBJ_CLIENT_MEMORY;
        c->p.memory_object = mem;
        uint32_t ci = find_cap(s, s->comps[s->manager].cspace, mem, 0);
        if (ci == SPECC_NONE) {
            ci = put_cap(s, s->comps[s->manager].cspace, s->rm.next_slot++, mem,
                         (uint8_t)Sigil_AllRights, 0, c->line, c->path,
                         "the manager's cap to the client's memory");
            if (ci != SPECC_NONE) {
                s->caps[ci].c.flags |= SIGIL_SPEC_CAP_ORIGINAL;
                mo->original = ci;
            }
        }
        c->p.rm_memory_slot = ci == SPECC_NONE ? SIGIL_SPEC_NONE : s->caps[ci].c.slot;
    }
}

/* ---- checks ---- */

/* The client (index) whose component holds CNode `cn`, or SPECC_NONE. */
static uint32_t client_of_comp(const spec_t *s, uint32_t comp)
{
    for (size_t i = 0; comp != SPECC_NONE && i < s->nclients; i++) {
        if (s->clients[i].p.component == comp) {
            return (uint32_t)i;
        }
    }
    return SPECC_NONE;
}

/* Every cap to the manager's endpoint: the manager's own are free; a client's carries the
 * request form of its own id; anyone else's is unbadged (the manager answers badge 0 as no
 * client). A thread that is not a client's may have the endpoint as fault handler only with a
 * badge that is no client's id and not in the request form. */
static void check_badges(spec_t *s)
{
    uint32_t ep = s->rm.r.endpoint;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const m_cap_t *c = &s->caps[i];
        uint32_t holder = s->objs[c->cnode].comp;
        if (c->c.object != ep || holder == s->manager) {
            continue;
        }
        uint32_t k = client_of_comp(s, holder);
        if (k != SPECC_NONE && c->c.badge != (s->clients[k].p.id | SIGIL_RM_BADGE_REQUEST)) {
            diag_error(s->d, c->line, c->path,
                       "a client's cap to the resource manager's endpoint carries its request "
                       "badge 0x%llx (id | RM_BADGE_REQUEST), not 0x%llx",
                       (unsigned long long)(s->clients[k].p.id | SIGIL_RM_BADGE_REQUEST),
                       (unsigned long long)c->c.badge);
        } else if (k == SPECC_NONE && c->c.badge != 0) {
            diag_error(s->d, c->line, c->path,
                       "only the resource manager's clients may hold badged caps to its endpoint "
                       "(badge 0x%llx)",
                       (unsigned long long)c->c.badge);
        }
    }
    for (uint32_t i = 0; i < s->nobjs; i++) {
        const m_object_t *o = &s->objs[i];
        if (o->type != Sigil_TCBObject || o->detail == SPECC_NONE ||
            s->tcbs[o->detail].fault_ep != ep) {
            continue;
        }
        uint32_t k = client_of_comp(s, o->comp);
        if (k != SPECC_NONE && s->comps[o->comp].tcb == i) {
            continue; /* checked by client_fault_handler */
        }
        uint64_t b = s->tcbs[o->detail].fault_badge;
        uint32_t owner = u64map_get(&s->client_ids, b & ~SIGIL_RM_BADGE_REQUEST);
        if ((b & SIGIL_RM_BADGE_REQUEST) || owner != SPECC_NONE) {
            diag_error(s->d, o->line, o->path,
                       "fault badge 0x%llx towards the resource manager is %s: a thread that is "
                       "not a client's must not be taken for one",
                       (unsigned long long)b,
                       (b & SIGIL_RM_BADGE_REQUEST) ? "in the request form"
                                                    : "the id of another client");
        }
    }
}

/* RFC-13: a reply object can grant caps only if the endpoint cap its server received on has
 * Grant. A client marked `grant_via_reply: false` (an untrusted server) must therefore receive
 * only on endpoint caps without Grant; then nothing it sends with a reply is delivered. */
static void check_grant_via_reply(spec_t *s, const m_client_t *c)
{
    const m_comp_t *cc = &s->comps[c->p.component];
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const m_cap_t *cap = &s->caps[i];
        uint8_t r = cap->c.rights;
        if (s->objs[cap->cnode].comp != c->p.component ||
            s->objs[cap->c.object].type != Sigil_EndpointObject || !(r & Sigil_CanRead) ||
            !(r & Sigil_CanGrant)) {
            continue;
        }
        diag_error(s->d, cap->line, cap->path,
                   "client '%s' has grant_via_reply: false, so it may receive only on endpoint "
                   "caps without Grant (RFC-13): drop Grant or Read",
                   cc->name);
    }
}

void policy_check(spec_t *s)
{
    if (!s->rm.present) {
        return;
    }
    for (size_t i = 0; i < s->nclients; i++) {
        const m_client_t *c = &s->clients[i];
        if (c->p.component != SPECC_NONE && (c->p.flags & SIGIL_SPEC_CLIENT_NO_GRANT_REPLY)) {
            check_grant_via_reply(s, c);
        }
    }
    if (s->rm.r.endpoint != SPECC_NONE) {
        check_badges(s);
    }
    policy_check_regions(s);
    uint32_t cn = s->comps[s->manager].cspace;
    for (size_t i = 0; i < s->nclients; i++) {
        const m_client_t *c = &s->clients[i];
        for (uint32_t k = 0; k < c->p.num_caps; k++) {
            if (find_cap(s, cn, c->caps[k], 0) == SPECC_NONE) {
                diag_error(s->d, c->line, c->path, "the resource manager holds no cap to '%s'",
                           s->objs[c->caps[k]].name);
            }
        }
    }
}

void policy_check_pool(spec_t *s, uint64_t pool_bytes)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < s->nclients; i++) {
        uint64_t m = s->clients[i].p.memory;
        sum = sum + m < sum ? UINT64_MAX : sum + m;
    }
    if (s->rm.present && sum > pool_bytes) {
        diag_error(s->d, diag_line(s->d, path_key(PATH_ROOT, "policy")), POLICY_PATH,
                   "the clients' memory quotas add up to %llu bytes, more than the %llu bytes of "
                   "RAM the resource manager will be handed",
                   (unsigned long long)sum, (unsigned long long)pool_bytes);
    }
}
