/*
 * Program entry. The kernel (or the loader) starts a thread here with x0 = the start argument
 * (the boot-info page for the root task) and sp at the top of its stack.
 * The very first instruction reads the cycle counter, so boot-cost benchmarks can tell when
 * user space began.
 */
    .section .text.start, "ax"
    .global _start
_start:
    mrs     x9, pmccntr_el0
    adrp    x10, sigil_start_cycles
    str     x9, [x10, :lo12:sigil_start_cycles]
    bl      main
    bl      sigil_exit
1:  b       1b

    .bss
    .balign 8
    .global sigil_start_cycles
sigil_start_cycles:
    .quad   0
