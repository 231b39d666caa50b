/*
 * Reading a spec file: a checking pass over libyaml events guided by the libcyaml schema, then
 * libcyaml's load (see doc_read.h).
 */
#include "doc_read.h"

#include <errno.h>
#include <pthread.h>
#include <sigil/abi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    diag_t *d;
    yaml_parser_t parser;
    yaml_event_t ev;
    int have_ev;
    int drop_ev;            /* the current event was replaced: do not pass it on */
    yaml_emitter_t emitter; /* the normalised document handed to libcyaml */
    int emitting; /* second pass: write the normalised document (only if shorthands were used) */
    int emit_failed;
    unsigned shorthands;
    char *out;
    size_t out_len, out_cap;
    int broken; /* syntax error: no more events */
    /* The path of the current node as a stack of steps, rendered only for messages. */
    struct {
        const char *key; /* schema key (static), or NULL for a list index */
        size_t index;
    } steps[64];
    size_t depth;
    char path[512];
} reader_t;

static unsigned ev_line(const reader_t *r)
{
    return (unsigned)r->ev.start_mark.line + 1;
}

static int write_out(void *data, unsigned char *buffer, size_t size)
{
    reader_t *r = data;
    if (r->out_len + size + 1 > r->out_cap) {
        while (r->out_len + size + 1 > r->out_cap) {
            r->out_cap = r->out_cap ? r->out_cap * 2 : 1 << 16;
        }
        r->out = xrealloc(r->out, r->out_cap);
    }
    memcpy(r->out + r->out_len, buffer, size);
    r->out_len += size;
    return 1;
}

/* First pass: remember the line of a node. */
static void record(reader_t *r, uint64_t path, unsigned line)
{
    if (!r->emitting) {
        u64map_put(&r->d->lines, path, line);
    }
}

/* Hand an event to the emitter (which takes it over), or drop it. */
static void emit(reader_t *r, yaml_event_t *ev)
{
    if (!r->emitting) {
        yaml_event_delete(ev);
    } else if (r->emit_failed || !yaml_emitter_emit(&r->emitter, ev)) {
        r->emit_failed = 1;
        yaml_event_delete(ev);
    }
}

/* Done with the current event: pass it on to the normalised document unless replaced. */
static void pass_on(reader_t *r)
{
    if (r->have_ev && r->drop_ev) {
        yaml_event_delete(&r->ev);
    } else if (r->have_ev) {
        emit(r, &r->ev);
    }
    r->have_ev = r->drop_ev = 0;
}

/* Advance to the next event; on a syntax error report it and return 0. */
static int next(reader_t *r)
{
    if (r->broken) {
        return 0;
    }
    pass_on(r);
    if (!yaml_parser_parse(&r->parser, &r->ev)) {
        const char *ctx = r->parser.context ? r->parser.context : "";
        diag_error(r->d, (unsigned)r->parser.problem_mark.line + 1, NULL, "syntax error: %s%s%s",
                   r->parser.problem ? r->parser.problem : "malformed YAML", *ctx ? " " : "", ctx);
        r->broken = 1;
        return 0;
    }
    r->have_ev = 1;
    return 1;
}

/* Consume the rest of the node whose first event is current. */
static void skip_node(reader_t *r)
{
    int depth = 0;
    do {
        yaml_event_type_t t = r->ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            depth++;
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        if (depth == 0) {
            return;
        }
    } while (next(r));
}

static void push_step(reader_t *r, const char *key, size_t index)
{
    if (r->depth < sizeof r->steps / sizeof r->steps[0]) {
        r->steps[r->depth].key = key;
        r->steps[r->depth].index = index;
    }
    r->depth++;
}

/* The current path ("components[1].cspace.slots[0]") for a message. */
static const char *path_text(reader_t *r)
{
    size_t n = 0, max = sizeof r->path;
    size_t depth = r->depth < 64 ? r->depth : 64;
    r->path[0] = '\0';
    for (size_t i = 0; i < depth && n < max; i++) {
        int w = r->steps[i].key
                    ? snprintf(r->path + n, max - n, "%s%s", n ? "." : "", r->steps[i].key)
                    : snprintf(r->path + n, max - n, "[%zu]", r->steps[i].index);
        n += w > 0 ? (size_t)w : 0;
    }
    return r->path;
}

static void walk(reader_t *r, const cyaml_schema_value_t *v, uint64_t h);

static int find_field(const cyaml_schema_field_t *f, const char *key)
{
    for (int i = 0; f[i].key; i++) {
        if (strcmp(f[i].key, key) == 0) {
            return i;
        }
    }
    return -1;
}

static void walk_field(reader_t *r, const cyaml_schema_field_t *f, uint64_t h, unsigned line)
{
    uint64_t fh = path_key(h, f->key);
    record(r, fh, line);
    push_step(r, f->key, 0);
    walk(r, &f->value, fh);
    r->depth--;
}

static void walk_mapping(reader_t *r, const cyaml_schema_value_t *v, uint64_t h)
{
    const cyaml_schema_field_t *fields = v->mapping.fields;
    unsigned start = ev_line(r);
    uint64_t seen = 0;
    while (next(r) && r->ev.type != YAML_MAPPING_END_EVENT) {
        unsigned line = ev_line(r);
        if (r->ev.type != YAML_SCALAR_EVENT) {
            diag_error(r->d, line, path_text(r), "mapping keys must be plain words");
            skip_node(r);
            if (next(r)) {
                skip_node(r);
            }
            continue;
        }
        char *key = xstrdup((const char *)r->ev.data.scalar.value);
        int i = find_field(fields, key);
        if (!next(r)) {
            free(key);
            return;
        }
        if (i < 0) {
            diag_error(r->d, line, path_text(r), "unknown key '%s'", key);
            skip_node(r);
        } else if (seen & (1ull << i)) {
            diag_error(r->d, line, path_text(r), "duplicate key '%s'", key);
            skip_node(r);
        } else {
            seen |= 1ull << i;
            walk_field(r, &fields[i], h, line);
        }
        free(key);
    }
    for (int i = 0; fields[i].key && !r->broken; i++) {
        if (!(fields[i].value.flags & CYAML_FLAG_OPTIONAL) && !(seen & (1ull << i))) {
            diag_error(r->d, start, path_text(r), "missing required key '%s'", fields[i].key);
        }
    }
}

static void walk_sequence(reader_t *r, const cyaml_schema_value_t *v, uint64_t h)
{
    for (size_t i = 0; next(r) && r->ev.type != YAML_SEQUENCE_END_EVENT; i++) {
        push_step(r, NULL, i);
        record(r, path_index(h, i), ev_line(r));
        walk(r, v->sequence.entry, path_index(h, i));
        r->depth--;
    }
}

/* A mapping whose first field is `cap` may be written as just the cap's object name. */
static int takes_shorthand(const cyaml_schema_value_t *v)
{
    return v->mapping.fields[0].key && strcmp(v->mapping.fields[0].key, "cap") == 0;
}

static void emit_scalar(reader_t *r, const char *text)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1,
                                 YAML_ANY_SCALAR_STYLE);
    emit(r, &ev);
}

/* `x` where {cap: x} is meant: pass the mapping on instead of the scalar. */
static void expand_shorthand(reader_t *r, const cyaml_schema_value_t *v, uint64_t h)
{
    yaml_event_t ev;
    record(r, path_key(h, "cap"), ev_line(r));
    r->shorthands++;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_MAPPING_STYLE);
    emit(r, &ev);
    emit_scalar(r, v->mapping.fields[0].key);
    emit_scalar(r, (const char *)r->ev.data.scalar.value);
    yaml_mapping_end_event_initialize(&ev);
    emit(r, &ev);
    r->drop_ev = 1;
}

/* Check the node whose first event is current against `v`; consumes the whole node. Its line
 * was recorded by the caller (key line for fields, first line for list entries). */
static void walk(reader_t *r, const cyaml_schema_value_t *v, uint64_t h)
{
    yaml_event_type_t t = r->ev.type;
    if (t == YAML_ALIAS_EVENT || (t == YAML_SCALAR_EVENT && r->ev.data.scalar.anchor) ||
        (t == YAML_MAPPING_START_EVENT && r->ev.data.mapping_start.anchor) ||
        (t == YAML_SEQUENCE_START_EVENT && r->ev.data.sequence_start.anchor)) {
        diag_error(r->d, ev_line(r), path_text(r), "anchors and aliases are not supported");
        skip_node(r);
        return;
    }
    if (v->type == CYAML_MAPPING && t == YAML_SCALAR_EVENT && takes_shorthand(v)) {
        expand_shorthand(r, v, h);
    } else if (v->type == CYAML_MAPPING && t == YAML_MAPPING_START_EVENT) {
        walk_mapping(r, v, h);
    } else if (v->type == CYAML_SEQUENCE && t == YAML_SEQUENCE_START_EVENT) {
        walk_sequence(r, v, h);
    } else if (v->type != CYAML_MAPPING && v->type != CYAML_SEQUENCE && t == YAML_SCALAR_EVENT) {
        return;
    } else {
        const char *want = v->type == CYAML_MAPPING    ? "a mapping"
                           : v->type == CYAML_SEQUENCE ? "a list"
                                                       : "a scalar";
        diag_error(r->d, ev_line(r), path_text(r), "expected %s", want);
        skip_node(r);
    }
}

/* Pass 1 over an open file. */
static void check_structure(reader_t *r, FILE *f)
{
    yaml_parser_set_input_file(&r->parser, f);
    if (!next(r) || !next(r)) { /* stream start, document start */
        return;
    }
    if (r->ev.type == YAML_STREAM_END_EVENT) {
        diag_error(r->d, 1, NULL, "the file holds no YAML document");
        return;
    }
    if (!next(r)) {
        return;
    }
    walk(r, &doc_schema, PATH_ROOT);
    if (next(r) && next(r) && r->ev.type != YAML_STREAM_END_EVENT) {
        diag_error(r->d, ev_line(r), NULL, "a spec is one YAML document");
    }
}

/* One pass over the open file: checking (and recording lines) or, with `emitting`, writing the
 * document with shorthands expanded to r->out. Returns the number of shorthands seen. */
static unsigned read_pass(diag_t *d, FILE *f, int emitting, char **out, size_t *out_len)
{
    reader_t r = {.d = d, .emitting = emitting};
    rewind(f);
    yaml_parser_initialize(&r.parser);
    yaml_emitter_initialize(&r.emitter);
    yaml_emitter_set_output(&r.emitter, write_out, &r);
    yaml_emitter_set_width(&r.emitter, -1);
    yaml_emitter_set_unicode(&r.emitter, 1);
    check_structure(&r, f);
    pass_on(&r);
    if (emitting && !r.emit_failed) {
        yaml_emitter_flush(&r.emitter);
    }
    yaml_emitter_delete(&r.emitter);
    yaml_parser_delete(&r.parser);
    if (emitting && r.emit_failed) {
        diag_error(d, 0, NULL, "internal error: cannot pass the document on to libcyaml");
    }
    *out = r.out;
    *out_len = r.out_len;
    return r.shorthands;
}

static const cyaml_config_t load_config = {
    .log_level = CYAML_LOG_ERROR,
    .log_fn = NULL,
    .mem_fn = cyaml_mem,
    .flags = CYAML_CFG_DEFAULT,
};

static y_spec_t *load(diag_t *d, const char *text, size_t len)
{
    const cyaml_config_t *config = &load_config;
    y_spec_t *doc = NULL;
    cyaml_err_t err =
        text ? cyaml_load_data((const uint8_t *)text, len, config, &doc_schema, (void **)&doc, NULL)
             : cyaml_load_file(d->file, config, &doc_schema, (void **)&doc, NULL);
    if (err != CYAML_OK) {
        diag_error(d, 0, NULL, "libcyaml: %s", cyaml_strerror(err));
        return NULL;
    }
    return doc;
}

/* libcyaml's load of the file, run on a second thread while the checking pass runs. */
typedef struct {
    const char *file;
    y_spec_t *doc;
    cyaml_err_t err;
} background_load_t;

static void *load_in_background(void *arg)
{
    background_load_t *b = arg;
    b->err = cyaml_load_file(b->file, &load_config, &doc_schema, (void **)&b->doc, NULL);
    return NULL;
}

/* The line where flow collections (`[`, `{`) first nest deeper than `max`, or 0. libyaml's
 * scanner takes time quadratic in the flow depth and libcyaml's load runs on the whole file at
 * once, so depth is bounded before either sees the text. A byte scan, conservative: a bracket
 * counts at the start of a token (after a blank, a line start or another flow indicator) and
 * inside flow collections; quoted scalars and comments are skipped. Block nesting costs at
 * least a byte per level and is bounded by the check pass. */
static unsigned flow_too_deep(FILE *f, unsigned max)
{
    unsigned depth = 0, line = 1;
    int c, prev = '\n', quote = 0;
    while ((c = getc(f)) != EOF) {
        int token_start = prev == '\n' || prev == ' ' || prev == '\t' || prev == '[' ||
                          prev == '{' || prev == ',' || (depth && prev == ':');
        if (c == '\n') {
            line++;
        }
        if (quote) {
            if (c == '\\' && quote == '"') {
                c = getc(f);
                line += c == '\n';
            } else if (c == quote) {
                quote = 0;
            }
        } else if (c == '#' && (prev == '\n' || prev == ' ' || prev == '\t')) {
            while ((c = getc(f)) != EOF && c != '\n') {
            }
            line += c == '\n';
        } else if ((c == '"' || c == '\'') && token_start) {
            quote = c;
        } else if ((c == '[' || c == '{') && (depth || token_start)) {
            if (++depth > max) {
                return line;
            }
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
        prev = c;
    }
    return 0;
}

y_spec_t *doc_read(diag_t *d)
{
    FILE *f = NULL;
    uint64_t size = 0;
    const char *why = open_regular(d->file, SIGIL_SPEC_MAX_SPEC_BYTES, &f, &size);
    if (why) {
        diag_error(d, 0, NULL, "cannot open '%s': %s", d->file, why);
        return NULL;
    }
    unsigned deep = flow_too_deep(f, SIGIL_SPEC_MAX_NESTING);
    if (deep) {
        diag_error(d, deep, NULL, "nesting deeper than %u levels",
                   (unsigned)SIGIL_SPEC_MAX_NESTING);
        fclose(f);
        return NULL;
    }
    u64map_reserve(&d->lines, (size_t)size / 12); /* about one node per 12 bytes */
    /* The load is only used if the check passes and the file has no shorthands. */
    background_load_t bg = {d->file, NULL, CYAML_OK};
    pthread_t thread;
    int threaded = pthread_create(&thread, NULL, load_in_background, &bg) == 0;
    unsigned before = d->errors;
    char *text = NULL;
    size_t len = 0;
    unsigned shorthands = read_pass(d, f, 0, &text, &len);
    if (d->errors == before && shorthands) {
        read_pass(d, f, 1, &text, &len);
    }
    fclose(f);
    if (threaded) {
        pthread_join(thread, NULL);
    }
    y_spec_t *doc = NULL;
    if (d->errors == before && threaded && !shorthands && bg.err == CYAML_OK) {
        doc = bg.doc;
        bg.doc = NULL;
    } else if (d->errors == before) {
        doc = load(d, text, len);
    }
    doc_free(bg.doc);
    free(text);
    return doc;
}

void doc_free(y_spec_t *doc)
{
    static const cyaml_config_t config = {
        .log_level = CYAML_LOG_ERROR,
        .mem_fn = cyaml_mem,
    };
    if (doc) {
        cyaml_free(&config, &doc_schema, doc, 0);
    }
}
