/*
 * `sigil-specc --placement OUT.json`: the boot placement the compiler simulated, as JSON.
 *
 * Nothing is computed twice: place.c runs the loader's allocator (common/alloc.c) over the boot
 * untyped list of the model and keeps where each object went (s->uts, s->where); this file only
 * writes that down, in final id order (the order the loader creates objects in):
 *
 *   {"version": 1, "ram_base": B, "ram_size": S, "reserve": R, "free_ram": F,
 *    "untypeds": [{"index": i, "paddr": P, "size_bits": b, "device": false}, ...],
 *    "objects": [{"id": 0, "name": "comp.obj", "type": "CNode", "size_bits": 15,
 *                 "memory": "ram", "untyped": i, "parent": null, "offset": O, "paddr": P}, ...]}
 *
 * `memory` says where an object's memory comes from: "ram" (the first boot untyped with room,
 * largest objects first), "device" (the device untyped containing its paddr, at that paddr),
 * "client" (a managed client's object: retyped from the client's own untyped, whose id is
 * `parent`, at `offset` inside it; the kernel's watermark puts each one after the previous one,
 * aligned to its size, because they come largest first), "cover" (the same from an Untyped of
 * the spec that `covers` it, itself placed in any of these ways) or "none" (IRQHandler, IRQControl,
 * SMC: no memory; untyped, parent, offset and paddr are null). Numbers are decimal JSON integers.
 */
#include <stdlib.h>

#include "model.h"

static void json_string(FILE *out, const char *str)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p);
        } else {
            fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_u64(FILE *out, const char *key, uint64_t v)
{
    fprintf(out, ", \"%s\": %llu", key, (unsigned long long)v);
}

static uint64_t align_up(uint64_t x, unsigned bits)
{
    uint64_t size = (uint64_t)1 << bits;
    return (x + size - 1) & ~(size - 1);
}

/* The object with final id `id`: its memory kind and, if it has memory, where it is. `fill` is
 * the watermark of each untyped that objects are retyped from, `base` the physical address of
 * every object written so far (both by model index; a parent comes before its children). */
static void write_object(const spec_t *s, uint32_t id, uint64_t *fill, uint64_t *base, FILE *out)
{
    const m_object_t *o = &s->objs[s->order[id]];
    fprintf(out, "    {\"id\": %u, \"name\": ", id);
    json_string(out, o->name);
    fputs(", \"type\": ", out);
    json_string(out, spec_type_name(o->type));
    fprintf(out, ", \"size_bits\": %u", o->size_bits);
    if (id < s->nram && (o->flags & SIGIL_SPEC_OBJ_IN_PARENT)) {
        uint32_t mem = (uint32_t)o->paddr; /* model index of the untyped it comes from */
        uint64_t at = align_up(fill[mem], o->size_bits);
        fill[mem] = at + ((uint64_t)1 << o->size_bits);
        base[s->order[id]] = base[mem] + at;
        fprintf(out, ", \"memory\": \"%s\", \"untyped\": null, \"parent\": %u",
                (s->objs[mem].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY) ? "client" : "cover",
                s->objs[mem].id);
        json_u64(out, "offset", at);
        json_u64(out, "paddr", base[s->order[id]]);
    } else if (id < s->nram + s->ndev) {
        const sigil_place_t *w = &s->where[id];
        base[s->order[id]] = s->uts[w->untyped].paddr + w->offset;
        fprintf(out, ", \"memory\": \"%s\", \"untyped\": %u, \"parent\": null",
                id < s->nram ? "ram" : "device", w->untyped);
        json_u64(out, "offset", w->offset);
        json_u64(out, "paddr", base[s->order[id]]);
    } else {
        fputs(", \"memory\": \"none\", \"untyped\": null, \"parent\": null, \"offset\": null, "
              "\"paddr\": null",
              out);
    }
    fputs("}", out);
}

void placement_write_json(const spec_t *s, FILE *out)
{
    fputs("{\"version\": 1", out);
    json_u64(out, "ram_base", SIGIL_PLAT_RAM_BASE);
    json_u64(out, "ram_size", SIGIL_PLAT_RAM_SIZE_DEFAULT);
    json_u64(out, "reserve", s->reserve);
    json_u64(out, "free_ram", s->free_ram);
    fputs(",\n  \"untypeds\": [", out);
    for (size_t i = 0; i < s->nuts; i++) {
        fprintf(out, "%s\n    {\"index\": %zu", i ? "," : "", i);
        json_u64(out, "paddr", s->uts[i].paddr);
        fprintf(out, ", \"size_bits\": %u, \"device\": %s}", s->uts[i].size_bits,
                s->uts[i].is_device ? "true" : "false");
    }
    fputs("],\n  \"objects\": [", out);
    uint64_t *fill = xmalloc((s->nobjs + 1) * sizeof *fill);
    uint64_t *base = xmalloc((s->nobjs + 1) * sizeof *base);
    for (size_t i = 0; i < s->nobjs; i++) {
        fill[i] = base[i] = 0;
    }
    for (uint32_t id = 0; id < s->nobjs; id++) {
        fputs(id ? ",\n" : "\n", out);
        write_object(s, id, fill, base, out);
    }
    free(base);
    free(fill);
    fputs("]}\n", out);
}
