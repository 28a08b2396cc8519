/*
 * percentile.h — the percentile of §3: linear interpolation between the
 * closest ranks, found by linear-time selection rather than a sort (the
 * same value a full sort gives; tested against one). Pure.
 */
#ifndef TS_UTIL_PERCENTILE_H
#define TS_UTIL_PERCENTILE_H

#include <stddef.h>
#include <stdint.h>

/* ts_percentile (the §3 percentile of an array) is declared in tapscale.h. */
#include "tapscale.h"

/* A run of equal samples: value, count times. */
typedef struct ts_run {
    double value;
    int64_t count;
} ts_run;

/* §3 percentile p of the multiset the runs describe (each value count
 * times): exactly the value ts_percentile gives on the expanded samples.
 * Reorders r. 0 when there are no samples. */
double ts_percentile_runs(ts_run *r, size_t n, double p);

/* The value of rank k (0-based, ascending) of the multiset the runs
 * describe (n > 0, k below the total count). Reorders r. */
double ts_select_runs(ts_run *r, size_t n, int64_t k);

/* The k-th smallest of x[0..n-1] (0-based), reordering x so that x[k] holds
 * it, everything before is <= and everything after is >=. */
double ts_select(double *x, size_t n, size_t k);

#endif
