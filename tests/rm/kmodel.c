/*
 * A model of the kernel's untyped semantics for the core's host tests (see kmodel.h).
 */
#include "kmodel.h"

#include <string.h>

#include <sigil/abi.h>

void km_init(km_t *k)
{
    memset(k, 0, sizeof(*k));
}

void km_add_root(km_t *k, rm_word_t slot, unsigned bits)
{
    k->own[slot] =
        (km_cap_t){.present = 1, .untyped = 1, .bits = (uint8_t)bits, .parent = KM_NO_PARENT};
}

void km_occupy(km_t *k, unsigned cnode, unsigned slot)
{
    k->client[cnode][slot] = (km_cap_t){.present = 1, .parent = KM_NO_PARENT};
}

int km_whole(const km_t *k, rm_word_t slot)
{
    return slot < KM_OWN_SLOTS && k->own[slot].present && k->own[slot].untyped &&
           k->own[slot].children == 0;
}

unsigned km_live_caps(const km_t *k)
{
    unsigned n = 0;
    for (unsigned i = 0; i < KM_OWN_SLOTS; i++) {
        n += k->own[i].present;
    }
    for (unsigned c = 0; c < KM_CLIENT_CNODES; c++) {
        for (unsigned i = 0; i < KM_CLIENT_SLOTS; i++) {
            n += k->client[c][i].present;
        }
    }
    return n;
}

/* The slot array and size of CNode cptr `cnode` (own CSpace is cptr 0 in the model). */
static km_cap_t *cnode_slots(km_t *k, rm_word_t cnode, rm_word_t *size)
{
    if (cnode == 0) {
        *size = KM_OWN_SLOTS;
        return k->own;
    }
    if (cnode >= KM_CNODE_BASE && cnode < KM_CNODE_BASE + KM_CLIENT_CNODES) {
        *size = KM_CLIENT_SLOTS;
        return k->client[cnode - KM_CNODE_BASE];
    }
    return 0;
}

static int usable_untyped(const km_t *k, rm_word_t ut)
{
    return ut < KM_OWN_SLOTS && k->own[ut].present && k->own[ut].untyped && !k->own[ut].children;
}

static rm_word_t km_split(void *ctx, rm_word_t ut, unsigned child_bits, rm_word_t first)
{
    km_t *k = ctx;
    k->splits++;
    if (k->fail_split_at && --k->fail_split_at == 0) {
        return Sigil_NotEnoughMemory;
    }
    if (!usable_untyped(k, ut) || child_bits + 1u != k->own[ut].bits) {
        return Sigil_InvalidArgument;
    }
    if (first + 1 >= KM_OWN_SLOTS || k->own[first].present || k->own[first + 1].present) {
        return Sigil_DeleteFirst;
    }
    for (unsigned i = 0; i < 2; i++) {
        k->own[first + i] = (km_cap_t){
            .present = 1, .untyped = 1, .bits = (uint8_t)child_bits, .parent = (uint32_t)ut};
    }
    k->own[ut].children = 2;
    return 0;
}

/* Delete every descendant of own slot `slot` (children first). */
static void delete_children(km_t *k, uint32_t slot)
{
    for (unsigned i = 0; i < KM_OWN_SLOTS && k->own[slot].children; i++) {
        if (k->own[i].present && k->own[i].parent == slot) {
            delete_children(k, i);
            k->own[i].present = 0;
            k->own[slot].children--;
        }
    }
    for (unsigned c = 0; c < KM_CLIENT_CNODES && k->own[slot].children; c++) {
        for (unsigned i = 0; i < KM_CLIENT_SLOTS; i++) {
            if (k->client[c][i].present && k->client[c][i].parent == slot) {
                k->client[c][i].present = 0;
                k->own[slot].children--;
            }
        }
    }
}

static rm_word_t km_revoke(void *ctx, rm_word_t slot)
{
    km_t *k = ctx;
    k->revokes++;
    if (slot >= KM_OWN_SLOTS || !k->own[slot].present) {
        return Sigil_FailedLookup;
    }
    delete_children(k, (uint32_t)slot);
    return 0;
}

static rm_word_t km_retype(void *ctx, rm_word_t ut, unsigned type, unsigned size_bits,
                           rm_word_t cnode, rm_word_t dest, rm_word_t count)
{
    km_t *k = ctx;
    k->retypes++;
    if (k->fail_retype_at && --k->fail_retype_at == 0) {
        return Sigil_NotEnoughMemory;
    }
    if (!usable_untyped(k, ut)) {
        return Sigil_InvalidArgument;
    }
    unsigned obits = sigil_object_size_bits(type, size_bits);
    if (!obits || count == 0 || count > (1ull << (k->own[ut].bits - obits)) ||
        obits > k->own[ut].bits) {
        return Sigil_NotEnoughMemory;
    }
    rm_word_t size;
    km_cap_t *slots = cnode_slots(k, cnode, &size);
    if (!slots) {
        return Sigil_InvalidCapability;
    }
    if (dest >= size || count > size - dest) {
        return Sigil_RangeError;
    }
    for (rm_word_t i = 0; i < count; i++) {
        if (slots[dest + i].present) {
            return Sigil_DeleteFirst;
        }
    }
    for (rm_word_t i = 0; i < count; i++) {
        slots[dest + i] = (km_cap_t){.present = 1,
                                     .untyped = type == Sigil_UntypedObject,
                                     .bits = (uint8_t)obits,
                                     .parent = (uint32_t)ut};
    }
    k->own[ut].children += (uint32_t)count;
    return 0;
}

const rm_kops_t km_ops = {.split = km_split, .revoke = km_revoke, .retype = km_retype};
