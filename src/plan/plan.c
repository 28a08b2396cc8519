/*
 * plan.c — the plan of a run (ts_plan_build in tapscale.h): g* and the
 * planner per model with demand. The plan owns its results (the choice and
 * reason of every candidate, the warnings); the inputs stay as loaded.
 */
#include "plan/gpu_choice.h"
#include "inputs/facts.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/numfmt.h"

#include <stdlib.h>
#include <string.h>

/* The note that a model runs on an estimated throughput. */
static void warn_heuristic(ts_plan *pl, const ts_model_demand *md, const ts_candidate *c)
{
    char tps[32];
    ts_fmt_double(c->tps_eff, tps);
    ts_warn(&pl->warnings, NULL, 0, 0,
            "model %s on %s x%lld: no throughput figure; tps_eff %s tokens/s estimated as gpu_count*bandwidth/(params_b*bytes_per_param)*slots_total_default*batching_efficiency_pct/100",
            md->model, c->gpu, (long long)c->gpu_count, tps);
}

ts_status ts_plan_build(const ts_inputs *in, ts_plan **out)
{
    *out = NULL;
    ts_plan *pl = ts_calloc(1, sizeof *pl);
    double *scratch = NULL;
    size_t maxn = 0;
    for (size_t m = 0; m < in->n_demand; m++)
        if (in->demand[m].n > maxn)
            maxn = in->demand[m].n;
    if (!pl || !(pl->rows = ts_calloc(in->n_demand ? in->n_demand : 1, sizeof *pl->rows)) ||
        !(pl->choice = ts_calloc(in->n_cand ? in->n_cand : 1, sizeof *pl->choice)) ||
        !(scratch = ts_malloc((maxn ? maxn : 1) * sizeof *scratch))) {
        free(scratch);
        ts_plan_free(pl);
        return TS_ENOMEM;
    }
    pl->n_choice = in->n_cand;
    for (size_t i = 0; i < in->n_cand; i++)
        pl->choice[i] = (ts_gpu_choice){0, "no demand for this model"};
    for (size_t m = 0; m < in->n_demand; m++) {
        const ts_model_demand *md = &in->demand[m];
        int g = ts_choose_gpu(in, md->model);
        if (g < 0)
            continue; /* the loader has reported it */
        size_t lb = ts_cand_lower_bound(in->cand, in->n_cand, md->model);
        for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, md->model); i++)
            pl->choice[i].reason = ts_gpu_choice_reason(in, i, g);
        const ts_candidate *c = &in->cand[g];
        pl->choice[g].chosen = 1;
        if (c->heuristic)
            warn_heuristic(pl, md, c);
        ts_plan_row *row = &pl->rows[pl->n];
        row->demand_index = m;
        row->cand_index = (size_t)g;
        ts_series s = {md->rate, md->n, (double)md->tau_s};
        ts_status st = c->has_slo_tps
                           ? ts_planner_instances_at_slo(&s, c->tps_eff, c->slo_tps, ts_inputs_policy(in, m), scratch, &row->r)
                           : ts_planner_instances_needed(&s, c->tps_eff, ts_inputs_policy(in, m), scratch, &row->r);
        if (st != TS_OK)
            continue; /* tps_eff > 0 and n > 0 are guaranteed by the loader, slo_tps > 0 by has_slo_tps */
        if (ts_slo_any(ts_inputs_slo(in, md->model)) && !c->latency)
            ts_warn(&pl->warnings, NULL, 0, 0, "model %s on %s has no latency profile: its plan is throughput x target, "
                    "and its latency is not checked against the SLO (expected a profile in facts/latency_profiles.yaml)",
                    md->model, c->gpu);
        pl->n++;
    }
    free(scratch);
    if (pl->warnings.oom) {
        ts_plan_free(pl);
        return TS_ENOMEM;
    }
    *out = pl;
    return TS_OK;
}

void ts_plan_free(ts_plan *p)
{
    if (!p)
        return;
    free(p->rows);
    free(p->choice);
    ts_diags_free(&p->warnings);
    free(p);
}
