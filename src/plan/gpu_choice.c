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

int ts_choose_gpu(const ts_inputs *in, const char *model)
{
    size_t lb = ts_cand_lower_bound(in->cand, in->n_cand, model);
    int any_price = 0;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++)
        any_price |= in->cand[i].has_price;
    int best = TS_NOT_FOUND;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++) {
        const ts_candidate *c = &in->cand[i];
        if (any_price && !c->has_price)
            continue;
        if (best < 0 || better(c, &in->cand[best], any_price))
            best = (int)i;
    }
    return best;
}

const char *ts_gpu_choice_reason(const ts_inputs *in, size_t i, int g)
{
    int by_price = in->cand[g].has_price;
    if ((int)i == g)
        return by_price ? "lowest cost per 1M tokens" : "highest tps_eff per GPU (no price for this model)";
    if (by_price && !in->cand[i].has_price)
        return "no price";
    return by_price ? "higher cost per 1M tokens" : "lower tps_eff per GPU";
}
