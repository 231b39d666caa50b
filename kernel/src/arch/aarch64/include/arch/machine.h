/*
 * AArch64 machine constants shared by assembly and C: the kernel's address-space layout,
 * system register bits, and memory attribute indices.
 *
 * The kernel runs at EL1 with TTBR1 holding the kernel window: every physical address pa
 * below KERNEL_WINDOW_SIZE is visible at KERNEL_WINDOW_BASE + pa. The window starts in the
 * upper half of the TTBR1 range so that kernel addresses are 48-bit sign-extended values,
 * which capabilities store in 48 bits. TTBR0 holds the current
 * user address space.
 */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ull
#endif

#define KERNEL_WINDOW_BASE UL(0xffff800000000000)
#define KERNEL_WINDOW_SIZE UL(0x0000008000000000) /* 512 GiB: one L1 table of 1 GiB blocks */
#define KERNEL_PHYS_BASE   0x40200000             /* where QEMU loads the kernel image */
#define KERNEL_STACK_SIZE  0x4000

/* MAIR_EL1 attribute indices. */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL        1
#define MT_NORMAL_NC     2
#define MT_DEVICE_nGnRE  3
#define MAIR_VALUE       0x0444ff00 /* idx0 0x00, idx1 0xff, idx2 0x44, idx3 0x04 */

/* TCR_EL1: 48-bit VAs in both halves, 4 KiB granule, write-back inner shareable walks,
 * 40-bit physical addresses, 16-bit ASIDs. */
#define TCR_T0SZ       (16 << 0)
#define TCR_IRGN0_WBWA (1 << 8)
#define TCR_ORGN0_WBWA (1 << 10)
#define TCR_SH0_INNER  (3 << 12)
#define TCR_TG0_4K     (0 << 14)
#define TCR_T1SZ       (16 << 16)
#define TCR_IRGN1_WBWA (1 << 24)
#define TCR_ORGN1_WBWA (1 << 26)
#define TCR_SH1_INNER  (3 << 28)
#define TCR_TG1_4K     (UL(2) << 30)
#define TCR_IPS_40BIT  (UL(2) << 32)
#define TCR_AS16       (UL(1) << 36)

/* SCTLR_EL1: MMU, caches, stack alignment checks, EL0 access to cache maintenance and CTR,
 * plus the architecturally RES1 bits. */
#define SCTLR_M    (1 << 0)
#define SCTLR_C    (1 << 2)
#define SCTLR_SA   (1 << 3)
#define SCTLR_SA0  (1 << 4)
#define SCTLR_I    (1 << 12)
#define SCTLR_DZE  (1 << 14)
#define SCTLR_UCT  (1 << 15)
#define SCTLR_nTWI (1 << 16)
#define SCTLR_nTWE (1 << 18)
#define SCTLR_UCI  (1 << 26)
#define SCTLR_RES1 0x30d00800

/* Page-table descriptor bits (stage 1, 4 KiB granule). */
#define PTE_VALID     (UL(1) << 0)
#define PTE_TABLE     (UL(1) << 1) /* at levels 0-2: next-level table; at level 3: page */
#define PTE_ATTR(i)   ((i) << 2)
#define PTE_AP_EL0    (UL(1) << 6) /* EL0 accessible */
#define PTE_AP_RO     (UL(1) << 7) /* read-only */
#define PTE_SH_INNER  (UL(3) << 8)
#define PTE_AF        (UL(1) << 10)
#define PTE_NG        (UL(1) << 11)
#define PTE_PXN       (UL(1) << 53)
#define PTE_UXN       (UL(1) << 54)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* PMUSERENR_EL0: CR lets EL0 read the cycle counter PMCCNTR_EL0; EN (bit 0, never set) would
 * let it write PMCR_EL0 and the counters too. */
#define PMUSERENR_CR (1 << 2)

/* SPSR values. */
#define SPSR_EL1H_MASKED 0x3c5 /* EL1h, D A I F masked */
#define SPSR_EL0T        0x0   /* EL0t, interrupts enabled */

/* Exception syndrome classes (ESR_ELx.EC). */
#define EC_UNKNOWN       0x00
#define EC_WFX           0x01
#define EC_FP_ASIMD      0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64         0x15
#define EC_HVC64         0x16
#define EC_SMC64         0x17
#define EC_SYSREG        0x18
#define EC_IABT_LOWER    0x20
#define EC_IABT_CURRENT  0x21
#define EC_PC_ALIGN      0x22
#define EC_DABT_LOWER    0x24
#define EC_DABT_CURRENT  0x25
#define EC_SP_ALIGN      0x26
#define EC_FP_EXC64      0x2c
#define EC_SERROR        0x2f
#define EC_BRK64         0x3c

#endif /* ARCH_MACHINE_H */
