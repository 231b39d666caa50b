/*
 * Frames: 4 KiB, 2 MiB and 1 GiB pages of memory given to user space.
 *
 * A frame has no kernel state beyond its cap: each frame cap records at most one mapping
 * (ASID and virtual address), as in seL4, so deleting a mapped frame cap removes exactly that
 * mapping through arch_unmap_frame(). Mapping invocations belong to the VSpace layer.
 */
#ifndef OBJECT_FRAME_H
#define OBJECT_FRAME_H

#include <object/cap.h>

/* Frame size class for a retype object type (must be one of the Frame types). */
frame_size_t frame_size_of_type(word_t object_type);

/* The cap given for a new frame made by retype. */
cap_t frame_new_cap(void *frame, word_t object_type, bool is_device);

/* A frame cap is being deleted (whether or not it is the last one): drop its mapping. */
void frame_finalise(cap_t c);

#endif /* OBJECT_FRAME_H */
