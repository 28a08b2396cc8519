/*
 * demand.h — the demand of a run, per model: generated profiles (§3a) and
 * time series (series.h), then seeded noise (profile.h).
 *
 * The demand file is DIR/operator/demand.yaml:
 *
 *   start: 2025-01-01T00:00:00Z   # UTC start of hour 0 (default shown)
 *   horizon_hours: 720            # H, hours of generated profiles (default 720)
 *   noise_pct: 0                  # sd of multiplicative noise in % (default 0)
 *   series: [file.csv, ...]       # time-series files, relative to this file
 *   models:
 *     <model id>:
 *       tokens_per_month: 2.0e9   # required unless a series covers the model
 *       profile: diurnal          # uniform | diurnal (default uniform)
 *       amplitude: 0.5            # diurnal a, 0 <= a < 1 (default 0.5)
 *       peak_hour: 15             # diurnal peak hour of day UTC, [0,24) (default 15)
 *       initial_replicas: 2       # optional start replica count (§5)
 *       params_b: 8               # optional, billions of parameters (heuristic)
 *       bytes_per_param: 2        # optional, bytes per weight (default 2)
 *       deployment: llama-8b      # optional, the workload a manifest scales
 *
 * A series file has the header timestamp,model,demand_tokens_per_hour; each
 * model's rows are in strictly increasing time at one regular interval (the
 * first two rows set it), and replace that model's profile.
 */
#ifndef TS_INPUTS_DEMAND_H
#define TS_INPUTS_DEMAND_H

#include "tapscale.h"

/* Fills in->demand (sorted by model id) from DIR/operator/demand.yaml.
 * Needs in->seed. Reports every problem in d; returns TS_OK, TS_EINPUT or
 * TS_ENOMEM (ts_diags_status). */
ts_status ts_load_demand(ts_inputs *in, ts_diags *d);

/* The workload name a model is served by when demand.yaml names none: its
 * id after the last '/', lower case, '.' and '_' as '-'
 * ("meta-llama/Llama-3.1-8B-Instruct" -> "llama-3-1-8b-instruct"). NULL
 * when out of memory; the caller frees it. */
char *ts_default_deployment(const char *model);

#endif
