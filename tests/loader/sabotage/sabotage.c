/*
 * The sabotage shim's wrappers (see sabotage.h): what each bent step does wrong.
 *
 *   retype (spec objects)         untypeds one size smaller
 *   copy_cap (CSpaces phase)      copied and minted caps lose Write
 *   set_state (TCBs phase)        priority one lower; no argument registers; no TLS base; no
 *                                 bound notification
 *   loader_bind_irqs              no notification for IRQ handlers
 *   map_tables (VSpaces phase)    the table the spec maps at 0x80_0000 goes one 2 MiB span higher
 *                                 (tests/loader/check.yaml's empty table `pt_empty`)
 * Every other call passes through unchanged.
 */
#include "sabotage.h" /* SIGIL_SABOTAGE_IMPL (CMake): the wrappers reach the real stubs */

#include <sigil/abi.h>

#include "lib/kstring.h"

static int called_by(const char *caller, const char *name)
{
    return strcmp(caller, name) == 0;
}

sigil_word_t sabotage_untyped_retype(const char *caller, sigil_cptr_t service, sigil_word_t type,
                                     sigil_word_t size_bits, sigil_cptr_t root,
                                     sigil_word_t node_index, sigil_word_t node_depth,
                                     sigil_word_t node_offset, sigil_word_t num_objects)
{
    if (called_by(caller, "retype") && type == Sigil_UntypedObject) {
        size_bits--;
    }
    return sigil_untyped_retype(service, type, size_bits, root, node_index, node_depth, node_offset,
                                num_objects);
}

sigil_word_t sabotage_cnode_copy(const char *caller, sigil_cptr_t service, sigil_word_t dest_index,
                                 sigil_word_t dest_depth, sigil_cptr_t src_root,
                                 sigil_word_t src_index, sigil_word_t src_depth,
                                 sigil_word_t rights)
{
    if (called_by(caller, "copy_cap")) {
        rights &= ~(sigil_word_t)Sigil_CanWrite;
    }
    return sigil_cnode_copy(service, dest_index, dest_depth, src_root, src_index, src_depth,
                            rights);
}

sigil_word_t sabotage_cnode_mint(const char *caller, sigil_cptr_t service, sigil_word_t dest_index,
                                 sigil_word_t dest_depth, sigil_cptr_t src_root,
                                 sigil_word_t src_index, sigil_word_t src_depth,
                                 sigil_word_t rights, sigil_word_t badge)
{
    if (called_by(caller, "copy_cap")) {
        rights &= ~(sigil_word_t)Sigil_CanWrite;
    }
    return sigil_cnode_mint(service, dest_index, dest_depth, src_root, src_index, src_depth, rights,
                            badge);
}

sigil_word_t sabotage_tcb_set_sched_params(const char *caller, sigil_cptr_t service,
                                           sigil_cptr_t authority, sigil_word_t mcp,
                                           sigil_word_t priority)
{
    if (called_by(caller, "set_state") && priority > 0) {
        priority--;
    }
    return sigil_tcb_set_sched_params(service, authority, mcp, priority);
}

sigil_word_t sabotage_tcb_write_registers(const char *caller, sigil_cptr_t service,
                                          sigil_word_t resume_target, sigil_word_t arch_flags,
                                          sigil_word_t count, const sigil_word_t *registers)
{
    /* pc, sp and spsr only: the arguments that follow them stay zero */
    if (called_by(caller, "set_state") && count > Sigil_Ctx_X0) {
        count = Sigil_Ctx_X0;
    }
    return sigil_tcb_write_registers(service, resume_target, arch_flags, count, registers);
}

sigil_word_t sabotage_tcb_set_tls_base(const char *caller, sigil_cptr_t service,
                                       sigil_word_t tls_base)
{
    return called_by(caller, "set_state") ? Sigil_NoError
                                          : sigil_tcb_set_tls_base(service, tls_base);
}

sigil_word_t sabotage_tcb_bind_notification(const char *caller, sigil_cptr_t service,
                                            sigil_cptr_t notification)
{
    return called_by(caller, "set_state") ? Sigil_NoError
                                          : sigil_tcb_bind_notification(service, notification);
}

sigil_word_t sabotage_irq_handler_set_notification(const char *caller, sigil_cptr_t service,
                                                   sigil_cptr_t notification)
{
    return called_by(caller, "loader_bind_irqs")
               ? Sigil_NoError
               : sigil_irq_handler_set_notification(service, notification);
}

sigil_word_t sabotage_page_table_map(const char *caller, sigil_cptr_t service, sigil_cptr_t vspace,
                                     sigil_word_t vaddr, sigil_word_t attr)
{
    if (called_by(caller, "map_tables") && vaddr == 0x800000) {
        vaddr += (sigil_word_t)1 << 21;
    }
    return sigil_page_table_map(service, vspace, vaddr, attr);
}
