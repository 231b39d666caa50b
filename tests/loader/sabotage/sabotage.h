/*
 * The sabotage shim: a test-only build of the capDL loader that gets steps wrong on purpose.
 *
 * The check phase (docs/loader.md) must name every way the built system differs from the spec.
 * To prove that each comparison can fail, tests/loader builds the unchanged loader sources a
 * second time with this header forced in front of each file (`-include`): the kernel invocations
 * the build phases make go through sabotage.c instead, which skips or bends some of them. The
 * production loader carries no trace of this; only the images loader_sabotage and
 * loader_check_sabotage link the result.
 *
 * Each wrapper receives the name of the loader function that calls it (`__func__`) and bends
 * only the calls of the build phases, never those of the check phase or of the loader's own
 * bookkeeping: if a loader function is renamed, the shim stops bending it and
 * loader.check_reports_* fail, naming the comparison that no longer shows.
 */
#ifndef SIGIL_LOADER_SABOTAGE_H
#define SIGIL_LOADER_SABOTAGE_H

#include <sigil/invocations.h>

sigil_word_t sabotage_untyped_retype(const char *caller, sigil_cptr_t service, sigil_word_t type,
                                     sigil_word_t size_bits, sigil_cptr_t root,
                                     sigil_word_t node_index, sigil_word_t node_depth,
                                     sigil_word_t node_offset, sigil_word_t num_objects);
sigil_word_t sabotage_cnode_copy(const char *caller, sigil_cptr_t service, sigil_word_t dest_index,
                                 sigil_word_t dest_depth, sigil_cptr_t src_root,
                                 sigil_word_t src_index, sigil_word_t src_depth,
                                 sigil_word_t rights);
sigil_word_t sabotage_cnode_mint(const char *caller, sigil_cptr_t service, sigil_word_t dest_index,
                                 sigil_word_t dest_depth, sigil_cptr_t src_root,
                                 sigil_word_t src_index, sigil_word_t src_depth,
                                 sigil_word_t rights, sigil_word_t badge);
sigil_word_t sabotage_tcb_set_sched_params(const char *caller, sigil_cptr_t service,
                                           sigil_cptr_t authority, sigil_word_t mcp,
                                           sigil_word_t priority);
sigil_word_t sabotage_tcb_write_registers(const char *caller, sigil_cptr_t service,
                                          sigil_word_t resume_target, sigil_word_t arch_flags,
                                          sigil_word_t count, const sigil_word_t *registers);
sigil_word_t sabotage_tcb_set_tls_base(const char *caller, sigil_cptr_t service,
                                       sigil_word_t tls_base);
sigil_word_t sabotage_tcb_bind_notification(const char *caller, sigil_cptr_t service,
                                            sigil_cptr_t notification);
sigil_word_t sabotage_irq_handler_set_notification(const char *caller, sigil_cptr_t service,
                                                   sigil_cptr_t notification);
sigil_word_t sabotage_page_table_map(const char *caller, sigil_cptr_t service, sigil_cptr_t vspace,
                                     sigil_word_t vaddr, sigil_word_t attr);

#ifndef SIGIL_SABOTAGE_IMPL
#define sigil_untyped_retype(...)        sabotage_untyped_retype(__func__, __VA_ARGS__)
#define sigil_cnode_copy(...)            sabotage_cnode_copy(__func__, __VA_ARGS__)
#define sigil_cnode_mint(...)            sabotage_cnode_mint(__func__, __VA_ARGS__)
#define sigil_tcb_set_sched_params(...)  sabotage_tcb_set_sched_params(__func__, __VA_ARGS__)
#define sigil_tcb_write_registers(...)   sabotage_tcb_write_registers(__func__, __VA_ARGS__)
#define sigil_tcb_set_tls_base(...)      sabotage_tcb_set_tls_base(__func__, __VA_ARGS__)
#define sigil_tcb_bind_notification(...) sabotage_tcb_bind_notification(__func__, __VA_ARGS__)
#define sigil_irq_handler_set_notification(...)                                                    \
    sabotage_irq_handler_set_notification(__func__, __VA_ARGS__)
#define sigil_page_table_map(...) sabotage_page_table_map(__func__, __VA_ARGS__)
#endif

#endif
