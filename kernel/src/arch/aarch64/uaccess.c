/*
 * Reading user memory from the kernel without trusting the pointer: each page is translated
 * with AT S1E0R (as EL0 would see it), and only a page that EL0 may read and that is RAM is
 * copied, through the kernel window. A device page is refused: the window does not reach device
 * memory above 4 GiB, and below 1 GiB a read would touch MMIO registers. A bad pointer yields
 * false, never a kernel fault.
 */
#include <arch/sysreg.h>
#include <arch/uaccess.h>
#include <arch/vspace.h>

#include "lib/kstring.h"

static bool user_page_paddr(uint64_t va, paddr_t *pa)
{
    __asm__ volatile("at s1e0r, %0" ::"r"(va));
    arch_isb();
    uint64_t par = SYSREG_READ(par_el1);
    if (par & 1) {
        return false;
    }
    *pa = (par & PTE_ADDR_MASK) | (va & 0xfff);
    return arch_paddr_in_ram(*pa);
}

bool arch_copy_from_user(void *dst, uint64_t src, uint64_t len)
{
    uint8_t *d = dst;
    if (src >= SIGIL_USER_TOP || len > SIGIL_USER_TOP - src) {
        return false;
    }
    while (len > 0) {
        paddr_t pa;
        if (!user_page_paddr(src, &pa)) {
            return false;
        }
        uint64_t chunk = 4096 - (src & 0xfff);
        if (chunk > len) {
            chunk = len;
        }
        memcpy(d, arch_kptr(pa), chunk);
        d += chunk, src += chunk, len -= chunk;
    }
    return true;
}
