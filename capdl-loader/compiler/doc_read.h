/*
 * Reading a spec file. Two passes over the file:
 *  1. libyaml's event parser walks the document alongside the libcyaml schema (doc.c): it
 *     records the line of every node under its path hash (libcyaml keeps no line numbers) and
 *     reports, with lines, every syntax error, unknown or duplicate key, missing required key
 *     and node of the wrong kind (mapping/list/scalar). It never stops at the first of these.
 *  2. Only if pass 1 found nothing, libcyaml loads the document into the structs of doc.h.
 * So libcyaml's schema is the single description of which keys exist, and the compiler's own
 * messages carry the lines libcyaml cannot give.
 */
#ifndef SPECC_DOC_READ_H
#define SPECC_DOC_READ_H

#include "diag.h"
#include "doc.h"

/* Read `d->file`: returns the document, or NULL after reporting every structural error. */
y_spec_t *doc_read(diag_t *d);

/* Free a document returned by doc_read. */
void doc_free(y_spec_t *doc);

#endif /* SPECC_DOC_READ_H */
