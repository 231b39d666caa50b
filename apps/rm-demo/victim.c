/*
 * The `rm-demo` system's victim (specs/rm-demo.yaml): takes objects and mapped memory from the
 * manager, tells the administrator it is ready (a notification the spec shares), and waits
 * forever; the administrator kills it.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 the shared `ready` notification
 * (Write); 3 .. 63 empty.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, READY = 2, EPS = 3, NTFN = 19, PAGES = 20 };
#define VADDR 0x20000000ull

int main(const void *arg)
{
    (void)arg;
    sigil_word_t h;
    int ok = rm_alloc(RM, Sigil_EndpointObject, 0, 16, EPS, &h) == Rm_ErrOk;
    ok &= rm_alloc(RM, Sigil_NotificationObject, 0, 1, NTFN, &h) == Rm_ErrOk;
    for (unsigned i = 0; i < 4; i++) {
        ok &= rm_alloc_mapped_page(RM, PAGES + i, VADDR + SIGIL_PAGE_SIZE * i, &h) == Rm_ErrOk;
        *(volatile uint64_t *)(uintptr_t)(VADDR + SIGIL_PAGE_SIZE * i) = i;
    }
    sigil_printf("rm-victim: holding 16 endpoints, a notification and 4 mapped pages (%s); "
                 "using %lu bytes\n",
                 ok ? "ok" : "FAILED", (unsigned long)rm_stat(RM, Rm_StatUsedBytes));
    sigil_signal(READY);
    sigil_word_t word;
    for (;;) {
        sigil_wait(NTFN, &word); /* nobody signals it */
    }
}
