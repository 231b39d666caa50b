/*
 * Program images for the spec compiler: a whole ELF file read into memory and checked by the
 * kernel's own bounds-checked reader (kernel/src/lib/elf.c, which also loads the root task), so
 * that the compiler and the kernel agree on what an AArch64 ELF64 executable is. Only what the
 * compiler needs: the entry point, the PT_LOAD segments that take memory, and the address of a
 * named symbol (where the compiler writes what a program must learn, such as its heap's bounds).
 */
#ifndef SPECC_ELF_H
#define SPECC_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/elf.h"

typedef struct {
    uint8_t *bytes; /* the whole file */
    size_t size;
    uint64_t entry;
    elf_segment_t *segs; /* PT_LOAD segments with memsz > 0; contents point into bytes */
    size_t nsegs;
} elf_file_t;

/* Load and check the file at `path`. Returns NULL on success, else a message to report (the
 * caller frees nothing on error). */
const char *elf_file_load(const char *path, elf_file_t *out);
void elf_file_free(elf_file_t *f);

/* Find the symbol `name` in the file's symbol table (SHT_SYMTAB). Returns 1 and its value and
 * size, or 0 when the file has no such symbol (or no symbol table, or a malformed one: every
 * offset is checked against the file). */
int elf_file_symbol(const elf_file_t *f, const char *name, uint64_t *value, uint64_t *size);

#endif /* SPECC_ELF_H */
