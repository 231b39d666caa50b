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
#include <lib/assert.h>
#include <object/delete.h>
#include <object/endpoint.h>
#include <object/frame.h>
#include <object/irq.h>
#include <object/notification.h>
#include <object/pagetable.h>
#include <object/reply.h>
#include <object/vspace.h>

static cte_t *chain_top;    /* the zombie being worked on */
static cte_t *chain_bottom; /* the zombie the chain started with */

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

/* Whether deleting the cap in `slot` needs a zombie; if so describe it. */
static bool needs_zombie(const cte_t *slot, zombie_kind_t *kind, void **ptr, word_t *count)
{
    cap_t c = slot->cap;
    if (!cdt_is_final(slot)) {
        return false;
    }
    *ptr = cap_ptr(c);
    *count = 0;
    switch (cap_type(c)) {
    case Sigil_CapCNode:
        *kind = ZOMBIE_CNODE;
        *count = BIT(cap_cnode_radix(c));
        return true;
    case Sigil_CapTCB:
        *kind = ZOMBIE_TCB;
        *count = TCB_NUM_SLOTS;
        return true;
    case Sigil_CapIRQHandler:
        *kind = ZOMBIE_IRQ;
        *ptr = irq_slot(cap_irq(c));
        *count = 1;
        return true;
    case Sigil_CapEndpoint:
        *kind = ZOMBIE_ENDPOINT;
        return endpoint_from_cap(c)->queue.head != NULL;
    case Sigil_CapNotification:
        *kind = ZOMBIE_NOTIFICATION;
        return ntfn_from_cap(c)->queue.head != NULL;
    default:
        return false;
    }
}

/* O(1) finalisation of a cap that needs no zombie, then unlink it. */
static void delete_simple(cte_t *slot)
{
    cap_t c = slot->cap;
    bool final = cap_type(c) != Sigil_CapFrame && cdt_is_final(slot);
    switch (cap_type(c)) {
    case Sigil_CapFrame:
        frame_finalise(c);
        break;
    case Sigil_CapPageTable:
        if (final) {
            pagetable_finalise(c);
        }
        break;
    case Sigil_CapVSpace:
        if (final) {
            vspace_finalise(c);
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
            reply_unlink(reply_from_cap(c));
        }
        break;
    default:
        break;
    }
    cdt_remove(slot);
}

static void push_zombie(cte_t *slot, zombie_kind_t kind, void *ptr, word_t count)
{
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
    zombie_kind_t kind;
    void *ptr;
    word_t n;
    if (cap_is_null(s->cap) || s == top) {
        top->cap = cap_zombie_set_count(z, count - 1);
    } else if (cap_type(s->cap) == Sigil_CapZombie) {
        /* Only the bottom can lie inside the top's object (every other zombie lies in the
         * object of the zombie below it). */
        kassert(s == chain_bottom);
        bottom_swap(s);
    } else if (needs_zombie(s, &kind, &ptr, &n)) {
        push_zombie(s, kind, ptr, n);
    } else {
        delete_simple(s);
    }
}

static void chain_step(void)
{
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
        zombie_kind_t kind;
        void *ptr;
        word_t count;
        if (cap_is_null(slot->cap)) {
            return INVOKE_DONE;
        }
        if (cap_type(slot->cap) == Sigil_CapZombie || chain_top != NULL) {
            /* Either this slot is on the chain, or it may need a zombie of its own: in both
             * cases the chain must make progress first. Simple caps need not wait. */
            if (cap_type(slot->cap) != Sigil_CapZombie &&
                !needs_zombie(slot, &kind, &ptr, &count)) {
                delete_simple(slot);
                return INVOKE_DONE;
            }
            kassert(chain_top != NULL);
            chain_step();
        } else if (needs_zombie(slot, &kind, &ptr, &count)) {
            push_zombie(slot, kind, ptr, count);
        } else {
            delete_simple(slot);
            return INVOKE_DONE;
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
