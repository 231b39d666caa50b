/*
 * The ELF reader against well-formed and hostile images: every field it uses is pushed out
 * of range once, and it must refuse without reading outside the image (ASan watches).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/elf.h"

#define LIMIT 0x0000800000000000ull

static void put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A minimal valid image: header, two program headers (LOAD + NOTE), 16 bytes of contents. */
enum { IMG_SIZE = 64 + 2 * 56 + 16 };

static void make_image(uint8_t *img)
{
    memset(img, 0, IMG_SIZE);
    memcpy(img,
           "\x7f"
           "ELF",
           4);
    img[4] = 2; /* 64-bit */
    img[5] = 1; /* little-endian */
    img[6] = 1;
    put(img + 16, 2, 2);   /* ET_EXEC */
    put(img + 18, 183, 2); /* EM_AARCH64 */
    put(img + 24, 0x400000, 8);
    put(img + 32, 64, 8); /* phoff */
    put(img + 54, 56, 2); /* phentsize */
    put(img + 56, 2, 2);  /* phnum */
    uint8_t *ph = img + 64;
    put(ph, 1, 4);     /* PT_LOAD */
    put(ph + 4, 5, 4); /* R X */
    put(ph + 8, 64 + 112, 8);
    put(ph + 16, 0x400000, 8);
    put(ph + 32, 16, 8);     /* filesz */
    put(ph + 40, 0x2000, 8); /* memsz */
    put(ph + 56, 4, 4);      /* PT_NOTE */
    memset(img + 176, 0xab, 16);
}

static elf_status_t seg0(uint8_t *img, size_t size, elf_segment_t *seg, bool *is_load)
{
    elf_image_t e;
    elf_status_t st = elf_check(img, size, &e);
    if (st != ELF_OK) {
        return st;
    }
    return elf_segment(&e, 0, LIMIT, seg, is_load);
}

int main(void)
{
    uint8_t img[IMG_SIZE];
    elf_image_t e;
    elf_segment_t seg;
    bool is_load;

    make_image(img);
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_OK);
    CHECK_EQ_U64(e.entry, 0x400000);
    CHECK_EQ_U64(e.phnum, 2);
    CHECK(elf_segment(&e, 0, LIMIT, &seg, &is_load) == ELF_OK && is_load);
    CHECK_EQ_U64(seg.vaddr, 0x400000);
    CHECK_EQ_U64(seg.filesz, 16);
    CHECK_EQ_U64(seg.memsz, 0x2000);
    CHECK(seg.contents == img + 176);
    CHECK(seg.readable && seg.executable && !seg.writable);
    CHECK(elf_segment(&e, 1, LIMIT, &seg, &is_load) == ELF_OK && !is_load);
    CHECK(elf_segment(&e, 2, LIMIT, &seg, &is_load) == ELF_BAD_PHDRS);

    /* Header problems. */
    CHECK(elf_check(img, 63, &e) == ELF_TOO_SMALL);
    make_image(img), img[1] = 'X';
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_BAD_MAGIC);
    make_image(img), img[4] = 1;
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_NOT_AARCH64_EXEC);
    make_image(img), img[5] = 2;
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_NOT_AARCH64_EXEC);
    make_image(img), put(img + 18, 62, 2); /* x86-64 */
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_NOT_AARCH64_EXEC);
    make_image(img), put(img + 16, 3, 2); /* ET_DYN */
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_NOT_AARCH64_EXEC);
    make_image(img), put(img + 32, IMG_SIZE, 8);
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_BAD_PHDRS);
    make_image(img), put(img + 32, ~0ull, 8);
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_BAD_PHDRS);
    make_image(img), put(img + 56, 3, 2); /* a third header would run past the image */
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_BAD_PHDRS);
    make_image(img), put(img + 54, 32, 2);
    CHECK(elf_check(img, IMG_SIZE, &e) == ELF_BAD_PHDRS);

    /* Segment problems. */
    make_image(img), put(img + 64 + 32, 0x3000, 8); /* filesz > memsz */
    CHECK(seg0(img, IMG_SIZE, &seg, &is_load) == ELF_BAD_SEGMENT);
    make_image(img), put(img + 64 + 8, IMG_SIZE - 8, 8); /* contents past the end */
    CHECK(seg0(img, IMG_SIZE, &seg, &is_load) == ELF_BAD_SEGMENT);
    make_image(img), put(img + 64 + 8, ~0ull - 4, 8); /* offset + filesz wraps */
    CHECK(seg0(img, IMG_SIZE, &seg, &is_load) == ELF_BAD_SEGMENT);
    make_image(img), put(img + 64 + 16, LIMIT - 0x1000, 8); /* memory past the limit */
    CHECK(seg0(img, IMG_SIZE, &seg, &is_load) == ELF_BAD_SEGMENT);
    make_image(img), put(img + 64 + 16, ~0ull - 0x100, 8); /* vaddr + memsz wraps */
    CHECK(seg0(img, IMG_SIZE, &seg, &is_load) == ELF_BAD_SEGMENT);

    /* Random corruption never makes it read outside the image (ASan checks). */
    srand(1);
    for (int round = 0; round < 20000; round++) {
        make_image(img);
        for (int k = 0; k < 4; k++) {
            img[rand() % IMG_SIZE] = (uint8_t)rand();
        }
        size_t size = (size_t)(rand() % (IMG_SIZE + 1));
        uint8_t *copy = malloc(size ? size : 1);
        memcpy(copy, img, size);
        if (elf_check(copy, size, &e) == ELF_OK) {
            for (unsigned i = 0; i < e.phnum; i++) {
                if (elf_segment(&e, i, LIMIT, &seg, &is_load) == ELF_OK && is_load) {
                    volatile uint8_t sum = 0;
                    for (uint64_t b = 0; b < seg.filesz; b++) {
                        sum += seg.contents[b];
                    }
                    (void)sum;
                }
            }
        }
        free(copy);
    }
    return check_summary("test_elf");
}
