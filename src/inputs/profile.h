/*
 * profile.h — the demand of a model when it has no series: a monthly volume
 * spread over hours by a uniform or diurnal profile (§3a); and the seeded
 * multiplicative noise applied to any demand. Pure.
 */
#ifndef TS_INPUTS_PROFILE_H
#define TS_INPUTS_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/* §3a: fills D[0..H-1] (tokens/hour) for a profile. diurnal=0: uniform.
 * start_hour_of_day is the UTC hour of day (may be fractional) of hour 0. */
void ts_profile_fill(double *D, size_t H, double tokens_per_month, int diurnal, double amplitude,
                     double peak_hour, double start_hour_of_day);

/* Multiplies D by exp(s*z - s*s/2), z standard normal, s = noise_pct/100,
 * from a stream seeded by seed and the model id: mean 1, reproducible. */
void ts_noise_apply(double *D, size_t n, double noise_pct, uint64_t seed, const char *model);

#endif
