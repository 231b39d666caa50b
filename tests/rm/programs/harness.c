/*
 * The manager on the real kernel without the capDL loader: a root task that builds by hand what
 * the loader builds from a spec — the manager's own CNode with its endpoint, reply object and
 * pool, one CNode per client with its request cap, the clients' threads with the manager as
 * their fault handler, and the rm boot page — then starts the manager (the real server code,
 * linked in with its main renamed) as a thread at EL0 and acts as its administrator client.
 *
 * Scenario (test rm.harness): a user client allocates, uses, maps, runs out of quota, frees,
 * is refused an admin request and exits; a crasher faults and is reclaimed; a victim takes
 * objects and is killed; the pool is back at its level, every top block retyped whole.
 * With RM_HARNESS_BENCH (image bench_rm_harness) it times the request round trips and kills
 * instead (see bench.c).
 */
#include <sigil/rm.h>
#include <sigil/rm_boot.h>
#include <sigil/sys.h>

#include "harness.h"
#include "thread.h"

int rm_server_main(const void *arg);

#define M_BITS    harness_cnode_bits /* the manager's CNode */
#define POOL_BITS harness_pool_bits  /* its pool */
enum { M_EP = 1, M_REPLY = 2, M_SELF = 3, M_VSPACE = 4, M_POOL = 5, M_CLIENTS = 8 };

static uint8_t boot_page[4096] __attribute__((aligned(4096)));
static sigil_word_t m_cnode, ep;
sigil_word_t rm_admin_cap;
static uint64_t m_next = M_CLIENTS;
static test_thread_t manager, clients[8];
static unsigned nclients;
static const char names[] = "worker\0victim\0crasher\0admin\0hostile\0good\0judge\0bench\0victim100"
                            "\0victim10k\0pager\0greedy\0paged";
sigil_word_t harness_finished;

/* Copy a cap from the root CNode into the manager's CNode; returns the manager's slot. */
static uint64_t give_manager(sigil_word_t root_slot)
{
    uint64_t slot = m_next++;
    sigil_cnode_copy(m_cnode, slot, M_BITS, ROOT, root_slot, DEPTH, Sigil_AllRights);
    return slot;
}

static uint32_t name_offset(const char *name)
{
    for (uint32_t off = 0; off < sizeof(names);) {
        const char *p = names + off, *q = name;
        while (*p && *p == *q) {
            p++, q++;
        }
        if (*p == 0 && *q == 0) {
            return off;
        }
        while (names[off]) {
            off++;
        }
        off++;
    }
    return 0;
}

static sigil_rm_boot_t *boot(void)
{
    return (sigil_rm_boot_t *)(void *)boot_page;
}

static sigil_rm_boot_client_t *client_record(uint64_t i)
{
    return (sigil_rm_boot_client_t *)(void *)(boot_page + boot()->clients.offset) + i;
}

sigil_word_t harness_client(uint64_t id, const char *name, unsigned bits, uint64_t quota,
                            uint64_t objects, int admin, void (*fn)(sigil_word_t), unsigned prio,
                            sigil_word_t arg, const sigil_word_t *extra, unsigned nextra)
{
    sigil_rm_boot_client_t *c = client_record(boot()->clients.count++);
    *c = (sigil_rm_boot_client_t){.id = id,
                                  .name = name_offset(name),
                                  .flags = admin ? SIGIL_RM_CLIENT_ADMIN : 0,
                                  .quota_bytes = quota,
                                  .quota_objects = objects};
    for (unsigned t = 0; t < SIGIL_RM_BOOT_TYPES; t++) {
        c->quota_per_type[t] = SIGIL_RM_BOOT_NO_LIMIT;
    }
    sigil_word_t badge = id | RM_BADGE_REQUEST;
    if (!fn) {
        rm_admin_cap = vm_slot();
        sigil_cnode_mint(ROOT, rm_admin_cap, DEPTH, ROOT, ep, DEPTH,
                         Sigil_CanWrite | Sigil_CanGrantReply, badge);
        return rm_admin_cap;
    }
    sigil_word_t cn = vm_retype(Sigil_CNodeObject, bits);
    sigil_cnode_mint(cn, 1, bits, ROOT, ep, DEPTH, Sigil_CanWrite | Sigil_CanGrantReply, badge);
    for (unsigned i = 0; i < nextra; i++) {
        sigil_cnode_copy(cn, 2 + i, bits, ROOT, extra[i], DEPTH, Sigil_AllRights);
    }
    sigil_cnode_copy(cn, (1ull << bits) - 1, bits, ROOT, harness_finished, DEPTH, Sigil_CanWrite);
    test_thread_t th;
    thread_create(&th, fn, arg, prio, 0);
    sigil_tcb_set_space(th.tcb, ep, id, Sigil_CanWrite | Sigil_CanGrantReply, cn, 64 - bits, VS, 0);
    c->cspace = (sigil_rm_boot_cnode_t){.cptr = give_manager(cn), .radix = (uint8_t)bits};
    c->vspace = M_VSPACE;
    c->tcb = give_manager(th.tcb);
    clients[nclients++] = th;
    return th.tcb;
}

/* Build the manager's CNode, pool and boot page header; start its thread at `prio`. */
static void start_manager(unsigned prio)
{
    /* The pool first: a fresh untyped of 2^POOL_BITS, the first child of a boot untyped that has
     * none yet, so its address is that untyped's. Moved into the manager's CNode below. */
    uint64_t paddr = 0;
    sigil_word_t pool = vm_slot();
    for (sigil_word_t i = 0; i < vm_bi->num_untypeds; i++) {
        const sigil_untyped_desc_t *u = &vm_bi->untyped[i];
        if (!u->is_device && u->size_bits > POOL_BITS &&
            sigil_untyped_retype(vm_bi->untyped_start + i, Sigil_UntypedObject, POOL_BITS, ROOT,
                                 ROOT, DEPTH, pool, 1) == 0) {
            paddr = u->paddr;
            break;
        }
    }
    m_cnode = vm_retype(Sigil_CNodeObject, M_BITS);
    ep = vm_retype(Sigil_EndpointObject, 0);
    sigil_word_t reply = vm_retype(Sigil_ReplyObject, 0);
    sigil_cnode_copy(m_cnode, M_EP, M_BITS, ROOT, ep, DEPTH, Sigil_AllRights);
    sigil_cnode_copy(m_cnode, M_REPLY, M_BITS, ROOT, reply, DEPTH, Sigil_AllRights);
    sigil_cnode_copy(m_cnode, M_SELF, M_BITS, ROOT, m_cnode, DEPTH, Sigil_AllRights);
    sigil_cnode_copy(m_cnode, M_VSPACE, M_BITS, ROOT, VS, DEPTH, Sigil_AllRights);
    sigil_cnode_move(m_cnode, M_POOL, M_BITS, ROOT, pool, DEPTH);
    sigil_rm_boot_t *b = boot();
    *b = (sigil_rm_boot_t){.magic = SIGIL_RM_BOOT_MAGIC,
                           .version = SIGIL_RM_BOOT_VERSION,
                           .header_size = sizeof(sigil_rm_boot_t),
                           .total_size = sizeof(boot_page),
                           .capacity = sizeof(boot_page),
                           .endpoint = M_EP,
                           .reply = M_REPLY,
                           .vspace = M_VSPACE,
                           .cspace = {.cptr = M_SELF, .radix = M_BITS},
                           .first_free_slot = 64,
                           .pool = {.offset = sizeof(sigil_rm_boot_t), .count = 1},
                           .clients = {.offset = 256, .count = 0},
                           .words = {.offset = 4096 - 512, .count = 0},
                           .strings = {.offset = 4096 - 256, .count = sizeof(names)}};
    *(sigil_rm_boot_untyped_t *)(void *)(boot_page + b->pool.offset) =
        (sigil_rm_boot_untyped_t){.cptr = M_POOL, .paddr = paddr, .size_bits = POOL_BITS};
    for (unsigned i = 0; i < sizeof(names); i++) {
        boot_page[b->strings.offset + i] = (uint8_t)names[i];
    }
    thread_create(&manager, (void (*)(sigil_word_t))(uintptr_t)rm_server_main,
                  (sigil_word_t)(uintptr_t)boot_page, prio, 0);
    sigil_word_t nobody = vm_retype(Sigil_EndpointObject, 0); /* its own faults stop it */
    sigil_tcb_set_space(manager.tcb, nobody, 0, Sigil_CanWrite | Sigil_CanGrantReply, m_cnode,
                        64 - M_BITS, VS, 0);
}

sigil_word_t harness_object(sigil_word_t type, sigil_word_t size_bits)
{
    return vm_retype(type, size_bits);
}

sigil_word_t harness_slot(void)
{
    return vm_slot();
}

void harness_mint(sigil_word_t dest, sigil_word_t src, sigil_word_t rights, sigil_word_t badge)
{
    sigil_cnode_mint(ROOT, dest, DEPTH, ROOT, src, DEPTH, rights, badge);
}

void harness_start_manager(void)
{
    thread_start(&manager);
    for (unsigned i = 0; i < nclients; i++) {
        thread_start(&clients[i]);
    }
}

int main(const void *arg)
{
    vm_setup(arg);
    /* Above every client, below the manager: clients start together when the root thread
     * blocks, as the loader starts a system's threads. */
    sigil_tcb_set_sched_params(Sigil_SlotInitThreadTCB, Sigil_SlotInitThreadTCB, 255, 150);
    start_manager(200);
    harness_finished = vm_retype(Sigil_NotificationObject, 0);
    return harness_run();
}
