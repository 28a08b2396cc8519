/*
 * kpis.h — the KPIs of §6, computed here and nowhere else: the step loops
 * accumulate raw sums per step (ts_kpi_acc), ts_kpis_finish turns them into
 * a pool's KPI record (run/totals.h sums a fleet for the summaries).
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
    /* runs of the provisioned count N over the steps, for the floor: room
     * for one run per action and one more (workspace storage) */
    ts_run *n_runs;
    size_t n_n_runs;
    int64_t n_run_start;     /* the first step of the open run */
} ts_kpi_acc;

/* An action at step k changes N from n_prev: the steps since the last
 * change had n_prev provisioned (an action takes effect after its step). */
static inline void ts_kpi_replicas_changed(ts_kpi_acc *acc, int64_t k, int64_t n_prev)
{
    acc->n_runs[acc->n_n_runs].value = (double)n_prev;
    acc->n_runs[acc->n_n_runs].count = k + 1 - acc->n_run_start;
    acc->n_n_runs++;
    acc->n_run_start = k + 1;
}

/* Fills k from acc, whose last run of N (value n_last) is still open.
 * util holds the n_util samples of 100*u (reordered). */
void ts_kpis_finish(ts_kpi_acc *acc, int64_t n_last, double *util, int64_t interval_s, int64_t gpu_count,
                    ts_kpis *k);

/* As ts_kpis_finish, with the samples given as runs (reordered). */
void ts_kpis_finish_runs(ts_kpi_acc *acc, int64_t n_last, ts_run *runs, size_t n_runs, int64_t interval_s,
                         int64_t gpu_count, ts_kpis *k);

/* The always-on floor: the most replicas provisioned during at least 95 %
 * of the steps, from runs of N over steps total steps (reordered). */
int64_t ts_kpis_floor(ts_run *runs, size_t n, int64_t steps);

#endif
