/*
 * kpis.c — the KPI record of a pool; see kpis.h.
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
    memset(&k->queue, 0, sizeof k->queue); /* the fluid queue is computed apart, */
    memset(&k->latency, 0, sizeof k->latency); /* and so is the latency */
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
