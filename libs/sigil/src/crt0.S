/*
 * Program entry. The kernel (or the loader) starts a thread here with x0 = the start argument
 * (the boot-info page for the root task) and sp at the top of its stack.
 * The very first instruction reads the cycle counter, so boot-cost benchmarks can tell when
 * user space began.
 * A program linked with the C library (src/libc.c) continues in sigil_libc_start(x0), which
 * sets up TLS and stdio and calls main itself; `sigil_libc_start` is a weak reference, zero in
 * a freestanding program, which calls main here.
 */
    .section .text.start, "ax"
    .global _start
    .weak sigil_libc_start
_start:
    mrs     x9, pmccntr_el0
    adrp    x10, sigil_start_cycles
    str     x9, [x10, :lo12:sigil_start_cycles]
    ldr     x11, =sigil_libc_start
    cbz     x11, 2f
    br      x11
2:  bl      main
    bl      sigil_exit
1:  b       1b
    .ltorg

    .bss
    .balign 8
    .global sigil_start_cycles
sigil_start_cycles:
    .quad   0
