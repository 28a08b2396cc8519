/*
 * planner.c — the planner of §4 for one model on one GPU
 * (ts_planner_instances_needed in tapscale.h; the seed's
 * planner_instances_needed). Pure.
 */
#include "tapscale.h"
#include "util/intmath.h"

#include <stdint.h>
#include <string.h>

/* The planner with a capacity per instance of cap tokens/hour. */
static ts_status plan_at(const ts_series *D, double tps_eff, double cap, const ts_policy *p, double *scratch,
                         ts_planner_result *out)
{
    if (!(tps_eff > 0) || !(cap > 0) || D->n == 0)
        return TS_EINPUT;
    double tau = D->tau_s;
    double tokens = 0.0, peak = D->rate[0];
    for (size_t i = 0; i < D->n; i++) {
        tokens += D->rate[i] * tau / 3600.0;
        if (D->rate[i] > peak)
            peak = D->rate[i];
    }
    if (p->has_peak_percentile) {
        memcpy(scratch, D->rate, D->n * sizeof *scratch);
        peak = ts_percentile(scratch, D->n, p->capacity_peak_percentile);
    }
    ts_planner_result r;
    r.avg_tokens_per_hour = tokens / ((double)D->n * tau / 3600.0);
    r.peak_tokens_per_hour = p->peak_factor * peak;
    r.tps = tps_eff;
    r.cap_tokens_per_hour_per_instance = cap;
    r.needed = ts_ceil_i64(r.peak_tokens_per_hour / r.cap_tokens_per_hour_per_instance);
    r.instances_needed = ts_clamp_i64(r.needed, p->min_instances, p->max_instances);
    r.capacity_violation = r.needed > p->max_instances;
    *out = r;
    return TS_OK;
}

ts_status ts_planner_instances_needed(const ts_series *D, double tps_eff, const ts_policy *p, double *scratch,
                                      ts_planner_result *out)
{
    return plan_at(D, tps_eff, tps_eff * 3600.0 * p->target_utilization_pct / 100.0, p, scratch, out);
}

ts_status ts_planner_instances_at_slo(const ts_series *D, double tps_eff, double slo_tps, const ts_policy *p,
                                      double *scratch, ts_planner_result *out)
{
    return plan_at(D, tps_eff, slo_tps * 3600.0, p, scratch, out);
}
