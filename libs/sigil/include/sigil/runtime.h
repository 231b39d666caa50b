/*
 * The user runtime: program entry contract and debug output.
 *
 * A program defines `int main(const void *arg)`; crt0 calls it with the thread's start
 * argument (the boot-info page for the root task). When main returns, sigil_exit() runs: for a
 * root task built on its own (no loader) that powers the machine off with main's status.
 */
#ifndef SIGIL_RUNTIME_H
#define SIGIL_RUNTIME_H

#include <stdint.h>

int main(const void *arg);

_Noreturn void sigil_exit(int status);

/* printf to the kernel console (the kernel's format: %d %u %x %p %s %c, l/ll/z, width). */
int sigil_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The cycle counter value at the program's first instruction. */
extern uint64_t sigil_start_cycles;

#endif /* SIGIL_RUNTIME_H */
