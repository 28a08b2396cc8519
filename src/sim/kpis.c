/*
 * kpis.c — the KPI record of a pool and the totals of a fleet; see kpis.h.
 */
#include "sim/kpis.h"
#include "util/percentile.h"

#include <string.h>

int64_t ts_kpis_floor(ts_run *runs, size_t n, int64_t steps)
{
    if (n == 0 || steps <= 0)
        return 0;
    /* ascending rank K - ceil(0.95 K): at least 95 % of the steps have N at
     * or above its value, and fewer above any larger one */
    int64_t held = (95 * steps + 99) / 100;
    return (int64_t)ts_select_runs(runs, n, steps - held);
}

static void finish_common(ts_kpi_acc *acc, int64_t n_last, int64_t interval_s, int64_t gpu_count, ts_kpis *k)
{
    ts_kpi_replicas_changed(acc, acc->steps - 1, n_last); /* close the last run */
    k->floor_replicas = ts_kpis_floor(acc->n_runs, acc->n_n_runs, acc->steps);
    memset(&k->queue, 0, sizeof k->queue); /* the fluid queue is computed apart */
    k->has_forecast = 0;                    /* and a forecast by its policy's finish */
    k->forecast_hours = 0;
    k->forecast_mape_pct = 0;
    k->forecast_wape_pct = 0;
    k->steps = acc->steps;
    k->scale_events = acc->events;
    k->avg_util_pct = acc->n_util ? acc->util_sum / (double)acc->n_util : 0.0;
    k->violations = acc->violations;
    k->violation_minutes = (double)acc->violations * (double)interval_s / 60.0;
    k->unserved_tokens = acc->unserved;
    k->replica_hours = (double)acc->replica_seconds / 3600.0;
    k->gpu_hours = k->replica_hours * (double)gpu_count;
    k->max_replicas = acc->max_replicas;
}

void ts_kpis_finish_runs(ts_kpi_acc *acc, int64_t n_last, ts_run *runs, size_t n_runs, int64_t interval_s,
                         int64_t gpu_count, ts_kpis *k)
{
    finish_common(acc, n_last, interval_s, gpu_count, k);
    k->p95_util_pct = ts_percentile_runs(runs, n_runs, 95.0);
}

void ts_kpis_finish(ts_kpi_acc *acc, int64_t n_last, double *util, int64_t interval_s, int64_t gpu_count,
                    ts_kpis *k)
{
    finish_common(acc, n_last, interval_s, gpu_count, k);
    k->p95_util_pct = ts_percentile(util, (size_t)acc->n_util, 95.0);
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
