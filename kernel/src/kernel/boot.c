/*
 * boot_main: the kernel's first C code, entered from head.S at EL1 with the MMU on, on the
 * kernel stack, interrupts masked.
 *
 * 1. console; 2. the device tree QEMU leaves at the start of RAM: RAM size and PSCI conduit;
 * 3. drop head.S's identity map from TTBR0 (and the TLB); 4. interrupt controller and tick;
 * 5. EL0 access to the cycle counter (benchmarks); 6. the root task; 7. enter user space.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>
#include <arch/vspace_boot.h>
#include <sigil/abi.h>

#include "kernel/bootmem.h"
#include "kernel/kernel.h"
#include "kernel/rootserver.h"
#include "kernel/sched.h"
#include "lib/assert.h"
#include "lib/fdt.h"
#include "lib/kprintf.h"

/* Instructions head.S executes before the cycle counter is reset (keep in step with head.S). */
#define BOOT_PMU_PREAMBLE 6
#define FDT_MAX_SIZE      0x200000 /* QEMU's device tree must fit below the kernel at +2 MiB */

extern const char _kernel_end[];

struct tcb *kernel_root_thread;

void boot_main(void);

__attribute__((weak)) void boot_test_hook(void)
{
}

__attribute__((weak)) void boot_test_early_hook(void)
{
}

static void read_device_tree(uint64_t *ram_base, uint64_t *ram_size)
{
    fdt_t fdt;
    if (!fdt_check(arch_kptr(SIGIL_PLAT_RAM_BASE), FDT_MAX_SIZE, &fdt)) {
        kpanic("no device tree at the start of RAM");
    }
    if (!fdt_memory(&fdt, ram_base, ram_size)) {
        kpanic("device tree has no usable /memory node");
    }
    size_t len;
    const char *method = fdt_get_prop(&fdt, "/psci", "method", &len);
    bool hvc =
        method != NULL && len >= 4 && method[0] == 'h' && method[1] == 'v' && method[2] == 'c';
    psci_set_conduit_hvc(hvc);
    kprintf("sigil: RAM 0x%llx-0x%llx (%llu MiB), PSCI via %s\n", (unsigned long long)*ram_base,
            (unsigned long long)(*ram_base + *ram_size), (unsigned long long)(*ram_size >> 20),
            hvc ? "hvc" : "smc");
}

void boot_main(void)
{
    boot_test_early_hook();
    uart_init();
    kprintf("\nSigil kernel: EL1, QEMU virt, GICv2\n");
    uint64_t ram_base, ram_size;
    read_device_tree(&ram_base, &ram_size);
    paddr_t kernel_end = arch_paddr(_kernel_end);
    if (ram_base > KERNEL_PHYS_BASE || kernel_end > ram_base + ram_size ||
        ram_base + ram_size > 4ull << 30) {
        kpanic("RAM 0x%llx+0x%llx does not hold the kernel or exceeds the boot window",
               (unsigned long long)ram_base, (unsigned long long)ram_size);
    }
    arch_vspace_leave_boot_map();
    gic_init();
    timer_init();
    /* EL0 may read the cycle counter (CR), for benchmarks, and nothing else of the PMU: with EN
     * it could also stop or reset the counter the kernel's latency figures rely on. */
    SYSREG_WRITE(pmuserenr_el0, PMUSERENR_CR);

    bootmem_init(kernel_end, ram_base + ram_size);
    kernel_root_thread = rootserver_build(ram_base, ram_base + ram_size, BOOT_PMU_PREAMBLE);
    sched_set_current(kernel_root_thread);
    boot_test_hook();
    kernel_schedule_and_return();
}
