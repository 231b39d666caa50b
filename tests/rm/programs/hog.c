/*
 * The hog of tests/rm/pressure.yaml: once the administrator has raised its quota beyond the
 * pool and lets it go, it takes untyped blocks of every size from 512 MiB down to 4 KiB until the
 * manager answers NoMemory. When the pool has no 4 KiB block left, each further request makes
 * the manager take demand pages from the pageable client (memory pressure); the hog's last
 * NoMemory comes when that client has none left. It tells the administrator and waits to be
 * killed, holding everything.
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 `hog_go` (Read); 3 `hog_done`
 * (Write); 4 .. 511 the blocks it takes.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, GO = 2, DONE = 3, FIRST = 4, SLOTS = 512 };

int main(const void *arg)
{
    (void)arg;
    sigil_word_t w, h, slot = FIRST;
    sigil_wait(GO, &w);
    rm_error_t err = Rm_ErrOk;
    for (unsigned bits = 29; bits >= 12 && slot < SLOTS; bits--) {
        while (slot < SLOTS &&
               (err = rm_alloc(RM, Sigil_UntypedObject, bits, 1, slot, &h)) == Rm_ErrOk) {
            slot++;
        }
    }
    sigil_printf("rm-hog: took untyped blocks down to 4 KiB until %s\n", rm_error_name(err));
    sigil_signal(DONE);
    for (;;) {
        sigil_wait(GO, &w); /* nobody signals it again */
    }
}
