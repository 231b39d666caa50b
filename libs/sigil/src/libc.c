/*
 * libsigil's C runtime: what picolibc (Debian's picolibc-aarch64-linux-gnu) needs from the
 * system it runs on, for every user program built with it (sigil_program(... LIBC): the
 * components of apps/ and of a user's folder; the kernel, the loader, the resource manager,
 * kernel tests and benchmarks stay freestanding).
 *
 *   start    crt0 calls sigil_libc_start(arg) instead of main when this file is linked in (a
 *            weak reference, so freestanding programs keep the plain path). It points
 *            TPIDR_EL0 at the program's static TLS block (.tdata/.tbss in user.ld; picolibc's
 *            errno is thread-local), runs the constructors, then exit(main(arg)).
 *   stdout   stdin, stdout and stderr are one write-only stream onto the kernel console
 *            (DebugPutString), line buffered: a line is one system call, so two components'
 *            lines never interleave mid-line. exit() flushes what is left.
 *   exit     _exit(status) flushes stdout and ends in sigil_exit(status), which decides what
 *            the end of a program means.
 *   heap     sbrk() hands out the heap region whose bounds the spec compiler wrote into
 *            sigil_heap_region (<sigil/heap.h>); picolibc's malloc grows through it. Past the
 *            end: (void *)-1 and errno = ENOMEM, so malloc returns NULL.
 *
 * The file is built as an object library, so every one of these is in the program even when
 * nothing refers to it by name (the start hook is reached only through a weak reference).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sigil/heap.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

/* The heap's bounds, written by the spec compiler; {0, 0} without a heap region. */
sigil_heap_region_t sigil_heap_region;

/* The program break: the end of the heap handed out so far (0 until the first sbrk). */
static uintptr_t heap_break;

void *sbrk(ptrdiff_t increment)
{
    if (heap_break == 0) {
        heap_break = (uintptr_t)sigil_heap_region.start;
    }
    uintptr_t old = heap_break;
    uintptr_t start = (uintptr_t)sigil_heap_region.start, end = (uintptr_t)sigil_heap_region.end;
    if (increment >= 0 ? (uintptr_t)increment > end - old : (uintptr_t)-increment > old - start) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_break = old + (uintptr_t)increment;
    return (void *)old;
}

/* stdout: a line buffer in front of the console. */
static char line[256];
static size_t line_len;

static int console_flush(FILE *f)
{
    (void)f;
    if (line_len > 0) {
        sigil_debug_puts(line, line_len);
        line_len = 0;
    }
    return 0;
}

static int console_put(char c, FILE *f)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line)) {
        console_flush(f);
    }
    return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

void _exit(int status)
{
    console_flush(&console);
    sigil_exit(status);
}

/* picolibc's: point TPIDR_EL0 at a TLS block; constructors (.preinit_array, .init_array). */
void _set_tls(void *tls);
void __libc_init_array(void);

/* The start of the static TLS block (user.ld). */
extern char __tls_base[];

_Noreturn void sigil_libc_start(const void *arg);

/* Called by crt0 with the thread's start argument, in place of main. */
_Noreturn void sigil_libc_start(const void *arg)
{
    _set_tls(__tls_base);
    __libc_init_array();
    exit(main(arg));
}
