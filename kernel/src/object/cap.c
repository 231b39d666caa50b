/*
 * Capability values: constructors, accessors and seL4's derivation rules.
 *
 * Everything here is a pure function of cap values (plus object sizes from <sigil/abi.h>).
 * The derivation tree (cdt.c) asks these functions whether two caps are related; CNode
 * invocations ask them what Copy, Mint and Mutate produce. Keeping the rules in one place
 * keeps the tree, the invariant checker and the invocations in agreement.
 */
#include <lib/assert.h>
#include <object/cap.h>
#include <object/cdt.h>
#include <object/irq.h>

cap_t cap_make(cap_type_t type, const void *ptr, word_t w1)
{
    word_t p = (word_t)(uintptr_t)ptr;
    cap_t c = {0, w1};
    c = cap_set_common_ptr(cap_set_common_type(c, type), p);
    kassert(cap_get_common_ptr(c) == p); /* a canonical address: the field holds all of it */
    return c;
}

cap_t cap_untyped(const void *base, unsigned size_bits, bool is_device, word_t watermark)
{
    cap_t c = cap_make(Sigil_CapUntyped, base, watermark);
    c = cap_set_untyped_size_bits(c, size_bits);
    return cap_set_untyped_is_device(c, is_device);
}

cap_t cap_endpoint(const void *ep, word_t badge, unsigned rights)
{
    return cap_set_rights(cap_make(Sigil_CapEndpoint, ep, badge), rights);
}

cap_t cap_notification(const void *ntfn, word_t badge, unsigned rights)
{
    return cap_set_rights(cap_make(Sigil_CapNotification, ntfn, badge), rights);
}

cap_t cap_smc(word_t badge)
{
    return cap_make(Sigil_CapSMC, NULL, badge);
}

cap_t cap_debug(word_t badge)
{
    return cap_make(Sigil_CapDebug, NULL, badge);
}

word_t cap_badge(cap_t c)
{
    return cap_has_badge(c) ? cap_get_badge(c) : 0;
}

cap_t cap_cnode(const void *cnode, unsigned radix, word_t guard, unsigned guard_size)
{
    kassert(guard_size <= 63 && (guard_size == 0 || (guard >> guard_size) == 0));
    cap_t c = cap_set_cnode_radix(cap_make(Sigil_CapCNode, cnode, 0), radix);
    return cap_set_cnode_guard(cap_set_cnode_guard_size(c, guard_size), guard);
}

cap_t cap_tcb(const void *tcb)
{
    return cap_make(Sigil_CapTCB, tcb, 0);
}

cap_t cap_reply(const void *reply)
{
    return cap_make(Sigil_CapReply, reply, 0);
}

cap_t cap_irq_control(void)
{
    return cap_make(Sigil_CapIRQControl, NULL, 0);
}

cap_t cap_irq_handler(word_t irq)
{
    return cap_set_irq_handler_irq(cap_make(Sigil_CapIRQHandler, NULL, 0), irq);
}

cap_t cap_frame(const void *frame, frame_size_t size, bool is_device, unsigned rights)
{
    cap_t c = cap_set_rights(cap_make(Sigil_CapFrame, frame, 0), rights);
    c = cap_set_frame_size(c, size);
    return cap_set_frame_is_device(c, is_device);
}

cap_t cap_frame_new(const void *frame, word_t object_type, bool is_device)
{
    frame_size_t size = FRAME_4K;
    if (object_type == Sigil_Frame2MObject) {
        size = FRAME_2M;
    } else if (object_type == Sigil_Frame1GObject) {
        size = FRAME_1G;
    } else {
        kassert(object_type == Sigil_Frame4KObject);
    }
    return cap_frame(frame, size, is_device, Sigil_CanRead | Sigil_CanWrite);
}

cap_t cap_page_table(const void *pt)
{
    return cap_make(Sigil_CapPageTable, pt, 0);
}

cap_t cap_vspace(const void *vs)
{
    return cap_make(Sigil_CapVSpace, vs, 0);
}

cap_t cap_zombie(zombie_kind_t kind, const void *ptr, word_t count, const struct cte *link)
{
    word_t l = (word_t)(uintptr_t)link;
    kassert(IS_ALIGNED(l, 5) && count <= CAP_ZOMBIE_MAX_COUNT);
    cap_t c = cap_set_zombie_kind(cap_make(Sigil_CapZombie, ptr, 0), kind);
    c = cap_set_zombie_link(c, l);
    return cap_zombie_set_count(c, count);
}

word_t cap_zombie_count(cap_t c)
{
    return cap_get_zombie_count_low(c) |
           (cap_get_zombie_count_high(c) << CAP_ZOMBIE_COUNT_LOW_BITS);
}

cap_t cap_zombie_set_count(cap_t c, word_t count)
{
    c = cap_set_zombie_count_low(c, count);
    return cap_set_zombie_count_high(c, count >> CAP_ZOMBIE_COUNT_LOW_BITS);
}

struct cte *cap_zombie_link(cap_t c)
{
    return (struct cte *)(uintptr_t)cap_get_zombie_link(c); /* sign-extended: a kernel address */
}

static unsigned zombie_size_bits(cap_t c)
{
    switch (cap_zombie_kind(c)) {
    case ZOMBIE_CNODE:
        return Sigil_CNodeSlotBits + Sigil_CNodeMinBits; /* at least; the radix is gone */
    case ZOMBIE_TCB:
        return Sigil_TCBBits;
    case ZOMBIE_ENDPOINT:
        return Sigil_EndpointBits;
    case ZOMBIE_NOTIFICATION:
        return Sigil_NotificationBits;
    default:
        return 0;
    }
}

unsigned cap_object_size_bits(cap_t c)
{
    switch (cap_type(c)) {
    case Sigil_CapUntyped:
        return cap_untyped_size_bits(c);
    case Sigil_CapEndpoint:
        return Sigil_EndpointBits;
    case Sigil_CapNotification:
        return Sigil_NotificationBits;
    case Sigil_CapReply:
        return Sigil_ReplyBits;
    case Sigil_CapCNode:
        return cap_cnode_radix(c) + Sigil_CNodeSlotBits;
    case Sigil_CapTCB:
        return Sigil_TCBBits;
    case Sigil_CapFrame:
        return frame_size_bits(cap_frame_size(c));
    case Sigil_CapPageTable:
        return Sigil_PageTableBits;
    case Sigil_CapVSpace:
        return Sigil_VSpaceBits;
    case Sigil_CapZombie:
        return zombie_size_bits(c);
    default:
        return 0;
    }
}

bool cap_names_memory(cap_t c)
{
    return cap_object_size_bits(c) != 0;
}

static bool region_inside(cap_t outer, cap_t inner)
{
    if (!cap_names_memory(inner)) {
        return false;
    }
    word_t base = (word_t)(uintptr_t)cap_ptr(outer);
    word_t top = base + MASK(cap_untyped_size_bits(outer));
    word_t ib = (word_t)(uintptr_t)cap_ptr(inner);
    word_t itop = ib + MASK(cap_object_size_bits(inner));
    return ib >= base && itop <= top && ib <= itop;
}

static bool irq_region_as(cap_t b, bool any_irq, word_t irq)
{
    if (cap_type(b) == Sigil_CapIRQHandler) {
        return any_irq || cap_irq(b) == irq;
    }
    if (cap_type(b) == Sigil_CapZombie && cap_zombie_kind(b) == ZOMBIE_IRQ) {
        return any_irq || irq_from_slot(cap_ptr(b)) == irq;
    }
    return false;
}

bool cap_same_region_as(cap_t a, cap_t b)
{
    switch (cap_type(a)) {
    case Sigil_CapUntyped:
        return region_inside(a, b);
    case Sigil_CapCNode:
        return cap_type(b) == Sigil_CapCNode && cap_ptr(a) == cap_ptr(b) &&
               cap_cnode_radix(a) == cap_cnode_radix(b);
    case Sigil_CapFrame:
        return cap_type(b) == Sigil_CapFrame && cap_ptr(a) == cap_ptr(b) &&
               cap_frame_size(a) == cap_frame_size(b) &&
               cap_frame_is_device(a) == cap_frame_is_device(b);
    case Sigil_CapEndpoint:
    case Sigil_CapNotification:
    case Sigil_CapTCB:
    case Sigil_CapReply:
    case Sigil_CapPageTable:
    case Sigil_CapVSpace:
        return cap_type(b) == cap_type(a) && cap_ptr(a) == cap_ptr(b);
    case Sigil_CapIRQControl:
        return cap_type(b) == Sigil_CapIRQControl || irq_region_as(b, true, 0);
    case Sigil_CapIRQHandler:
        return irq_region_as(b, false, cap_irq(a));
    case Sigil_CapSMC:
    case Sigil_CapDebug:
        return cap_type(b) == cap_type(a);
    default:
        return false;
    }
}

bool cap_same_object_as(cap_t a, cap_t b)
{
    cap_type_t ta = cap_type(a);
    if (ta == Sigil_CapUntyped || ta == Sigil_CapZombie || cap_type(b) == Sigil_CapZombie) {
        return false;
    }
    if (ta == Sigil_CapIRQControl && cap_type(b) == Sigil_CapIRQHandler) {
        return false;
    }
    if (ta == Sigil_CapSMC || ta == Sigil_CapDebug) {
        return cap_type(b) == ta && cap_badge(a) == cap_badge(b);
    }
    return cap_same_region_as(a, b);
}

bool cap_is_revocable(cap_t derived, cap_t src)
{
    switch (cap_type(derived)) {
    case Sigil_CapEndpoint:
    case Sigil_CapNotification:
    case Sigil_CapSMC:
    case Sigil_CapDebug:
        return cap_badge(derived) != cap_badge(src);
    case Sigil_CapIRQHandler:
        return cap_type(src) == Sigil_CapIRQControl;
    case Sigil_CapUntyped:
        return true;
    default:
        return false;
    }
}

static unsigned mask_vm_rights(unsigned have, unsigned mask)
{
    if (!(have & Sigil_CanRead) || !(mask & Sigil_CanRead)) {
        return 0; /* kernel only */
    }
    return Sigil_CanRead | (have & mask & Sigil_CanWrite);
}

cap_t cap_mask_rights(cap_t c, unsigned rights)
{
    switch (cap_type(c)) {
    case Sigil_CapEndpoint:
    case Sigil_CapNotification:
        return cap_set_rights(c, cap_rights(c) & rights & CAP_RIGHTS_MASK);
    case Sigil_CapFrame:
        return cap_set_rights(c, mask_vm_rights(cap_rights(c), rights));
    default:
        return c;
    }
}

cap_t cap_update_data(bool preserve, word_t data, cap_t c)
{
    switch (cap_type(c)) {
    case Sigil_CapEndpoint:
    case Sigil_CapNotification:
    case Sigil_CapSMC:
    case Sigil_CapDebug:
        if (!preserve && cap_badge(c) == 0) {
            return cap_set_badge(c, data);
        }
        return cap_null();
    case Sigil_CapCNode: {
        /* seL4's CNode cap data: the guard size in the low bits, the guard above them */
        unsigned gs = (unsigned)(data & MASK(SIGIL_CNODE_GUARD_SIZE_BITS));
        if (gs + cap_cnode_radix(c) > WORD_BITS) {
            return cap_null();
        }
        c = cap_set_cnode_guard_size(c, gs);
        return cap_set_cnode_guard(c, (data >> SIGIL_CNODE_GUARD_SIZE_BITS) & MASK(gs));
    }
    default:
        return c;
    }
}
