/*
 * Printing a binary spec as YAML (see emit.h). The output uses only the explicit form of the
 * format: every object with its type-specific fields, every slot, every table entry, frame
 * contents as hex `data`. References use full names (`component.object`), or the bare name for
 * top-level objects, so compiling the output gives back the same binary.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"

typedef struct {
    FILE *f;
    const sigil_spec_header_t *h;
    const sigil_spec_object_t *objs;
    /* the objects an untyped covers, as lists: first[untyped], next[object] (id order) */
    uint32_t *first, *next;
} dump_t;

/* Quote words that YAML 1.1 would read as booleans or null. */
static const char *q(const char *name)
{
    static const char *const words[] = {"y",     "n",  "yes", "no",  "true",
                                        "false", "on", "off", "null"};
    static char buf[2][300];
    static int which;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcasecmp(name, words[i]) == 0) {
            which ^= 1;
            snprintf(buf[which], sizeof buf[which], "\"%s\"", name);
            return buf[which];
        }
    }
    return name;
}

static const char *full_name(const dump_t *d, uint32_t id)
{
    return sigil_spec_object_name(d->h, id);
}

static const char *local_name(const dump_t *d, uint32_t id)
{
    const char *n = full_name(d, id);
    const char *dot = strchr(n, '.');
    return dot ? dot + 1 : n;
}

static void rights(FILE *f, uint8_t r)
{
    static const char *const names[] = {"Write", "Read", "Grant", "GrantReply"};
    const char *sep = "";
    fputc('[', f);
    for (unsigned b = 0; b < 4; b++) {
        if (r & (1u << b)) {
            fprintf(f, "%s%s", sep, names[b]);
            sep = ", ";
        }
    }
    fputc(']', f);
}

static void dump_slots(const dump_t *d, const sigil_spec_object_t *o, const char *ind)
{
    fprintf(d->f, "%sbits: %u\n%sslots:%s\n", ind, o->extra, ind, o->count ? "" : " []");
    for (uint32_t i = 0; i < o->count; i++) {
        const sigil_spec_cap_t *c = &sigil_spec_caps(d->h)[o->first + i];
        uint8_t t = d->objs[c->object].type;
        fprintf(d->f, "%s  - {slot: %u, cap: %s", ind, c->slot, q(full_name(d, c->object)));
        if (sigil_spec_rights_that_apply(t)) {
            fputs(", rights: ", d->f);
            rights(d->f, c->rights);
        }
        if (t == Sigil_CNodeObject && (c->guard_size || c->badge)) {
            fprintf(d->f, ", guard: 0x%llx, guard_size: %u", (unsigned long long)c->badge,
                    c->guard_size);
        } else if (c->badge) {
            fprintf(d->f, ", badge: 0x%llx", (unsigned long long)c->badge);
        }
        if (c->flags & SIGIL_SPEC_CAP_ORIGINAL) {
            fputs(", original: true", d->f);
        }
        fputs("}\n", d->f);
    }
}

static void dump_entries(const dump_t *d, const sigil_spec_object_t *o, const char *ind)
{
    fprintf(d->f, "%sentries:\n", ind);
    for (uint32_t i = 0; i < o->count; i++) {
        const sigil_spec_entry_t *e = &sigil_spec_entries(d->h)[o->first + i];
        if (e->attrs & SIGIL_SPEC_MAP_TABLE) {
            fprintf(d->f, "%s  - {index: %u, table: %s}\n", ind, e->index,
                    q(full_name(d, e->object)));
            continue;
        }
        fprintf(d->f, "%s  - {index: %u, frame: %s, rights: ", ind, e->index,
                q(full_name(d, e->object)));
        rights(d->f, e->rights);
        fprintf(d->f, ", executable: %s, cached: %s}\n",
                (e->attrs & SIGIL_SPEC_MAP_EXECUTABLE) ? "true" : "false",
                (e->attrs & SIGIL_SPEC_MAP_UNCACHED) ? "false" : "true");
    }
}

static void dump_fills(const dump_t *d, const sigil_spec_object_t *o, const char *ind)
{
    fprintf(d->f, "%sfill:\n", ind);
    for (uint32_t i = 0; i < o->count; i++) {
        const sigil_spec_fill_t *fl = &sigil_spec_fills(d->h)[o->first + i];
        const uint8_t *bytes = (const uint8_t *)d->h + fl->data_offset;
        fprintf(d->f, "%s  - {offset: 0x%x, data: \"", ind, fl->dest_offset);
        for (uint32_t k = 0; k < fl->length; k++) {
            fprintf(d->f, "%02x", bytes[k]);
        }
        fputs("\"}\n", d->f);
    }
}

static void dump_tcb(const dump_t *d, const sigil_spec_tcb_t *t, const char *ind)
{
    FILE *f = d->f;
    if (t->cspace != SIGIL_SPEC_NONE) {
        fprintf(f, "%scspace: {cap: %s, guard: 0x%llx, guard_size: %u}\n", ind,
                q(full_name(d, t->cspace)), (unsigned long long)t->cspace_guard,
                t->cspace_guard_size);
    }
    if (t->vspace != SIGIL_SPEC_NONE) {
        fprintf(f, "%svspace: %s\n", ind, q(full_name(d, t->vspace)));
    }
    if (t->ipc_frame != SIGIL_SPEC_NONE) {
        fprintf(f, "%sipc_buffer: {frame: %s, vaddr: 0x%llx}\n", ind, q(full_name(d, t->ipc_frame)),
                (unsigned long long)t->ipc_vaddr);
    }
    if (t->fault_ep != SIGIL_SPEC_NONE) {
        fprintf(f, "%sfault_handler: {cap: %s, badge: 0x%llx, rights: ", ind,
                q(full_name(d, t->fault_ep)), (unsigned long long)t->fault_badge);
        rights(f, t->fault_rights);
        fputs("}\n", f);
    }
    if (t->bound_ntfn != SIGIL_SPEC_NONE) {
        fprintf(f, "%sbound_notification: %s\n", ind, q(full_name(d, t->bound_ntfn)));
    }
    fprintf(f, "%sentry: 0x%llx\n%sstack: 0x%llx\n%stls: 0x%llx\n", ind,
            (unsigned long long)t->entry, ind, (unsigned long long)t->stack, ind,
            (unsigned long long)t->tls);
    fprintf(f, "%sargs: [", ind);
    for (unsigned i = 0; i < t->num_args; i++) {
        fprintf(f, "%s0x%llx", i ? ", " : "", (unsigned long long)t->args[i]);
    }
    fprintf(f, "]\n%spriority: %u\n%smax_priority: %u\n%sfpu: %s\n%sstart: %s\n", ind, t->priority,
            ind, t->max_priority, ind, (t->flags & SIGIL_SPEC_TCB_FPU_DISABLED) ? "false" : "true",
            ind, (t->flags & SIGIL_SPEC_TCB_START) ? "true" : "false");
}

static void dump_irq(const dump_t *d, const sigil_spec_irq_t *r, const char *ind)
{
    fprintf(d->f, "%sirq: %u\n%strigger: %s\n", ind, r->irq, ind,
            r->trigger == SIGIL_SPEC_IRQ_EDGE ? "edge" : "level");
    if (r->notification != SIGIL_SPEC_NONE) {
        fprintf(d->f, "%snotification: %s\n%sbadge: 0x%llx\n", ind,
                q(full_name(d, r->notification)), ind, (unsigned long long)r->badge);
    }
}

static void dump_object(const dump_t *d, uint32_t id, const char *ind)
{
    const sigil_spec_object_t *o = &d->objs[id];
    fprintf(d->f, "%s- name: %s\n%s  type: %s\n", ind, q(local_name(d, id)), ind,
            spec_type_name(o->type));
    char in2[32];
    snprintf(in2, sizeof in2, "%s  ", ind);
    if (o->type == Sigil_UntypedObject) {
        fprintf(d->f, "%sbits: %u\n", in2, o->size_bits);
        const char *sep = "covers: [";
        for (uint32_t c = d->first[id]; c != SIGIL_SPEC_NONE; c = d->next[c]) {
            fprintf(d->f, "%s%s%s", c == d->first[id] ? in2 : "", sep, q(full_name(d, c)));
            sep = ", ";
        }
        if (d->first[id] != SIGIL_SPEC_NONE) {
            fputs("]\n", d->f);
        }
    }
    if ((o->flags & SIGIL_SPEC_OBJ_DEVICE) && o->size_bits) {
        fprintf(d->f, "%spaddr: 0x%llx\n", in2, (unsigned long long)o->paddr);
    }
    if (o->type == Sigil_CNodeObject) {
        dump_slots(d, o, in2);
    } else if ((o->type == Sigil_VSpaceObject || o->type == Sigil_PageTableObject) && o->count) {
        dump_entries(d, o, in2);
    } else if (sigil_spec_is_frame(o->type) && o->count) {
        dump_fills(d, o, in2);
    } else if (o->type == Sigil_TCBObject && o->count) {
        dump_tcb(d, &sigil_spec_tcbs(d->h)[o->first], in2);
    } else if (o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER && o->count) {
        dump_irq(d, &sigil_spec_irqs(d->h)[o->first], in2);
    }
}

/* A client's demand-zero regions (words: vaddr low, high, size low, high, rights). */
static void dump_regions(const dump_t *d, const sigil_spec_policy_client_t *p, const uint32_t *w)
{
    if (!p->num_regions) {
        return;
    }
    fputs("      demand_regions:\n", d->f);
    for (uint32_t k = 0; k < p->num_regions; k++) {
        const uint32_t *r = w + p->first_region + SIGIL_SPEC_REGION_WORDS * k;
        fprintf(d->f, "        - {vaddr: 0x%llx, size: 0x%llx, rights: [%s%s%s]}\n",
                (unsigned long long)r[0] | (unsigned long long)r[1] << 32,
                (unsigned long long)r[2] | (unsigned long long)r[3] << 32,
                r[4] & Sigil_CanRead ? "Read" : "",
                r[4] == (Sigil_CanRead | Sigil_CanWrite) ? ", " : "",
                r[4] & Sigil_CanWrite ? "Write" : "");
    }
}

static void dump_policy(const dump_t *d)
{
    const uint32_t *w = sigil_spec_words(d->h);
    fputs("policy:\n", d->f);
    if (d->h->rm.count) {
        const sigil_spec_rm_t *r = sigil_spec_rm(d->h);
        if (r->endpoint != SIGIL_SPEC_NONE) {
            fprintf(d->f, "  endpoint: %s\n", q(full_name(d, r->endpoint)));
        }
        if (r->reply != SIGIL_SPEC_NONE) {
            fprintf(d->f, "  reply: %s\n", q(full_name(d, r->reply)));
        }
    }
    fprintf(d->f, "  clients:%s\n", d->h->policy.count ? "" : " []");
    for (uint64_t i = 0; i < d->h->policy.count; i++) {
        const sigil_spec_policy_client_t *p = &sigil_spec_policy(d->h)[i];
        fprintf(d->f, "    - component: %s\n      id: 0x%llx\n      memory: 0x%llx\n",
                q(sigil_spec_string(d->h, sigil_spec_components(d->h)[p->component].name)),
                (unsigned long long)p->id, (unsigned long long)p->memory);
        fprintf(d->f, "      admin: %s\n      grant_via_reply: %s\n      on_fault: %s\n",
                p->flags & SIGIL_SPEC_CLIENT_ADMIN ? "true" : "false",
                p->flags & SIGIL_SPEC_CLIENT_NO_GRANT_REPLY ? "false" : "true",
                p->flags & SIGIL_SPEC_CLIENT_ON_FAULT_REPORT    ? "report"
                : p->flags & SIGIL_SPEC_CLIENT_ON_FAULT_RECOVER ? "recover"
                                                                : "kill");
        fprintf(d->f, "      pageable: %s\n",
                p->flags & SIGIL_SPEC_CLIENT_PAGEABLE ? "true" : "false");
        if (p->request_slot != SIGIL_SPEC_NONE) {
            fprintf(d->f, "      request_slot: %u\n", p->request_slot);
        }
        fprintf(d->f, "      objects: %u\n      reply_objects: %u\n      smc: [", p->objects,
                p->reply_objects);
        for (uint32_t k = 0; k < p->num_smc; k++) {
            fprintf(d->f, "%s0x%x", k ? ", " : "", w[p->first_smc + k]);
        }
        fputs("]\n      caps: [", d->f);
        for (uint32_t k = 0; k < p->num_caps; k++) {
            fprintf(d->f, "%s%s", k ? ", " : "", q(full_name(d, w[p->first_cap + k])));
        }
        fputs("]\n", d->f);
        dump_regions(d, p, w);
    }
}

void dump_yaml(FILE *out, const uint8_t *blob)
{
    dump_t d = {out, (const sigil_spec_header_t *)(const void *)blob, NULL, NULL, NULL};
    d.objs = sigil_spec_objects(d.h);
    size_t n = d.h->objects.count;
    d.first = xmalloc((n + 1) * sizeof *d.first);
    d.next = xmalloc((n + 1) * sizeof *d.next);
    for (size_t id = 0; id < n; id++) {
        d.first[id] = d.next[id] = SIGIL_SPEC_NONE;
    }
    /* covers (not a managed client's memory, which its policy makes), built back to front so
     * each list is in id order */
    for (size_t id = n; id-- > 0;) {
        const sigil_spec_object_t *o = &d.objs[id];
        if ((o->flags & SIGIL_SPEC_OBJ_IN_PARENT) &&
            !(d.objs[o->paddr].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY)) {
            d.next[id] = d.first[o->paddr];
            d.first[o->paddr] = (uint32_t)id;
        }
    }
    fprintf(out, "# printed by sigil-specc --dump (placement checked with a 0x%llx-byte reserve)\n",
            (unsigned long long)d.h->reserve);
    uint32_t top = 0;
    for (uint32_t id = 0; id < d.h->objects.count; id++) {
        top += d.objs[id].component == SIGIL_SPEC_NONE;
    }
    fprintf(out, "version: 1\nobjects:%s\n", top ? "" : " []");
    for (uint32_t id = 0; id < d.h->objects.count; id++) {
        if (d.objs[id].component == SIGIL_SPEC_NONE) {
            dump_object(&d, id, "  ");
        }
    }
    fprintf(out, "components:%s\n", d.h->components.count ? "" : " []");
    const uint32_t *w = sigil_spec_words(d.h);
    for (uint64_t c = 0; c < d.h->components.count; c++) {
        const sigil_spec_component_t *comp = &sigil_spec_components(d.h)[c];
        fprintf(out, "  - name: %s\n", q(sigil_spec_string(d.h, comp->name)));
        if (comp->flags & SIGIL_SPEC_COMP_RESOURCE_MANAGER) {
            fputs("    resource_manager: true\n", out);
        }
        fprintf(out, "    objects:%s\n", comp->num_members ? "" : " []");
        for (uint32_t k = 0; k < comp->num_members; k++) {
            dump_object(&d, w[comp->first_member + k], "      ");
        }
    }
    if (d.h->policy.count || d.h->rm.count) {
        dump_policy(&d);
    }
    free(d.next);
    free(d.first);
}
