/*
 * A root task that touches memory it does not have: the kernel must report the fault by
 * thread, kind and address, and stop only that thread.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("user_fault: reading an unmapped address\n");
    volatile const uint64_t *bad = (const uint64_t *)0x12345000;
    return (int)*bad;
}
