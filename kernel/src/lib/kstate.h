/*
 * KSTATE marks every mutable global of the kernel (seL4 gathers its globals in statedata.c;
 * Sigil marks them where they live, next to the code that owns them).
 *
 * In the host build of the portable core (SIGIL_HOST) the marked variables go to one linker
 * section, `sigil_kstate`, so a test can copy and compare all kernel state at once: the "an
 * error changes nothing" fixture (tests/core/fixture.c) snapshots the section with the object
 * memory, and core_state_complete fails if a writable global of the core is not in it. In the
 * target kernel the mark is empty: the variables stay in .data and .bss.
 *
 * KSTATE_RESTART marks the one kind of global that is system-call restart bookkeeping rather
 * than object state (the list of threads holding a CancelBadgedSends ticket, which any finished
 * invocation of the holder updates, errors included, as it does the thread's own ticket fields):
 * it goes to `sigil_krestart`, which core_state_complete accepts and the fixture does not compare.
 */
#ifndef LIB_KSTATE_H
#define LIB_KSTATE_H

#ifdef SIGIL_HOST
#define KSTATE         __attribute__((section("sigil_kstate")))
#define KSTATE_RESTART __attribute__((section("sigil_krestart")))
#else
#define KSTATE
#define KSTATE_RESTART
#endif

#endif /* LIB_KSTATE_H */
