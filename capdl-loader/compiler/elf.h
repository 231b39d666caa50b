/*
 * Reading program images: AArch64 ELF64 little-endian executables. Only what the spec compiler
 * needs: the entry point and the PT_LOAD segments. Every field is bounds-checked against the
 * file, so a truncated or hostile file gives an error, never a read outside the buffer.
 */
#ifndef SPECC_ELF_H
#define SPECC_ELF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t vaddr, memsz, filesz, offset;
    uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
} elf_segment_t;

typedef struct {
    uint8_t *bytes; /* the whole file */
    size_t size;
    uint64_t entry;
    elf_segment_t *segs; /* PT_LOAD segments with memsz > 0 */
    size_t nsegs;
} elf_image_t;

#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

/* Load the file at `path`. Returns NULL on success, else a message to report (the caller
 * frees nothing on error). */
const char *elf_load(const char *path, elf_image_t *out);
void elf_free(elf_image_t *img);

#endif /* SPECC_ELF_H */
