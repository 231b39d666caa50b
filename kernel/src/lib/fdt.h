/*
 * A minimal, bounds-checked flattened device tree (FDT) reader.
 *
 * The kernel needs two facts from QEMU's device tree: where RAM is (/memory) and how to call
 * PSCI (/psci, "method"). fdt_check() validates the header against a maximum size; lookups
 * then walk the structure block without ever reading outside it.
 */
#ifndef LIB_FDT_H
#define LIB_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu

typedef struct fdt {
    const uint8_t *blob;
    size_t size; /* totalsize */
    const uint8_t *structs;
    size_t structs_size;
    const char *strings;
    size_t strings_size;
} fdt_t;

/* Validate the blob at `blob` (at most `max_size` bytes readable). */
bool fdt_check(const void *blob, size_t max_size, fdt_t *fdt);

/* Find property `prop` of the first node whose path matches `path`. A path component without
 * '@' matches a node name up to its '@' (so "/memory" finds "/memory@40000000").
 * Returns a pointer to the value and its length, or NULL. */
const void *fdt_get_prop(const fdt_t *fdt, const char *path, const char *prop, size_t *len);

/* Read a big-endian cell sequence of `cells` 32-bit cells (1 or 2) at `p`. */
uint64_t fdt_read_cells(const void *p, unsigned cells);

/* The first (base, size) range of /memory, using the root's #address-cells/#size-cells. */
bool fdt_memory(const fdt_t *fdt, uint64_t *base, uint64_t *size);

#endif /* LIB_FDT_H */
