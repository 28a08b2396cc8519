/*
 * gpu_choice.c — g*; see gpu_choice.h.
 */
#include "plan/gpu_choice.h"
#include "inputs/facts.h"

#include <string.h>

/* 1 when candidate a is a better g* than b (both of one model). */
static int better(const ts_candidate *a, const ts_candidate *b, int by_price)
{
    if (by_price) {
        if (a->cost_per_1m != b->cost_per_1m)
            return a->cost_per_1m < b->cost_per_1m;
        if (a->instance_price_hr != b->instance_price_hr)
            return a->instance_price_hr < b->instance_price_hr;
    } else {
        double pa = a->tps_eff / (double)a->gpu_count, pb = b->tps_eff / (double)b->gpu_count;
        if (pa != pb)
            return pa > pb;
    }
    int c = strcmp(a->gpu, b->gpu);
    if (c)
        return c < 0;
    return a->gpu_count < b->gpu_count;
}

/* The output tokens/s a candidate is planned at under an SLO: its
 * profile's at the SLO, else its throughput at the target. */
static double planned_tps(const ts_candidate *c, double target_pct)
{
    return c->has_slo_tps ? c->slo_tps : c->tps_eff * target_pct / 100.0;
}

/* With an SLO: 1 when a is a better g* than b by the cost of a token (or
 * the tokens of a GPU, without prices) at the throughput each is planned
 * at, then as better() breaks ties. */
static int better_at_slo(const ts_candidate *a, const ts_candidate *b, int by_price, double target_pct)
{
    double ta = planned_tps(a, target_pct), tb = planned_tps(b, target_pct);
    double ka = by_price ? a->instance_price_hr / ta : -ta / (double)a->gpu_count;
    double kb = by_price ? b->instance_price_hr / tb : -tb / (double)b->gpu_count;
    if (ka != kb)
        return ka < kb;
    return better(a, b, by_price);
}

/* The target utilization of model's policy (75 when it has no demand). */
static double target_of(const ts_inputs *in, const char *model)
{
    for (size_t m = 0; m < in->n_demand; m++)
        if (!strcmp(in->demand[m].model, model))
            return ts_inputs_policy(in, m)->target_utilization_pct;
    return in->policy.target_utilization_pct;
}

int ts_choose_gpu(const ts_inputs *in, const char *model)
{
    size_t lb = ts_cand_lower_bound(in->cand, in->n_cand, model);
    int any_price = 0, any_slo = 0;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++) {
        any_price |= in->cand[i].has_price;
        any_slo |= in->cand[i].has_slo_tps;
    }
    double target = any_slo ? target_of(in, model) : 0.0;
    int best = TS_NOT_FOUND;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++) {
        const ts_candidate *c = &in->cand[i];
        if (any_price && !c->has_price)
            continue;
        if (best < 0 || (any_slo ? better_at_slo(c, &in->cand[best], any_price, target)
                                 : better(c, &in->cand[best], any_price)))
            best = (int)i;
    }
    return best;
}

const char *ts_gpu_choice_reason(const ts_inputs *in, size_t i, int g)
{
    int by_price = in->cand[g].has_price;
    if (in->cand[g].has_slo_tps || in->cand[i].has_slo_tps) {
        if ((int)i == g)
            return by_price ? "lowest cost per 1M tokens at the SLO" : "most tokens per GPU at the SLO (no price)";
        if (by_price && !in->cand[i].has_price)
            return "no price";
        return by_price ? "higher cost per 1M tokens at the SLO" : "fewer tokens per GPU at the SLO";
    }
    if ((int)i == g)
        return by_price ? "lowest cost per 1M tokens" : "highest tps_eff per GPU (no price for this model)";
    if (by_price && !in->cand[i].has_price)
        return "no price";
    return by_price ? "higher cost per 1M tokens" : "lower tps_eff per GPU";
}
