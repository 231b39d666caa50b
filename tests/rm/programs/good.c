/*
 * The well-behaved client of tests/rm/hostile.yaml: while the hostile client floods the manager,
 * it allocates, checks, maps and frees, ROUNDS times, and checks every answer exactly: the
 * handle works, the statistics move by exactly the object's size, a mapped page holds what was
 * written, and after each free its usage is back where it was.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 the judge's `done` notification
 * (Write, badge 2); 3 .. 15 empty.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { RM = 1, DONE = 2, EP = 3, PAGE = 4 };
#define ROUNDS 2000u
#define VADDR  0x80000000ull /* a 1 GiB region of its own: its page tables are its own */

int main(const void *arg)
{
    (void)arg;
    unsigned wrong = 0;
    sigil_word_t base = rm_stat(RM, Rm_StatUsedBytes);
    for (unsigned i = 0; i < ROUNDS; i++) {
        sigil_word_t h;
        if (rm_alloc(RM, Sigil_EndpointObject, 0, 1, EP, &h) != Rm_ErrOk) {
            wrong++;
            continue;
        }
        wrong += rm_stat(RM, Rm_StatUsedBytes) != base + 16;
        wrong += rm_alloc(RM, Sigil_EndpointObject, 0, 1, EP, &h) != Rm_ErrInvalidSlot;
        if (i % 100 == 0) {
            sigil_word_t ph;
            if (rm_alloc_mapped_page(RM, PAGE, VADDR, &ph) == Rm_ErrOk) {
                volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)VADDR;
                p[i % 512] = i;
                wrong += p[i % 512] != i;
                wrong += rm_free(RM, ph) != Rm_ErrOk;
            } else {
                wrong++;
            }
        }
        wrong += rm_free(RM, h) != Rm_ErrOk;
        wrong += rm_free(RM, h) != Rm_ErrInvalidArgument;
        /* Page tables made for the mapping stay charged until the client ends. */
        if (i == 0) {
            base = rm_stat(RM, Rm_StatUsedBytes);
        }
        wrong += rm_stat(RM, Rm_StatUsedBytes) != base;
        sigil_yield(); /* the hostile client, at the same priority, goes on */
    }
    sigil_printf("rm-good: %u rounds during the flood, %u wrong answers\n", ROUNDS, wrong);
    sigil_signal(DONE);
    rm_exit_now(RM, wrong != 0);
}
