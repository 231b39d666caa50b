/*
 * Frames (see frame.h).
 */
#include <arch/hooks.h>
#include <lib/assert.h>
#include <object/frame.h>

frame_size_t frame_size_of_type(word_t object_type)
{
    switch (object_type) {
    case Sigil_Frame2MObject:
        return FRAME_2M;
    case Sigil_Frame1GObject:
        return FRAME_1G;
    default:
        kassert(object_type == Sigil_Frame4KObject);
        return FRAME_4K;
    }
}

cap_t frame_new_cap(void *frame, word_t object_type, bool is_device)
{
    return cap_frame(frame, frame_size_of_type(object_type), is_device,
                     Sigil_CanRead | Sigil_CanWrite);
}

void frame_finalise(cap_t c)
{
    if (cap_mapped_asid(c) != 0) {
        arch_unmap_frame(c);
    }
}
