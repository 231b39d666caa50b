/*
 * The client of the loader's rm_boot test (rm_boot.yaml): sends one request through the cap
 * the compiler put in its CSpace (policy `request_slot`), then touches a page nothing maps, so
 * its fault reaches the manager with its id as badge (the fault handler the compiler set).
 */
#include <sigil/ipc.h>
#include <sigil/runtime.h>

#define REQUEST_CAP 3 /* rm_boot.yaml: request_slot */

int main(const void *arg)
{
    (void)arg;
    sigil_msginfo_t r = sigil_call(REQUEST_CAP, sigil_msginfo_new(7, 0, 0, 0));
    sigil_printf("rm-client: the manager answered label %lu, %lu\n",
                 (unsigned long)sigil_msginfo_label(r), (unsigned long)sigil_get_mr(0));
    *(volatile uint64_t *)(uintptr_t)0x5ff000 = 1;
    return 0;
}
