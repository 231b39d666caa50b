/*
 * Packing the model into the binary spec of <sigil/spec.h>, and printing a binary spec back
 * as YAML in the explicit form (every object, slot and table entry written out), which the
 * compiler reads back into the same binary.
 */
#ifndef SPECC_EMIT_H
#define SPECC_EMIT_H

#include <stdio.h>

#include "model.h"

/* Build the blob for a model that passed every stage (ids assigned by place_objects).
 * Returns a malloc'd buffer of *size bytes. */
uint8_t *emit_blob(const spec_t *s, size_t *size);

/* Print the blob (already checked with sigil_spec_check) as a YAML spec. */
void dump_yaml(FILE *out, const uint8_t *blob);

#endif /* SPECC_EMIT_H */
