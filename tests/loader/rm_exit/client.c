/*
 * A managed client that ends by returning from main (rm_exit.yaml): its runtime turns that into
 * an Exit request to the resource manager (librm's hook), which reclaims everything it held.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("rm-exit-client: returning 3\n");
    return 3;
}
