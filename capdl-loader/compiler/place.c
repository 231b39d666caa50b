/*
 * Stage 5 of the model: final object ids and the simulated boot.
 *
 * Ids follow the order the loader allocates in (see <sigil/spec.h>): RAM objects by size
 * (largest first), then cover depth (an untyped before what it covers), then type, then name;
 * device objects by physical address; objects without memory by type and name. Ordering by name
 * rather than by position makes the binary depend only on what the spec says, so YAML -> binary ->
 * YAML -> binary is byte-identical.
 *
 * The boot is simulated with the loader's own code (common/alloc.c) on the untyped list the
 * kernel would create for the default RAM size minus the reserve (the kernel's own
 * lib/boot_untypeds.c). Every RAM object that does not fit and every device object no device
 * untyped covers is reported by name. Where each object went is kept (s->uts, s->where) for
 * `sigil-specc --placement` (placement.c).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "model.h"

#define MAX_NAMED_MISFITS 20

static const spec_t *sort_spec; /* qsort has no context argument */

static int cmp_ram(const void *a, const void *b)
{
    const m_object_t *x = &sort_spec->objs[*(const uint32_t *)a];
    const m_object_t *y = &sort_spec->objs[*(const uint32_t *)b];
    if (x->size_bits != y->size_bits) {
        return x->size_bits > y->size_bits ? -1 : 1;
    }
    if (x->depth != y->depth) { /* an untyped before the objects it covers */
        return x->depth < y->depth ? -1 : 1;
    }
    if (x->type != y->type) {
        return x->type < y->type ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

static int cmp_device(const void *a, const void *b)
{
    const m_object_t *x = &sort_spec->objs[*(const uint32_t *)a];
    const m_object_t *y = &sort_spec->objs[*(const uint32_t *)b];
    if (x->paddr != y->paddr) {
        return x->paddr < y->paddr ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

static int is_device(const m_object_t *o)
{
    return (o->flags & SIGIL_SPEC_OBJ_DEVICE) && o->size_bits;
}

/* Order objects into `order` (model indices by final id) and set each object's id. Returns the
 * number of RAM objects and device objects through the pointers. */
static uint32_t *order_objects(spec_t *s, size_t *nram, size_t *ndev)
{
    uint32_t *order = xmalloc((s->nobjs + 1) * sizeof *order);
    size_t k = 0;
    for (int pass = 0; pass < 3; pass++) {
        size_t start = k;
        for (uint32_t i = 0; i < s->nobjs; i++) {
            const m_object_t *o = &s->objs[i];
            int group = is_device(o) ? 1 : o->size_bits ? 0 : 2;
            if (group == pass) {
                order[k++] = i;
            }
        }
        sort_spec = s;
        qsort(order + start, k - start, sizeof *order, pass == 1 ? cmp_device : cmp_ram);
        if (pass == 0) {
            *nram = k;
        } else if (pass == 1) {
            *ndev = k - start;
        }
    }
    for (size_t i = 0; i < k; i++) {
        s->objs[order[i]].id = (uint32_t)i;
    }
    return order;
}

static void place_ram(spec_t *s, sigil_alloc_t *a, const uint32_t *order, size_t nram)
{
    size_t misfits = 0;
    uint64_t missing = 0;
    for (size_t i = 0; i < nram; i++) {
        const m_object_t *o = &s->objs[order[i]];
        if ((o->flags & SIGIL_SPEC_OBJ_IN_PARENT) ||
            sigil_alloc_ram(a, o->size_bits, &s->where[i]) == SIGIL_ALLOC_OK) {
            continue; /* a managed client's object comes from its own untyped (placed here) */
        }
        if (++misfits <= MAX_NAMED_MISFITS) {
            diag_error(s->d, o->line, o->path,
                       "does not fit: needs 2^%u bytes, no free untyped left (%llu bytes of RAM "
                       "free after the 0x%llx-byte reserve)",
                       o->size_bits, (unsigned long long)sigil_alloc_free_ram(a),
                       (unsigned long long)s->reserve);
        }
        missing += 1ull << o->size_bits;
    }
    if (misfits > MAX_NAMED_MISFITS) {
        diag_error(s->d, 0, NULL,
                   "%zu objects (%llu bytes) do not fit; %zu of them are not named above", misfits,
                   (unsigned long long)missing, misfits - MAX_NAMED_MISFITS);
    }
}

/* Report why device object `o` could not be placed; `prev` is the device object placed last. */
static void device_misfit(spec_t *s, const m_object_t *o, sigil_alloc_status_t st, uint32_t prev)
{
    const sigil_kernel_device_t *kept = sigil_kernel_device_at(o->paddr, o->size_bits);
    unsigned long long pa = (unsigned long long)o->paddr;
    if (st == SIGIL_ALLOC_NOT_COVERED && kept) {
        diag_error(s->d, o->line, o->path,
                   "paddr 0x%llx (size 2^%u) is kept by the kernel (its %s, 0x%llx..0x%llx)", pa,
                   o->size_bits, kept->what, (unsigned long long)kept->start,
                   (unsigned long long)kept->end);
    } else if (st == SIGIL_ALLOC_NOT_COVERED) {
        diag_error(s->d, o->line, o->path,
                   "paddr 0x%llx (size 2^%u) is not covered by a device untyped", pa, o->size_bits);
    } else if (st == SIGIL_ALLOC_OVERLAP) { /* only a device object placed before can overlap */
        diag_error(s->d, o->line, o->path, "device memory overlaps '%s'", s->objs[prev].name);
    } else if (st == SIGIL_ALLOC_BAD_SIZE) {
        diag_error(s->d, o->line, o->path, "paddr 0x%llx is not aligned to the object size (2^%u)",
                   pa, o->size_bits);
    } else {
        diag_error(s->d, o->line, o->path, "paddr 0x%llx cannot be placed", pa);
    }
}

/* `where` is the placement of the first device object (s->where + nram). */
static void place_devices(spec_t *s, sigil_alloc_t *a, const uint32_t *order, size_t ndev,
                          sigil_place_t *where)
{
    uint32_t prev = SPECC_NONE;
    for (size_t i = 0; i < ndev; i++) {
        const m_object_t *o = &s->objs[order[i]];
        sigil_alloc_status_t st = sigil_alloc_device(a, o->paddr, o->size_bits, &where[i]);
        if (st == SIGIL_ALLOC_OK) {
            prev = order[i];
        } else {
            device_misfit(s, o, st, prev);
        }
    }
}

void place_objects(spec_t *s)
{
    size_t nram = 0, ndev = 0;
    free(s->order);
    s->order = order_objects(s, &nram, &ndev);
    if (s->reserve > SIGIL_PLAT_RAM_SIZE_DEFAULT) {
        diag_error(s->d, 0, NULL, "reserve 0x%llx exceeds the RAM size 0x%llx",
                   (unsigned long long)s->reserve, (unsigned long long)SIGIL_PLAT_RAM_SIZE_DEFAULT);
        return;
    }
    size_t n =
        sigil_boot_untypeds(SIGIL_PLAT_RAM_BASE, SIGIL_PLAT_RAM_SIZE_DEFAULT, s->reserve, NULL, 0);
    free(s->uts);
    free(s->where);
    s->uts = xmalloc(n * sizeof *s->uts);
    s->nuts = n;
    s->where = xmalloc((s->nobjs + 1) * sizeof *s->where);
    for (size_t i = 0; i < s->nobjs; i++) {
        s->where[i] = (sigil_place_t){SPECC_NONE, 0, 0};
    }
    uint64_t *wm = xmalloc(n * sizeof *wm);
    sigil_boot_untypeds(SIGIL_PLAT_RAM_BASE, SIGIL_PLAT_RAM_SIZE_DEFAULT, s->reserve, s->uts, n);
    sigil_alloc_t a;
    sigil_alloc_init(&a, s->uts, wm, n);
    place_ram(s, &a, s->order, nram);
    place_devices(s, &a, s->order + nram, ndev, s->where + nram);
    s->free_ram = sigil_alloc_free_ram(&a);
    policy_check_pool(s, s->free_ram);
    s->nram = nram;
    s->ndev = ndev;
    free(wm);
}
