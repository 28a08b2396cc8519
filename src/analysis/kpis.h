/*
 * kpis.h — the autoscaling KPIs of §6 and the percentile of §3.
 *
 * The simulator accumulates raw sums per step (ts_kpi_acc); ts_kpis_finish
 * turns them into the KPI record. The percentile is exact (the same value a
 * full sort gives) but found by linear-time selection.
 */
#ifndef TS_ANALYSIS_KPIS_H
#define TS_ANALYSIS_KPIS_H

#include "tapscale.h"

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

/* A run of equal utilization samples: the fast simulator stores one per
 * stretch of steps with the same demand and ready capacity. */
typedef struct ts_run {
    double value;
    int64_t count;
} ts_run;

/* §3 percentile p of the multiset the runs describe (each value count
 * times): exactly the value ts_percentile gives on the expanded samples.
 * Reorders r. 0 when there are no samples. */
double ts_percentile_runs(ts_run *r, size_t n, double p);

/* As ts_kpis_finish, with the samples given as runs. */
void ts_kpis_finish_runs(const ts_kpi_acc *acc, ts_run *runs, size_t n_runs, int64_t interval_s,
                         int64_t gpu_count, ts_kpis *k);

/* The k-th smallest of x[0..n-1] (0-based), reordering x so that x[k] holds
 * it, everything before is <= and everything after is >=. */
double ts_select(double *x, size_t n, size_t k);

#endif
