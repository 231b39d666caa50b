/*
 * The device-tree reader on QEMU's own device trees (dumped by the test fixture with
 * -machine dumpdtb) and on corrupted copies of them.
 *
 * usage: test_fdt DTB RAM_BASE RAM_SIZE PSCI_METHOD
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/fdt.h"

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    static uint8_t buf[1 << 20];
    *size = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    uint8_t *copy = malloc(*size);
    memcpy(copy, buf, *size);
    return copy;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: test_fdt DTB RAM_BASE RAM_SIZE PSCI_METHOD\n");
        return 2;
    }
    size_t size;
    uint8_t *blob = read_file(argv[1], &size);
    fdt_t fdt;
    CHECK(fdt_check(blob, size, &fdt));

    uint64_t base = 0, ram = 0;
    CHECK(fdt_memory(&fdt, &base, &ram));
    CHECK_EQ_U64(base, strtoull(argv[2], NULL, 0));
    CHECK_EQ_U64(ram, strtoull(argv[3], NULL, 0));

    size_t len = 0;
    const char *method = fdt_get_prop(&fdt, "/psci", "method", &len);
    CHECK(method != NULL && len == strlen(argv[4]) + 1 && strcmp(method, argv[4]) == 0);
    CHECK(fdt_get_prop(&fdt, "/psci", "no-such-property", &len) == NULL);
    CHECK(fdt_get_prop(&fdt, "/no-such-node", "method", &len) == NULL);
    CHECK(fdt_get_prop(&fdt, "/psci/deeper", "method", &len) == NULL);
    const char *compat = fdt_get_prop(&fdt, "/", "compatible", &len);
    CHECK(compat != NULL && strcmp(compat, "linux,dummy-virt") == 0);

    /* A bound smaller than the tree, or a bad magic, is refused. */
    CHECK(!fdt_check(blob, size - 1, &fdt));
    CHECK(!fdt_check(blob, 16, &fdt));
    blob[0] ^= 1;
    CHECK(!fdt_check(blob, size, &fdt));
    blob[0] ^= 1;

    /* Corrupted trees: lookups may fail, but a property found lies inside the blob (ASan checks
     * every read besides). One round in four corrupts the 40-byte header, where sizes and
     * offsets live; both outcomes must occur, or the loop tests nothing. */
    srand(7);
    int accepted = 0, refused = 0, outside = 0;
    for (int round = 0; round < 400; round++) {
        uint8_t *copy = malloc(size);
        memcpy(copy, blob, size);
        for (int k = 0; k < 8; k++) {
            size_t at = round % 4 == 0 ? (size_t)rand() % 40 : (size_t)rand() % size;
            copy[at] = (uint8_t)rand();
        }
        fdt_t c;
        if (!fdt_check(copy, size, &c)) {
            refused++;
            free(copy);
            continue;
        }
        accepted++;
        uint64_t b, s;
        (void)fdt_memory(&c, &b, &s);
        static const char *const props[][2] = {
            {"/psci", "method"}, {"/", "compatible"}, {"/memory", "reg"}, {"/chosen", "bootargs"}};
        for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
            const uint8_t *p = fdt_get_prop(&c, props[i][0], props[i][1], &len);
            outside += p != NULL && (p < copy || len > size || p + len > copy + size);
        }
        free(copy);
    }
    CHECK(accepted > 0 && refused > 0);
    CHECK_EQ_U64(outside, 0);

    /* A property whose length field claims more than the structure block holds is not found. */
    const uint32_t lengths[] = {0xffffff00u, 0x7fffffffu, (uint32_t)size};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        const uint8_t *value = fdt_get_prop(&fdt, "/psci", "method", &len);
        CHECK(value != NULL);
        uint8_t *copy = malloc(size);
        memcpy(copy, blob, size);
        uint8_t *field = copy + (value - blob) - 8; /* FDT_PROP: len, nameoff, value */
        field[0] = (uint8_t)(lengths[i] >> 24), field[1] = (uint8_t)(lengths[i] >> 16);
        field[2] = (uint8_t)(lengths[i] >> 8), field[3] = (uint8_t)lengths[i];
        fdt_t c;
        CHECK(fdt_check(copy, size, &c));
        CHECK(fdt_get_prop(&c, "/psci", "method", &len) == NULL);
        free(copy);
    }
    free(blob);
    return check_summary("test_fdt");
}
