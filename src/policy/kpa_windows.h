/*
 * kpa_windows.h — the KPA's window means for many ticks at once, as its
 * kernel computes them ahead (kpa_fast.c).
 *
 * kpa_step's mean of a window of n ticks at tick k is the sum of the last
 * m = min(n, k+1) samples, newest first from +0.0, over m; Scale() then
 * takes ceil(mean / target). Here that is computed for nb consecutive
 * ticks side by side: each window's sum is still added in its own order,
 * so every bit is kpa_step's, but the windows' additions are independent
 * and fill the processor's vector lanes. Pure; no allocation.
 */
#ifndef TS_POLICY_KPA_WINDOWS_H
#define TS_POLICY_KPA_WINDOWS_H

#include <stdint.h>

/* 1 when this processor runs the AVX2 build (the same IEEE operations,
 * four at a time), else 0. */
int ts_kpa_wide(void);

/* For j < nb, the tick k0+j whose sample is x[j]: pods[j] =
 * ceil(sum / min(n, k0+j+1) / target), the sum being x[j] + x[j-1] + ...
 * + x[j-n+1] added in that order from +0.0. x[-n+1 .. nb-1] must be
 * readable (samples before tick 0 as +0.0: a sum that starts at +0.0 and
 * adds no negative value is never -0.0, so they change no bit). sum gets
 * the nb sums. wide: ts_kpa_wide()'s answer, or 0 for the baseline build
 * (the same bits). */
void ts_kpa_window_pods(const double *x, int nb, int n, int64_t k0, double target, int wide, double *sum,
                        double *pods);

#endif
