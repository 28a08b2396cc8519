/*
 * threshold.h — the seed's threshold policy (§5): an EWMA of utilization,
 * scale-up and scale-down thresholds with a cooldown, step sizes, and the
 * anti-flap guard that refuses a scale-down whose projected utilization
 * would cross the scale-up threshold. Its settings (ts_threshold_config, in
 * its slot of ts_policy) are read as the seed has them: at the top level of
 * autoscaling:, among the pool's keys.
 *
 * The decision is written once, here, as inline functions: the policy's
 * step (threshold.c) and its segment kernel (threshold_fast.c) both call
 * them, so the two cannot drift apart.
 */
#ifndef TS_POLICY_THRESHOLD_H
#define TS_POLICY_THRESHOLD_H

#include <math.h>

#include "tapscale.h"

/* The policy's settings. */
typedef struct ts_threshold_config {
    int64_t evaluation_interval_s;   /* Δ, its step */
    double scale_up_threshold_pct;
    double scale_down_threshold_pct;
    int64_t scale_up_step;
    int64_t scale_down_step;
    int64_t stabilization_window_s;  /* W, of the EWMA (0: none) */
    int64_t cooldown_s;
} ts_threshold_config;

/* The threshold settings inside p (every ts_policy has them, whichever its
 * policy: the predictive policy's reactive part reads them too). */
const ts_threshold_config *ts_threshold_settings(const ts_policy *p);
ts_threshold_config *ts_threshold_settings_mut(ts_policy *p);

/* The policy's state per pool (public for tests). */
typedef struct ts_threshold_state {
    const ts_threshold_config *c; /* the pool's policy's, found once */
    double alpha;       /* 1 - exp(-Δ/W), or 1 when W = 0 */
    int has_e;
    double e;           /* smoothed utilization (fraction) */
    int has_last;
    double t_last;
} ts_threshold_state;

/* The EWMA weight of a new sample: 1 - exp(-Δ/W), 1 without smoothing. */
static inline double ts_threshold_alpha(const ts_threshold_config *c)
{
    return c->stabilization_window_s == 0
               ? 1.0
               : 1.0 - exp(-(double)c->evaluation_interval_s / (double)c->stabilization_window_s);
}

/* Step 3: e after observing utilization u. */
static inline double ts_threshold_smooth(double e, int has_e, double alpha, double u)
{
    return has_e ? e + alpha * (u - e) : u;
}

/* A scale-up from N: one step of c, at most p's max. */
static inline int64_t ts_threshold_up(int64_t N, const ts_policy *p, const ts_threshold_config *c)
{
    return N + c->scale_up_step < p->max_instances ? N + c->scale_up_step : p->max_instances;
}

/* Step 6 with ready capacity (C > 0), once the cooldown has passed: the new
 * count for smoothed utilization e (fraction), N provisioned and R ready
 * replicas and demand d; N to hold. A scale-down goes by the largest step
 * (at most c's scale_down_step, down to p's min) whose projected utilization
 * e·R/R' stays at or below the scale-up threshold. */
static inline int64_t ts_threshold_decide(double e, int64_t N, int64_t R, double d, const ts_policy *p,
                                          const ts_threshold_config *c)
{
    const double e100 = 100.0 * e;
    if (e100 > c->scale_up_threshold_pct && N < p->max_instances)
        return ts_threshold_up(N, p, c);
    if (e100 < c->scale_down_threshold_pct && N > p->min_instances) {
        int64_t room = N - p->min_instances;
        int64_t smax = c->scale_down_step < room ? c->scale_down_step : room;
        for (int64_t sd = smax; sd >= 1; sd--) {
            int64_t R2 = R < N - sd ? R : N - sd;
            double proj;
            if (R2 > 0)
                proj = e * (double)R / (double)R2;
            else if (e == 0.0 && d == 0.0)
                proj = 0.0;
            else
                proj = INFINITY;
            if (100.0 * proj <= c->scale_up_threshold_pct)
                return N - sd;
        }
    }
    return N;
}

/* Step 6 without ready capacity (C = 0): the one possible action is the
 * scale-up from zero, when there is demand and nothing is warming. */
static inline int ts_threshold_can_start(double d, int64_t N, int64_t R, const ts_policy *p)
{
    return d > 0 && N - R == 0 && N < p->max_instances;
}

/* The segment kernel of the threshold policy: the plain loop's result, bit
 * for bit, in a fraction of its time (threshold_fast.c). */
ts_status ts_threshold_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                              ts_kpis *out);

#endif
