/*
 * The user runtime: program entry contract and debug output.
 *
 * A program defines `int main(const void *arg)`; crt0 calls it with the thread's start
 * argument (the boot-info page for the root task). When main returns, sigil_exit() runs with
 * main's status: it ends this component only, as the spec says (<sigil/component_info.h>); a
 * root task built on its own (no loader) powers the machine off.
 */
#ifndef SIGIL_RUNTIME_H
#define SIGIL_RUNTIME_H

#include <stdint.h>

#include <sigil/component_info.h>

int main(const void *arg);

/* End this component with `status` (see above and docs/spec-format.md, "Ending a component"). */
_Noreturn void sigil_exit(int status);

/* The record the spec compiler wrote for this component, or NULL (a root task on its own). */
const sigil_component_info_t *sigil_component_info(void);

/* A managed client's end: the resource manager's client library defines this (an Exit
 * request on the request cap `rm`); without it a managed client ends like any component. */
void sigil_rm_exit_hook(uint64_t rm, int status) __attribute__((weak));

/* printf to the kernel console (the kernel's format: %d %u %x %p %s %c, l/ll/z, width). */
int sigil_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The cycle counter value at the program's first instruction. */
extern uint64_t sigil_start_cycles;

#endif /* SIGIL_RUNTIME_H */
