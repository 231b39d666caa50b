/*
 * The `rm-demo` system's crasher (specs/rm-demo.yaml): takes a frame, then touches memory
 * nothing maps. Its fault goes to the manager (its fault handler, badge = its id), which ends it
 * and reclaims the frame and everything the loader made for it.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 .. 15 empty.
 */
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, FRAME = 2 };
#define HOLE 0x30000000ull

int main(const void *arg)
{
    (void)arg;
    sigil_word_t h;
    rm_error_t err = rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FRAME, &h);
    sigil_printf("rm-crasher: took a frame (%s); now writing to 0x%lx, which nothing maps\n",
                 rm_error_name(err), (unsigned long)HOLE);
    *(volatile uint64_t *)(uintptr_t)HOLE = 1;
    sigil_printf("rm-crasher: FAILED: still running after the fault\n");
    return 1;
}
