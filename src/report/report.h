/*
 * report.h — what report.html shows, gathered while the pools are
 * simulated (ts_report in tapscale_io.h): per pool a sparkline and its
 * simulation input; for the worst pools, after the run, a detailed picture.
 * html.c renders it.
 */
#ifndef TS_REPORT_REPORT_H
#define TS_REPORT_REPORT_H

#include "tapscale_io.h"
#include "report/picture.h"

typedef struct ts_report_pool_view {
    ts_sim_input si;          /* as simulated (points into the inputs and the policies) */
    int done;                 /* pool_done has seen it */
    double spark_d[TS_REPORT_SPARK];  /* demand, max per bucket */
    double spark_c[TS_REPORT_SPARK];  /* ready capacity, min per bucket */
    unsigned char spark_v[TS_REPORT_SPARK]; /* 1: a violation in the bucket */
    size_t spark_n;
    int64_t spark_width;      /* seconds per sparkline bucket */
    ts_picture detail;        /* the worst pools only (detail.b != NULL) */
} ts_report_pool_view;

/* One simulated setting of the fleet: run has one, compare one per policy
 * or variant. */
typedef struct ts_report_setting {
    char *name;
    const ts_sim_results *res;        /* borrowed; set by ts_report_finish */
    ts_report_pool_view *pools;       /* parallel to the plan's rows */
    void *ctx;                        /* its pool_done context, owned */
} ts_report_setting;

struct ts_report {
    const ts_inputs *in;
    const ts_plan *plan;
    ts_report_kind kind;
    int64_t rollup_width;             /* 3600 or 86400 */
    ts_report_setting *set;
    size_t n_set, cap_set;
    size_t *order;                    /* pools worst first (of the first setting) */
    size_t n_detail;                  /* the first n_detail of order are drawn in detail */
    const ts_acceptance *acc;         /* borrowed, run only */
    const ts_tune_result *tune;       /* borrowed, tune only */
};

#endif
