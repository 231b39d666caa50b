/*
 * A bounds-checked reader for the ELF64 images the kernel starts (the root task).
 *
 * elf_check() validates the header and program header table against the image size once;
 * afterwards elf_load_segment() hands out PT_LOAD segments whose file ranges are known to lie
 * inside the image. Nothing here trusts a field it has not checked.
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;
    unsigned phnum;
    const uint8_t *phdrs;
} elf_image_t;

typedef struct elf_segment {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t filesz;
    const uint8_t *contents; /* filesz bytes inside the image */
    bool readable, writable, executable;
} elf_segment_t;

typedef enum {
    ELF_OK = 0,
    ELF_TOO_SMALL,
    ELF_BAD_MAGIC,
    ELF_NOT_AARCH64_EXEC, /* wrong class, byte order, machine or type */
    ELF_BAD_PHDRS,        /* program header table outside the image */
    ELF_BAD_SEGMENT,      /* a segment's ranges overflow, or lie outside the image or `limit` */
} elf_status_t;

/* Validate `data[0..size)` as an AArch64 little-endian ELF64 executable; fill `img`. */
elf_status_t elf_check(const void *data, size_t size, elf_image_t *img);

/* Number of PT_LOAD segments is not known in advance: iterate i over 0..img->phnum and skip
 * non-load entries. Returns ELF_OK and fills `seg` for a PT_LOAD entry whose ranges are inside
 * the image and below `limit`; *is_load is false for other entries. */
elf_status_t elf_segment(const elf_image_t *img, unsigned i, uint64_t limit, elf_segment_t *seg,
                         bool *is_load);

const char *elf_status_name(elf_status_t s);

#endif /* LIB_ELF_H */
