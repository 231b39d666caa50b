/*
 * The component that ends the injection scenarios' system (systems/targets.yaml): it has the
 * lowest priority, so it runs only when every client and the injector have ended or wait for
 * good, and its end (`ends_system: true`) powers the machine off with status 0.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("watcher: the system is quiet; ending it\n");
    return 0;
}
