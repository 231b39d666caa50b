/*
 * Program images (see elf.h): the file is read whole, then elf_check() and elf_segment() of
 * the kernel's reader validate it and hand out the segments. Symbols are looked up here, on
 * the host only: the section header table, the symbol table and its string table are each
 * checked to lie inside the file before a byte of them is read.
 */
#include "elf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sigil/abi.h>

#include "util.h"

/* The segments that take memory; a status other than ELF_OK names the first bad one in *bad. */
static elf_status_t read_segments(elf_file_t *f, const elf_image_t *img, unsigned *bad)
{
    f->segs = xmalloc(((size_t)img->phnum + 1) * sizeof *f->segs);
    for (unsigned i = 0; i < img->phnum; i++) {
        bool is_load;
        elf_status_t st = elf_segment(img, i, UINT64_MAX, &f->segs[f->nsegs], &is_load);
        if (st != ELF_OK) {
            *bad = i;
            return st;
        }
        if (is_load && f->segs[f->nsegs].memsz > 0) {
            f->nsegs++;
        }
    }
    return ELF_OK;
}

const char *elf_file_load(const char *path, elf_file_t *out)
{
    static char msg[512];
    memset(out, 0, sizeof *out);
    const char *why = read_whole_file(path, SIGIL_SPEC_MAX_FILE_BYTES, &out->bytes, &out->size);
    if (why) {
        snprintf(msg, sizeof msg, "cannot open '%s': %s", path, why);
        return msg;
    }
    elf_image_t img;
    unsigned bad = 0;
    elf_status_t st = elf_check(out->bytes, out->size, &img);
    if (st != ELF_OK) {
        snprintf(msg, sizeof msg, "'%s' is not a program: %s", path, elf_status_name(st));
    } else if ((st = read_segments(out, &img, &bad)) != ELF_OK) {
        snprintf(msg, sizeof msg, "'%s' is not a program: program header %u: %s", path, bad,
                 elf_status_name(st));
    }
    if (st != ELF_OK) {
        elf_file_free(out);
        return msg;
    }
    out->entry = img.entry;
    return NULL;
}

void elf_file_free(elf_file_t *f)
{
    free(f->bytes);
    free(f->segs);
    memset(f, 0, sizeof *f);
}

/* Little-endian fields of the file at `off` (the caller has checked the range). */
static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;) {
        v = v << 8 | p[i];
    }
    return v;
}

/* Does [off, off + len) lie inside a file of `size` bytes? */
static int inside(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

enum { SHDR_SIZE = 64, SYM_SIZE = 24, SHT_SYMTAB = 2 };

int elf_file_symbol(const elf_file_t *f, const char *name, uint64_t *value, uint64_t *size)
{
    const uint8_t *b = f->bytes;
    uint64_t shoff = rd(b + 0x28, 8), shentsize = rd(b + 0x3a, 2), shnum = rd(b + 0x3c, 2);
    if (shentsize != SHDR_SIZE || !inside(shoff, shnum * SHDR_SIZE, f->size)) {
        return 0;
    }
    size_t nlen = strlen(name);
    for (uint64_t i = 0; i < shnum; i++) {
        const uint8_t *sh = b + shoff + i * SHDR_SIZE;
        uint64_t link = rd(sh + 0x28, 4);
        if (rd(sh + 4, 4) != SHT_SYMTAB || link >= shnum) {
            continue;
        }
        uint64_t off = rd(sh + 0x18, 8), len = rd(sh + 0x20, 8);
        const uint8_t *str = b + shoff + link * SHDR_SIZE;
        uint64_t stroff = rd(str + 0x18, 8), strlen_ = rd(str + 0x20, 8);
        if (!inside(off, len, f->size) || !inside(stroff, strlen_, f->size)) {
            return 0;
        }
        for (uint64_t s = 0; s + SYM_SIZE <= len; s += SYM_SIZE) {
            const uint8_t *sym = b + off + s;
            uint64_t n = rd(sym, 4);
            if (n < strlen_ && strlen_ - n > nlen && memcmp(b + stroff + n, name, nlen + 1) == 0 &&
                rd(sym + 6, 2) != 0 /* SHN_UNDEF */) {
                *value = rd(sym + 8, 8);
                *size = rd(sym + 16, 8);
                return 1;
            }
        }
    }
    return 0;
}
