/*
 * AArch64 ELF64 reader (see elf.h). Fields are read byte by byte as little-endian so the
 * compiler works on any host.
 */
#include "elf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EM_AARCH64 183
#define PT_LOAD    1

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static int read_all(const char *path, elf_image_t *img)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return 0;
    }
    size_t cap = 65536;
    img->bytes = xmalloc(cap);
    img->size = 0;
    size_t n;
    while ((n = fread(img->bytes + img->size, 1, cap - img->size, f)) > 0) {
        img->size += n;
        if (img->size == cap) {
            cap *= 2;
            img->bytes = xrealloc(img->bytes, cap);
        }
    }
    fclose(f);
    return 1;
}

static int header_ok(const elf_image_t *img)
{
    const uint8_t *b = img->bytes;
    return img->size >= 64 && memcmp(b, "\177ELF", 4) == 0 && b[4] == 2 /* ELFCLASS64 */ &&
           b[5] == 1 /* little-endian */ && rd(b + 18, 2) == EM_AARCH64 &&
           (rd(b + 16, 2) == 2 /* ET_EXEC */ || rd(b + 16, 2) == 3 /* ET_DYN */);
}

static int read_segments(elf_image_t *img)
{
    const uint8_t *b = img->bytes;
    uint64_t phoff = rd(b + 32, 8), phentsize = rd(b + 54, 2), phnum = rd(b + 56, 2);
    if (phentsize < 56 || phoff > img->size || phnum * phentsize > img->size - phoff) {
        return 0;
    }
    img->segs = xmalloc((phnum + 1) * sizeof *img->segs);
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + i * phentsize;
        elf_segment_t sg = {rd(ph + 16, 8), rd(ph + 40, 8), rd(ph + 32, 8), rd(ph + 8, 8),
                            (uint32_t)rd(ph + 4, 4)};
        if (rd(ph, 4) != PT_LOAD || sg.memsz == 0) {
            continue;
        }
        if (sg.filesz > sg.memsz || sg.offset > img->size || sg.filesz > img->size - sg.offset ||
            sg.vaddr + sg.memsz < sg.vaddr) {
            return 0;
        }
        img->segs[img->nsegs++] = sg;
    }
    return 1;
}

const char *elf_load(const char *path, elf_image_t *out)
{
    static char msg[512];
    memset(out, 0, sizeof *out);
    if (!read_all(path, out)) {
        snprintf(msg, sizeof msg, "cannot open '%s': %s", path, strerror(errno));
        return msg;
    }
    if (!header_ok(out) || !read_segments(out)) {
        elf_free(out);
        snprintf(msg, sizeof msg, "'%s' is not an AArch64 ELF64 executable", path);
        return msg;
    }
    out->entry = rd(out->bytes + 24, 8);
    return NULL;
}

void elf_free(elf_image_t *img)
{
    free(img->bytes);
    free(img->segs);
    memset(img, 0, sizeof *img);
}
