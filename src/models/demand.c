/*
 * demand.c — the demand file, its profiles and series, and noise; see
 * demand.h for the format.
 */
#include "models/demand.h"
#include "models/inputs.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/numfmt.h"
#include "util/rng.h"
#include "util/timeutil.h"
#include "util/yamlread.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define HOURS_PER_MONTH 720.0
#define DEFAULT_START 1735689600 /* 2025-01-01T00:00:00Z */

void ts_profile_fill(double *D, size_t H, double tokens_per_month, int diurnal, double amplitude,
                     double peak_hour, double start_hour_of_day)
{
    double mean = tokens_per_month / HOURS_PER_MONTH;
    if (!diurnal) {
        for (size_t h = 0; h < H; h++)
            D[h] = mean;
        return;
    }
    double sumw = 0.0;
    for (size_t h = 0; h < H; h++) {
        double hod = fmod(start_hour_of_day + (double)h, 24.0);
        D[h] = 1.0 + amplitude * cos(2.0 * PI * (hod - peak_hour) / 24.0); /* w[h] */
        sumw += D[h];
    }
    double norm = sumw / (double)H;
    for (size_t h = 0; h < H; h++)
        D[h] = mean * D[h] / norm;
}

void ts_noise_apply(double *D, size_t n, double noise_pct, uint64_t seed, const char *model)
{
    if (!(noise_pct > 0.0))
        return;
    ts_rng r;
    ts_rng_seed(&r, seed ^ ts_hash_str(model));
    double s = noise_pct / 100.0;
    for (size_t i = 0; i < n; i++)
        D[i] *= exp(s * ts_rng_normal(&r) - s * s / 2.0);
}

/* ------------------------------------------------------------ the file */

typedef struct top_fields {
    const char *start;
    int64_t horizon_hours;
    double noise_pct;
} top_fields;

static const ts_key_spec top_keys[] = {
    {"start", TS_KEY_STR, offsetof(top_fields, start), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "an ISO 8601 UTC time such as 2025-01-01T00:00:00Z"},
    {"horizon_hours", TS_KEY_INT, offsetof(top_fields, horizon_hours), TS_NO_PRESENT, 0, 720, 1, 0, 1, 1, 0, 1e6, "an integer number of hours from 1 to 1000000"},
    {"noise_pct", TS_KEY_NUM, offsetof(top_fields, noise_pct), TS_NO_PRESENT, 0, 0, 1, 0, 0, 1, 1, 100, "a number from 0 to below 100"},
};
static const char *const top_other[] = {"series", "models"};

typedef struct model_fields {
    double tokens_per_month;
    int has_tokens;
    const char *profile;
    double amplitude;
    double peak_hour;
    int64_t initial_replicas;
    int has_initial;
    double params_b;
    int has_params;
    double bytes_per_param;
} model_fields;

#define M(f) offsetof(model_fields, f)
static const ts_key_spec model_keys[] = {
    {"tokens_per_month", TS_KEY_NUM, M(tokens_per_month), M(has_tokens), 0, 0, 1, 0, 0, 0, 0, 0, "a number of tokens of at least 0"},
    {"profile", TS_KEY_STR, M(profile), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "uniform or diurnal"},
    {"amplitude", TS_KEY_NUM, M(amplitude), TS_NO_PRESENT, 0, 0.5, 1, 0, 0, 1, 1, 1, "a number from 0 to below 1"},
    {"peak_hour", TS_KEY_NUM, M(peak_hour), TS_NO_PRESENT, 0, 15, 1, 0, 0, 1, 1, 24, "an hour of day from 0 to below 24"},
    {"initial_replicas", TS_KEY_INT, M(initial_replicas), M(has_initial), 0, 0, 1, 0, 0, 1, 0, 1e9, "an integer of at least 0"},
    {"params_b", TS_KEY_NUM, M(params_b), M(has_params), 0, 0, 1, 1, 0, 1, 0, 1e6, "a number of billions of parameters above 0"},
    {"bytes_per_param", TS_KEY_NUM, M(bytes_per_param), TS_NO_PRESENT, 0, 2, 1, 1, 0, 1, 0, 64, "a number of bytes above 0"},
};
#undef M

/* One model's series while its file is read. */
typedef struct series_acc {
    char *model;
    char *file;
    int line, col;          /* first row */
    double *rate;
    size_t n, cap;
    int64_t t_prev;
    int64_t tau;
    int64_t start;
    int bad;                /* an error was reported: stop checking it */
} series_acc;

typedef struct series_set {
    series_acc *s;
    size_t n, cap;
} series_set;

typedef struct csv_ctx {
    const char *file;
    ts_diags *d;
    series_set *set;
    size_t first_new;       /* index of the first model added by this file */
    int header_seen;
    int ct, cm, cr;         /* column indexes */
    size_t last;            /* cache of the last model's index */
    int stop;
} csv_ctx;

static series_acc *find_series(series_set *set, const char *model, size_t *hint)
{
    if (*hint < set->n && strcmp(set->s[*hint].model, model) == 0)
        return &set->s[*hint];
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i].model, model) == 0) {
            *hint = i;
            return &set->s[i];
        }
    return NULL;
}

static int on_series_row(void *vctx, const ts_csv_row *row)
{
    csv_ctx *c = vctx;
    ts_diags *d = c->d;
    if (!c->header_seen) {
        c->header_seen = 1;
        c->ct = ts_csv_find(row, "timestamp");
        c->cm = ts_csv_find(row, "model");
        c->cr = ts_csv_find(row, "demand_tokens_per_hour");
        static const char *const need[] = {"timestamp", "model", "demand_tokens_per_hour"};
        int idx[] = {c->ct, c->cm, c->cr};
        for (int i = 0; i < 3; i++)
            if (idx[i] < 0)
                ts_err(d, c->file, row->line[0], 1,
                       "missing column %s (expected the header timestamp,model,demand_tokens_per_hour)", need[i]);
        if (c->ct < 0 || c->cm < 0 || c->cr < 0)
            return 1;
        return 0;
    }
    size_t need = (size_t)(c->ct > c->cm ? (c->ct > c->cr ? c->ct : c->cr) : (c->cm > c->cr ? c->cm : c->cr)) + 1;
    if (row->n < need) {
        ts_err(d, c->file, row->line[0], row->col[0], "the row has %zu fields (expected at least %zu)", row->n, need);
        return 0;
    }
    const char *ts = row->field[c->ct], *model = row->field[c->cm], *rs = row->field[c->cr];
    int64_t t;
    double frac, rate;
    int ok = 1;
    if (ts_parse_time(ts, &t, &frac) != 0) {
        ts_err(d, c->file, row->line[c->ct], row->col[c->ct],
               "timestamp is \"%s\" (expected an ISO 8601 UTC time such as 2025-01-01T00:00:00Z)", ts);
        ok = 0;
    } else if (frac != 0.0) {
        ts_err(d, c->file, row->line[c->ct], row->col[c->ct],
               "timestamp %s has a fraction of a second (expected whole seconds)", ts);
        ok = 0;
    }
    if (ts_parse_double(rs, &rate) != 0 || rate < 0) {
        ts_err(d, c->file, row->line[c->cr], row->col[c->cr],
               "demand_tokens_per_hour is \"%s\" (expected a number of at least 0)", rs);
        ok = 0;
    }
    if (!model[0]) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm], "model is empty (expected a model id)");
        return 0;
    }
    series_acc *a = find_series(c->set, model, &c->last);
    if (a && (size_t)(a - c->set->s) < c->first_new) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm],
               "model %s already has a series in %s (expected one series per model)", model, a->file);
        a->bad = 1;
        return 0;
    }
    if (!a) {
        if (c->set->n == c->set->cap) {
            size_t cap = c->set->cap ? c->set->cap * 2 : 8;
            series_acc *s = realloc(c->set->s, cap * sizeof *s);
            if (!s) {
                d->oom = 1;
                return 1;
            }
            c->set->s = s;
            c->set->cap = cap;
        }
        a = &c->set->s[c->set->n];
        memset(a, 0, sizeof *a);
        a->model = ts_strdup(model);
        a->file = ts_strdup(c->file);
        if (!a->model || !a->file) {
            free(a->model);
            free(a->file);
            d->oom = 1;
            return 1;
        }
        a->line = row->line[0];
        a->col = row->col[0];
        a->tau = -1;
        c->last = c->set->n++;
    }
    if (!ok || a->bad) {
        a->bad = 1;
        return 0;
    }
    if (a->n > 0) {
        int64_t step = t - a->t_prev;
        if (step <= 0) {
            ts_err(d, c->file, row->line[c->ct], row->col[c->ct],
                   "timestamp %s is not after the previous row of model %s (expected rows of a model in increasing time)",
                   ts, model);
            a->bad = 1;
            return 0;
        }
        if (a->tau < 0) {
            a->tau = step;
        } else if (step != a->tau) {
            ts_err(d, c->file, row->line[c->ct], row->col[c->ct],
                   "irregular interval: %lld s after the previous row of model %s (expected %lld s, the interval of its first two rows)",
                   (long long)step, model, (long long)a->tau);
            a->bad = 1;
            return 0;
        }
    } else {
        a->start = t;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        double *r = realloc(a->rate, cap * sizeof *r);
        if (!r) {
            d->oom = 1;
            return 1;
        }
        a->rate = r;
        a->cap = cap;
    }
    a->rate[a->n++] = rate;
    a->t_prev = t;
    return 0;
}

static void read_series_file(ts_inputs *in, const char *path, series_set *set, ts_diags *d)
{
    size_t len;
    char *data = ts_inputs_read_file(in, path, &len, 0, d);
    if (!data)
        return;
    csv_ctx c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.d = d;
    c.set = set;
    c.first_new = set->n;
    int el = 0, ec = 0;
    int rc = ts_csv_parse(data, len, on_series_row, &c, &el, &ec);
    if (rc == -1)
        ts_err(d, path, el, ec, "malformed CSV: a stray quote (expected RFC 4180 quoting)");
    else if (rc == -2)
        d->oom = 1;
    else if (!c.header_seen)
        ts_err(d, path, 1, 1, "the file is empty (expected the header timestamp,model,demand_tokens_per_hour)");
    for (size_t i = c.first_new; i < set->n; i++)
        if (!set->s[i].bad && set->s[i].n < 2) {
            ts_err(d, path, set->s[i].line, set->s[i].col,
                   "model %s has one row (expected at least two rows to fix the interval)", set->s[i].model);
            set->s[i].bad = 1;
        }
    free(data);
}

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
 * O(n log n). Returns -1 on allocation failure. */
static int flag_duplicates(ts_yaml *y, yaml_node_t *map, unsigned char *dup)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    key_ref *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return -1;
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
    return 0;
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
    if (in->n_demand == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        ts_model_demand *p = realloc(in->demand, nc * sizeof *p);
        if (!p) {
            d->oom = 1;
            return NULL;
        }
        in->demand = p;
        *cap = nc;
    }
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

int ts_load_demand(ts_inputs *in, ts_diags *d)
{
    size_t before = d->n_errors;
    char *path = ts_path_join(in->dir, "operator/demand.yaml");
    if (!path) {
        d->oom = 1;
        return 0;
    }
    size_t len;
    char *data = ts_inputs_read_file(in, path, &len, 0, d);
    if (!data) {
        free(path);
        return (int)(d->n_errors - before);
    }
    ts_yaml y;
    series_set set = {0};
    size_t cap = 0;
    unsigned char *dup = NULL; /* per models: key, a repeat of an earlier one */
    key_ref *sref = NULL;      /* series models sorted by name */
    if (ts_yaml_load(&y, path, data, len, d) != 0)
        goto done;
    yaml_node_t *root = ts_yaml_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ts_err(d, path, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "the document is not a mapping (expected keys such as models:)");
        goto done;
    }
    top_fields top;
    ts_yaml_read_table(&y, root, top_keys, sizeof top_keys / sizeof top_keys[0], &top, 0, "demand", d);
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y.doc, pr->key);
        const char *k = ts_yaml_scalar(kn);
        int known = 0;
        for (size_t i = 0; k && i < sizeof top_keys / sizeof top_keys[0]; i++)
            known |= !strcmp(k, top_keys[i].name);
        for (size_t i = 0; k && i < sizeof top_other / sizeof top_other[0]; i++)
            known |= !strcmp(k, top_other[i]);
        if (!known)
            ts_yaml_err(&y, kn, "unknown key %s (expected start, horizon_hours, noise_pct, series or models)",
                        k ? k : "?");
    }
    int64_t start = DEFAULT_START;
    if (top.start) {
        double frac;
        if (ts_parse_time(top.start, &start, &frac) != 0 || frac != 0.0) {
            ts_yaml_err(&y, ts_yaml_get(&y, root, "start"),
                        "start is \"%s\" (expected an ISO 8601 UTC time in whole seconds such as 2025-01-01T00:00:00Z)",
                        top.start);
            start = DEFAULT_START;
        }
    }
    in->noise_pct = top.noise_pct;

    /* series files first: they replace profiles */
    char *base = ts_strdup(path);
    if (!base) {
        d->oom = 1;
        goto done;
    }
    char *slash = strrchr(base, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(base, ".");
    yaml_node_t *sn = ts_yaml_get(&y, root, "series");
    if (sn && !ts_yaml_is_null(sn)) {
        if (sn->type != YAML_SEQUENCE_NODE) {
            ts_yaml_err(&y, sn, "series is not a list (expected a list of CSV file names)");
        } else {
            for (yaml_node_item_t *it = sn->data.sequence.items.start; it < sn->data.sequence.items.top; it++) {
                yaml_node_t *fn = yaml_document_get_node(&y.doc, *it);
                const char *f = ts_yaml_scalar(fn);
                if (!f || !*f) {
                    ts_yaml_err(&y, fn, "a series entry is not a file name (expected a CSV path relative to demand.yaml)");
                    continue;
                }
                char *sp = ts_path_join(base, f);
                if (!sp) {
                    d->oom = 1;
                    break;
                }
                read_series_file(in, sp, &set, d);
                free(sp);
            }
        }
    }
    free(base);

    yaml_node_t *mn = ts_yaml_get(&y, root, "models");
    if (mn && !ts_yaml_is_null(mn) && mn->type != YAML_MAPPING_NODE)
        ts_yaml_err(&y, mn, "models is not a mapping (expected model ids as keys)");
    /* series models without trouble become demand */
    for (size_t i = 0; i < set.n; i++) {
        series_acc *a = &set.s[i];
        if (a->bad)
            continue;
        ts_model_demand *m = add_demand(in, &cap, a->model, d);
        if (!m)
            goto done;
        m->rate = a->rate;
        a->rate = NULL;
        m->n = a->n;
        m->tau_s = a->tau;
        m->start = a->start;
        m->from_series = 1;
        m->decl_file = ts_strdup(a->file);
        m->decl_line = a->line;
        m->decl_col = a->col;
    }
    size_t n_series_models = in->n_demand;
    if (mn && mn->type == YAML_MAPPING_NODE) {
        size_t npairs = (size_t)(mn->data.mapping.pairs.top - mn->data.mapping.pairs.start);
        dup = calloc(npairs ? npairs : 1, 1);
        if (!dup || flag_duplicates(&y, mn, dup) != 0) {
            d->oom = 1;
            goto done;
        }
        /* series models by name, for the lookups below */
        sref = malloc((n_series_models ? n_series_models : 1) * sizeof *sref);
        if (!sref) {
            d->oom = 1;
            goto done;
        }
        for (size_t i = 0; i < n_series_models; i++)
            sref[i] = (key_ref){in->demand[i].model, i};
        qsort(sref, n_series_models, sizeof *sref, cmp_key_ref);
        for (yaml_node_pair_t *pr = mn->data.mapping.pairs.start; pr < mn->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&y.doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(&y.doc, pr->value);
            const char *model = ts_yaml_scalar(kn);
            if (!model || !*model) {
                ts_yaml_err(&y, kn, "a model key is not a model id (expected a model id such as meta-llama/Llama-3.1-8B-Instruct)");
                continue;
            }
            if (dup[pr - mn->data.mapping.pairs.start]) {
                ts_yaml_err(&y, kn, "duplicate model %s (expected each model once under models:)", model);
                continue;
            }
            char section[300];
            snprintf(section, sizeof section, "models.%s", model);
            model_fields mf;
            int errs = ts_yaml_read_table(&y, vn, model_keys, sizeof model_keys / sizeof model_keys[0], &mf, 1,
                                          section, d);
            int diurnal = 0;
            if (mf.profile && !strcmp(mf.profile, "diurnal"))
                diurnal = 1;
            else if (mf.profile && strcmp(mf.profile, "uniform") != 0) {
                ts_yaml_err(&y, ts_yaml_get(&y, vn, "profile"), "%s.profile is %s (expected uniform or diurnal)",
                            section, mf.profile);
                errs++;
            }
            ts_model_demand *m = NULL;
            key_ref probe = {model, 0};
            key_ref *hit = n_series_models ? bsearch(&probe, sref, n_series_models, sizeof *sref, cmp_key_only) : NULL;
            if (hit)
                m = &in->demand[hit->pos];
            int in_bad_series = 0;
            for (size_t i = 0; set.n && i < set.n; i++)
                in_bad_series |= set.s[i].bad && !strcmp(set.s[i].model, model);
            if (!m && !in_bad_series && !mf.has_tokens && !errs) {
                ts_yaml_err(&y, kn, "%s has no tokens_per_month and no series (expected tokens_per_month: or a series file with this model)",
                            section);
                continue;
            }
            if (errs || in_bad_series)
                continue;
            if (!m) {
                m = add_demand(in, &cap, model, d);
                if (!m)
                    goto done;
                size_t H = (size_t)top.horizon_hours;
                m->rate = malloc(H * sizeof *m->rate);
                if (!m->rate) {
                    d->oom = 1;
                    goto done;
                }
                m->n = H;
                m->tau_s = 3600;
                m->start = start;
                double sod = (double)(((start % 86400) + 86400) % 86400);
                ts_profile_fill(m->rate, H, mf.tokens_per_month, diurnal, mf.amplitude, mf.peak_hour,
                                sod / 3600.0);
                m->decl_file = ts_strdup(path);
                m->decl_line = ts_yaml_line(kn);
                m->decl_col = ts_yaml_col(kn);
            }
            m->has_initial_replicas = mf.has_initial;
            m->initial_replicas = mf.initial_replicas;
            m->has_params = mf.has_params;
            m->params_b = mf.params_b;
            m->bytes_per_param = mf.bytes_per_param;
        }
    }
    if (in->n_demand == 0 && d->n_errors == before)
        ts_err(d, path, 0, 0, "no model has demand (expected at least one model under models: or in a series file)");
    if (in->n_demand)
        qsort(in->demand, in->n_demand, sizeof *in->demand, cmp_demand);
    for (size_t i = 0; i < in->n_demand; i++) {
        if (!in->demand[i].decl_file)
            d->oom = 1;
        ts_noise_apply(in->demand[i].rate, in->demand[i].n, in->noise_pct, in->seed, in->demand[i].model);
    }
done:
    free(dup);
    free(sref);
    for (size_t i = 0; i < set.n; i++) {
        free(set.s[i].model);
        free(set.s[i].file);
        free(set.s[i].rate);
    }
    free(set.s);
    ts_yaml_free(&y);
    free(data);
    free(path);
    return (int)(d->n_errors - before);
}
