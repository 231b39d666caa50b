/*
 * The `faults` system's faulting component (specs/faults.yaml): touches an address nothing maps.
 * Its fault handler (another component, told apart by the badge the spec gives) maps a page
 * there and restarts it at the faulting instruction; the second try succeeds. It finishes last
 * and powers the machine off.
 */
#include <sigil/runtime.h>

#define HOLE 0x5ff000ull /* inside the program's last-level table, mapped by nobody */

int main(const void *arg)
{
    (void)arg;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)HOLE;
    sigil_printf("faulter: writing to 0x%lx, which is not mapped\n", (unsigned long)HOLE);
    *p = 0x5eed;
    sigil_printf("faulter: restarted after the fault; the page holds 0x%lx\n", (unsigned long)*p);
    return *p == 0x5eed ? 0 : 1;
}
