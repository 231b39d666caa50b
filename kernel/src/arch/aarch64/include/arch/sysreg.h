/*
 * System register and barrier accessors.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define SYSREG_READ(reg)                                                                           \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_));                                              \
        v_;                                                                                        \
    })

#define SYSREG_WRITE(reg, val) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(val)))

static inline void arch_isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

static inline void arch_dsb_sy(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void arch_dsb_ish(void)
{
    __asm__ volatile("dsb ish" ::: "memory");
}

static inline void arch_dsb_ishst(void)
{
    __asm__ volatile("dsb ishst" ::: "memory");
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
    __asm__ volatile("str %w0, [%1]" ::"r"(val), "r"(addr) : "memory");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

#endif /* ARCH_SYSREG_H */
