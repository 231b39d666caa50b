/*
 * The check phase: read the built system back through the kernel's introspection interface
 * (<sigil/inspect.h>) and compare it with the spec, reporting every difference by name.
 *
 * What is compared (docs/loader.md):
 *   - every slot of every CNode: empty where the spec has no cap; otherwise the cap's type,
 *     object (physical address, or IRQ number), rights (where rights apply), badge or guard
 *     and guard size, whether it is a derivation root (original, or a badged mint), and the
 *     size and device memory for untypeds;
 *   - every IRQ handler cap: the notification it signals (its address) and that cap's badge;
 *   - every TCB: priority, MCP, fpuDisabled, fault badge and rights, IPC buffer address, pc,
 *     sp, argument registers, TLS base, bound notification, and the objects in its CSpace
 *     (with guard), VSpace, IPC buffer and fault slots;
 *   - every frame mapping: physical address, size, rights, executable, cacheable; every table
 *     mapping: mapped at the spec's address.
 * A CNode slot is read by moving its cap to the loader's scratch slot, inspecting it there and
 * moving it back (the interface resolves cptrs in the caller's CSpace only, and Move keeps the
 * cap's derivation position and mapping). Registers are read with TCB_ReadRegisters. The
 * interface has no reading for a bound notification, so check_bound_notification asks the
 * kernel's binding rules instead. Runs before any thread starts, so nothing races.
 * Not compared, because nothing reads or probes them: the IRQ trigger, frame contents, untyped
 * watermarks.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/runtime.h>

#include "internal.h"

static void differ(loader_t *l, uint32_t id, uint32_t index, const char *what, uint64_t got,
                   uint64_t want)
{
    sigil_printf("loader: CHECK %s", sigil_spec_object_name(l->spec, id));
    if (index != SIGIL_SPEC_NONE) {
        sigil_printf("[%u]", index);
    }
    sigil_printf(": %s is 0x%lx, the spec says 0x%lx\n", what, (unsigned long)got,
                 (unsigned long)want);
    l->differences++;
}

/* A difference the interface cannot put a number on: `what` differs, the spec says `want`. */
static void differ_from(loader_t *l, uint32_t id, const char *what, uint32_t want)
{
    sigil_printf("loader: CHECK %s: %s differs, the spec says %s\n",
                 sigil_spec_object_name(l->spec, id), what,
                 want == SIGIL_SPEC_NONE ? "none" : sigil_spec_object_name(l->spec, want));
    l->differences++;
}

#define EXPECT(l, id, index, what, got, want)                                                      \
    do {                                                                                           \
        uint64_t got_ = (got), want_ = (want);                                                     \
        if (got_ != want_) {                                                                       \
            differ((l), (id), (index), (what), got_, want_);                                       \
        }                                                                                          \
    } while (0)

/* The physical address (IRQ number for IRQ handlers) caps to object `id` must name, in *out;
 * 0 when the loader cannot know it: objects without memory (IRQControl, SMC) name none, and a
 * RAM object whose only cap the loader moved into the spec (an untyped, an unmapped page table:
 * not loader_keeps_copy) left no cap of the loader's to read its address from. */
static int object_address(const loader_t *l, uint32_t id, uint64_t *out)
{
    const sigil_spec_object_t *o = &l->objects[id];
    if (o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER) {
        *out = l->irqs[o->first].irq;
        return 1;
    }
    if (o->flags & SIGIL_SPEC_OBJ_DEVICE) {
        *out = o->paddr;
        return 1;
    }
    if (o->size_bits == 0 || (o->original != SIGIL_SPEC_NONE && !loader_keeps_copy(o))) {
        return 0;
    }
    *out = sigil_debug_cap_inspect(loader_obj_slot(l, id)).paddr;
    return 1;
}

/* Compare the address a cap (or mapping) names with the object's, where the loader knows it. */
static void expect_address(loader_t *l, uint32_t id, uint32_t index, const char *what,
                           uint32_t object, uint64_t got)
{
    uint64_t want;
    if (object_address(l, object, &want)) {
        EXPECT(l, id, index, what, got, want);
    }
}

static void compare_cap(loader_t *l, uint32_t cnode, const sigil_spec_cap_t *c,
                        const sigil_cap_info_t *got)
{
    const sigil_spec_object_t *o = &l->objects[c->object];
    EXPECT(l, cnode, c->slot, "cap type", got->type, loader_cap_type(o->type));
    if (got->type != loader_cap_type(o->type)) {
        return;
    }
    expect_address(l, cnode, c->slot, "object address", c->object, got->paddr);
    unsigned mask = sigil_spec_rights_that_apply(o->type);
    if (mask != 0) {
        EXPECT(l, cnode, c->slot, "rights", sigil_cap_info_rights(got) & mask, c->rights & mask);
    }
    int badged = sigil_spec_has_badge(o->type);
    if (badged || o->type == Sigil_CNodeObject) {
        EXPECT(l, cnode, c->slot, badged ? "badge" : "guard", got->word, c->badge);
    }
    if (o->type == Sigil_CNodeObject) {
        EXPECT(l, cnode, c->slot, "guard size", sigil_cap_info_guard_size(got), c->guard_size);
    }
    if (o->type == SIGIL_SPEC_TYPE_IRQ_HANDLER) {
        const sigil_spec_irq_t *irq = &l->irqs[o->first];
        int bound = irq->notification != SIGIL_SPEC_NONE;
        uint64_t want = 0;
        if (!bound || object_address(l, irq->notification, &want)) {
            EXPECT(l, cnode, c->slot, "notification address", sigil_cap_info_irq_notification(got),
                   want);
        }
        EXPECT(l, cnode, c->slot, "notification badge", got->word, bound ? irq->badge : 0);
    }
    if (o->type == Sigil_UntypedObject) {
        EXPECT(l, cnode, c->slot, "untyped size", sigil_cap_info_size_bits(got), o->size_bits);
        EXPECT(l, cnode, c->slot, "device memory", sigil_cap_info_device(got),
               (o->flags & SIGIL_SPEC_OBJ_DEVICE) != 0);
    }
    int root = (c->flags & SIGIL_SPEC_CAP_ORIGINAL) || (badged && c->badge != 0) ||
               o->type == Sigil_UntypedObject;
    EXPECT(l, cnode, c->slot, "derivation root", sigil_cap_info_original(got), root);
}

void loader_expect(loader_t *l, uint32_t id, uint32_t index, const char *what, uint64_t got,
                   uint64_t want)
{
    if (got != want) {
        differ(l, id, index, what, got, want);
    }
}

int loader_read_slot(loader_t *l, uint32_t id, uint64_t k, sigil_cap_info_t *out)
{
    uint64_t cnode = loader_obj_slot(l, id);
    uint8_t radix = l->objects[id].extra;
    uint64_t err = sigil_cnode_move(LOADER_AT(l, l->scratch_slot), cnode, k, radix);
    if (err != Sigil_NoError) {
        if (err != Sigil_FailedLookup) {
            differ(l, id, (uint32_t)k, "error reading the slot", err, Sigil_NoError);
        }
        return 0;
    }
    *out = sigil_debug_cap_inspect(l->scratch_slot);
    err = sigil_cnode_move(cnode, k, radix, LOADER_AT(l, l->scratch_slot));
    if (err != Sigil_NoError) {
        differ(l, id, (uint32_t)k, "error putting the cap back", err, Sigil_NoError);
    }
    return 1;
}

static void check_cnode(loader_t *l, uint32_t id)
{
    const sigil_spec_object_t *o = &l->objects[id];
    uint32_t next = o->first, end = o->first + o->count;
    for (uint64_t k = 0; k < ((uint64_t)1 << o->extra); k++) {
        const sigil_spec_cap_t *c = next < end && l->caps[next].slot == k ? &l->caps[next++] : 0;
        sigil_cap_info_t got;
        int full = loader_read_slot(l, id, k, &got);
        if (c != 0 && full) {
            compare_cap(l, id, c, &got);
        } else if (c != 0) {
            differ(l, id, (uint32_t)k, "cap type (empty)", 0,
                   loader_cap_type(l->objects[c->object].type));
        } else if (full) {
            differ(l, id, (uint32_t)k, "cap type (not in the spec)", got.type, 0);
        }
    }
}

static void check_tcb_slot(loader_t *l, uint32_t id, unsigned which, const char *what,
                           uint32_t object)
{
    sigil_cap_info_t got = sigil_debug_tcb_slot(loader_obj_slot(l, id), which);
    if (object == SIGIL_SPEC_NONE) {
        EXPECT(l, id, SIGIL_SPEC_NONE, what, got.type, Sigil_CapNone);
        return;
    }
    EXPECT(l, id, SIGIL_SPEC_NONE, what, got.type, loader_cap_type(l->objects[object].type));
    expect_address(l, id, SIGIL_SPEC_NONE, what, object, got.paddr);
}

/* The argument registers and the TLS base, as TCB_ReadRegisters sees them. */
static void check_registers(loader_t *l, uint32_t id, const sigil_spec_tcb_t *t)
{
    static const char *const names[SIGIL_SPEC_MAX_ARGS] = {"x0", "x1", "x2", "x3",
                                                           "x4", "x5", "x6", "x7"};
    sigil_word_t regs[LOADER_REG_TLS + 1];
    uint64_t err = sigil_tcb_read_registers(loader_obj_slot(l, id), 0, 0, LOADER_REG_TLS + 1, regs);
    if (err != Sigil_NoError) {
        differ(l, id, SIGIL_SPEC_NONE, "error reading the registers", err, Sigil_NoError);
        return;
    }
    for (unsigned i = 0; i < t->num_args && i < SIGIL_SPEC_MAX_ARGS; i++) {
        EXPECT(l, id, SIGIL_SPEC_NONE, names[i], regs[LOADER_REG_FIRST_ARG + i], t->args[i]);
    }
    EXPECT(l, id, SIGIL_SPEC_NONE, "TLS base", regs[LOADER_REG_TLS], t->tls);
}

/*
 * The notification bound to TCB `id`. The interface cannot read it, so the kernel's binding
 * rules answer (BindNotification fails if the thread or the notification is bound already;
 * UnbindNotification fails if the thread is not bound), with the loader's own thread, which is
 * never bound, as a probe. With notification N in the spec:
 *   1. binding N to the loader's thread must fail: N is bound to some thread;
 *   2. unbinding the TCB must succeed: it is bound to some notification;
 *   3. binding N to the TCB must succeed: N was free after step 2, so it was bound to this TCB
 *      (and now is again).
 * Without one, unbinding the TCB must fail. When the system is as the spec says, nothing
 * changes; when it is not, the load fails anyway.
 */
static void check_bound_notification(loader_t *l, uint32_t id, const sigil_spec_tcb_t *t)
{
    uint64_t tcb = loader_obj_slot(l, id), self = loader_root_slot(l, Sigil_SlotInitThreadTCB);
    if (t->bound_ntfn == SIGIL_SPEC_NONE) {
        if (sigil_tcb_unbind_notification(tcb) == Sigil_NoError) {
            differ_from(l, id, "bound notification", SIGIL_SPEC_NONE);
        }
        return;
    }
    uint64_t ntfn = loader_obj_slot(l, t->bound_ntfn);
    if (sigil_tcb_bind_notification(self, ntfn) == Sigil_NoError) {
        sigil_tcb_unbind_notification(self);
        differ_from(l, id, "bound notification", t->bound_ntfn);
    } else if (sigil_tcb_unbind_notification(tcb) != Sigil_NoError ||
               sigil_tcb_bind_notification(tcb, ntfn) != Sigil_NoError) {
        differ_from(l, id, "bound notification", t->bound_ntfn);
    }
}

static void check_tcb(loader_t *l, uint32_t id)
{
    const sigil_spec_tcb_t *t = &l->tcbs[l->objects[id].first];
    sigil_tcb_info_t got = sigil_debug_tcb_info(loader_obj_slot(l, id));
    uint64_t pmf = got.prio_mcp_flags_state;
    EXPECT(l, id, SIGIL_SPEC_NONE, "priority", pmf & 0xff, t->priority);
    EXPECT(l, id, SIGIL_SPEC_NONE, "max priority", (pmf >> 8) & 0xff, t->max_priority);
    EXPECT(l, id, SIGIL_SPEC_NONE, "fpuDisabled", (pmf >> 16) & 1,
           (t->flags & SIGIL_SPEC_TCB_FPU_DISABLED) != 0);
    if (t->fault_ep != SIGIL_SPEC_NONE) {
        EXPECT(l, id, SIGIL_SPEC_NONE, "fault badge", got.fault_badge, t->fault_badge);
        EXPECT(l, id, SIGIL_SPEC_NONE, "fault rights", got.fault_rights, t->fault_rights);
    }
    EXPECT(l, id, SIGIL_SPEC_NONE, "IPC buffer", got.ipc_buffer, t->ipc_vaddr);
    EXPECT(l, id, SIGIL_SPEC_NONE, "pc", got.pc, t->entry);
    EXPECT(l, id, SIGIL_SPEC_NONE, "sp", got.sp, t->stack);
    check_tcb_slot(l, id, SIGIL_TCB_SLOT_CSPACE, "CSpace root", t->cspace);
    sigil_cap_info_t cs = sigil_debug_tcb_slot(loader_obj_slot(l, id), SIGIL_TCB_SLOT_CSPACE);
    EXPECT(l, id, SIGIL_SPEC_NONE, "CSpace guard", cs.word, t->cspace_guard);
    EXPECT(l, id, SIGIL_SPEC_NONE, "CSpace guard size", sigil_cap_info_guard_size(&cs),
           t->cspace_guard_size);
    check_tcb_slot(l, id, SIGIL_TCB_SLOT_VSPACE, "VSpace root", t->vspace);
    check_tcb_slot(l, id, SIGIL_TCB_SLOT_IPC_BUFFER, "IPC buffer frame", t->ipc_frame);
    check_tcb_slot(l, id, SIGIL_TCB_SLOT_FAULT_HANDLER, "fault handler", t->fault_ep);
    check_registers(l, id, t);
    check_bound_notification(l, id, t);
}

static void check_frame_entry(loader_t *l, const sigil_spec_entry_t *en)
{
    uint64_t pa, bits, info;
    sigil_debug_vspace_lookup(loader_obj_slot(l, en->vspace), en->vaddr, &pa, &bits, &info);
    uint32_t f = en->object;
    expect_address(l, f, SIGIL_SPEC_NONE, "mapped address", f, pa);
    EXPECT(l, f, SIGIL_SPEC_NONE, "mapping size", bits, l->objects[f].size_bits);
    EXPECT(l, f, SIGIL_SPEC_NONE, "mapping rights", info & 0xff, en->rights);
    EXPECT(l, f, SIGIL_SPEC_NONE, "executable", (info >> 8) & 1,
           (en->attrs & SIGIL_SPEC_MAP_EXECUTABLE) != 0);
    EXPECT(l, f, SIGIL_SPEC_NONE, "cacheable", (info >> 9) & 1,
           !(en->attrs & SIGIL_SPEC_MAP_UNCACHED) &&
               !(l->objects[f].flags & SIGIL_SPEC_OBJ_DEVICE));
}

static void check_entries(loader_t *l)
{
    for (uint32_t e = 0; e < l->num_entries; e++) {
        const sigil_spec_entry_t *en = &l->entries[e];
        if (en->vspace == SIGIL_SPEC_NONE) {
            continue;
        }
        if (!(en->attrs & SIGIL_SPEC_MAP_TABLE)) {
            check_frame_entry(l, en);
        } else { /* the loader holds the table's original or a copy (loader_keeps_copy) */
            sigil_cap_info_t got = sigil_debug_cap_inspect(loader_obj_slot(l, en->object));
            EXPECT(l, en->object, SIGIL_SPEC_NONE, "table mapped at", got.word, en->vaddr);
        }
    }
}

/*
 * Check. Pre: all earlier phases done; no thread started. Post: nothing changed (every cap
 * moved out for reading is back in its slot); returns a failure if any difference was found,
 * each one printed as `loader: CHECK <name>[slot]: <what> is X, the spec says Y`.
 */
loader_status_t loader_check(loader_t *l)
{
#ifdef SIGIL_LOADER_CHECK
    for (uint32_t id = 0; id < l->spec->num_ram_objects; id++) {
        uint8_t type = l->objects[id].type;
        if (type == Sigil_CNodeObject) {
            check_cnode(l, id);
        } else if (type == Sigil_TCBObject) {
            check_tcb(l, id);
        }
    }
    check_entries(l);
    if (l->differences != 0) {
        return loader_fail(LOADER_PHASE_CHECK, SIGIL_SPEC_NONE, SIGIL_SPEC_NONE, 0,
                           "the system differs from the spec (differences listed above)");
    }
#else
    (void)l;
#endif
    return loader_ok();
}
