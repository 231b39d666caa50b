/*
 * Untyped_Retype: every object type, placement and alignment, reset before reuse, device
 * untypeds, and every documented error (each checked to change nothing).
 */
#include "fixture.h"

#include <object/cdt.h>
#include <object/tcb.h>
#include <object/untyped.h>
#include <string.h>

static word_t ut, s;
static const word_t ROOT[] = {BOOT_SLOT_CNODE};

#define RETYPE(inv, u, ...)                                                                        \
    fx_call(inv, u, INV_UNTYPED_RETYPE, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__), 1, ROOT)

static const struct {
    word_t type, size;
    cap_type_t cap;
} kinds[] = {
    {Sigil_UntypedObject, 6, Sigil_CapUntyped},
    {Sigil_TCBObject, 0, Sigil_CapTCB},
    {Sigil_EndpointObject, 0, Sigil_CapEndpoint},
    {Sigil_NotificationObject, 0, Sigil_CapNotification},
    {Sigil_CNodeObject, 3, Sigil_CapCNode},
    {Sigil_ReplyObject, 0, Sigil_CapReply},
    {Sigil_VSpaceObject, 0, Sigil_CapVSpace},
    {Sigil_PageTableObject, 0, Sigil_CapPageTable},
    {Sigil_Frame4KObject, 0, Sigil_CapFrame},
    {Sigil_Frame2MObject, 0, Sigil_CapFrame},
};

static void test_every_type(void)
{
    for (unsigned k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        word_t before = cap_untyped_watermark(fx_slot(ut)->cap);
        unsigned bits = untyped_object_bits(kinds[k].type, kinds[k].size);
        word_t dest = s;
        s += 3;
        CHECK(fx_retype(ut, kinds[k].type, kinds[k].size, dest, 3) == SIGIL_STATUS_OK);
        char *base = cap_ptr(fx_slot(ut)->cap);
        word_t first = ALIGN_UP(before, bits);
        for (word_t i = 0; i < 3; i++) {
            cap_t c = fx_slot(dest + i)->cap;
            CHECK(cap_type(c) == kinds[k].cap);
            CHECK((char *)cap_ptr(c) == base + first + (i << bits));
            CHECK(cap_object_size_bits(c) == bits);
            CHECK(cdt_is_parent_of(fx_slot(ut), fx_slot(dest + i)));
        }
        CHECK(cap_untyped_watermark(fx_slot(ut)->cap) == first + (3ull << bits));
        fx_check("retype");
        fx_cases++;
    }
    CHECK(tcb_from_cap(fx_slot(fx_free_slot() + 3)->cap)->state == TCB_INACTIVE);
}

static void test_errors(void)
{
    word_t d = s, ep = fx_free_slot() + 6;
    word_t left =
        BIT(cap_untyped_size_bits(fx_slot(ut)->cap)) - cap_untyped_watermark(fx_slot(ut)->cap);
    EXPECT("wrong label", Sigil_IllegalOperation,
           fx_call(&inv_, ut, INV_UNTYPED_RETYPE + 1, 6, ARGS(2, 0, 0, 0, d, 1), 1, ROOT));
    EXPECT("truncated", Sigil_TruncatedMessage, RETYPE(&inv_, ut, 2, 0, 0, 0, d));
    EXPECT("no root", Sigil_TruncatedMessage,
           fx_call(&inv_, ut, INV_UNTYPED_RETYPE, 6, ARGS(2, 0, 0, 0, d, 1), 0, NULL));
    EXPECT("unknown type", Sigil_InvalidArgument, RETYPE(&inv_, ut, 11, 0, 0, 0, d, 1), 0);
    EXPECT("size_bits 64", Sigil_RangeError, RETYPE(&inv_, ut, 0, 64, 0, 0, d, 1), 0, 47);
    EXPECT("untyped too big", Sigil_RangeError, RETYPE(&inv_, ut, 0, 48, 0, 0, d, 1), 0, 47);
    EXPECT("CNode too big", Sigil_RangeError, RETYPE(&inv_, ut, 4, 29, 0, 0, d, 1), 0, 28);
    EXPECT("CNode size 0", Sigil_InvalidArgument, RETYPE(&inv_, ut, 4, 0, 0, 0, d, 1), 1);
    EXPECT("untyped below 4 bits", Sigil_InvalidArgument, RETYPE(&inv_, ut, 0, 3, 0, 0, d, 1), 1);
    EXPECT("dest depth 65", Sigil_RangeError, RETYPE(&inv_, ut, 2, 0, BOOT_SLOT_CNODE, 65, d, 1), 1,
           64);
    EXPECT("dest not a CNode", Sigil_FailedLookup, RETYPE(&inv_, ut, 2, 0, ep, 64, d, 1), 0,
           Sigil_MissingCapability, 64);
    EXPECT("dest root not a CNode (depth 0)", Sigil_FailedLookup,
           fx_call(&inv_, ut, INV_UNTYPED_RETYPE, 6, ARGS(2, 0, 0, 0, d, 1), 1, ARGS(ep)), 0,
           Sigil_MissingCapability, 0);
    EXPECT("offset outside", Sigil_RangeError, RETYPE(&inv_, ut, 2, 0, 0, 0, 4096, 1), 0, 4095);
    EXPECT("zero objects", Sigil_RangeError, RETYPE(&inv_, ut, 2, 0, 0, 0, d, 0), 1,
           RETYPE_FAN_OUT_LIMIT);
    EXPECT("fan-out", Sigil_RangeError, RETYPE(&inv_, ut, 2, 0, 0, 0, d, RETYPE_FAN_OUT_LIMIT + 1),
           1, RETYPE_FAN_OUT_LIMIT);
    EXPECT("window outside", Sigil_RangeError, RETYPE(&inv_, ut, 2, 0, 0, 0, 4090, 7), 1, 6);
    EXPECT("dest occupied", Sigil_DeleteFirst, RETYPE(&inv_, ut, 2, 0, 0, 0, ep - 1, 2));
    EXPECT("not enough memory", Sigil_NotEnoughMemory, RETYPE(&inv_, ut, 10, 0, 0, 0, d, 1), left);
    EXPECT("kernel object from device", Sigil_InvalidArgument,
           RETYPE(&inv_, fx_device_untyped(), 2, 0, 0, 0, d, 1), 1);
    EXPECT("CNode from device", Sigil_InvalidArgument,
           RETYPE(&inv_, fx_device_untyped(), 4, 1, 0, 0, d, 1), 1);
}

static void test_device(void)
{
    word_t dev = fx_device_untyped();
    word_t d = s;
    s += 2;
    word_t cleared = host_stats.bytes_cleared;
    CHECK(fx_retype(dev, Sigil_Frame4KObject, 0, d, 1) == SIGIL_STATUS_OK);
    CHECK(cap_frame_is_device(fx_slot(d)->cap));
    CHECK(fx_retype(dev, Sigil_UntypedObject, 12, d + 1, 1) == SIGIL_STATUS_OK);
    CHECK(cap_untyped_is_device(fx_slot(d + 1)->cap));
    CHECK(fx_revoke(dev) == SIGIL_STATUS_OK);
    CHECK(fx_retype(dev, Sigil_Frame4KObject, 0, d, 1) == SIGIL_STATUS_OK); /* resets */
    CHECK(host_stats.bytes_cleared == cleared); /* device memory is never written */
    fx_check("device");
    fx_cases += 2;
}

/* Another RAM untyped of at least 2^bits bytes. */
static word_t other_untyped(unsigned bits)
{
    for (word_t i = 0; i < fx.info->num_untypeds; i++) {
        word_t slot = fx.info->untyped_start + i;
        if (slot != ut && !fx.info->untyped[i].is_device && fx.info->untyped[i].size_bits >= bits) {
            return slot;
        }
    }
    return 0;
}

static void test_reset_clears(void)
{
    word_t u = s++, d = s;
    s += 4;
    CHECK(fx_retype(other_untyped(13), Sigil_UntypedObject, 12, u, 1) == SIGIL_STATUS_OK);
    CHECK(fx_retype(u, Sigil_Frame4KObject, 0, d, 1) == SIGIL_STATUS_OK);
    memset(cap_ptr(fx_slot(d)->cap), 0xa5, 4096); /* user data */
    EXPECT("untyped full", Sigil_NotEnoughMemory, RETYPE(&inv_, u, 2, 0, 0, 0, d + 1, 1), 0);
    CHECK(fx_revoke(u) == SIGIL_STATUS_OK && cap_is_null(fx_slot(d)->cap));
    CHECK(fx_retype(u, Sigil_EndpointObject, 0, d, 4) == SIGIL_STATUS_OK);
    const unsigned char *p = cap_ptr(fx_slot(u)->cap);
    bool zero = true;
    for (int i = 0; i < 4096; i++) {
        zero = zero && p[i] == 0;
    }
    CHECK(zero);
    CHECK(cap_untyped_watermark(fx_slot(u)->cap) == 64);
    /* With children left, retype continues at the watermark (no reset). */
    CHECK(fx_delete(d) == SIGIL_STATUS_OK);
    CHECK(fx_retype(u, Sigil_EndpointObject, 0, d, 1) == SIGIL_STATUS_OK);
    CHECK(cap_untyped_watermark(fx_slot(u)->cap) == 80);
    fx_check("reset");
    fx_cases += 3;
}

int main(void)
{
    fx_boot(24);
    ut = fx_big_untyped();
    s = fx_free_slot();
    test_every_type();
    test_errors();
    test_device();
    test_reset_clears();
    return fx_finish("core_untyped");
}
