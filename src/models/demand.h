/*
 * demand.h — the demand of a run, per model: generated profiles (§3a) and
 * time series, then seeded noise.
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
 *
 * A series file has the header timestamp,model,demand_tokens_per_hour; each
 * model's rows are in strictly increasing time at one regular interval (the
 * first two rows set it), and replace that model's profile.
 */
#ifndef TS_MODELS_DEMAND_H
#define TS_MODELS_DEMAND_H

#include "tapscale.h"

/* Fills in->demand (sorted by model id) from DIR/operator/demand.yaml.
 * Needs in->seed. Reports every problem in d; returns errors added. */
int ts_load_demand(ts_inputs *in, ts_diags *d);

/* §3a: fills D[0..H-1] (tokens/hour) for a profile. diurnal=0: uniform.
 * start_hour_of_day is the UTC hour of day (may be fractional) of hour 0. */
void ts_profile_fill(double *D, size_t H, double tokens_per_month, int diurnal, double amplitude,
                     double peak_hour, double start_hour_of_day);

/* Multiplies D by exp(s*z - s*s/2), z standard normal, s = noise_pct/100,
 * from a stream seeded by seed and the model id: mean 1, reproducible. */
void ts_noise_apply(double *D, size_t n, double noise_pct, uint64_t seed, const char *model);

#endif
