/*
 * Debug output and the end of a program.
 *
 * sigil_exit() (crt0 calls it when main returns) ends only this component, as its record
 * from the spec compiler says (<sigil/component_info.h>, docs/spec-format.md "Ending a
 * component"): a component whose end the spec says ends the whole system reports its end by
 * name and powers the machine off with its status (managed or not); otherwise a managed client
 * asks the resource manager to end it (Exit: everything it holds is reclaimed) and any other
 * component reports its end by name and stops its own thread. A thread
 * without the record (a root task on its own) powers the machine off with its status.
 * Powering off needs a Debug cap allowing it (sigil_debug_cap, <sigil/sys.h>; the spec gives
 * one to every component that ends the system).
 */
#include <sigil/component_info.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

#include "lib/kprintf.h"

int sigil_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    uint64_t shown = (uint64_t)n < sizeof(buf) ? (uint64_t)n : sizeof(buf) - 1;
    sigil_debug_puts(buf, shown);
    return n;
}

uint64_t sigil_debug_cap = SIGIL_DEBUG_CAP_DEFAULT;

uint64_t sigil_debug_cptr(void)
{
    static uint64_t from_record = SIGIL_DEBUG_CAP_DEFAULT; /* the default, once looked up */
    if (sigil_debug_cap != SIGIL_DEBUG_CAP_DEFAULT) {
        return sigil_debug_cap;
    }
    if (from_record == SIGIL_DEBUG_CAP_DEFAULT) {
        const sigil_component_info_t *c = sigil_component_info();
        from_record = c ? c->debug_cap : Sigil_SlotDebug;
    }
    return from_record;
}

_Noreturn void sigil_debug_power_off(int status)
{
    uint64_t e = sigil_debug_try_power_off(status);
    sigil_printf("sigil: power-off refused (error %lu): no Debug cap allowing PowerOff\n",
                 (unsigned long)e);
    for (;;) { /* nothing else this thread may do: give the CPU away for good */
        sigil_yield();
    }
}

const sigil_component_info_t *sigil_component_info(void)
{
    uintptr_t buf = (uintptr_t)sigil_ipc_buffer();
    if (buf == 0 || (buf & (SIGIL_PAGE_SIZE - 1)) != 0) {
        return 0;
    }
    const sigil_component_info_t *c =
        (const sigil_component_info_t *)(buf + SIGIL_COMPONENT_INFO_OFFSET);
    return c->magic == SIGIL_COMPONENT_INFO_MAGIC ? c : 0;
}

_Noreturn void sigil_exit(int status)
{
    const sigil_component_info_t *c = sigil_component_info();
    if (!c) {
        sigil_debug_power_off(status);
    }
    int ends_system = (c->flags & SIGIL_COMPONENT_ENDS_SYSTEM) != 0; /* managed or not */
    if (!ends_system && (c->flags & SIGIL_COMPONENT_MANAGED) && sigil_rm_exit_hook) {
        sigil_rm_exit_hook(c->rm_request, status); /* does not return */
    }
    sigil_printf("sigil: component %s exited with status %d\n", sigil_component_name(c), status);
    if (ends_system) {
        sigil_debug_power_off(status);
    }
    if (c->self_tcb) {
        sigil_tcb_suspend(c->self_tcb);
    }
    for (;;) { /* no cap to its own TCB (its CSpace was full): give the CPU away for good */
        sigil_yield();
    }
}
