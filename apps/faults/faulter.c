/*
 * The `faults` system's faulting component (specs/faults.yaml): touches an address nothing maps.
 * Its fault handler (another component, told apart by the badge the spec gives) maps a page
 * there and restarts it at the faulting instruction; the second try succeeds. It finishes last
 * and powers the machine off.
 */
#include <sigil/runtime.h>

/* The last page of the 2 MiB block the program's code starts in: inside the program's
 * last-level table (the image, stack and IPC buffer take its first pages), mapped by nobody. */
#define BLOCK 0x200000ull

int main(const void *arg)
{
    (void)arg;
    uintptr_t hole = ((uintptr_t)&main & ~(BLOCK - 1)) + BLOCK - 0x1000;
    volatile uint64_t *p = (volatile uint64_t *)hole;
    sigil_printf("faulter: writing to 0x%lx, which is not mapped\n", (unsigned long)hole);
    *p = 0x5eed;
    sigil_printf("faulter: restarted after the fault; the page holds 0x%lx\n", (unsigned long)*p);
    return *p == 0x5eed ? 0 : 1;
}
