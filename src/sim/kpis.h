/*
 * kpis.h — the KPIs of §6, computed here and nowhere else: the step loops
 * accumulate raw sums per step (ts_kpi_acc), ts_kpis_finish turns them into
 * a pool's KPI record, and ts_kpis_totals sums a fleet for the summaries.
 */
#ifndef TS_SIM_KPIS_H
#define TS_SIM_KPIS_H

#include "tapscale.h"
#include "util/percentile.h"

/* Raw per-pool accumulators, updated once per step. */
typedef struct ts_kpi_acc {
    int64_t steps;
    int64_t events;
    int64_t n_util;          /* steps with C > 0 */
    double util_sum;         /* sum of 100*u over those steps, in step order */
    int64_t violations;
    double unserved;
    int64_t replica_seconds;
    int64_t max_replicas;
} ts_kpi_acc;

/* Fills k from acc. util holds the n_util samples of 100*u (reordered). */
void ts_kpis_finish(const ts_kpi_acc *acc, double *util, int64_t interval_s, int64_t gpu_count,
                    ts_kpis *k);

/* As ts_kpis_finish, with the samples given as runs (reordered). */
void ts_kpis_finish_runs(const ts_kpi_acc *acc, ts_run *runs, size_t n_runs, int64_t interval_s,
                         int64_t gpu_count, ts_kpis *k);

/* Totals over the pools of a run, as the summaries show them. */
typedef struct ts_totals {
    int64_t scale_events;
    int64_t violations;
    double unserved_tokens;
    double replica_hours;
    double gpu_hours;
    double cost;
    size_t priced_pools;
    double weighted_avg_util_pct; /* demand-weighted mean of avg_util_pct */
    double max_p95_util_pct;
} ts_totals;

void ts_kpis_totals(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_totals *t);

#endif
