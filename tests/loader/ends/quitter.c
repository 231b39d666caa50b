/*
 * Ending components (ends.yaml): returns from main at once with status 3. Its end must end only
 * this component: the runtime reports it by name and stops the thread.
 */
#include <sigil/runtime.h>

int main(const void *arg)
{
    (void)arg;
    sigil_printf("quitter: returning 3\n");
    return 3;
}
