/*
 * plain_loop.h — the benchmarks' baseline: §5 for the threshold policy
 * written plainly (plain_loop.c).
 */
#ifndef TS_BENCH_PLAIN_LOOP_H
#define TS_BENCH_PLAIN_LOOP_H

#include "tapscale.h"

#include <stddef.h>

/* Simulates demand D (n values, tau s apart) at tph tokens/hour per
 * replica under p; util holds one sample per step. Returns the scale
 * events and sets *p95_out to the p95 of utilization, % and sums[0..3]
 * to the average utilization, the violations, the unserved tokens and the
 * replica-seconds. */
long ts_plain_loop(const double *D, size_t n, double tau, double tph, const ts_policy *p, double *util,
                   double *p95_out, double sums[4]);

#endif
