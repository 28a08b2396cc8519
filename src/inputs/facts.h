/*
 * facts.h — throughput facts: the candidates (model, GPU, gpu_count) of a
 * run with their tps_eff per instance and, from the prices (prices.h),
 * their instance price.
 *
 * DIR/facts/tps_model_gpu.csv rows are converted by measurement_type (one
 * table row each, see conversions in facts.c):
 *   aggregate                        tps_eff = throughput
 *   offline                          tps_eff = throughput * offline_derating_pct/100
 *   single_stream, per_user_stream   tps_eff = throughput * slots * batching_efficiency_pct/100
 * where slots is the row's batch when it is a number above 1, else
 * runtime.slots_total_default. Several rows for one candidate: the rows of
 * the most direct measurement type (aggregate, then offline, then the stream
 * types) are kept and the lowest of their tps_eff is used (conservative).
 *
 * An instance costs gpu_count times the price per GPU-hour of its GPU.
 *
 * A model with demand but no figure gets heuristic candidates when
 * runtime.allow_tps_heuristic is true (see ts_heuristic_tps in gpus.h).
 */
#ifndef TS_INPUTS_FACTS_H
#define TS_INPUTS_FACTS_H

#include "tapscale.h"

/* Loads candidates for in->demand's models into in->cand, with their
 * prices (and in->currency). Returns TS_OK, TS_EINPUT (every problem in
 * d) or TS_ENOMEM. */
ts_status ts_load_facts(ts_inputs *in, ts_diags *d);

/* The first index of c[0..n-1] (sorted by model) whose model is not below
 * model: a model's candidates are c[lb..] while the model matches. */
size_t ts_cand_lower_bound(const ts_candidate *c, size_t n, const char *model);

/* Converts one measured throughput by measurement type. Returns TS_OK and
 * *tps_eff, or TS_EINPUT for an unknown type. batch <= 1 means "not given". */
ts_status ts_convert_tps(const char *measurement_type, double throughput, double batch,
                   const ts_runtime *rt, double *tps_eff, int *rank);

#endif
