/*
 * totals.c — what a run adds up: money per 30-day month of a pool
 * (ts_per_month) and the fleet's totals over every pool of a plan
 * (ts_kpis_totals), both in tapscale.h.
 */
#include "run/totals.h"

#include <string.h>

double ts_per_month(const ts_pool_result *r, double v)
{
    return r->hours > 0 ? v * TS_MONTH_HOURS / r->hours : 0.0;
}

void ts_kpis_totals(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_totals *t)
{
    memset(t, 0, sizeof *t);
    double wsum = 0, tokens_sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        const ts_kpis *k = &r->pools[i].kpis;
        const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
        t->scale_events += k->scale_events;
        t->violations += k->violations;
        t->unserved_tokens += k->unserved_tokens;
        t->replica_hours += k->replica_hours;
        t->gpu_hours += k->gpu_hours;
        t->ideal_gpu_hours += r->pools[i].ideal_gpu_hours;
        t->fixed_gpu_hours += r->pools[i].fixed_gpu_hours;
        if (r->pools[i].has_cost) {
            const ts_pool_result *pr = &r->pools[i];
            t->cost += pr->cost;
            t->cost_per_month += ts_per_month(pr, pr->cost);
            t->ideal_cost_per_month += ts_per_month(pr, pr->ideal_cost);
            t->fixed_cost_per_month += ts_per_month(pr, pr->fixed_cost);
            t->priced_pools++;
        }
        double tokens = p->rows[i].r.avg_tokens_per_hour * ((double)md->n * (double)md->tau_s / 3600.0);
        wsum += k->avg_util_pct * tokens;
        tokens_sum += tokens;
        if (i == 0 || k->p95_util_pct > t->max_p95_util_pct)
            t->max_p95_util_pct = k->p95_util_pct;
    }
    t->weighted_avg_util_pct = tokens_sum > 0 ? wsum / tokens_sum : 0.0;
}
