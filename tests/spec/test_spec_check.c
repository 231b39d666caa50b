/*
 * Host tests of the binary spec as the loader sees it: reads the blob the compiler made from
 * examples/devices.yaml (argv[1], default SPEC_BLOB from the build), checks that the records say
 * what the YAML says (through the accessors of <sigil/spec.h> only), then corrupts one field at a
 * time and requires sigil_spec_check() to name the broken record kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spec_check.h"

static uint8_t *blob;
static uint64_t blob_size;

static sigil_spec_header_t *hdr(void)
{
    return (sigil_spec_header_t *)(void *)blob;
}

static uint32_t find(const char *name)
{
    const sigil_spec_header_t *h = hdr();
    for (uint32_t id = 0; id < h->objects.count; id++) {
        if (strcmp(sigil_spec_string(h, sigil_spec_objects(h)[id].name), name) == 0) {
            return id;
        }
    }
    fprintf(stderr, "no object %s\n", name);
    exit(1);
}

static void test_contents(void)
{
    const sigil_spec_header_t *h = hdr();
    const sigil_spec_object_t *o = sigil_spec_objects(h);
    const sigil_spec_tcb_t *t = &sigil_spec_tcbs(h)[o[find("driver.tcb")].first];
    CHECK(t->priority == 120 && t->max_priority == 120 && t->num_args == 1);
    CHECK(t->flags == (SIGIL_SPEC_TCB_START | SIGIL_SPEC_TCB_FPU_DISABLED));
    CHECK(t->cspace == find("driver.cspace") && t->cspace_guard_size == 60);
    CHECK(t->fault_ep == find("manager.faults") && t->fault_badge == 7);
    CHECK(t->fault_rights == (Sigil_CanWrite | Sigil_CanGrantReply));
    CHECK(t->bound_ntfn == find("driver.ntfn") && t->tls == 0x400800);
    /* caps sorted by slot; the original cap is recorded on its object */
    const sigil_spec_object_t *cn = &o[find("manager.cspace")];
    /* six caps of the spec, then the six the policy adds after them (docs/spec-format.md):
     * its reply object, its own cspace, the client's cspace, vspace, tcb and own untyped */
    CHECK(cn->extra == 4 && cn->count == 12);
    for (uint32_t i = 1; i < cn->count; i++) {
        CHECK(sigil_spec_caps(h)[cn->first + i - 1].slot < sigil_spec_caps(h)[cn->first + i].slot);
    }
    uint32_t orig = o[find("manager.faults")].original;
    CHECK(orig != SIGIL_SPEC_NONE && (sigil_spec_caps(h)[orig].flags & SIGIL_SPEC_CAP_ORIGINAL));
    /* IRQ binding and device frames */
    const sigil_spec_irq_t *irq = &sigil_spec_irqs(h)[o[find("driver.rtc_irq")].first];
    CHECK(irq->irq == 34 && irq->badge == 2 && irq->trigger == SIGIL_SPEC_IRQ_EDGE);
    CHECK(irq->notification == find("driver.ntfn"));
    CHECK(o[find("driver.fw_cfg")].paddr == 0x09020000 && (o[find("driver.fw_cfg")].flags & 1));
    /* frame contents */
    const sigil_spec_fill_t *f = &sigil_spec_fills(h)[o[find("driver.code")].first];
    CHECK(f[0].dest_offset == 0 && f[0].length == 12 && blob[f[0].data_offset] == 0x1f);
    CHECK(f[1].dest_offset == 0x800 && f[1].length == 2 && blob[f[1].data_offset + 1] == 0xfe);
    /* the 2 MiB frame is mapped at level 2 of driver.vspace, read-only */
    int found = 0;
    for (uint64_t i = 0; i < h->entries.count; i++) {
        const sigil_spec_entry_t *e = &sigil_spec_entries(h)[i];
        if (e->object == find("shared")) {
            found = e->level == 2 && e->vaddr == 0x20000000 && e->rights == Sigil_CanRead &&
                    e->vspace == find("driver.vspace");
        }
    }
    CHECK(found);
    CHECK(h->policy.count == 1 && sigil_spec_policy(h)[0].memory == 256 * 1024);
    /* the manager's record: its endpoint and the slots of its caps; the client's request cap */
    const sigil_spec_policy_client_t *p = &sigil_spec_policy(h)[0];
    CHECK(p->request_slot == 5 && p->rm_cspace_slot == 9 && p->rm_vspace_slot == 10 &&
          p->rm_tcb_slot == 11 && p->rm_memory_slot == 12);
    /* the client's own untyped holds every RAM object of its component, device frames aside */
    CHECK(p->memory_object == find("driver.rm_memory"));
    CHECK((o[find("driver.rm_memory")].flags & SIGIL_SPEC_OBJ_CLIENT_MEMORY) &&
          o[find("driver.rm_memory")].type == Sigil_UntypedObject);
    CHECK((o[find("driver.tcb")].flags & SIGIL_SPEC_OBJ_IN_PARENT) &&
          o[find("driver.tcb")].paddr == find("driver.rm_memory"));
    CHECK(!(o[find("driver.rtc")].flags & SIGIL_SPEC_OBJ_IN_PARENT));
    CHECK(!(o[find("shared")].flags & SIGIL_SPEC_OBJ_IN_PARENT));
    CHECK(h->rm.count == 1);
    const sigil_spec_rm_t *r = sigil_spec_rm(h);
    CHECK(r->endpoint == find("manager.faults") && r->endpoint_slot == 5);
    CHECK(r->reply == find("manager.rm_reply") && r->reply_slot == 7 && r->cspace_slot == 8);
    CHECK(r->vspace_slot == SIGIL_SPEC_NONE && r->tcb_slot == SIGIL_SPEC_NONE && r->smc_slot == 2);
    CHECK(r->num_boot_pages == 1 &&
          sigil_spec_words(h)[r->first_boot_page] == find("manager.rm_boot_0"));
}

/* Corrupt one 32- or 64-bit field, check, restore. */
static void expect_bad(void *field, unsigned width, uint64_t value, sigil_spec_check_status_t want)
{
    uint64_t saved = 0;
    memcpy(&saved, field, width);
    memcpy(field, &value, width);
    sigil_spec_check_t r = sigil_spec_check(blob, blob_size);
    if (r.status != want) {
        fprintf(stderr, "corruption gave '%s', expected '%s'\n", sigil_spec_check_name(r.status),
                sigil_spec_check_name(want));
        failures++;
    }
    memcpy(field, &saved, width);
    CHECK(sigil_spec_check(blob, blob_size).status == SIGIL_SPEC_CHECK_OK);
}

#define REC(field, type) ((type *)(void *)(blob + hdr()->field.offset))

/* A TCB or IRQ handler whose record range is empty: the loader reads tcbs[first] / irqs[first]
 * for every such object, so the check must refuse it, whatever `first` says. */
static void expect_missing_record(sigil_spec_object_t *o)
{
    sigil_spec_object_t saved = *o;
    expect_bad(&o->count, 4, 0, SIGIL_SPEC_CHECK_OBJECT);
    o->count = 0;
    o->first = SIGIL_SPEC_NONE;
    CHECK(sigil_spec_check(blob, blob_size).status == SIGIL_SPEC_CHECK_OBJECT);
    *o = saved;
}

static void test_corruption(void)
{
    sigil_spec_header_t *h = hdr();
    uint64_t n = h->objects.count;
    CHECK(sigil_spec_check(blob, blob_size - 8).status == SIGIL_SPEC_CHECK_HEADER);
    expect_bad(&h->magic, 8, 0x1234, SIGIL_SPEC_CHECK_HEADER);
    expect_bad(&h->version, 4, SIGIL_SPEC_VERSION + 1, SIGIL_SPEC_CHECK_HEADER);
    expect_bad(&h->caps.offset, 8, blob_size + 8, SIGIL_SPEC_CHECK_SECTION);
    expect_bad(&h->caps.offset, 8, h->caps.offset + 4, SIGIL_SPEC_CHECK_SECTION);
    expect_bad(&h->tcbs.count, 8, blob_size, SIGIL_SPEC_CHECK_SECTION);
    expect_bad(&h->num_ram_objects, 4, (uint32_t)n + 1, SIGIL_SPEC_CHECK_HEADER);
    sigil_spec_object_t *o = REC(objects, sigil_spec_object_t);
    expect_bad(&o[0].component, 4, 1000, SIGIL_SPEC_CHECK_OBJECT);
    expect_bad(&o[find("driver.cspace")].count, 4, 100000, SIGIL_SPEC_CHECK_OBJECT);
    expect_bad(&o[0].name, 4, (uint32_t)h->strings.count, SIGIL_SPEC_CHECK_OBJECT);
    expect_bad(&o[1].paddr, 8, 0, SIGIL_SPEC_CHECK_OK); /* RAM objects: paddr is not used */
    expect_missing_record(&o[find("driver.tcb")]);
    expect_missing_record(&o[find("driver.rtc_irq")]);
    uint8_t *bits = &o[h->num_ram_objects - 1].size_bits;
    uint8_t saved = *bits;
    *bits = 40;
    CHECK(sigil_spec_check(blob, blob_size).status == SIGIL_SPEC_CHECK_ORDER);
    *bits = saved;
    expect_bad(&REC(caps, sigil_spec_cap_t)[0].object, 4, (uint32_t)n, SIGIL_SPEC_CHECK_CAP);
    expect_bad(&REC(entries, sigil_spec_entry_t)[0].object, 4, (uint32_t)n, SIGIL_SPEC_CHECK_ENTRY);
    expect_bad(&REC(fills, sigil_spec_fill_t)[0].length, 4, 0xfffffff0u, SIGIL_SPEC_CHECK_FILL);
    /* fills stay inside their frame: the loader copies them to frame + dest_offset */
    sigil_spec_object_t *code = &o[find("driver.code")];
    sigil_spec_fill_t *fill = &REC(fills, sigil_spec_fill_t)[code->first];
    CHECK(fill->length == 12);
    expect_bad(&fill->dest_offset, 4, 4090, SIGIL_SPEC_CHECK_FILL);
    expect_bad(&fill->dest_offset, 4, 0xfffffff8u, SIGIL_SPEC_CHECK_FILL);
    expect_bad(&fill->dest_offset, 4, 4084, SIGIL_SPEC_CHECK_OK);
    /* ... and belong to one frame each (driver.ipc comes after driver.code) */
    sigil_spec_object_t *ipc = &o[find("driver.ipc")];
    uint32_t ipc_first = ipc->first;
    CHECK(ipc->count == 0 && ipc > code);
    ipc->first = code->first;
    expect_bad(&ipc->count, 4, 1, SIGIL_SPEC_CHECK_OBJECT);
    ipc->first = ipc_first;
    expect_bad(&REC(tcbs, sigil_spec_tcb_t)[0].vspace, 4, (uint32_t)n + 3, SIGIL_SPEC_CHECK_TCB);
    expect_bad(&REC(irqs, sigil_spec_irq_t)[0].notification, 4, (uint32_t)n, SIGIL_SPEC_CHECK_IRQ);
    expect_bad(&REC(components, sigil_spec_component_t)[0].num_members, 4, 1u << 30,
               SIGIL_SPEC_CHECK_COMPONENT);
    expect_bad(&REC(policy, sigil_spec_policy_client_t)[0].component, 4, 99,
               SIGIL_SPEC_CHECK_POLICY);
    expect_bad(&REC(policy, sigil_spec_policy_client_t)[0].memory_object, 4, (uint32_t)n,
               SIGIL_SPEC_CHECK_POLICY);
    expect_bad(&REC(policy, sigil_spec_policy_client_t)[0].num_regions, 4, 1u << 30,
               SIGIL_SPEC_CHECK_POLICY);
    expect_bad(&REC(policy, sigil_spec_policy_client_t)[0].num_regions, 4, 9,
               SIGIL_SPEC_CHECK_POLICY);
    expect_bad(&REC(rm, sigil_spec_rm_t)[0].endpoint, 4, (uint32_t)n, SIGIL_SPEC_CHECK_RM);
    /* a child whose parent is not an earlier RAM untyped (a client's rm_memory or one that
     * covers it): itself, a frame made earlier */
    uint32_t tcb = (uint32_t)find("driver.tcb");
    expect_bad(&REC(objects, sigil_spec_object_t)[tcb].paddr, 8, tcb, SIGIL_SPEC_CHECK_ORDER);
    expect_bad(&REC(objects, sigil_spec_object_t)[tcb].paddr, 8, (uint32_t)find("shared"),
               SIGIL_SPEC_CHECK_ORDER);
    expect_bad(&REC(rm, sigil_spec_rm_t)[0].num_boot_pages, 4, 1u << 30, SIGIL_SPEC_CHECK_RM);
    /* a boot page that is not a Frame4K: the loader would map it */
    expect_bad(&REC(words, uint32_t)[REC(rm, sigil_spec_rm_t)[0].first_boot_page], 4,
               (uint32_t)find("manager.faults"), SIGIL_SPEC_CHECK_RM);
}

int main(int argc, char **argv)
{
    FILE *f = fopen(argc == 2 ? argv[1] : SPEC_BLOB, "rb");
    if (!f) {
        fprintf(stderr, "usage: test_spec_check BLOB\n");
        return 2;
    }
    fseek(f, 0, SEEK_END);
    blob_size = (uint64_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    blob = malloc(blob_size);
    if (fread(blob, 1, blob_size, f) != blob_size) {
        return 2;
    }
    fclose(f);
    sigil_spec_check_t r = sigil_spec_check(blob, blob_size);
    CHECK(r.status == SIGIL_SPEC_CHECK_OK);
    if (r.status == SIGIL_SPEC_CHECK_OK) {
        test_contents();
        test_corruption();
    }
    free(blob);
    if (failures) {
        fprintf(stderr, "test_spec_check: %d checks failed\n", failures);
        return 1;
    }
    printf("test_spec_check: all checks passed\n");
    return 0;
}
