/*
 * profile.c — generated demand profiles (§3a) and seeded noise; see
 * profile.h.
 */
#include "inputs/profile.h"
#include "util/rng.h"

#include <math.h>

#define PI 3.14159265358979323846
#define HOURS_PER_MONTH 720.0

void ts_profile_fill(double *D, size_t H, double tokens_per_month, int diurnal, double amplitude,
                     double peak_hour, double start_hour_of_day)
{
    double mean = tokens_per_month / HOURS_PER_MONTH;
    if (!diurnal) {
        for (size_t h = 0; h < H; h++)
            D[h] = mean;
        return;
    }
    double sumw = 0.0;
    for (size_t h = 0; h < H; h++) {
        double hod = fmod(start_hour_of_day + (double)h, 24.0);
        D[h] = 1.0 + amplitude * cos(2.0 * PI * (hod - peak_hour) / 24.0); /* w[h] */
        sumw += D[h];
    }
    double norm = sumw / (double)H;
    for (size_t h = 0; h < H; h++)
        D[h] = mean * D[h] / norm;
}

void ts_noise_apply(double *D, size_t n, double noise_pct, uint64_t seed, const char *model)
{
    if (!(noise_pct > 0.0))
        return;
    ts_rng r;
    ts_rng_seed(&r, seed ^ ts_hash_str(model));
    double s = noise_pct / 100.0;
    for (size_t i = 0; i < n; i++)
        D[i] *= exp(s * ts_rng_normal(&r) - s * s / 2.0);
}
