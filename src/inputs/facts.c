/*
 * facts.c — throughput candidates from the TPS dataset and the heuristic,
 * priced; see facts.h.
 */
#include "inputs/facts.h"
#include "inputs/files.h"
#include "inputs/gpus.h"
#include "inputs/prices.h"
#include "util/alloc.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/ids.h"
#include "util/fileio.h"
#include "util/keys.h"
#include "util/numfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How each measurement type becomes tps_eff, and how direct it is (higher
 * rank wins when a candidate has rows of several types). */
typedef enum conv_kind { CONV_AS_MEASURED, CONV_DERATE_OFFLINE, CONV_TIMES_SLOTS } conv_kind;
static const struct {
    const char *name;
    conv_kind kind;
    int rank;
} conversions[] = {
    {"aggregate", CONV_AS_MEASURED, 3},
    {"offline", CONV_DERATE_OFFLINE, 2},
    {"single_stream", CONV_TIMES_SLOTS, 1},
    {"per_user_stream", CONV_TIMES_SLOTS, 1},
};

ts_status ts_convert_tps(const char *mt, double throughput, double batch, const ts_runtime *rt,
                   double *tps_eff, int *rank)
{
    for (size_t i = 0; i < sizeof conversions / sizeof conversions[0]; i++) {
        if (strcmp(conversions[i].name, mt) != 0)
            continue;
        double slots = batch > 1 ? batch : (double)rt->slots_total_default;
        switch (conversions[i].kind) {
        case CONV_AS_MEASURED: *tps_eff = throughput; break;
        case CONV_DERATE_OFFLINE: *tps_eff = throughput * rt->offline_derating_pct / 100.0; break;
        case CONV_TIMES_SLOTS: *tps_eff = throughput * slots * rt->batching_efficiency_pct / 100.0; break;
        }
        *rank = conversions[i].rank;
        return TS_OK;
    }
    return TS_EINPUT;
}

/* ----------------------------------------------------------- TPS dataset */

/* An open-addressing index of candidates by (model, gpu, gpu_count), so a
 * dataset of n rows loads in O(n). */
typedef struct cand_index {
    int32_t *slot;       /* candidate index + 1; 0 = empty */
    size_t cap;          /* power of two */
} cand_index;

static uint64_t cand_hash(const char *model, const char *gpu, int64_t count)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *p = model; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;
    for (const char *p = gpu; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    return (h ^ (uint64_t)count) * 0x100000001b3ULL;
}

typedef struct tps_ctx {
    ts_inputs *in;
    cand_index idx;
    const char *file;
    ts_diags *d;
    int header_seen;
    int c_model, c_gpu, c_count, c_tps, c_type, c_batch;
    size_t header_fields;
    int columns_ok;      /* the header has every required column */
    size_t cap;
    int *ranks;          /* parallel to in->cand while loading */
    /* rows skipped for their field count: the model cell and the line */
    struct skipped {
        char *model;
        int line;
        size_t fields;
    } *skipped;
    size_t n_skipped, cap_skipped;
} tps_ctx;

/* The index of the candidate (model, gpu, count), or TS_NOT_FOUND. */
static int find_cand(const ts_inputs *in, const cand_index *ix, const char *model, const char *gpu,
                     int64_t count)
{
    if (!ix->cap)
        return TS_NOT_FOUND;
    for (size_t h = cand_hash(model, gpu, count) & (ix->cap - 1);; h = (h + 1) & (ix->cap - 1)) {
        int32_t v = ix->slot[h];
        if (!v)
            return TS_NOT_FOUND;
        const ts_candidate *c = &in->cand[v - 1];
        if (c->gpu_count == count && !strcmp(c->model, model) && !strcmp(c->gpu, gpu))
            return v - 1;
    }
}

/* Adds candidate i to the index, growing it to keep it at most half full.
 * Returns TS_OK, or TS_ENOMEM. */
static ts_status index_add(const ts_inputs *in, cand_index *ix, size_t i)
{
    if (2 * (i + 1) > ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 64;
        int32_t *slot = ts_calloc(cap, sizeof *slot);
        if (!slot)
            return TS_ENOMEM;
        free(ix->slot);
        ix->slot = slot;
        ix->cap = cap;
        for (size_t j = 0; j < i; j++) {
            const ts_candidate *c = &in->cand[j];
            size_t h = cand_hash(c->model, c->gpu, c->gpu_count) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = (int32_t)j + 1;
        }
    }
    const ts_candidate *c = &in->cand[i];
    size_t h = cand_hash(c->model, c->gpu, c->gpu_count) & (ix->cap - 1);
    while (ix->slot[h])
        h = (h + 1) & (ix->cap - 1);
    ix->slot[h] = (int32_t)i + 1;
    return TS_OK;
}

/* Appends k (whose strings it takes) to in->cand, growing ranks along.
 * Returns TS_OK, or TS_ENOMEM (k untouched). */
static ts_status add_cand(ts_inputs *in, size_t *cap, int **ranks, const ts_candidate *k)
{
    /* two arrays of one capacity, the capacity moved on when both grew */
    size_t cc = *cap, cr = *cap;
    ts_candidate *c = ts_grow(in->cand, in->n_cand, &cc, sizeof *c, 32);
    if (!c)
        return TS_ENOMEM;
    in->cand = c;
    int *r = ts_grow(*ranks, in->n_cand, &cr, sizeof *r, 32);
    if (!r)
        return TS_ENOMEM;
    *ranks = r;
    *cap = cr;
    in->cand[in->n_cand++] = *k;
    return TS_OK;
}

/* The header row: the required columns. Returns 1 (stop) when one is
 * missing. */
static ts_status tps_header(tps_ctx *c, const ts_csv_row *row)
{
    c->header_seen = 1;
    static const char *const need[] = {"model_id", "gpu", "gpu_count", "throughput_tokens_per_sec",
                                       "measurement_type"};
    int *idx[] = {&c->c_model, &c->c_gpu, &c->c_count, &c->c_tps, &c->c_type};
    int missing = 0;
    for (int i = 0; i < 5; i++) {
        *idx[i] = ts_csv_find(row, need[i]);
        if (*idx[i] < 0) {
            char hint[160];
            ts_csv_hint(row, need[i], hint, sizeof hint);
            ts_err(c->d, c->file, row->line[0], 1,
                   "missing column %s (%sexpected a header with model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type)",
                   need[i], hint);
            missing = 1;
        }
    }
    c->c_batch = ts_csv_find(row, "batch");
    c->header_fields = row->n;
    c->columns_ok = !missing;
    return missing ? TS_EINPUT : TS_OK;
}

/* One data row, read and converted. */
typedef struct tps_row {
    const char *model, *gpu, *type;
    int64_t count;
    double tps_eff;
    int rank;
} tps_row;

/* The cells of a row: every bad cell is reported. Returns TS_OK when the
 * row is usable, else TS_EINPUT. */
static ts_status tps_cells(tps_ctx *c, const ts_csv_row *row, tps_row *r)
{
    ts_diags *d = c->d;
    r->model = row->field[c->c_model];
    r->gpu = row->field[c->c_gpu];
    r->type = row->field[c->c_type];
    int ok = 1;
    char why[160];
    if (!r->model[0]) {
        ts_err(d, c->file, row->line[c->c_model], row->col[c->c_model], "model_id is empty (expected a model id)");
        ok = 0;
    } else if (!ts_id_valid(r->model, why, sizeof why)) {
        ts_err(d, c->file, row->line[c->c_model], row->col[c->c_model], "%s", why);
        ok = 0;
    }
    if (!r->gpu[0]) {
        ts_err(d, c->file, row->line[c->c_gpu], row->col[c->c_gpu], "gpu is empty (expected a GPU name)");
        ok = 0;
    }
    r->count = 0;
    if (ts_parse_int64(row->field[c->c_count], &r->count) != 0 || r->count < 1) {
        ts_err(d, c->file, row->line[c->c_count], row->col[c->c_count],
               "gpu_count is \"%s\" (expected an integer of at least 1)", row->field[c->c_count]);
        ok = 0;
    }
    double tput = 0;
    if (ts_parse_double(row->field[c->c_tps], &tput) != 0 || tput <= 0) {
        ts_err(d, c->file, row->line[c->c_tps], row->col[c->c_tps],
               "throughput_tokens_per_sec is \"%s\" (expected a number of tokens/s above 0)", row->field[c->c_tps]);
        ok = 0;
    }
    double batch = 0;
    if (c->c_batch >= 0 && (size_t)c->c_batch < row->n)
        if (ts_parse_double(row->field[c->c_batch], &batch) != 0)
            batch = 0; /* a batch that is not a number is "not given" */
    r->tps_eff = 0;
    r->rank = 0;
    if (ts_convert_tps(r->type, tput, batch, &c->in->runtime, &r->tps_eff, &r->rank) != 0) {
        ts_err(d, c->file, row->line[c->c_type], row->col[c->c_type],
               "measurement_type is \"%s\" (expected aggregate, offline, single_stream or per_user_stream)", r->type);
        ok = 0;
    }
    if (!ok)
        return TS_EINPUT;
    if (!(r->tps_eff > 0)) {
        ts_err(d, c->file, row->line[c->c_tps], row->col[c->c_tps], "tps_eff of %s on %s is %g (expected above 0)",
               r->model, r->gpu, r->tps_eff);
        return TS_EINPUT;
    }
    return TS_OK;
}

/* Combines a row into its candidate (see facts.h), or adds the candidate.
 * Returns TS_OK, or TS_ENOMEM. */
static ts_status tps_merge(tps_ctx *c, const tps_row *r)
{
    int i = find_cand(c->in, &c->idx, r->model, r->gpu, r->count);
    if (i >= 0) {
        ts_candidate *k = &c->in->cand[i];
        if (r->rank > c->ranks[i]) {
            char *basis = ts_strdup(r->type);
            if (!basis)
                return TS_ENOMEM;
            c->ranks[i] = r->rank;
            k->tps_eff = r->tps_eff;
            k->rows = 1;
            free(k->basis);
            k->basis = basis;
        } else if (r->rank == c->ranks[i]) {
            if (r->tps_eff < k->tps_eff)
                k->tps_eff = r->tps_eff;
            k->rows++;
        }
        return TS_OK;
    }
    ts_candidate k;
    memset(&k, 0, sizeof k);
    k.model = ts_strdup(r->model);
    k.gpu = ts_strdup(r->gpu);
    k.basis = ts_strdup(r->type);
    k.gpu_count = r->count;
    k.tps_eff = r->tps_eff;
    k.rows = 1;
    if (!k.model || !k.gpu || !k.basis || add_cand(c->in, &c->cap, &c->ranks, &k) != 0) {
        free(k.model);
        free(k.gpu);
        free(k.basis);
        return TS_ENOMEM;
    }
    /* added: its strings are freed with the inputs from here on */
    c->ranks[c->in->n_cand - 1] = r->rank;
    return index_add(c->in, &c->idx, c->in->n_cand - 1);
}

static ts_status on_tps_row(void *vctx, const ts_csv_row *row)
{
    tps_ctx *c = vctx;
    if (!c->header_seen)
        return tps_header(c, row);
    if (row->n != c->header_fields) {
        /* A row with a field too few or too many has its cells under the
         * wrong columns: no cell of it can be trusted. */
        ts_warn(&c->in->warnings, c->file, row->line[0], row->col[0],
                "row skipped: it has %zu fields but the header has %zu (expected one field per column; a missing empty cell shifts the rest)",
                row->n, c->header_fields);
        if ((size_t)c->c_model < row->n) {
            struct skipped *sk = ts_grow(c->skipped, c->n_skipped, &c->cap_skipped, sizeof *sk, 16);
            if (!sk) {
                c->d->oom = 1;
                return TS_ENOMEM;
            }
            c->skipped = sk;
            sk[c->n_skipped] = (struct skipped){ts_strdup(row->field[c->c_model]), row->line[0], row->n};
            if (!sk[c->n_skipped].model) {
                c->d->oom = 1;
                return TS_ENOMEM;
            }
            c->n_skipped++;
        }
        return TS_OK;
    }
    int cols[] = {c->c_model, c->c_gpu, c->c_count, c->c_tps, c->c_type};
    for (int i = 0; i < 5; i++)
        if ((size_t)cols[i] >= row->n) {
            ts_err(c->d, c->file, row->line[0], row->col[0],
                   "the row has %zu fields (expected %d or more as in the header)", row->n, cols[i] + 1);
            return TS_OK;
        }
    tps_row r;
    if (tps_cells(c, row, &r) != 0)
        return TS_OK;
    if (tps_merge(c, &r) != 0) {
        c->d->oom = 1;
        return TS_ENOMEM;
    }
    return TS_OK;
}

static int cmp_cand(const void *a, const void *b)
{
    const ts_candidate *x = a, *y = b;
    int c = strcmp(x->model, y->model);
    if (!c)
        c = strcmp(x->gpu, y->gpu);
    if (!c)
        c = (x->gpu_count > y->gpu_count) - (x->gpu_count < y->gpu_count);
    return c;
}

size_t ts_cand_lower_bound(const ts_candidate *c, size_t n, const char *model)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c[mid].model, model) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Why a model has no figure, when the dataset can tell: its rows were
 * skipped ("its rows at F:31 and F:33 were skipped: 12 fields; "), or a
 * model of the dataset differs only in case or by a typo ("did you mean
 * X? "). Empty otherwise. */
static void why_no_figure(const ts_inputs *in, const tps_ctx *tc, size_t n_measured, const char *model,
                          const char *path, char *buf, size_t size)
{
    size_t at = 0, found = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < tc->n_skipped && at < size; i++) {
        if (strcmp(tc->skipped[i].model, model) != 0)
            continue;
        at += (size_t)snprintf(buf + at, size - at, "%s%s:%d (%zu fields)", found ? " and " : "", path,
                               tc->skipped[i].line, tc->skipped[i].fields);
        found++;
    }
    if (found) {
        char rows[512];
        snprintf(rows, sizeof rows, "%s", buf);
        snprintf(buf, size, "its %s at %s %s skipped for a wrong number of fields; ", found > 1 ? "rows" : "row", rows,
                 found > 1 ? "were" : "was");
        return;
    }
    /* a typo: a few edits in a long id (none in a short one) */
    const char *best = NULL;
    size_t best_d = strlen(model) / 8 + 1;
    for (size_t i = 0; i < n_measured; i++) {
        const char *m = in->cand[i].model;
        size_t dist = strcasecmp(m, model) == 0 ? 0 : ts_edit_distance(m, model);
        if (dist < best_d) {
            best_d = dist;
            best = m;
        }
    }
    if (best)
        snprintf(buf, size, "did you mean %s? ", best);
}

/* Candidates for the models with demand and no throughput figure, by the
 * heuristic when runtime.allow_tps_heuristic is on (with prices: only the
 * GPUs one can rent); else an error naming the model. Returns TS_OK, or
 * TS_ENOMEM. */
static ts_status add_heuristic(ts_inputs *in, tps_ctx *tc, const ts_prices *pc, const char *path, ts_diags *d)
{
    size_t n_measured = in->n_cand;
    for (size_t m = 0; m < in->n_demand; m++) {
        const ts_model_demand *md = &in->demand[m];
        size_t lb = ts_cand_lower_bound(in->cand, n_measured, md->model);
        if (lb < n_measured && !strcmp(in->cand[lb].model, md->model))
            continue;
        if (!in->runtime.allow_tps_heuristic) {
            char hint[600];
            why_no_figure(in, tc, n_measured, md->model, path, hint, sizeof hint);
            ts_err(d, md->decl_file, md->decl_line, md->decl_col,
                   "model %s has demand but no throughput figure in %s (%sexpected a row for it, or runtime.allow_tps_heuristic: true)",
                   md->model, path, hint);
            continue;
        }
        if (!md->has_params) {
            ts_err(d, md->decl_file, md->decl_line, md->decl_col,
                   "model %s has no throughput figure and no params_b for the heuristic (expected params_b: under models.%s)",
                   md->model, md->model);
            continue;
        }
        size_t added = 0;
        for (size_t g = 0; g < ts_gpu_specs(); g++) {
            const char *gname = ts_gpu_spec_name(g);
            if (pc->n > 0 && !ts_prices_find(pc, gname))
                continue;
            ts_candidate k;
            memset(&k, 0, sizeof k);
            if (ts_heuristic_tps(gname, md->params_b, md->bytes_per_param, &in->runtime, &k.gpu_count, &k.tps_eff) != 0)
                continue;
            k.model = ts_strdup(md->model);
            k.gpu = ts_strdup(gname);
            k.basis = ts_strdup("heuristic: gpu_count*bandwidth/(params_b*bytes_per_param)*slots*efficiency");
            k.heuristic = 1;
            if (!k.model || !k.gpu || !k.basis || add_cand(in, &tc->cap, &tc->ranks, &k) != 0) {
                free(k.model);
                free(k.gpu);
                free(k.basis);
                return TS_ENOMEM;
            }
            added++;
        }
        if (!added)
            ts_err(d, md->decl_file, md->decl_line, md->decl_col,
                   "model %s has no throughput figure and fits no known GPU for the heuristic (expected a row in %s)",
                   md->model, path);
    }
    return TS_OK;
}

ts_status ts_load_facts(ts_inputs *in, ts_diags *d)
{
    size_t before = d->n_errors;
    char *path = ts_path_join(in->dir, "facts/tps_model_gpu.csv");
    char *ppath = ts_path_join(in->dir, "operator/curated_gpu.csv");
    tps_ctx tc;
    memset(&tc, 0, sizeof tc);
    tc.in = in;
    tc.file = path;
    tc.d = d;
    ts_prices pc;
    memset(&pc, 0, sizeof pc);
    if (!path || !ppath) {
        d->oom = 1;
        goto done;
    }
    ts_inputs_parse_csv(in, path, 0, on_tps_row, &tc, &tc.header_seen, "a header with model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type", d);
    ts_prices_read(in, ppath, &pc, d);
    if (pc.header_seen && pc.n > 0) {
        in->currency = ts_strdup(pc.currency);
        if (!in->currency)
            d->oom = 1;
    }

    /* heuristic candidates for models with demand and no figure (when the
     * dataset itself could not be read, that error says it all) */
    if (in->n_cand)
        qsort(in->cand, in->n_cand, sizeof *in->cand, cmp_cand);
    if (tc.columns_ok && add_heuristic(in, &tc, &pc, path, d) != 0)
        d->oom = 1;

    /* prices */
    for (size_t i = 0; i < in->n_cand; i++) {
        ts_candidate *k = &in->cand[i];
        char norm[64];
        ts_gpu_normalize(k->gpu, norm, sizeof norm);
        const ts_price *pr = ts_prices_find(&pc, norm);
        if (pr) {
            k->has_price = 1;
            k->instance_price_hr = (double)k->gpu_count * pr->per_gpu;
            k->cost_per_1m = k->instance_price_hr / (k->tps_eff * 3600.0 / 1e6);
        }
    }
    if (in->n_cand)
        qsort(in->cand, in->n_cand, sizeof *in->cand, cmp_cand);
done:
    free(tc.idx.slot);
    free(tc.ranks);
    for (size_t i = 0; i < tc.n_skipped; i++)
        free(tc.skipped[i].model);
    free(tc.skipped);
    ts_prices_free(&pc);
    free(path);
    free(ppath);
    return ts_diags_status(d, before);
}
