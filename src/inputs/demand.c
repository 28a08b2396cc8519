/*
 * demand.c — the demand file (demand.yaml): its settings, the series files
 * it names and the models with their profiles; see demand.h for the format.
 */
#include "inputs/demand.h"
#include "inputs/files.h"
#include "inputs/profile.h"
#include "inputs/series.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/ids.h"
#include "util/keys.h"
#include "util/limits.h"
#include "util/timeutil.h"
#include "util/yamlread.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_START 1735689600 /* 2025-01-01T00:00:00Z */

typedef struct top_fields {
    const char *start;
    int64_t horizon_hours;
    double noise_pct;
} top_fields;

static const ts_key top_keys[] = {
    {.name = "start", .type = TS_KEY_STR, .offset = offsetof(top_fields, start),
     .expect = "an ISO 8601 UTC time such as 2025-01-01T00:00:00Z", .doc = "UTC start of hour 0 of generated profiles"},
    {.name = "horizon_hours", .type = TS_KEY_INT, .offset = offsetof(top_fields, horizon_hours), .def = 720,
     TS_FROM_TO(1, 1e6), .noun = "an integer number of hours", .doc = "hours of generated profiles"},
    {.name = "noise_pct", .type = TS_KEY_NUM, .offset = offsetof(top_fields, noise_pct), .def = 0,
     TS_FROM_BELOW(0, 100), .doc = "sd of multiplicative noise, in % (0: none)"},
    {.name = "series", .type = TS_KEY_SKIP, .doc = "time-series files, relative to demand.yaml"},
    {.name = "models", .type = TS_KEY_SKIP, .doc = "demand per model"},
};

static const char *const profile_names[] = {"uniform", "diurnal", NULL};

typedef struct model_fields {
    double tokens_per_month;
    int has_tokens;
    int diurnal;
    double amplitude;
    double peak_hour;
    int64_t initial_replicas;
    int has_initial;
    double params_b;
    int has_params;
    double bytes_per_param;
    const char *deployment;
} model_fields;

#define M(f) offsetof(model_fields, f)
static const ts_key model_keys[] = {
    {.name = "tokens_per_month", .type = TS_KEY_NUM, .offset = M(tokens_per_month),
     .present = TS_PRESENT(M(has_tokens)), TS_FROM_TO(0, TS_MAX_TOKENS_PER_MONTH), .noun = "a number of tokens",
     .doc = "tokens a month (720 hours); required unless a series covers the model"},
    {.name = "profile", .type = TS_KEY_ENUM, .offset = M(diurnal), .names = profile_names,
     .doc = "how the month's tokens spread over hours"},
    {.name = "amplitude", .type = TS_KEY_NUM, .offset = M(amplitude), .def = 0.5, TS_FROM_BELOW(0, 1),
     .doc = "diurnal a"},
    {.name = "peak_hour", .type = TS_KEY_NUM, .offset = M(peak_hour), .def = 15, TS_FROM_BELOW(0, 24),
     .noun = "an hour of day", .doc = "hour of day (UTC) of the diurnal peak"},
    {.name = "initial_replicas", .type = TS_KEY_INT, .offset = M(initial_replicas),
     .present = TS_PRESENT(M(has_initial)), TS_FROM_TO(0, TS_MAX_INSTANCES),
     .doc = "replicas at t = 0 instead of the start formula (§5)"},
    {.name = "params_b", .type = TS_KEY_NUM, .offset = M(params_b), .present = TS_PRESENT(M(has_params)),
     TS_ABOVE_TO(0, 1e6), .noun = "a number of billions of parameters",
     .doc = "billions of parameters (for the throughput heuristic)"},
    {.name = "bytes_per_param", .type = TS_KEY_NUM, .offset = M(bytes_per_param), .def = 2, TS_ABOVE_TO(0, 64),
     .noun = "a number of bytes", .doc = "bytes per weight"},
    {.name = "deployment", .type = TS_KEY_STR, .offset = M(deployment), .expect = "a workload name",
     .doc = "the Deployment or Knative Service that serves the model (what a manifest scales)"},
};
#undef M

typedef struct key_ref {
    const char *key;
    size_t pos;          /* position in the mapping */
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Flags (dup[i] = 1) every key of the mapping that repeats an earlier one:
 * a sort instead of comparing all pairs, so large fleets load in
 * O(n log n). Returns TS_OK, or TS_ENOMEM. */
static ts_status flag_duplicates(ts_yaml *y, yaml_node_t *map, unsigned char *dup)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    key_ref *r = ts_malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return TS_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = ts_yaml_scalar(yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key));
        if (key)
            r[k++] = (key_ref){key, i};
    }
    qsort(r, k, sizeof *r, cmp_key_ref);
    for (size_t i = 1; i < k; i++)
        if (!strcmp(r[i].key, r[i - 1].key))
            dup[r[i].pos] = 1;
    free(r);
    return TS_OK;
}

static int cmp_key_only(const void *a, const void *b)
{
    return strcmp(((const key_ref *)a)->key, ((const key_ref *)b)->key);
}

static int cmp_demand(const void *a, const void *b)
{
    return strcmp(((const ts_model_demand *)a)->model, ((const ts_model_demand *)b)->model);
}

static ts_model_demand *add_demand(ts_inputs *in, size_t *cap, const char *model, ts_diags *d)
{
    ts_model_demand *p = ts_grow(in->demand, in->n_demand, cap, sizeof *p, 8);
    if (!p) {
        d->oom = 1;
        return NULL;
    }
    in->demand = p;
    ts_model_demand *m = &in->demand[in->n_demand];
    memset(m, 0, sizeof *m);
    m->model = ts_strdup(model);
    if (!m->model) {
        d->oom = 1;
        return NULL;
    }
    m->bytes_per_param = 2;
    in->n_demand++;
    return m;
}

char *ts_default_deployment(const char *model)
{
    const char *base = strrchr(model, '/');
    base = base ? base + 1 : model;
    char *out = ts_strdup(base);
    for (char *c = out; c && *c; c++)
        *c = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : (*c == '.' || *c == '_') ? '-' : *c;
    return out;
}

/* The top-level keys; returns the start of generated profiles. */
static int64_t read_top(ts_yaml *y, yaml_node_t *root, top_fields *top, ts_diags *d)
{
    ts_yaml_read_table(y, root, top_keys, sizeof top_keys / sizeof top_keys[0], top, 0, "demand", d);
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y->doc, pr->key);
        const char *k = ts_yaml_scalar(kn);
        int known = 0;
        for (size_t i = 0; k && i < sizeof top_keys / sizeof top_keys[0]; i++)
            known |= !strcmp(k, top_keys[i].name);
        if (!known) {
            char msg[1024];
            ts_keys_unknown(top_keys, sizeof top_keys / sizeof top_keys[0], "demand", k ? k : "?", msg, sizeof msg);
            ts_yaml_err(y, kn, "%s", msg);
        }
    }
    int64_t start = DEFAULT_START;
    if (top->start) {
        double frac;
        if (ts_parse_time(top->start, &start, &frac) != 0 || frac != 0.0) {
            ts_yaml_err(y, ts_yaml_get(y, root, "start"),
                        "start is \"%s\" (expected an ISO 8601 UTC time in whole seconds such as 2025-01-01T00:00:00Z)",
                        top->start);
            start = DEFAULT_START;
        }
    }
    return start;
}

/* The files of series: (paths relative to demand.yaml), read into set. */
static void read_series_list(ts_inputs *in, ts_yaml *y, yaml_node_t *root, const char *path, ts_series_set *set,
                             ts_diags *d)
{
    yaml_node_t *sn = ts_yaml_get(y, root, "series");
    if (!sn || ts_yaml_is_null(sn))
        return;
    if (sn->type != YAML_SEQUENCE_NODE) {
        ts_yaml_err(y, sn, "series is not a list (expected a list of CSV file names)");
        return;
    }
    char *base = ts_strdup(path);
    if (!base) {
        d->oom = 1;
        return;
    }
    char *slash = strrchr(base, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(base, ".");
    for (yaml_node_item_t *it = sn->data.sequence.items.start; it < sn->data.sequence.items.top; it++) {
        yaml_node_t *fn = yaml_document_get_node(&y->doc, *it);
        const char *f = ts_yaml_scalar(fn);
        if (!f || !*f) {
            ts_yaml_err(y, fn, "a series entry is not a file name (expected a CSV path relative to demand.yaml)");
            continue;
        }
        if (!in->allow_outside && ts_path_escapes(f, 1)) {
            ts_yaml_err(y, fn, "series %s leads outside the inputs folder (expected a path inside it, relative to "
                               "demand.yaml; --allow-outside-inputs permits others)", f);
            continue;
        }
        char *sp = ts_path_join(base, f);
        if (!sp) {
            d->oom = 1;
            break;
        }
        if (!in->allow_outside && ts_path_inside(in->dir, sp) == 0)
            ts_yaml_err(y, fn, "series %s leads outside the inputs folder through a symbolic link (expected a file "
                               "inside it; --allow-outside-inputs permits others)", f);
        else
            ts_series_read_file(in, sp, set, d);
        free(sp);
    }
    free(base);
}

/* A series shorter than a week: the figures per 30-day month repeat it,
 * and a warning at its first row says how often. */
static void warn_short(ts_inputs *in, const ts_model_demand *m)
{
    const double hours = (double)m->n * (double)m->tau_s / 3600.0;
    if (!(hours < 168.0) || !m->decl_file)
        return;
    char from[32], to[32];
    ts_fmt_time(m->start, from);
    ts_fmt_time(m->start + (int64_t)m->n * m->tau_s, to);
    ts_warn(&in->warnings, m->decl_file, m->decl_line, m->decl_col,
            "the series of %s covers %.4g hour%s (%s to %s): its figures per 30-day month repeat it %.4g times "
            "(expected a week or more of demand for a month's cost to rest on more than its shape)",
            m->model, hours, hours == 1.0 ? "" : "s", from, to, TS_MONTH_HOURS / hours);
}

/* The series models without trouble become demand (their rates move).
 * Returns TS_OK, or TS_ENOMEM. */
static ts_status adopt_series(ts_inputs *in, ts_series_set *set, size_t *cap, ts_diags *d)
{
    for (size_t i = 0; i < set->n; i++) {
        ts_series_acc *a = &set->s[i];
        if (a->bad)
            continue;
        ts_model_demand *m = add_demand(in, cap, a->model, d);
        if (!m)
            return TS_ENOMEM;
        m->rate = a->rate;
        a->rate = NULL;
        m->n = a->n;
        m->tau_s = a->tau;
        m->start = a->start;
        m->from_series = 1;
        m->decl_file = ts_strdup(a->file);
        m->decl_line = a->line;
        m->decl_col = a->col;
        warn_short(in, m);
    }
    return TS_OK;
}

/* A profile's demand for a model without a series. */
static ts_model_demand *profile_demand(ts_inputs *in, size_t *cap, const char *model, const model_fields *mf,
                                       const top_fields *top, int64_t start, ts_diags *d)
{
    ts_model_demand *m = add_demand(in, cap, model, d);
    if (!m)
        return NULL;
    size_t H = (size_t)top->horizon_hours;
    m->rate = ts_malloc(H * sizeof *m->rate);
    if (!m->rate) {
        d->oom = 1;
        return NULL;
    }
    m->n = H;
    m->tau_s = 3600;
    m->start = start;
    double sod = (double)(((start % 86400) + 86400) % 86400);
    ts_profile_fill(m->rate, H, mf->tokens_per_month, mf->diurnal, mf->amplitude, mf->peak_hour, sod / 3600.0);
    return m;
}

/* What the models: mapping reads as, after the series were adopted. */
typedef struct models_ctx {
    ts_inputs *in;
    ts_yaml *y;
    const char *path;
    const ts_series_set *set;
    size_t n_series_models;
    key_ref *sref;            /* series models sorted by name */
    const top_fields *top;
    int64_t start;
    size_t *cap;
} models_ctx;

/* One entry of models: (its errors said in d). Returns TS_OK, or
 * TS_ENOMEM. */
static ts_status read_model(models_ctx *c, yaml_node_t *kn, yaml_node_t *vn, int duplicate, ts_diags *d)
{
    ts_yaml *y = c->y;
    const char *model = ts_yaml_scalar(kn);
    if (!model || !*model) {
        ts_yaml_err(y, kn, "a model key is not a model id (expected a model id such as meta-llama/Llama-3.1-8B-Instruct)");
        return TS_OK;
    }
    char why[160];
    if (!ts_id_valid(model, why, sizeof why)) {
        ts_yaml_err(y, kn, "%s", why);
        return TS_OK;
    }
    if (duplicate) {
        ts_yaml_err(y, kn, "duplicate model %s (expected each model once under models:)", model);
        return TS_OK;
    }
    char section[300];
    snprintf(section, sizeof section, "models.%s", model);
    model_fields mf;
    const int errs =
        ts_yaml_read_table(y, vn, model_keys, sizeof model_keys / sizeof model_keys[0], &mf, 1, section, d) != TS_OK;
    ts_model_demand *m = NULL;
    key_ref probe = {model, 0};
    key_ref *hit = c->n_series_models ? bsearch(&probe, c->sref, c->n_series_models, sizeof *c->sref, cmp_key_only)
                                      : NULL;
    if (hit)
        m = &c->in->demand[hit->pos];
    int in_bad_series = 0;
    for (size_t i = 0; i < c->set->n; i++)
        in_bad_series |= c->set->s[i].bad && !strcmp(c->set->s[i].model, model);
    if (!m && !in_bad_series && !mf.has_tokens && !errs) {
        ts_yaml_err(y, kn, "%s has no tokens_per_month and no series (expected tokens_per_month: or a series file with this model)",
                    section);
        return TS_OK;
    }
    if (errs || in_bad_series)
        return TS_OK;
    if (!m) {
        m = profile_demand(c->in, c->cap, model, &mf, c->top, c->start, d);
        if (!m)
            return TS_ENOMEM;
        m->decl_file = ts_strdup(c->path);
        m->decl_line = ts_yaml_line(kn);
        m->decl_col = ts_yaml_col(kn);
    }
    m->has_initial_replicas = mf.has_initial;
    m->initial_replicas = mf.initial_replicas;
    m->has_params = mf.has_params;
    m->params_b = mf.params_b;
    m->bytes_per_param = mf.bytes_per_param;
    if (mf.deployment) {
        free(m->deployment);
        if (!(m->deployment = ts_strdup(mf.deployment)))
            return TS_ENOMEM;
    }
    return TS_OK;
}

/* The models: mapping (its errors said in d). Returns TS_OK, or
 * TS_ENOMEM. */
static ts_status read_models(models_ctx *c, yaml_node_t *mn, ts_diags *d)
{
    if (!mn || ts_yaml_is_null(mn))
        return TS_OK;
    if (mn->type != YAML_MAPPING_NODE) {
        ts_yaml_err(c->y, mn, "models is not a mapping (expected model ids as keys)");
        return TS_OK;
    }
    size_t npairs = (size_t)(mn->data.mapping.pairs.top - mn->data.mapping.pairs.start);
    unsigned char *dup = ts_calloc(npairs ? npairs : 1, 1); /* a repeat of an earlier key */
    c->sref = ts_malloc((c->n_series_models ? c->n_series_models : 1) * sizeof *c->sref);
    ts_status rc = TS_ENOMEM;
    if (!dup || !c->sref || flag_duplicates(c->y, mn, dup) != TS_OK)
        goto done;
    for (size_t i = 0; i < c->n_series_models; i++)
        c->sref[i] = (key_ref){c->in->demand[i].model, i};
    qsort(c->sref, c->n_series_models, sizeof *c->sref, cmp_key_ref);
    for (yaml_node_pair_t *pr = mn->data.mapping.pairs.start; pr < mn->data.mapping.pairs.top; pr++)
        if (read_model(c, yaml_document_get_node(&c->y->doc, pr->key), yaml_document_get_node(&c->y->doc, pr->value),
                       dup[pr - mn->data.mapping.pairs.start], d) != TS_OK)
            goto done;
    rc = TS_OK;
done:
    free(dup);
    free(c->sref);
    c->sref = NULL;
    return rc;
}

ts_status ts_load_demand(ts_inputs *in, ts_diags *d)
{
    size_t before = d->n_errors;
    char *path = ts_path_join(in->dir, "operator/demand.yaml");
    if (!path) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    size_t len;
    char *data = ts_inputs_read_file(in, path, &len, 0, d);
    if (!data) {
        free(path);
        return ts_diags_status(d, before);
    }
    ts_yaml y;
    ts_series_set set = {0};
    size_t cap = 0;
    if (ts_yaml_load(&y, path, data, len, d) != 0)
        goto done;
    yaml_node_t *root = ts_yaml_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ts_err(d, path, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "the document is not a mapping (expected keys such as models:)");
        goto done;
    }
    top_fields top;
    int64_t start = read_top(&y, root, &top, d);
    in->noise_pct = top.noise_pct;
    /* series files first: they replace profiles */
    read_series_list(in, &y, root, path, &set, d);
    if (adopt_series(in, &set, &cap, d) != 0)
        goto done;
    models_ctx c = {in, &y, path, &set, in->n_demand, NULL, &top, start, &cap};
    if (read_models(&c, ts_yaml_get(&y, root, "models"), d) != 0) {
        d->oom = 1;
        goto done;
    }
    if (in->n_demand == 0 && d->n_errors == before)
        ts_err(d, path, 0, 0, "no model has demand (expected at least one model under models: or in a series file)");
    if (in->n_demand)
        qsort(in->demand, in->n_demand, sizeof *in->demand, cmp_demand);
    for (size_t i = 0; i < in->n_demand; i++)
        if (!in->demand[i].deployment && !(in->demand[i].deployment = ts_default_deployment(in->demand[i].model)))
            d->oom = 1;
    for (size_t i = 0; i < in->n_demand; i++) {
        if (!in->demand[i].decl_file)
            d->oom = 1;
        ts_noise_apply(in->demand[i].rate, in->demand[i].n, in->noise_pct, in->seed, in->demand[i].model);
    }
done:
    ts_series_set_free(&set);
    ts_yaml_free(&y);
    free(data);
    free(path);
    return ts_diags_status(d, before);
}
