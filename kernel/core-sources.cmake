# The portable capability core (paths relative to kernel/). Built natively into
# sigil_kernel_host for host tests and for the aarch64 kernel.
set(SIGIL_CORE_SOURCES
  src/api/invoke.c
  src/kernel/boot_caps.c
  src/kernel/cspace.c
  src/kernel/preempt.c
  src/object/cap.c
  src/object/cdt.c
  src/object/cnode.c
  src/object/delete.c
  src/object/endpoint.c
  src/object/invariants.c
  src/object/irq.c
  src/object/notification.c
  src/object/reply.c
  src/object/debug.c
  src/object/smc.c
  src/object/tcb.c
  src/object/tcb_invoke.c
  src/object/untyped.c
  # The boot untyped list, which the spec compiler and the loader model with the same file.
  src/lib/boot_untypeds.c
)
