/*
 * arch_smc_call(const word_t in[8], word_t out[8]): issue `smc #0` with x0-x7 = in[0..7] and
 * store x0-x7 to out[0..7].
 *
 * If no firmware answers, the smc instruction is undefined at EL1 and traps to the kernel's
 * own vector; arch_kernel_trap recognises the faulting address `arch_smc_insn`, sets x0 to -1
 * (SMCCC NOT_SUPPORTED) and resumes after it, so the caller sees an ordinary -1 result.
 */
    .text
    .global arch_smc_call
    .global arch_smc_insn
arch_smc_call:
    stp     x19, x20, [sp, #-16]!
    mov     x19, x1                 /* out */
    mov     x9, x0
    ldp     x0, x1, [x9, #0]
    ldp     x2, x3, [x9, #16]
    ldp     x4, x5, [x9, #32]
    ldp     x6, x7, [x9, #48]
arch_smc_insn:
    smc     #0
    stp     x0, x1, [x19, #0]
    stp     x2, x3, [x19, #16]
    stp     x4, x5, [x19, #32]
    stp     x6, x7, [x19, #48]
    ldp     x19, x20, [sp], #16
    ret
