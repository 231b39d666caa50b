/*
 * A root task that never finishes: the harness must report it as a hang (timeout).
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("hang: spinning forever\n");
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}
