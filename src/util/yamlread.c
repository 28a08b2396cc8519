/*
 * yamlread.c — typed, table-driven YAML access; see yamlread.h.
 */
#include "util/yamlread.h"
#include "util/diag.h"
#include "util/numfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reports the parser's problem as an input error. */
static void report_parser(yaml_parser_t *p, const char *file, ts_diags *d)
{
    const char *what = p->problem ? p->problem : "invalid YAML";
    yaml_mark_t m = p->problem_mark;
    if (p->context)
        ts_err(d, file, (int)m.line + 1, (int)m.column + 1, "invalid YAML: %s %s (expected valid YAML)", what,
               p->context);
    else
        ts_err(d, file, (int)m.line + 1, (int)m.column + 1, "invalid YAML: %s (expected valid YAML)", what);
}

ts_status ts_yaml_stream_open(ts_yaml_stream *s, const char *file, const char *data, size_t len, ts_diags *d)
{
    memset(s, 0, sizeof *s);
    s->file = file;
    s->diags = d;
    if (!yaml_parser_initialize(&s->parser)) {
        d->oom = 1;
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    yaml_parser_set_input_string(&s->parser, (const unsigned char *)data, len);
    return TS_OK;
}

ts_status ts_yaml_stream_next(ts_yaml_stream *s, ts_yaml *y, int *more)
{
    memset(y, 0, sizeof *y);
    y->file = s->file;
    y->diags = s->diags;
    *more = 0;
    if (!yaml_parser_load(&s->parser, &y->doc)) {
        report_parser(&s->parser, s->file, s->diags);
        return TS_EINPUT;
    }
    y->loaded = 1;
    if (!yaml_document_get_root_node(&y->doc)) {
        ts_yaml_free(y);
        return TS_OK;
    }
    *more = 1;
    return TS_OK;
}

void ts_yaml_stream_close(ts_yaml_stream *s)
{
    yaml_parser_delete(&s->parser);
}

ts_status ts_yaml_load(ts_yaml *y, const char *file, const char *data, size_t len, ts_diags *d)
{
    memset(y, 0, sizeof *y);
    y->file = file;
    y->diags = d;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        d->oom = 1;
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    if (!yaml_parser_load(&p, &y->doc)) {
        const char *what = p.problem ? p.problem : "invalid YAML";
        yaml_mark_t m = p.problem_mark;
        if (p.context)
            ts_err(d, file, (int)m.line + 1, (int)m.column + 1, "invalid YAML: %s %s (expected valid YAML)",
                   what, p.context);
        else
            ts_err(d, file, (int)m.line + 1, (int)m.column + 1, "invalid YAML: %s (expected valid YAML)",
                   what);
        yaml_parser_delete(&p);
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    yaml_parser_delete(&p);
    y->loaded = 1;
    return TS_OK;
}

void ts_yaml_free(ts_yaml *y)
{
    if (y && y->loaded)
        yaml_document_delete(&y->doc);
    if (y)
        y->loaded = 0;
}

yaml_node_t *ts_yaml_root(ts_yaml *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

int ts_yaml_line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

int ts_yaml_col(const yaml_node_t *n)
{
    return (int)n->start_mark.column + 1;
}

const char *ts_yaml_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int ts_yaml_is_null(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

yaml_node_t *ts_yaml_get(ts_yaml *y, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        const char *k = ts_yaml_scalar(yaml_document_get_node(&y->doc, pr->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(&y->doc, pr->value);
    }
    return NULL;
}

int ts_yaml_unique_keys(ts_yaml *y, yaml_node_t *map, const char *path, int deep)
{
    int dups = 0;
    if (!map || (map->type != YAML_MAPPING_NODE && !(deep && map->type == YAML_SEQUENCE_NODE)))
        return 0;
    if (map->type == YAML_SEQUENCE_NODE) {
        int i = 0;
        for (yaml_node_item_t *it = map->data.sequence.items.start; it < map->data.sequence.items.top; it++, i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
            dups += ts_yaml_unique_keys(y, yaml_document_get_node(&y->doc, *it), sub, deep);
        }
        return dups;
    }
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y->doc, pr->key);
        const char *key = ts_yaml_scalar(kn);
        if (!key)
            continue;
        char what[512];
        snprintf(what, sizeof what, "%s%s%s", path, *path ? "." : "", key);
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            const char *earlier = ts_yaml_scalar(yaml_document_get_node(&y->doc, q->key));
            if (earlier && !strcmp(earlier, key)) {
                ts_yaml_err(y, kn, "duplicate key %s (expected each key once)", what);
                dups++;
                break;
            }
        }
        if (deep)
            dups += ts_yaml_unique_keys(y, yaml_document_get_node(&y->doc, pr->value), what, deep);
    }
    return dups;
}

void ts_yaml_err(ts_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int pos = n && !y->no_positions;
    ts_err(y->diags, y->file, pos ? ts_yaml_line(n) : 0, pos ? ts_yaml_col(n) : 0, "%s", msg);
}

/* A printable rendering of a node for "is X" in messages. */
static void describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE)
        snprintf(buf, size, "a mapping");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(buf, size, "a list");
    else if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        snprintf(buf, size, "%.60s", (const char *)n->data.scalar.value);
    else
        snprintf(buf, size, "the string \"%.60s\"", (const char *)n->data.scalar.value);
}

ts_status ts_yaml_number(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, double *out,
                   ts_diags *d)
{
    (void)d;
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        ts_parse_double((const char *)n->data.scalar.value, out) == 0)
        return TS_OK;
    char desc[96];
    describe(n, desc, sizeof desc);
    ts_yaml_err(y, n, "%s is %s (expected %s)", what, desc, expect);
    return TS_EINPUT;
}

static int is_integer_text(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

ts_status ts_yaml_int(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, int64_t *out,
                ts_diags *d)
{
    (void)d;
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        is_integer_text((const char *)n->data.scalar.value) &&
        ts_parse_int64((const char *)n->data.scalar.value, out) == 0)
        return TS_OK;
    char desc[96];
    describe(n, desc, sizeof desc);
    ts_yaml_err(y, n, "%s is %s (expected %s)", what, desc, expect);
    return TS_EINPUT;
}

static ts_status read_bool(ts_yaml *y, yaml_node_t *n, const char *what, int *out)
{
    const char *s = ts_yaml_scalar(n);
    if (s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
            *out = 1;
            return TS_OK;
        }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
            *out = 0;
            return TS_OK;
        }
    }
    char desc[96];
    describe(n, desc, sizeof desc);
    ts_yaml_err(y, n, "%s is %s (expected true or false)", what, desc);
    return TS_EINPUT;
}

static ts_status read_scalar_key(ts_yaml *y, yaml_node_t *vn, const ts_key *k, const char *what, void *obj,
                           ts_diags *d)
{
    char expect[160];
    ts_key_expect(k, expect, sizeof expect);
    char *slot = (char *)obj + k->offset;
    switch (k->type) {
    case TS_KEY_NUM: {
        double v;
        if (ts_yaml_number(y, vn, what, expect, &v, d))
            return TS_EINPUT;
        char hint[96];
        if (ts_key_fraction_hint(k, v, hint, sizeof hint)) {
            ts_yaml_err(y, vn, "%s is %s, which %s (expected %s)", what, ts_yaml_scalar(vn), hint, expect);
            return TS_EINPUT;
        }
        if (!ts_key_in_bounds(k, v)) {
            ts_yaml_err(y, vn, "%s is %s (expected %s)", what, ts_yaml_scalar(vn), expect);
            return TS_EINPUT;
        }
        *(double *)slot = v;
        return TS_OK;
    }
    case TS_KEY_INT:
    case TS_KEY_INT32: {
        int64_t v;
        if (ts_yaml_int(y, vn, what, expect, &v, d))
            return TS_EINPUT;
        if (!ts_key_in_bounds(k, (double)v)) {
            ts_yaml_err(y, vn, "%s is %s (expected %s)", what, ts_yaml_scalar(vn), expect);
            return TS_EINPUT;
        }
        if (k->type == TS_KEY_INT)
            *(int64_t *)slot = v;
        else
            *(int32_t *)slot = (int32_t)v;
        return TS_OK;
    }
    case TS_KEY_BOOL: return read_bool(y, vn, what, (int *)slot);
    case TS_KEY_ENUM: {
        const char *s = ts_yaml_scalar(vn);
        for (int i = 0; s && k->names[i]; i++)
            if (!strcmp(k->names[i], s)) {
                *(int *)slot = i;
                return TS_OK;
            }
        char desc[96];
        describe(vn, desc, sizeof desc);
        ts_yaml_err(y, vn, "%s is %s (expected %s)", what, desc, expect);
        return TS_EINPUT;
    }
    default: {
        const char *s = ts_yaml_scalar(vn);
        if (!s) {
            ts_yaml_err(y, vn, "%s is not a scalar (expected %s)", what, k->expect ? k->expect : "text");
            return TS_EINPUT;
        }
        *(const char **)slot = s;
        return TS_OK;
    }
    }
}

static ts_status read_section(ts_yaml *y, yaml_node_t *vn, const ts_key *k, const char *what, void *obj,
                              int strict, ts_diags *d);

ts_status ts_yaml_read_section(ts_yaml *y, yaml_node_t *vn, const ts_key *k, void *obj, const char *what, ts_diags *d)
{
    size_t before = d->n_errors;
    if (!vn || ts_yaml_is_null(vn)) {
        ts_keys_defaults(k, 1, obj);
        return TS_OK;
    }
    read_section(y, vn, k, what, obj, 1, d);
    return ts_diags_status(d, before);
}

/* A nested section: read, then finished and checked when it had no error.
 * Returns TS_OK, or TS_EINPUT (the errors said). */
static ts_status read_section(ts_yaml *y, yaml_node_t *vn, const ts_key *k, const char *what, void *obj,
                              int strict, ts_diags *d)
{
    void *sub = (char *)obj + k->offset;
    int errs = ts_yaml_read_table(y, vn, k->sub, k->n_sub, sub, strict, what, d) != TS_OK;
    if (k->finish)
        k->finish(sub);
    char msg[400];
    if (!errs && k->check && k->check(sub, what, msg, sizeof msg)) {
        ts_yaml_err(y, vn, "%s", msg);
        errs++;
    }
    return errs ? TS_EINPUT : TS_OK;
}

/* A list of mappings, each read by the sub-table into the array at offset.
 * Returns TS_OK, or TS_EINPUT (the errors said). */
static ts_status read_list(ts_yaml *y, yaml_node_t *vn, const ts_key *k, const char *what, void *obj, int strict,
                     ts_diags *d)
{
    char expect[160];
    ts_key_expect(k, expect, sizeof expect);
    if (vn->type != YAML_SEQUENCE_NODE) {
        ts_yaml_err(y, vn, "%s is not a list (expected %s)", what, expect);
        return TS_EINPUT;
    }
    int *count = (int *)((char *)obj + k->count_offset);
    int errs = 0;
    *count = 0;
    for (yaml_node_item_t *it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++) {
        yaml_node_t *en = yaml_document_get_node(&y->doc, *it);
        if ((size_t)*count == k->max_elems) {
            ts_yaml_err(y, en, "%s has more than %zu entries (expected at most %zu)", what, k->max_elems,
                        k->max_elems);
            return TS_EINPUT;
        }
        char item[220];
        snprintf(item, sizeof item, "%s[%d]", what, (int)(it - vn->data.sequence.items.start));
        void *elem = (char *)obj + k->offset + (size_t)*count * k->elem_size;
        if (ts_yaml_read_table(y, en, k->sub, k->n_sub, elem, strict, item, d) != 0) {
            errs++;
            continue;
        }
        (*count)++;
    }
    return errs ? TS_EINPUT : TS_OK;
}

ts_status ts_yaml_read_table(ts_yaml *y, yaml_node_t *map, const ts_key *keys, size_t n, void *obj, int strict,
                       const char *section, ts_diags *d)
{
    size_t before = d->n_errors;
    if (!y->overlay)
        ts_keys_defaults(keys, n, obj); /* absent keys keep these */
    if (!map || ts_yaml_is_null(map)) {
        if (y->overlay)
            return TS_OK;
        char expect[160];
        for (size_t i = 0; i < n; i++)
            if (keys[i].required) {
                ts_key_expect(&keys[i], expect, sizeof expect);
                ts_err(d, y->file, 0, 0, "%s.%s is missing (expected %s)", section, keys[i].name, expect);
            }
        return ts_diags_status(d, before);
    }
    if (map->type != YAML_MAPPING_NODE) {
        ts_yaml_err(y, map, "%s is not a mapping (expected key: value lines)", section);
        return ts_diags_status(d, before);
    }
    unsigned char seen[64] = {0};
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&y->doc, pr->value);
        const char *key = ts_yaml_scalar(kn);
        size_t i = 0;
        while (key && i < n && strcmp(keys[i].name, key) != 0)
            i++;
        if (!key || i == n) {
            if (strict) {
                char msg[1024];
                ts_keys_unknown(keys, n, section, key ? key : "?", msg, sizeof msg);
                ts_yaml_err(y, kn, "%s", msg);
            }
            continue;
        }
        const ts_key *k = &keys[i];
        char what[200];
        snprintf(what, sizeof what, "%s.%s", section, k->name);
        if (i < sizeof seen && seen[i]) {
            ts_yaml_err(y, kn, "duplicate key %s (expected each key once)", what);
            continue;
        }
        if (i < sizeof seen)
            seen[i] = 1;
        if (k->type == TS_KEY_SKIP)
            continue;
        if (ts_yaml_is_null(vn)) {
            if (k->required) {
                char expect[160];
                ts_key_expect(k, expect, sizeof expect);
                ts_yaml_err(y, vn, "%s is empty (expected %s)", what, expect);
            }
            continue;
        }
        ts_status rc = k->type == TS_KEY_SECTION ? read_section(y, vn, k, what, obj, strict, d)
                 : k->type == TS_KEY_LIST  ? read_list(y, vn, k, what, obj, strict, d)
                                           : read_scalar_key(y, vn, k, what, obj, d);
        if (rc == TS_OK && k->present)
            *(int *)((char *)obj + k->present - 1) = 1;
    }
    char expect[160];
    for (size_t i = 0; i < n && !y->overlay; i++)
        if (keys[i].required && !(i < sizeof seen && seen[i])) {
            ts_key_expect(&keys[i], expect, sizeof expect);
            ts_yaml_err(y, map, "%s.%s is missing (expected %s)", section, keys[i].name, expect);
        }
    return ts_diags_status(d, before);
}

/* The row named name (len bytes) of a table, or NULL. */
static const ts_key *find_key(const ts_key *keys, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(keys[i].name) == len && !strncmp(keys[i].name, name, len))
            return &keys[i];
    return NULL;
}

#define MAX_DEPTH 8

ts_status ts_yaml_apply(const ts_key *keys, size_t n, void *obj, const char *section, const char *path,
                  const char *value, const char *source, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, source, value, strlen(value), d) != 0)
        return ts_diags_status(d, before);
    y.overlay = 1;
    y.no_positions = 1;
    /* the sections on the way: their rows and objects, to finish and check */
    const ts_key *chain[MAX_DEPTH];
    void *objs[MAX_DEPTH];
    char names[MAX_DEPTH][256];
    int depth = 0;
    char what[256];
    snprintf(what, sizeof what, "%.200s", section);
    const char *seg = path;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
        const ts_key *k = find_key(keys, n, seg, len);
        if (!k || k->type == TS_KEY_SKIP || (dot && k->type != TS_KEY_SECTION) || depth == MAX_DEPTH) {
            char msg[1024], name[128];
            snprintf(name, sizeof name, "%.*s", (int)(len < 127 ? len : 127), seg);
            ts_keys_unknown(keys, n, what, name, msg, sizeof msg);
            ts_err(d, source, 0, 0, "%s", msg);
            break;
        }
        char key_what[256];
        snprintf(key_what, sizeof key_what, "%.200s.%.50s", what, k->name);
        if (dot) {
            chain[depth] = k;
            objs[depth] = obj;
            memcpy(names[depth], key_what, sizeof key_what);
            depth++;
            obj = (char *)obj + k->offset;
            keys = k->sub;
            n = k->n_sub;
            memcpy(what, key_what, sizeof key_what);
            seg = dot + 1;
            continue;
        }
        yaml_node_t *vn = ts_yaml_root(&y);
        ts_status rc;
        if (!vn || ts_yaml_is_null(vn)) {
            char expect[160];
            ts_key_expect(k, expect, sizeof expect);
            ts_err(d, source, 0, 0, "%s is empty (expected %s)", key_what, expect);
            rc = TS_EINPUT;
        } else {
            rc = k->type == TS_KEY_SECTION ? read_section(&y, vn, k, key_what, obj, 1, d)
                 : k->type == TS_KEY_LIST  ? read_list(&y, vn, k, key_what, obj, 1, d)
                                           : read_scalar_key(&y, vn, k, key_what, obj, d);
        }
        if (rc == TS_OK && k->present)
            *(int *)((char *)obj + k->present - 1) = 1;
        /* the sections around it are given now, and derive again what
         * depends on it */
        for (int i = depth - 1; rc == TS_OK && i >= 0; i--) {
            void *sub = (char *)objs[i] + chain[i]->offset;
            if (chain[i]->present)
                *(int *)((char *)objs[i] + chain[i]->present - 1) = 1;
            if (chain[i]->finish)
                chain[i]->finish(sub);
            char msg[400];
            if (chain[i]->check && chain[i]->check(sub, names[i], msg, sizeof msg)) {
                ts_err(d, source, 0, 0, "%s", msg);
                rc = TS_EINPUT;
            }
        }
        break;
    }
    ts_yaml_free(&y);
    return ts_diags_status(d, before);
}
