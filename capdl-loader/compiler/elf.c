/*
 * Program images (see elf.h): the file is read whole, then elf_check() and elf_segment() of
 * the kernel's reader validate it and hand out the segments.
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
