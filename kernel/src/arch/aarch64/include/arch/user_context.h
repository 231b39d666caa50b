/*
 * AArch64 user context: the order in which TCB_ReadRegisters, TCB_WriteRegisters and
 * TCB_CopyRegisters see a thread's registers, and what user space may write into them.
 *
 * The order is seL4's seL4_UserContext on AArch64, so that code written against seL4's struct
 * works unchanged (word i of the message is context word i):
 *
 *    0 pc     1 sp     2 spsr   3 x0 ... 11 x8   12 x16  13 x17  14 x18  15 x29  16 x30
 *   17 x9 ... 23 x15  24 x19 ... 33 x28  34 tpidr_el0  35 tpidrro_el0
 *
 * Words 0-16 are seL4's "frame" registers (those a syscall or fault frame carries), words
 * 17-34 its "integer" registers; CopyRegisters transfers the two groups separately.
 * tpidrro_el0 holds the IPC buffer address the kernel exposes read-only to EL0: it can be read
 * but never written or copied (the IPC buffer is set with TCB_SetIPCBuffer or Configure).
 * A written SPSR keeps only the NZCV flags; the thread always runs in EL0t with interrupts
 * unmasked. A written PC may be anything: a bad one faults the thread, not the kernel.
 */
#ifndef ARCH_USER_CONTEXT_H
#define ARCH_USER_CONTEXT_H

#include <arch/tcb.h>
#include <sigil/abi.h>
#include <stdbool.h>

/* The word numbers are generated from kernel/abi/sigil.yaml (`user_context`). */
enum {
    ARCH_CONTEXT_WORDS = SIGIL_CONTEXT_WORDS,         /* words of the user context */
    ARCH_CONTEXT_FRAME_WORDS = Sigil_Ctx_X9,          /* words 0..16: frame registers */
    ARCH_CONTEXT_INTEGER_END = Sigil_Ctx_TPIDRRO_EL0, /* words 17..34: integer registers */
    ARCH_CONTEXT_READ_ONLY_WORD = Sigil_Ctx_TPIDRRO_EL0
};

/* SPSR bits user space may set: N, Z, C, V. Everything else reads as EL0t, DAIF clear. */
#define ARCH_SPSR_USER_FLAGS 0xf0000000ull

/* The arch_regs_t index of context word `i` (i < ARCH_CONTEXT_WORDS). */
static inline unsigned arch_context_reg(unsigned i)
{
    static const unsigned char reg[ARCH_CONTEXT_WORDS] = {
        [Sigil_Ctx_PC] = ARCH_REG_PC,
        [Sigil_Ctx_SP] = ARCH_REG_SP,
        [Sigil_Ctx_SPSR] = ARCH_REG_SPSR,
        [Sigil_Ctx_X0] = 0,
        [Sigil_Ctx_X1] = 1,
        [Sigil_Ctx_X2] = 2,
        [Sigil_Ctx_X3] = 3,
        [Sigil_Ctx_X4] = 4,
        [Sigil_Ctx_X5] = 5,
        [Sigil_Ctx_X6] = 6,
        [Sigil_Ctx_X7] = 7,
        [Sigil_Ctx_X8] = 8,
        [Sigil_Ctx_X16] = 16,
        [Sigil_Ctx_X17] = 17,
        [Sigil_Ctx_X18] = 18,
        [Sigil_Ctx_X29] = 29,
        [Sigil_Ctx_X30] = 30,
        [Sigil_Ctx_X9] = 9,
        [Sigil_Ctx_X10] = 10,
        [Sigil_Ctx_X11] = 11,
        [Sigil_Ctx_X12] = 12,
        [Sigil_Ctx_X13] = 13,
        [Sigil_Ctx_X14] = 14,
        [Sigil_Ctx_X15] = 15,
        [Sigil_Ctx_X19] = 19,
        [Sigil_Ctx_X20] = 20,
        [Sigil_Ctx_X21] = 21,
        [Sigil_Ctx_X22] = 22,
        [Sigil_Ctx_X23] = 23,
        [Sigil_Ctx_X24] = 24,
        [Sigil_Ctx_X25] = 25,
        [Sigil_Ctx_X26] = 26,
        [Sigil_Ctx_X27] = 27,
        [Sigil_Ctx_X28] = 28,
        [Sigil_Ctx_TPIDR_EL0] = ARCH_REG_TPIDR,
        [Sigil_Ctx_TPIDRRO_EL0] = ARCH_REG_IPCBUF,
    };
    return reg[i];
}

/* The SPSR a thread gets when user space (WriteRegisters, a fault reply) asks for `v`: only the
 * condition flags are taken; the thread always runs at EL0t with interrupts unmasked. */
static inline uint64_t arch_sanitise_spsr(uint64_t v)
{
    return v & ARCH_SPSR_USER_FLAGS;
}

/* The value a register takes when user space writes `v` into context word `i`. */
static inline uint64_t arch_context_sanitise(unsigned i, uint64_t v)
{
    return arch_context_reg(i) == ARCH_REG_SPSR ? arch_sanitise_spsr(v) : v;
}

/* Whether user space may write context word `i`. */
static inline bool arch_context_writable(unsigned i)
{
    return i != ARCH_CONTEXT_READ_ONLY_WORD;
}

#endif /* ARCH_USER_CONTEXT_H */
