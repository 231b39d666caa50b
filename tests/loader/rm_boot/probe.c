/*
 * A stand-in resource manager for the loader's rm_boot test (rm_boot.yaml): it reads the boot
 * page the loader wrote (<sigil/rm_boot.h>), checks every cptr it names through the
 * introspection interface, then serves its one client: a request (badge = id |
 * RM_BADGE_REQUEST) and a fault (badge = id), told apart by the badge alone. Then it ends the
 * client as the manager does (suspend its TCB, revoke its own untyped) and retypes that whole
 * untyped as one object: every object the loader made for the client came from it and is gone.
 * It knows no slot number: everything comes from the page whose address is main's argument.
 */
#include <sigil/inspect.h>
#include <sigil/invocations.h>
#include <sigil/ipc.h>
#include <sigil/rm_boot.h>
#include <sigil/runtime.h>
#include <sigil/sys.h>

static int bad;

static void expect_cap(const char *what, uint64_t cptr, uint64_t type)
{
    sigil_cap_info_t c = sigil_debug_cap_inspect(cptr);
    if (cptr == 0 || c.type != type) {
        sigil_printf("rm-probe: %s at cptr 0x%lx is cap type %lu, not %lu\n", what,
                     (unsigned long)cptr, (unsigned long)c.type, (unsigned long)type);
        bad = 1;
    }
}

static void check_pool(const sigil_rm_boot_t *b)
{
    uint64_t ram = 0, dev = 0;
    const sigil_rm_boot_untyped_t *u = sigil_rm_boot_pool(b);
    for (uint64_t i = 0; i < b->pool.count; i++) {
        sigil_cap_info_t c = sigil_debug_cap_inspect(u[i].cptr);
        if (c.type != Sigil_CapUntyped || c.paddr != u[i].paddr ||
            sigil_cap_info_size_bits(&c) != u[i].size_bits ||
            sigil_cap_info_device(&c) != u[i].is_device) {
            sigil_printf("rm-probe: pool record %lu does not match its cap\n", (unsigned long)i);
            bad = 1;
        }
        if (u[i].is_device) {
            dev++;
        } else {
            ram += 1ull << u[i].size_bits;
        }
    }
    sigil_printf("rm-probe: boot page valid: %lu pool untypeds (%lu device), %lu MiB of RAM, "
                 "%lu client(s)\n",
                 (unsigned long)b->pool.count, (unsigned long)dev, (unsigned long)(ram >> 20),
                 (unsigned long)b->clients.count);
}

static void check_caps(const sigil_rm_boot_t *b)
{
    expect_cap("endpoint", b->endpoint, Sigil_CapEndpoint);
    expect_cap("reply", b->reply, Sigil_CapReply);
    expect_cap("own cspace", b->cspace.cptr, Sigil_CapCNode);
    expect_cap("own vspace", b->vspace, Sigil_CapVSpace);
    expect_cap("own tcb", b->tcb, Sigil_CapTCB);
    expect_cap("master smc", b->smc, Sigil_CapSMC); /* rm_boot.yaml gives it one */
    uint64_t last = (1ull << b->cspace.radix) - 1;
    if (b->first_free_slot <= last &&
        sigil_debug_cap_inspect(b->first_free_slot).type != Sigil_CapNone) {
        sigil_printf("rm-probe: first free slot %lu is not empty\n",
                     (unsigned long)b->first_free_slot);
        bad = 1;
    }
    const sigil_rm_boot_client_t *c = sigil_rm_boot_clients(b);
    for (uint64_t i = 0; i < b->clients.count; i++) {
        expect_cap("client cspace", c[i].cspace.cptr, Sigil_CapCNode);
        expect_cap("client vspace", c[i].vspace, Sigil_CapVSpace);
        expect_cap("client tcb", c[i].tcb, Sigil_CapTCB);
        sigil_printf("rm-probe: client '%s' id %lu%s: request cap in its slot %lu, cspace 2^%u "
                     "slots, %lu SMC id(s), %u reply object(s)\n",
                     sigil_rm_boot_name(b, c[i].name), (unsigned long)c[i].id,
                     (c[i].flags & SIGIL_RM_CLIENT_ADMIN) ? " (admin)" : "",
                     (unsigned long)c[i].request_slot, c[i].cspace.radix,
                     (unsigned long)c[i].smc.count, c[i].reply_objects);
    }
    sigil_printf("rm-probe: every cptr of the boot page holds what it says: %s\n",
                 bad ? "no" : "yes");
}

/* End client `c` and take its memory back whole. */
static void reclaim(const sigil_rm_boot_t *b, const sigil_rm_boot_client_t *c)
{
    sigil_cap_info_t m = sigil_debug_cap_inspect(c->memory.cptr);
    sigil_printf("rm-probe: client memory: 2^%u bytes at 0x%lx, %lu bytes used by its objects\n",
                 c->memory.size_bits, (unsigned long)c->memory.paddr, (unsigned long)m.word);
    if (m.type != Sigil_CapUntyped || m.paddr != c->memory.paddr ||
        sigil_cap_info_size_bits(&m) != c->memory.size_bits) {
        sigil_printf("rm-probe: the memory record does not match its cap\n");
    }
    uint64_t slot = c->memory.cptr, depth = sigil_rm_boot_slot_depth(&b->cspace);
    uint64_t e1 = sigil_tcb_suspend(c->tcb);
    uint64_t e2 = sigil_cnode_revoke(b->cspace.cptr, slot, depth);
    uint64_t e3 = sigil_untyped_retype(c->memory.cptr, Sigil_UntypedObject, c->memory.size_bits,
                                       b->cspace.cptr, 0, 0, b->first_free_slot, 1);
    sigil_printf("rm-probe: suspend %lu, revoke %lu, whole retype %lu; the client's cspace cap "
                 "is now type %lu\n",
                 (unsigned long)e1, (unsigned long)e2, (unsigned long)e3,
                 (unsigned long)sigil_debug_cap_inspect(c->cspace.cptr).type);
}

int main(const void *arg)
{
    const sigil_rm_boot_t *b = arg;
    if (!sigil_rm_boot_valid(b, b->capacity)) {
        sigil_printf("rm-probe: the boot page is not valid\n");
        return 1;
    }
    check_pool(b);
    check_caps(b);
    for (int served = 0; served < 2;) {
        sigil_word_t badge;
        sigil_msginfo_t info = sigil_recv(b->endpoint, &badge, b->reply);
        uint64_t id = badge & ~SIGIL_RM_BADGE_REQUEST;
        const char *kind = (badge & SIGIL_RM_BADGE_REQUEST) ? "request" : "fault";
        sigil_printf("rm-probe: %s from client %lu, label %lu\n", kind, (unsigned long)id,
                     (unsigned long)sigil_msginfo_label(info));
        served++;
        if (badge & SIGIL_RM_BADGE_REQUEST) {
            sigil_set_mr(0, 42);
            sigil_reply(b->reply, sigil_msginfo_new(0, 0, 0, 1));
        }
    }
    reclaim(b, sigil_rm_boot_clients(b));
    return bad;
}
