/*
 * VSpace roots: the top-level translation table of an address space. Sigil manages ASIDs
 * inside the kernel (no ASID pool caps); the VSpace cap records the ASID once one is
 * assigned (VSpace layer).
 */
#ifndef OBJECT_VSPACE_H
#define OBJECT_VSPACE_H

#include <object/cap.h>

/* The last cap to a VSpace is being deleted: release its ASID and flush. */
void vspace_finalise(cap_t c);

#endif /* OBJECT_VSPACE_H */
