/*
 * EL0 isolation: a user program must not read kernel memory, even though the kernel window is
 * mapped while it runs (TTBR1, EL1-only). The read must fault.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("kernel_read: reading the kernel image from EL0\n");
    volatile const uint64_t *kernel = (const uint64_t *)0xffff800040201000ull;
    return (int)*kernel;
}
