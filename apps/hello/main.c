/*
 * The `hello` system's only component (specs/hello.yaml): prints and exits, which powers the
 * machine off with success.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("hello: hello from a component the capDL loader built\n");
    return 0;
}
