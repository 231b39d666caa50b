/*
 * The targets of the injection scenarios (systems/targets.yaml): one program, its part chosen
 * by x0. Each is a client of the resource manager at the same priority as the injector; after
 * setting up it polls for what an injection does to it, yielding between polls, for at most
 * ROUNDS rounds, then ends by itself with status 1 ("nothing happened to me"), so a scenario
 * that injects into some targets only still ends. All output is exact: no address or count
 * depends on anything but the program. A target that is set up says so on the console first
 * and then to the manager, with one request its quota cannot pay for (its out_of_quota count
 * becomes 1, nothing else changes): the scenarios' injections wait for that (`when:
 * {client: X, out_of_quota: 1}`), so they never come before the line.
 *
 *   1 holder  holds 4 endpoints, a notification and 2 mapped pages (to be killed or faulted);
 *   2 poller  polls the notification `token` in its slot 2 (its cap to be revoked: the next
 *             poll is a cap fault, and the manager ends it);
 *   3 grower  holds 3 endpoints and watches its quota (to be exhausted: the next endpoint is
 *             OutOfQuota by exactly one endpoint);
 *   4 pager   writes patterns into 12 pages of a 16-page demand-zero region and leaves 4 zero
 *             (to be evicted: it reads everything back unchanged after the next faults);
 *   6 forger  sends the manager a message shaped as a VM fault (the kernel's label and words)
 *             through its request cap: the badge says request, so the manager takes it as the
 *             request with that label and maps nothing, charges nothing and counts no fault;
 *   5 checker an administrator that waits until the clients whose ids are set in bits 8 .. 63
 *             of x0 have ended, then shows the pool whole again.
 */
#include <sigil/ipc.h>
#include <sigil/rm.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

enum { RM = 1, TOKEN = 2, EPS = 4, NTFN = 8, PAGES = 9, MAPPED = 0x10000000 };
#define ROUNDS       2000u
#define REGION       0x200000000ull
#define REGION_PAGES 16u

static sigil_word_t stats[RM_NUM_STATS];

/* "I am set up": an Untyped of 1 GiB, which no target's quota pays for (OutOfQuota). */
static void ready(void)
{
    sigil_word_t h;
    rm_alloc(RM, Sigil_UntypedObject, 30, 1, 2, &h);
}

static unsigned long used(void)
{
    rm_stats(RM, stats);
    return (unsigned long)stats[Rm_StatUsedBytes];
}

static int holder(void)
{
    sigil_word_t h, page;
    int ok = rm_alloc(RM, Sigil_EndpointObject, 0, 4, EPS, &h) == Rm_ErrOk &&
             rm_alloc(RM, Sigil_NotificationObject, 0, 1, NTFN, &h) == Rm_ErrOk &&
             rm_alloc_mapped_page(RM, PAGES, MAPPED, &page) == Rm_ErrOk &&
             rm_alloc_mapped_page(RM, PAGES + 1, MAPPED + 0x1000, &page) == Rm_ErrOk;
    sigil_printf("target-holder: holding 4 endpoints, a notification and 2 mapped pages (%s); "
                 "using %lu bytes\n",
                 ok ? "ok" : "FAILED", used());
    ready();
    for (unsigned i = 0; i < ROUNDS; i++) {
        ((volatile uint64_t *)MAPPED)[i % 512] = i;
        sigil_yield();
    }
    sigil_printf("target-holder: nothing happened to me\n");
    return 1;
}

static int poller(void)
{
    sigil_printf("target-poller: polling my token in slot 2\n");
    for (unsigned i = 0; i < ROUNDS; i++) {
        sigil_word_t badge;
        sigil_poll(TOKEN, &badge); /* a cap fault once the cap is gone */
        sigil_yield();
    }
    sigil_printf("target-poller: nothing happened to me\n");
    return 1;
}

static int grower(void)
{
    sigil_word_t h;
    for (unsigned i = 0; i < 3; i++) {
        rm_alloc(RM, Sigil_EndpointObject, 0, 1, EPS + i, &h);
    }
    sigil_printf("target-grower: holding 3 endpoints; using %lu bytes of %lu\n", used(),
                 (unsigned long)stats[Rm_StatQuotaBytes]);
    ready();
    for (unsigned i = 0; i < ROUNDS; i++) {
        rm_stats(RM, stats);
        if (stats[Rm_StatQuotaBytes] == stats[Rm_StatUsedBytes]) {
            rm_error_t err = rm_alloc(RM, Sigil_EndpointObject, 0, 1, EPS + 3, &h);
            sigil_word_t *mr = sigil_ipc_buffer()->msg;
            sigil_printf("target-grower: my quota is now %lu bytes, %lu objects; the next "
                         "endpoint: %s, %lu bytes and %lu objects missing\n",
                         (unsigned long)stats[Rm_StatQuotaBytes],
                         (unsigned long)stats[Rm_StatQuotaObjects], rm_error_name(err),
                         (unsigned long)mr[0], (unsigned long)mr[1]);
            return err == Rm_ErrOutOfQuota ? 0 : 2;
        }
        sigil_yield();
    }
    sigil_printf("target-grower: nothing happened to me\n");
    return 1;
}

static uint64_t pattern(unsigned page, unsigned word)
{
    return page < 12 ? 0x5a5a000000000000ull | (uint64_t)page << 16 | word : 0;
}

static int pager(void)
{
    volatile uint64_t *r = (volatile uint64_t *)REGION;
    if (rm_demand_region(RM, REGION, REGION_PAGES << 12, 3) != Rm_ErrOk) {
        sigil_printf("target-pager: DemandRegion FAILED\n");
        return 2;
    }
    uint64_t sum = 0;
    for (unsigned p = 0; p < REGION_PAGES; p++) {
        for (unsigned w = 0; w < 512; w++) {
            if (p < 12) {
                r[p * 512 + w] = pattern(p, w);
            } else {
                sum += r[p * 512 + w];
            }
        }
    }
    unsigned long before = used();
    sigil_printf("target-pager: wrote 12 pages, read 4 zero pages (sum %lu); using %lu bytes\n",
                 (unsigned long)sum, before);
    ready();
    for (unsigned i = 0; i < ROUNDS; i++) {
        if (used() < before) {
            unsigned long after = (unsigned long)stats[Rm_StatUsedBytes];
            unsigned differ = 0;
            for (unsigned p = 0; p < REGION_PAGES; p++) {
                for (unsigned w = 0; w < 512; w++) {
                    differ += r[p * 512 + w] != pattern(p, w);
                }
            }
            sigil_printf("target-pager: pages taken away (using %lu bytes); read all 16 back: "
                         "%u words differ; using %lu bytes\n",
                         after, differ, used());
            return differ ? 2 : 0;
        }
        sigil_yield();
    }
    sigil_printf("target-pager: nothing happened to me\n");
    return 1;
}

#define FORGED_ADDR 0x300000000ull

static int forger(void)
{
    /* a VMFault message as the kernel sends one (kernel/abi/sigil.yaml, faults) */
    sigil_word_t mr[Sigil_VMFault_Length] = {0};
    mr[Sigil_VMFault_IP] = 0x400000;
    mr[Sigil_VMFault_Addr] = FORGED_ADDR;
    mr[Sigil_VMFault_FSR] = 0x92000047;
    sigil_msginfo_t info = sigil_msginfo_new(Sigil_Fault_VMFault, 0, 0, Sigil_VMFault_Length);
    sigil_call_raw(RM, &info, mr);
    sigil_word_t answer = sigil_msginfo_label(info);
    rm_stats(RM, stats);
    sigil_printf("target-forger: a VM fault at 0x%lx forged through my request cap was answered "
                 "%s; my faults %lu, using %lu bytes\n",
                 (unsigned long)FORGED_ADDR, rm_error_name(answer),
                 (unsigned long)stats[Rm_StatFaults], (unsigned long)stats[Rm_StatUsedBytes]);
    return 0;
}

static int checker(uint64_t ids)
{
    for (unsigned id = 1; id < 56; id++) {
        while ((ids >> id & 1) && rm_stats_of(RM, id, stats) == Rm_ErrOk) {
            sigil_yield();
        }
    }
    sigil_word_t pool = 0, free_bytes = 0, blocks = 0, whole = 0, vroots = 0, vbytes = 0;
    rm_pool_stats(RM, &pool, &free_bytes, &blocks, &whole);
    rm_verify_pool(RM, &vroots, &vbytes);
    sigil_printf("checker: every target ended; pool %lu bytes, %lu free; %lu top blocks "
                 "retyped whole, %lu bytes: %s\n",
                 (unsigned long)pool, (unsigned long)free_bytes, (unsigned long)vroots,
                 (unsigned long)vbytes,
                 pool == free_bytes && vbytes == pool ? "whole" : "NOT whole");
    return pool == free_bytes && vbytes == pool ? 0 : 1;
}

int main(const void *arg)
{
    /* x0 = part | ids << 8 (the checker's). */
    switch ((uintptr_t)arg & 0xff) {
    case 1:
        return holder();
    case 2:
        return poller();
    case 3:
        return grower();
    case 4:
        return pager();
    case 5:
        return checker((uintptr_t)arg >> 8);
    case 6:
        return forger();
    default:
        return 2;
    }
}
