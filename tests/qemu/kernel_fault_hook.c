/*
 * Linked only into the `panic` test image: at the end of boot, the kernel reads an unmapped
 * kernel address. The exception report and a failing power-off must follow.
 */
#include <stdint.h>

#include "kernel/kernel.h"

void boot_test_hook(void)
{
    volatile const uint64_t *bad = (const uint64_t *)0xffff7f0000000000ull;
    (void)*bad;
}
