/*
 * PL011 console on QEMU virt (UART0). Output only, polled: the kernel prints rarely and
 * never from a hot path, and polling keeps the console usable from a panic.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

#include "lib/kprintf.h"

#define UART_DR      0x00
#define UART_FR      0x18
#define UART_FR_TXFF (1u << 5)

static uintptr_t uart_base(void)
{
    return (uintptr_t)arch_kptr(SIGIL_PLAT_UART_BASE);
}

void uart_init(void)
{
    /* QEMU's PL011 is usable from reset; nothing to configure for output. */
}

void uart_putc(char c)
{
    uintptr_t base = uart_base();
    while (mmio_read32(base + UART_FR) & UART_FR_TXFF) {
    }
    mmio_write32(base + UART_DR, (uint8_t)c);
}

void arch_console_putc(char c)
{
    if (c == '\n') {
        uart_putc('\r');
    }
    uart_putc(c);
}
