/*
 * The `rm-demo` system's worker (specs/rm-demo.yaml): a client of the resource manager that
 * allocates endpoints, a notification and frames, uses them, maps a page and writes to it, runs
 * out of quota (and reads exactly what is missing), frees, is refused an administrator's
 * request, and ends itself with an Exit request (everything it held is reclaimed).
 *
 * CSpace (slot = cptr): 1 its request cap to the manager; 2 .. 63 empty, for the manager to
 * fill.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>

enum { RM = 1, EPS = 2, NTFN = 4, PAGE_SLOT = 5, FILL = 8 };
#define PAGE_VADDR 0x10000000ull
#define MAX_FILL   48

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        failures++;
        sigil_printf("rm-worker: FAILED: %s\n", what);
    }
}

int main(const void *arg)
{
    (void)arg;
    sigil_word_t stats[RM_NUM_STATS];
    expect(rm_stats(RM, stats) == Rm_ErrOk, "Stats");
    sigil_printf("rm-worker: quota %lu bytes, %lu objects; using %lu\n",
                 (unsigned long)stats[Rm_StatQuotaBytes], (unsigned long)stats[Rm_StatQuotaObjects],
                 (unsigned long)stats[Rm_StatUsedBytes]);

    sigil_word_t eps, ntfn, page;
    expect(rm_alloc(RM, Sigil_EndpointObject, 0, 2, EPS, &eps) == Rm_ErrOk, "two endpoints");
    expect(rm_alloc(RM, Sigil_NotificationObject, 0, 1, NTFN, &ntfn) == Rm_ErrOk, "notification");
    sigil_signal(NTFN);
    sigil_word_t word;
    sigil_wait(NTFN, &word); /* returns at once: it was signalled (else the worker hangs) */
    sigil_nbsend(EPS, sigil_msginfo_new(0, 0, 0, 0)); /* nobody waits: dropped, no error */
    sigil_printf("rm-worker: 2 endpoints and a notification; signalled it and waited on it\n");

    expect(rm_alloc_mapped_page(RM, PAGE_SLOT, PAGE_VADDR, &page) == Rm_ErrOk, "mapped page");
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)PAGE_VADDR;
    for (unsigned i = 0; i < 512; i++) {
        p[i] = 0xabcd0000u + i;
    }
    int same = 1;
    for (unsigned i = 0; i < 512; i++) {
        same &= p[i] == 0xabcd0000u + i;
    }
    expect(same, "page contents");
    rm_stats(RM, stats);
    sigil_printf("rm-worker: mapped a page at 0x%lx and wrote it; using %lu bytes (page tables "
                 "included), %lu page tables\n",
                 (unsigned long)PAGE_VADDR, (unsigned long)stats[Rm_StatUsedBytes],
                 (unsigned long)stats[Rm_StatObjectsOfType + Sigil_PageTableObject]);

    sigil_word_t fill[MAX_FILL];
    unsigned n = 0;
    rm_error_t err = Rm_ErrOk;
    while (n < MAX_FILL &&
           (err = rm_alloc(RM, Sigil_Frame4KObject, 0, 1, FILL + n, &fill[n])) == Rm_ErrOk) {
        n++;
    }
    sigil_word_t missing_bytes = sigil_get_mr(0), missing_objects = sigil_get_mr(1);
    rm_stats(RM, stats);
    sigil_printf("rm-worker: %u more frames, then %s: %lu bytes and %lu objects missing\n", n,
                 rm_error_name(err), (unsigned long)missing_bytes, (unsigned long)missing_objects);
    expect(err == Rm_ErrOutOfQuota, "out of quota");
    uint64_t want = stats[Rm_StatUsedBytes] + SIGIL_PAGE_SIZE > stats[Rm_StatQuotaBytes]
                        ? stats[Rm_StatUsedBytes] + SIGIL_PAGE_SIZE - stats[Rm_StatQuotaBytes]
                        : 0;
    expect(missing_bytes == want, "bytes missing");
    for (unsigned i = 0; i < n; i++) {
        expect(rm_free(RM, fill[i]) == Rm_ErrOk, "free");
    }
    expect(rm_free(RM, fill[0]) == Rm_ErrInvalidArgument, "stale handle");
    expect(rm_free(RM, eps) == Rm_ErrOk && rm_free(RM, ntfn) == Rm_ErrOk, "free the rest");
    rm_stats(RM, stats);
    sigil_printf("rm-worker: freed %u frames, the endpoints and the notification; using %lu "
                 "bytes, peak %lu\n",
                 n, (unsigned long)stats[Rm_StatUsedBytes], (unsigned long)stats[Rm_StatPeakBytes]);
    err = rm_kill(RM, 3);
    sigil_printf("rm-worker: asking to kill another client: %s\n", rm_error_name(err));
    expect(err == Rm_ErrDenied, "Denied");
    sigil_printf("rm-worker: %s; exiting through the manager with its page still mapped\n",
                 failures ? "FAILED" : "all as expected");
    rm_exit_now(RM, failures);
}
