/*
 * pool.c — the inputs of one pool made from memory (ts_inputs_of_pool in
 * tapscale.h): what a folder would say of one model on one GPU, for callers
 * that hold the demand as an array (the Python binding).
 */
#include "inputs/demand.h"
#include "inputs/settings.h"
#include "inputs/simulation.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/limits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every problem of spec, in d. */
static void check_spec(const ts_pool_spec *spec, ts_diags *d)
{
    if (!spec->rate || spec->n == 0)
        ts_err(d, NULL, 0, 0, "the pool's demand is empty (expected at least one rate in tokens/hour)");
    for (size_t i = 0; spec->rate && i < spec->n; i++)
        if (!isfinite(spec->rate[i]) || spec->rate[i] < 0) {
            ts_err(d, NULL, 0, 0, "demand rate %zu is %g (expected a number of tokens/hour of 0 or more)", i,
                   spec->rate[i]);
            break;
        }
    if (spec->tau_s < 1 || (double)spec->tau_s > TS_MAX_SECONDS)
        ts_err(d, NULL, 0, 0, "tau_s is %lld (expected the seconds each rate covers, from 1 to %.0f)",
               (long long)spec->tau_s, TS_MAX_SECONDS);
    if (!(spec->tps_eff > 0) || !isfinite(spec->tps_eff))
        ts_err(d, NULL, 0, 0, "tps_eff is %g (expected tokens/s per instance above 0)", spec->tps_eff);
    if (spec->gpu_count < 1 || spec->gpu_count > 1024)
        ts_err(d, NULL, 0, 0, "gpu_count is %lld (expected GPUs per instance from 1 to 1024)",
               (long long)spec->gpu_count);
    if (spec->has_price && (!(spec->price_hr >= 0) || !isfinite(spec->price_hr)))
        ts_err(d, NULL, 0, 0, "price_hr is %g (expected a price per instance-hour of 0 or more)", spec->price_hr);
    if (spec->currency && strcmp(spec->currency, "USD") && strcmp(spec->currency, "EUR"))
        ts_err(d, NULL, 0, 0, "currency is \"%s\" (expected USD or EUR)", spec->currency);
}

/* Fills in's one demand and one candidate from spec; 0 when out of memory. */
static int fill(ts_inputs *in, const ts_pool_spec *spec)
{
    const char *model = spec->model ? spec->model : "pool";
    ts_model_demand *md = &in->demand[0];
    md->model = ts_strdup(model);
    md->rate = ts_malloc(spec->n * sizeof *md->rate);
    md->deployment = ts_default_deployment(model);
    md->n = spec->n;
    md->tau_s = spec->tau_s;
    md->start = spec->start;
    md->from_series = 1;
    if (md->rate)
        memcpy(md->rate, spec->rate, spec->n * sizeof *md->rate);
    ts_candidate *c = &in->cand[0];
    c->model = ts_strdup(model);
    c->gpu = ts_strdup(spec->gpu ? spec->gpu : "gpu");
    c->basis = ts_strdup("given");
    c->gpu_count = spec->gpu_count;
    c->tps_eff = spec->tps_eff;
    c->rows = 1;
    c->has_price = spec->has_price;
    c->instance_price_hr = spec->has_price ? spec->price_hr : 0.0;
    c->cost_per_1m = spec->has_price ? spec->price_hr / (spec->tps_eff * 3600.0 / 1e6) : 0.0;
    if (spec->has_price)
        in->currency = ts_strdup(spec->currency ? spec->currency : "USD");
    in->dir = ts_strdup("(in memory)");
    return md->model && md->rate && md->deployment && c->model && c->gpu && c->basis && in->dir &&
           (!spec->has_price || in->currency);
}

ts_status ts_inputs_of_pool(const ts_pool_spec *spec, const ts_policy *p, ts_inputs **out, ts_diags *d)
{
    *out = NULL;
    size_t before = d->n_errors;
    check_spec(spec, d);
    ts_policy def;
    if (!p) {
        ts_policy_defaults(&def);
        p = &def;
    }
    ts_policy_check(p, d);
    if (d->oom)
        return TS_ENOMEM;
    if (d->n_errors > before)
        return TS_EINPUT;
    ts_inputs *in = ts_calloc(1, sizeof *in);
    if (!in)
        return TS_ENOMEM;
    ts_diags_init(&in->warnings);
    ts_acceptance_defaults(&in->acceptance);
    ts_runtime_defaults(&in->runtime);
    in->policy = *p;
    in->seed = spec->seed;
    in->demand = ts_calloc(1, sizeof *in->demand);
    in->cand = ts_calloc(1, sizeof *in->cand);
    in->n_demand = in->demand ? 1 : 0;
    in->n_cand = in->cand ? 1 : 0;
    if (!in->demand || !in->cand || !fill(in, spec)) {
        ts_inputs_free(in);
        d->oom = 1;
        return TS_ENOMEM;
    }
    *out = in;
    return TS_OK;
}
