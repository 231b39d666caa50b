/*
 * sigil_invoke: marshal a kernel invocation (see <sigil/ipc.h>).
 */
#include <sigil/ipc.h>

sigil_msginfo_t sigil_invoke(sigil_cptr_t service, sigil_word_t label, const sigil_word_t *mr,
                             sigil_word_t nmr, const sigil_cptr_t *caps, unsigned ncaps)
{
    sigil_ipc_buffer_t *b = sigil_ipc_buffer();
    if (nmr > SIGIL_MSG_MAX_LENGTH) {
        nmr = SIGIL_MSG_MAX_LENGTH;
    }
    for (sigil_word_t i = SIGIL_MSG_REGISTERS_IN_SYSCALL; i < nmr; i++) {
        b->msg[i] = mr[i];
    }
    return sigil_invoke_inline(service, label, mr, nmr, caps, ncaps);
}
