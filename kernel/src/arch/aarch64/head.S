/*
 * Kernel entry. QEMU starts the image at _start, at EL2 (virtualization=on) or EL1, with the
 * MMU off. In order:
 *   1. start the PMU cycle counter at zero, so boot cost can be measured from here;
 *   2. if at EL2, configure EL2 to stay out of the way and drop to EL1;
 *   3. build the boot page tables: TTBR1 maps the kernel window (physical 0-4 GiB at
 *      KERNEL_WINDOW_BASE), TTBR0 maps the RAM gigabyte holding the kernel one to one so
 *      that the instructions after the MMU switch still run (boot_main drops that map and
 *      invalidates the TLB before any thread runs: arch_vspace_leave_boot_map);
 *   4. turn the MMU on, jump to the kernel window, zero .bss, and call boot_main().
 */
#include <arch/machine.h>

#define BLOCK_DESC (PTE_VALID | PTE_AF)
#define DEVICE_BLOCK (BLOCK_DESC | PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_PXN | PTE_UXN)
#define NORMAL_BLOCK (BLOCK_DESC | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_UXN)
#define TABLE_DESC (PTE_VALID | PTE_TABLE)
#define KERNEL_L0_INDEX ((KERNEL_WINDOW_BASE >> 39) & 511)

    .section .boot.text, "ax"
    .global _start
_start:
    /* 1. Cycle counter on and reset, counting EL0-EL2. BOOT_PMU_PREAMBLE (boot.c) counts the
     * instructions executed before the reset takes effect: keep the two in step. */
    mov     x9, #(1 << 27)
    msr     pmccfiltr_el0, x9
    mov     x9, #0x80000000
    msr     pmcntenset_el0, x9
    mov     x9, #5
    msr     pmcr_el0, x9
    isb

    /* 2. Exception level. */
    mrs     x9, CurrentEL
    lsr     x9, x9, #2
    cmp     x9, #2
    b.ne    at_el1
    mov     x9, #0x80000000             /* HCR_EL2.RW: EL1 is AArch64; nothing trapped */
    msr     hcr_el2, x9
    mov     x9, #3                      /* EL1 may use the physical timer and counter */
    msr     cnthctl_el2, x9
    msr     cntvoff_el2, xzr
    mov     x9, #0x33ff                 /* CPTR_EL2: RES1 bits, FP/SIMD not trapped */
    msr     cptr_el2, x9
    mrs     x9, pmcr_el0                /* MDCR_EL2.HPMN = PMCR.N: EL1 sees every counter */
    ubfx    x9, x9, #11, #5
    msr     mdcr_el2, x9
    msr     vttbr_el2, xzr
    ldr     x9, =SCTLR_RES1
    msr     sctlr_el1, x9
    mov     x9, #SPSR_EL1H_MASKED
    msr     spsr_el2, x9
    adr     x9, at_el1
    msr     elr_el2, x9
    eret

at_el1:
    mov     x9, #(3 << 20)              /* CPACR_EL1.FPEN: FP/SIMD usable at EL0 */
    msr     cpacr_el1, x9

    /* 3. Boot page tables (four pages in .boot.tables, zeroed here). */
    ldr     x0, =boot_tables
    ldr     x1, =KERNEL_WINDOW_BASE
    sub     x0, x0, x1                  /* physical address of the tables */
    mov     x2, x0
    mov     x3, #(4 * 4096 / 16)
1:  stp     xzr, xzr, [x2], #16
    subs    x3, x3, #1
    b.ne    1b
    /* x0 = TTBR1 L0, x0+4K = TTBR1 L1, x0+8K = TTBR0 L0, x0+12K = TTBR0 L1 */
    add     x2, x0, #4096
    orr     x3, x2, #TABLE_DESC
    str     x3, [x0, #(KERNEL_L0_INDEX * 8)] /* TTBR1 L0 entry of the window -> L1 */
    ldr     x3, =DEVICE_BLOCK           /* L1[0]: 0-1 GiB, devices */
    str     x3, [x2]
    ldr     x3, =NORMAL_BLOCK
    mov     x4, #1
2:  orr     x5, x3, x4, lsl #30         /* L1[1..3]: 1-4 GiB, normal memory */
    str     x5, [x2, x4, lsl #3]
    add     x4, x4, #1
    cmp     x4, #4
    b.ne    2b
    add     x6, x0, #8192               /* TTBR0 L0 */
    add     x7, x0, #12288              /* TTBR0 L1 */
    orr     x3, x7, #TABLE_DESC
    str     x3, [x6]
    ldr     x3, =NORMAL_BLOCK
    and     x3, x3, #~PTE_UXN
    orr     x3, x3, #(1 << 30)          /* L1[1]: the gigabyte holding the kernel, 1:1 */
    str     x3, [x7, #8]

    /* 4. MMU on. */
    ldr     x3, =MAIR_VALUE
    msr     mair_el1, x3
    ldr     x3, =(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K | TCR_IPS_40BIT | TCR_AS16)
    msr     tcr_el1, x3
    msr     ttbr1_el1, x0
    msr     ttbr0_el1, x6
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    ldr     x3, =(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_SA0 | SCTLR_DZE | SCTLR_UCT | SCTLR_nTWI | SCTLR_nTWE | SCTLR_UCI)
    msr     sctlr_el1, x3
    isb
    ldr     x3, =in_window
    br      x3

    .text
in_window:
    ldr     x3, =kernel_stack_top
    mov     sp, x3
    ldr     x3, =arch_vectors
    msr     vbar_el1, x3
    isb
    ldr     x3, =_bss_start
    ldr     x4, =_bss_end
3:  cmp     x3, x4
    b.hs    4f
    stp     xzr, xzr, [x3], #16
    b       3b
4:  bl      boot_main
5:  wfi
    b       5b

    .section .boot.tables, "aw", %nobits
    .balign 4096
    .global boot_tables
boot_tables:
    .space  4 * 4096

    .bss
    .balign 16
    .global kernel_stack
kernel_stack:
    .space  KERNEL_STACK_SIZE
    .global kernel_stack_top
kernel_stack_top:
