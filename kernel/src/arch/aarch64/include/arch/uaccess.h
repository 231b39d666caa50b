/*
 * Checked access to user memory (see uaccess.c).
 */
#ifndef ARCH_UACCESS_H
#define ARCH_UACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/arch.h>
#include <sigil/abi.h>

#define SIGIL_USER_TOP SIGIL_PLAT_USER_TOP

/* Copy `len` bytes from user address `src` of the current address space; false (and a partial
 * copy) if any byte is not readable by the user thread or lies outside RAM. */
bool arch_copy_from_user(void *dst, uint64_t src, uint64_t len);

#endif /* ARCH_UACCESS_H */
