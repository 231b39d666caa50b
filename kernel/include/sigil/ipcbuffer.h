/*
 * The IPC buffer and the message info word: seL4's layouts (see docs/kernel/api.md).
 *
 * A thread's IPC buffer is 1024 bytes, 1024-aligned, in a frame it has mapped writable. The
 * first SIGIL_MSG_REGISTERS_IN_SYSCALL message registers travel in x2-x5; the rest, and the
 * extra caps (sending) or badges of unwrapped caps (receiving), in the buffer. The kernel keeps
 * each thread's IPC buffer address in TPIDRRO_EL0, readable (not writable) at EL0.
 */
#ifndef SIGIL_IPCBUFFER_H
#define SIGIL_IPCBUFFER_H

#include <stdint.h>

#include <sigil/abi.h>

typedef uint64_t sigil_word_t;
typedef uint64_t sigil_cptr_t;

typedef struct sigil_ipc_buffer {
    sigil_word_t tag;
    sigil_word_t msg[SIGIL_MSG_MAX_LENGTH];
    sigil_word_t user_data;
    sigil_word_t caps_or_badges[SIGIL_MSG_MAX_EXTRA_CAPS];
    sigil_cptr_t receive_cnode;
    sigil_cptr_t receive_index;
    sigil_word_t receive_depth;
} sigil_ipc_buffer_t;

_Static_assert(sizeof(sigil_ipc_buffer_t) == (1u << SIGIL_MSG_IPC_BUFFER_SIZE_BITS),
               "the IPC buffer is 1024 bytes");

/* Message info: label 63:12, capsUnwrapped 11:9, extraCaps 8:7, length 6:0. */
typedef sigil_word_t sigil_msginfo_t;

static inline sigil_msginfo_t sigil_msginfo_new(sigil_word_t label, sigil_word_t unwrapped,
                                                sigil_word_t extra_caps, sigil_word_t length)
{
    return (label << SIGIL_MSG_LABEL_SHIFT) |
           ((unwrapped & ((1u << SIGIL_MSG_CAPS_UNWRAPPED_BITS) - 1))
            << SIGIL_MSG_CAPS_UNWRAPPED_SHIFT) |
           ((extra_caps & ((1u << SIGIL_MSG_EXTRA_CAPS_BITS) - 1)) << SIGIL_MSG_EXTRA_CAPS_SHIFT) |
           (length & ((1u << SIGIL_MSG_LENGTH_BITS) - 1));
}

static inline sigil_word_t sigil_msginfo_label(sigil_msginfo_t m)
{
    return m >> SIGIL_MSG_LABEL_SHIFT;
}

static inline sigil_word_t sigil_msginfo_caps_unwrapped(sigil_msginfo_t m)
{
    return (m >> SIGIL_MSG_CAPS_UNWRAPPED_SHIFT) & ((1u << SIGIL_MSG_CAPS_UNWRAPPED_BITS) - 1);
}

static inline sigil_word_t sigil_msginfo_extra_caps(sigil_msginfo_t m)
{
    return (m >> SIGIL_MSG_EXTRA_CAPS_SHIFT) & ((1u << SIGIL_MSG_EXTRA_CAPS_BITS) - 1);
}

static inline sigil_word_t sigil_msginfo_length(sigil_msginfo_t m)
{
    return m & ((1u << SIGIL_MSG_LENGTH_BITS) - 1);
}

#endif /* SIGIL_IPCBUFFER_H */
