/*
 * ELF64 reading with every offset and size checked against the image before use.
 * Fields are read byte by byte (little-endian) so unaligned images are fine.
 */
#include "lib/elf.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define PT_LOAD   1
#define PF_X      1
#define PF_W      2
#define PF_R      4

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

elf_status_t elf_check(const void *data, size_t size, elf_image_t *img)
{
    const uint8_t *d = data;
    if (size < EHDR_SIZE) {
        return ELF_TOO_SMALL;
    }
    if (d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F') {
        return ELF_BAD_MAGIC;
    }
    /* ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_AARCH64 */
    if (d[4] != 2 || d[5] != 1 || rd(d + 16, 2) != 2 || rd(d + 18, 2) != 183) {
        return ELF_NOT_AARCH64_EXEC;
    }
    uint64_t phoff = rd(d + 32, 8);
    uint64_t phentsize = rd(d + 54, 2);
    uint64_t phnum = rd(d + 56, 2);
    if (phentsize != PHDR_SIZE || phoff > size || phnum > (size - phoff) / PHDR_SIZE) {
        return ELF_BAD_PHDRS;
    }
    img->data = d;
    img->size = size;
    img->entry = rd(d + 24, 8);
    img->phnum = (unsigned)phnum;
    img->phdrs = d + phoff;
    return ELF_OK;
}

elf_status_t elf_segment(const elf_image_t *img, unsigned i, uint64_t limit, elf_segment_t *seg,
                         bool *is_load)
{
    *is_load = false;
    if (i >= img->phnum) {
        return ELF_BAD_PHDRS;
    }
    const uint8_t *ph = img->phdrs + (size_t)i * PHDR_SIZE;
    if (rd(ph, 4) != PT_LOAD) {
        return ELF_OK;
    }
    uint32_t flags = (uint32_t)rd(ph + 4, 4);
    uint64_t offset = rd(ph + 8, 8);
    uint64_t vaddr = rd(ph + 16, 8);
    uint64_t filesz = rd(ph + 32, 8);
    uint64_t memsz = rd(ph + 40, 8);
    if (filesz > memsz || offset > img->size || filesz > img->size - offset || vaddr > limit ||
        memsz > limit - vaddr) {
        return ELF_BAD_SEGMENT;
    }
    *is_load = true;
    seg->vaddr = vaddr;
    seg->memsz = memsz;
    seg->filesz = filesz;
    seg->contents = img->data + offset;
    seg->readable = (flags & PF_R) != 0;
    seg->writable = (flags & PF_W) != 0;
    seg->executable = (flags & PF_X) != 0;
    return ELF_OK;
}

const char *elf_status_name(elf_status_t s)
{
    switch (s) {
    case ELF_OK:
        return "ok";
    case ELF_TOO_SMALL:
        return "image smaller than an ELF header";
    case ELF_BAD_MAGIC:
        return "not an ELF file";
    case ELF_NOT_AARCH64_EXEC:
        return "not an AArch64 little-endian ELF64 executable";
    case ELF_BAD_PHDRS:
        return "program header table outside the image";
    case ELF_BAD_SEGMENT:
        return "segment outside the image or the address space";
    }
    return "unknown";
}
