/*
 * sigil-specc: the spec compiler's command line.
 *
 *   sigil-specc [--check] [-o OUT.bin] [--placement OUT.json] [--reserve BYTES] [-L DIR]...
 *               [--unchecked-irqs] SPEC.yaml
 *                                            compile (and check) a spec; files it names that are
 *                                            not next to it are looked for in each DIR;
 *                                            --placement writes where the simulated boot puts
 *                                            every object (placement.c; `-` for stdout);
 *                                            --unchecked-irqs lets IRQ numbers the kernel refuses
 *                                            through (only to test the loader's failure report)
 *   sigil-specc --dump BLOB [-o OUT.yaml]    print a binary spec as YAML
 *
 * Exit status: 0 success, 1 the spec (or blob) has errors, 2 usage or I/O problems.
 * The pipeline: read (doc_read.c) -> model stages (model.h) -> placement -> emit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "doc_read.h"
#include "emit.h"
#include "num.h"
#include "spec_check.h"

#define MAX_SEARCH 8

typedef struct {
    const char *spec, *out, *dump, *placement;
    int check_only, unchecked_irqs;
    uint64_t reserve;
    const char *search[MAX_SEARCH];
    size_t nsearch;
} options_t;

static void usage(void)
{
    fprintf(stderr, "usage: sigil-specc [--check] [-o OUT.bin] [--placement OUT.json] "
                    "[--reserve BYTES] [-L DIR]... [--unchecked-irqs] SPEC.yaml\n"
                    "       sigil-specc --dump BLOB [-o OUT.yaml]\n");
}

static int parse_args(int argc, char **argv, options_t *o)
{
    o->reserve = SIGIL_DEFAULT_RESERVE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--check") == 0) {
            o->check_only = 1;
        } else if (strcmp(a, "--unchecked-irqs") == 0) {
            o->unchecked_irqs = 1;
        } else if (strcmp(a, "-o") == 0 && has_value) {
            o->out = argv[++i];
        } else if (strcmp(a, "--placement") == 0 && has_value) {
            o->placement = argv[++i];
        } else if (strcmp(a, "-L") == 0 && has_value) {
            if (o->nsearch == MAX_SEARCH) {
                fprintf(stderr, "sigil-specc: at most %d -L directories\n", MAX_SEARCH);
                return 0;
            }
            o->search[o->nsearch++] = argv[++i];
        } else if (strcmp(a, "--dump") == 0 && has_value) {
            o->dump = argv[++i];
        } else if (strcmp(a, "--reserve") == 0 && has_value) {
            if (parse_u64(argv[++i], 1, &o->reserve) != NUM_OK) {
                fprintf(stderr, "sigil-specc: bad --reserve '%s'\n", argv[i]);
                return 0;
            }
        } else if (a[0] == '-' || o->spec) {
            return 0;
        } else {
            o->spec = a;
        }
    }
    return (o->spec != NULL) != (o->dump != NULL) && !(o->dump && o->placement);
}

static int write_file(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "sigil-specc: cannot write '%s': %s\n", path, strerror(errno));
        return 0;
    }
    return 1;
}

static int write_placement(const char *path, const spec_t *s)
{
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        fprintf(stderr, "sigil-specc: cannot write '%s': %s\n", path, strerror(errno));
        return 0;
    }
    placement_write_json(s, f);
    if (to_stdout ? fflush(f) != 0 : fclose(f) != 0) {
        fprintf(stderr, "sigil-specc: cannot write '%s': %s\n", path, strerror(errno));
        return 0;
    }
    return 1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xasprintf("%.*s", (int)(slash - path), path) : xstrdup(".");
}

/* The model stages in order; each runs only if the earlier ones left a usable model. */
static void run_stages(spec_t *s)
{
    build_objects(s);
    program_create(s);
    caps_resolve(s);
    program_resolve(s);
    policy_resolve(s);
    components_finish(s);
    vspace_build(s);
    policy_memory(s);
    cover_resolve(s);
    caps_check(s);
    policy_check(s);
    if (s->d->errors == 0) {
        place_objects(s);
    }
}

static int compile(const options_t *o)
{
    diag_t d = {.file = o->spec};
    y_spec_t *doc = doc_read(&d);
    int status = 1;
    if (doc) {
        char *dir = dir_of(o->spec);
        spec_t s;
        spec_init(&s, &d, doc, dir, o->reserve);
        s.search = o->search;
        s.nsearch = o->nsearch;
        s.unchecked_irqs = o->unchecked_irqs;
        run_stages(&s);
        if (d.errors == 0 && o->placement && !write_placement(o->placement, &s)) {
            status = 2;
        } else if (d.errors == 0 && !o->check_only && o->out) {
            size_t n = 0;
            uint8_t *blob = emit_blob(&s, &n);
            status = write_file(o->out, blob, n) ? 0 : 2;
            free(blob);
        } else if (d.errors == 0) {
            status = 0;
        }
        spec_free(&s);
        free(dir);
        doc_free(doc);
    }
    u64map_free(&d.lines);
    if (d.errors) {
        fprintf(stderr, "%s: %u error%s\n", o->spec, d.errors, d.errors == 1 ? "" : "s");
    }
    return status;
}

static int dump(const options_t *o)
{
    size_t n = 0;
    uint8_t *blob = NULL;
    const char *why = read_whole_file(o->dump, SIGIL_SPEC_MAX_FILE_BYTES, &blob, &n);
    if (why) {
        fprintf(stderr, "sigil-specc: cannot read '%s': %s\n", o->dump, why);
        return 2;
    }
    sigil_spec_check_t r = sigil_spec_check(blob, n);
    int status = 1;
    if (r.status != SIGIL_SPEC_CHECK_OK) {
        fprintf(stderr, "%s: not a valid binary spec: %s (record %llu)\n", o->dump,
                sigil_spec_check_name(r.status), (unsigned long long)r.index);
    } else {
        FILE *out = o->out ? fopen(o->out, "w") : stdout;
        if (!out) {
            fprintf(stderr, "sigil-specc: cannot write '%s': %s\n", o->out, strerror(errno));
            status = 2;
        } else {
            dump_yaml(out, blob);
            status = out != stdout && fclose(out) != 0 ? 2 : 0;
        }
    }
    free(blob);
    return status;
}

int main(int argc, char **argv)
{
    options_t o = {0};
    if (!parse_args(argc, argv, &o)) {
        usage();
        return 2;
    }
    return o.dump ? dump(&o) : compile(&o);
}
