/*
 * ideal.h — the ideal autoscaler (a clairvoyant lower bound) and the fixed
 * fleet of a pool, on the same step grid and warm-up as a simulated policy.
 *
 * The ideal knows the whole demand in advance and is bound by §5's timing:
 * an action at step j takes effect after step j's accounting, so a replica
 * added at step j is paid from step j+1 and ready from step j+L, where
 * L = max(1, ceil(warmup_s / Δ)); replicas present at t = 0 are ready, and
 * the ideal chooses how many. It must have need_k ready replicas at every
 * step k, where need_k is the least count R with R·tph ≥ d_k, at least min
 * and at most max (steps that even max cannot serve are counted apart).
 *
 * Its least cost, in paid replica-steps, is derived layer by layer (proof in
 * ideal.c): R = closing_L(need) — the need profile with every valley
 * narrower than L steps filled (a morphological closing with a flat window
 * of L steps, the start padded with +∞ and the end with 0) — and
 *   cost = Σ_k R_k + (L − 1) · Σ_{k≥1} max(0, R_k − R_{k−1}),
 * the ready replicas plus the L − 1 paid steps each start spends warming.
 * It runs in O(K) (monotonic deques), once per pool and step grid.
 *
 * The fixed fleet rents the replicas the peak step needs, max_k need_k, for
 * every step.
 */
#ifndef TS_SIM_IDEAL_H
#define TS_SIM_IDEAL_H

#include "tapscale.h"

/* The least number of ready replicas with which capacity meets demand d at
 * tph tokens/hour per replica (C = R·tph ≥ d, as the simulator compares),
 * clamped to [min, max]; *over is set to 1 when max replicas do not
 * suffice. */
int64_t ts_ideal_need(double d, double tph, int64_t min, int64_t max, int *over);

/* The two monotonic deques of the closing hold at most min(L, K) + 1
 * entries each: scratch for ts_ideal_compute holds 4 times that many
 * int64 values. */
size_t ts_ideal_scratch(const ts_series *D, int64_t dt, int64_t warmup_s);

/* The ideal and the fixed fleet of one pool for the demand D stepped every
 * dt seconds with a warm-up of warmup_s (hours and GPU-hours left to the
 * caller). scratch holds ts_ideal_scratch(...) int64 values. Pure. */
void ts_ideal_compute(const ts_series *D, double tph, int64_t dt, int64_t warmup_s, int64_t min, int64_t max,
                      int64_t *scratch, ts_bounds *out);

#endif
