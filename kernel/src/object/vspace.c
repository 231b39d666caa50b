/*
 * VSpace roots (see vspace.h).
 */
#include <arch/hooks.h>
#include <object/vspace.h>

void vspace_finalise(cap_t c)
{
    arch_vspace_delete(c);
}
