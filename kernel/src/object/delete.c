/*
 * The deletion engine (see delete.h for the design).
 *
 * Units of work, each followed by a preemption point:
 *  - start: the last cap to a big object becomes a zombie on top of the chain, after the
 *    object's O(1) preparation (a TCB is suspended and unbound, a notification unbound);
 *  - step: the top zombie deletes its last non-empty slot (or finds it empty and counts
 *    down), or pushes a new zombie for a nested big object, or restarts one waiting thread;
 *  - pop: a zombie with nothing left is removed and its slot emptied; the zombie below it
 *    continues (its current slot is now empty).
 * Each unit touches a constant number of slots and objects.
 */
#include <arch/hooks.h>
#include <lib/assert.h>
#include <lib/kstate.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/irq.h>
#include <object/notification.h>
#include <object/reply.h>

KSTATE static cte_t *chain_top;    /* the zombie being worked on */
KSTATE static cte_t *chain_bottom; /* the zombie the chain started with */

void delete_init(void)
{
    chain_top = NULL;
    chain_bottom = NULL;
}

const cte_t *delete_chain_top(void)
{
    return chain_top;
}

cte_t *delete_zombie_slot(cap_t zombie, word_t i)
{
    switch (cap_zombie_kind(zombie)) {
    case ZOMBIE_TCB:
        return &((tcb_t *)cap_ptr(zombie))->slots[i];
    default:
        return (cte_t *)cap_ptr(zombie) + i;
    }
}

/* How the cap in a slot is to be deleted: whether it is the last cap to its object and, if
 * its object needs incremental work, the zombie that will do it. */
typedef struct plan {
    bool final;
    bool zombie;
    zombie_kind_t kind;
    void *ptr;
    word_t count;
} plan_t;

static plan_t plan_deletion(const cte_t *slot)
{
    cap_t c = slot->cap;
    plan_t p = {cdt_is_final(slot), false, ZOMBIE_CNODE, cap_ptr(c), 0};
    if (!p.final) {
        return p;
    }
    switch (cap_type(c)) {
    case Sigil_CapCNode:
        p.zombie = true;
        p.count = BIT(cap_cnode_radix(c));
        break;
    case Sigil_CapTCB:
        p.zombie = true;
        p.kind = ZOMBIE_TCB;
        p.count = TCB_NUM_SLOTS;
        break;
    case Sigil_CapIRQHandler:
        p.zombie = true;
        p.kind = ZOMBIE_IRQ;
        p.ptr = irq_slot(cap_irq(c));
        p.count = 1;
        break;
    case Sigil_CapEndpoint:
        p.kind = ZOMBIE_ENDPOINT;
        p.zombie = endpoint_from_cap(c)->queue.head != NULL;
        break;
    case Sigil_CapNotification:
        p.kind = ZOMBIE_NOTIFICATION;
        p.zombie = ntfn_from_cap(c)->queue.head != NULL;
        break;
    default:
        break;
    }
    return p;
}

bool delete_is_long_running(const cte_t *slot)
{
    if (cap_is_null(slot->cap)) {
        return false;
    }
    return cap_type(slot->cap) == Sigil_CapZombie || plan_deletion(slot).zombie;
}

/* O(1) finalisation of a cap that needs no zombie (`final`: it is the last cap to its
 * object), then unlink it. */
static void delete_simple(cte_t *slot, bool final)
{
    cap_t c = slot->cap;
    switch (cap_type(c)) {
    case Sigil_CapFrame:
        arch_unmap_frame(c); /* each frame cap holds its own mapping, last cap or not */
        break;
    case Sigil_CapPageTable:
        if (final) {
            arch_unmap_page_table(c);
        }
        break;
    case Sigil_CapVSpace:
        if (final) {
            arch_vspace_delete(c);
        }
        break;
    case Sigil_CapEndpoint:
        if (final) {
            endpoint_forget(endpoint_from_cap(c));
        }
        break;
    case Sigil_CapNotification:
        if (final) {
            ntfn_unbind(ntfn_from_cap(c));
        }
        break;
    case Sigil_CapReply:
        if (final) {
            reply_cut(reply_from_cap(c));
        }
        break;
    default:
        break;
    }
    cdt_remove(slot);
}

static void push_zombie(cte_t *slot, plan_t p)
{
    zombie_kind_t kind = p.kind;
    void *ptr = p.ptr;
    word_t count = p.count;
    switch (kind) {
    case ZOMBIE_TCB:
        tcb_prepare_destroy((tcb_t *)ptr);
        break;
    case ZOMBIE_ENDPOINT:
        endpoint_forget((endpoint_t *)ptr);
        break;
    case ZOMBIE_NOTIFICATION:
        ntfn_unbind((notification_t *)ptr);
        break;
    default:
        break;
    }
    /* A link to the bottom is NULL: the bottom may move (see bottom_swap). */
    slot->cap = cap_zombie(kind, ptr, count, chain_top == chain_bottom ? NULL : chain_top);
    if (chain_top == NULL) {
        chain_bottom = slot;
    }
    chain_top = slot;
}

cte_t *delete_zombie_parent(const cte_t *z)
{
    if (z == chain_bottom) {
        return NULL;
    }
    cte_t *link = cap_zombie_link(z->cap);
    return link != NULL ? link : chain_bottom;
}

static void pop_zombie(void)
{
    cte_t *top = chain_top;
    cap_t z = top->cap;
    if (cap_zombie_kind(z) == ZOMBIE_IRQ) {
        irq_finish_delete(irq_from_slot(cap_ptr(z)));
    }
    chain_top = delete_zombie_parent(top);
    if (chain_top == NULL) {
        chain_bottom = NULL;
    }
    cdt_remove(top);
}

/* The top's current slot `s` holds the bottom zombie: the objects form a cycle. Exchange the
 * two zombies' slots: the bottom moves to where the top was (the current slot of the top's
 * parent), the top moves into its own object, where it will skip itself. */
static void bottom_swap(cte_t *s)
{
    cte_t *top = chain_top;
    cdt_swap(top, top->cap, s, s->cap);
    chain_bottom = top;
    chain_top = s;
}

/* One unit of work on the container zombie on top of the chain. */
static void step_container(cte_t *top)
{
    cap_t z = top->cap;
    word_t count = cap_zombie_count(z);
    if (count == 0) {
        pop_zombie();
        return;
    }
    cte_t *s = delete_zombie_slot(z, count - 1);
    if (cap_is_null(s->cap) || s == top) {
        top->cap = cap_zombie_set_count(z, count - 1);
    } else if (cap_type(s->cap) == Sigil_CapZombie) {
        /* Only the bottom can lie inside the top's object (every other zombie lies in the
         * object of the zombie below it). */
        kassert(s == chain_bottom);
        bottom_swap(s);
    } else {
        plan_t p = plan_deletion(s);
        if (p.zombie) {
            push_zombie(s, p);
        } else {
            delete_simple(s, p.final);
        }
    }
}

static void chain_step(void)
{
    kassert(chain_top != NULL); /* every zombie is on the chain */
    cap_t z = chain_top->cap;
    switch (cap_zombie_kind(z)) {
    case ZOMBIE_ENDPOINT:
        if (!endpoint_cancel_one((endpoint_t *)cap_ptr(z))) {
            pop_zombie();
        }
        break;
    case ZOMBIE_NOTIFICATION:
        if (!ntfn_cancel_one((notification_t *)cap_ptr(z))) {
            pop_zombie();
        }
        break;
    default:
        step_container(chain_top);
        break;
    }
}

invoke_result_t delete_slot(cte_t *slot)
{
    for (;;) {
        if (cap_is_null(slot->cap)) {
            return INVOKE_DONE;
        }
        if (cap_type(slot->cap) == Sigil_CapZombie) {
            chain_step(); /* the slot is on the chain: make progress there */
        } else {
            /* Simple caps go at once; a cap that needs a zombie waits for any chain. */
            plan_t p = plan_deletion(slot);
            if (!p.zombie) {
                delete_simple(slot, p.final);
                return INVOKE_DONE;
            }
            if (chain_top != NULL) {
                chain_step();
            } else {
                push_zombie(slot, p);
            }
        }
        if (preempt_point()) {
            return INVOKE_PREEMPTED;
        }
    }
}

invoke_result_t delete_revoke(cte_t *slot)
{
    for (;;) {
        if (cap_is_null(slot->cap)) {
            return INVOKE_DONE; /* the revoked cap itself lived in a deleted object */
        }
        cte_t *n = cdt_next(slot);
        if (n == &cdt_sentinel || !cdt_is_parent_of(slot, n)) {
            return INVOKE_DONE;
        }
        if (delete_slot(n) == INVOKE_PREEMPTED || preempt_point()) {
            return INVOKE_PREEMPTED;
        }
    }
}
