/*
 * totals.h — the totals of a run over the pools of its plan, as the
 * summaries show them.
 */
#ifndef TS_RUN_TOTALS_H
#define TS_RUN_TOTALS_H

#include "tapscale.h"

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
    double ideal_gpu_hours;
    double fixed_gpu_hours;
    /* over the priced pools, each normalised to a 30-day month */
    double cost_per_month, ideal_cost_per_month, fixed_cost_per_month;
} ts_totals;

void ts_kpis_totals(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_totals *t);

#endif
