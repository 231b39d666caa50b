/*
 * The `hello` system's only component (specs/hello.yaml): prints, reads the real-time clock the
 * spec maps as a device frame, and exits, which powers the machine off with success.
 */
#include <sigil/runtime.h>

#define RTC_VADDR 0x10000000ull /* the spec's `rtc` region: PL031, data register at offset 0 */

int main(const void *arg)
{
    (void)arg;
    sigil_printf("hello: hello from a component the capDL loader built\n");
    sigil_printf("hello: the real-time clock reads %u seconds\n",
                 *(volatile uint32_t *)(uintptr_t)RTC_VADDR);
    return 0;
}
