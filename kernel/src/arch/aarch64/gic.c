/*
 * GICv2 distributor and CPU interface (QEMU virt, gic-version=2).
 *
 * All interrupts are Group 0, priority 0xa0, routed to CPU 0. The kernel masks interrupts while
 * it runs; the GIC only decides which interrupt the CPU sees when it next unmasks (at EL0 or at
 * a preemption point).
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <sigil/abi.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00

#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_IAR  0x0c
#define GICC_EOIR 0x10

static uintptr_t gicd(unsigned off)
{
    return (uintptr_t)arch_kptr(SIGIL_PLAT_GICD_BASE) + off;
}

static uintptr_t gicc(unsigned off)
{
    return (uintptr_t)arch_kptr(SIGIL_PLAT_GICC_BASE) + off;
}

void gic_init(void)
{
    unsigned lines = ((mmio_read32(gicd(GICD_TYPER)) & 0x1f) + 1) * 32;
    mmio_write32(gicd(GICD_CTLR), 0);
    for (unsigned i = 0; i < lines; i += 32) {
        mmio_write32(gicd(GICD_ICENABLER + i / 8), 0xffffffff);
        mmio_write32(gicd(GICD_ICPENDR + i / 8), 0xffffffff);
    }
    for (unsigned i = 0; i < lines; i += 4) {
        mmio_write32(gicd(GICD_IPRIORITYR + i), 0xa0a0a0a0);
        if (i >= 32) {
            mmio_write32(gicd(GICD_ITARGETSR + i), 0x01010101);
        }
    }
    mmio_write32(gicd(GICD_CTLR), 1);
    mmio_write32(gicc(GICC_PMR), 0xff);
    mmio_write32(gicc(GICC_CTLR), 1);
}

void gic_enable_irq(unsigned irq)
{
    mmio_write32(gicd(GICD_ISENABLER + (irq / 32) * 4), 1u << (irq % 32));
}

void gic_disable_irq(unsigned irq)
{
    mmio_write32(gicd(GICD_ICENABLER + (irq / 32) * 4), 1u << (irq % 32));
}

unsigned gic_ack(void)
{
    return mmio_read32(gicc(GICC_IAR)) & 0x3ff;
}

void gic_eoi(unsigned irq)
{
    mmio_write32(gicc(GICC_EOIR), irq);
}
