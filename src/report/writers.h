/*
 * writers.h — rendering the output files (declared in tapscale.h): the
 * plan, GPU choice, events and KPI CSVs, the JSON and Markdown summaries,
 * the reasons of a verdict and the run table. Every number goes through the
 * §7 formatter; rows follow the plan's order (models by id).
 */
#ifndef TS_REPORT_WRITERS_H
#define TS_REPORT_WRITERS_H

#include "tapscale.h"

/* Totals over pools, as in the summary. */
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

/* One row of the events file (§5), with its newline. */
void ts_render_event_row(ts_buf *b, const char *model, const char *gpu, int64_t start, const ts_event *ev);

void ts_compute_totals(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_totals *t);

#endif
