/*
 * sigil_invoke: marshal a kernel invocation (see <sigil/ipc.h>).
 */
#include <sigil/ipc.h>

sigil_msginfo_t sigil_invoke(sigil_cptr_t service, sigil_word_t label, const sigil_word_t *mr,
                             sigil_word_t nmr, const sigil_cptr_t *caps, unsigned ncaps)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    sigil_word_t regs[SIGIL_MSG_REGISTERS_IN_SYSCALL] = {0};
    if (nmr > SIGIL_MSG_MAX_LENGTH) {
        nmr = SIGIL_MSG_MAX_LENGTH;
    }
    for (sigil_word_t i = 0; i < nmr; i++) {
        if (i < SIGIL_MSG_REGISTERS_IN_SYSCALL) {
            regs[i] = mr[i];
        } else {
            b->msg[i] = mr[i];
        }
    }
    for (unsigned i = 0; i < ncaps && i < SIGIL_MSG_MAX_EXTRA_CAPS; i++) {
        b->caps_or_badges[i] = caps[i];
    }
    sigil_msginfo_t info = sigil_msginfo_new(label, 0, ncaps, nmr);
    sigil_call_raw(service, &info, regs);
    for (unsigned i = 0; i < SIGIL_MSG_REGISTERS_IN_SYSCALL; i++) {
        b->msg[i] = regs[i];
    }
    return info;
}
