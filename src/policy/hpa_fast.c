/*
 * hpa_fast.c — the HPA's kernel (ts_hpa_kernel): §5 with the HPA's sync,
 * for demand that moves, on the legacy path (no behavior).
 *
 * hpa_step's work at a sync is the metrics proposal and a reconcile; the
 * proposal depends on the ready and provisioned counts and the demand
 * only, so the loop asks for it (ts_hpa_pool_proposal, the step's own
 * computation) when one of them changed. The reconcile is
 * ts_hpa_reconcile_with's legacy branch written for this loop: its
 * stabilization, the largest recommendation not older than the window,
 * comes from a monotonic deque (each recommendation enters once and
 * leaves once) instead of a pass over the history; the rules after it
 * are ts_hpa_legacy_rules. KEDA's layer is hpa_step's.
 *
 * With behavior, or on demand that holds for several windows (where the
 * held loop skips whole stretches), the kernel hands the pool to
 * ts_simulate_held. The randomized tests compare both with the plain loop.
 *
 * The loop's length is that of a kernel: it shares a dozen locals.
 */
#include "policy/hpa.h"
#include "policy/hpa_controller.h"
#include "sim/act.h"
#include "sim/coldstart.h"
#include "sim/dense.h"
#include "sim/kpis.h"
#include "sim/simulate.h"
#include "sim/workspace.h"

#include <stdint.h>

/* The deque's ring: more than the recommendations a window can hold
 * (at most TS_MAX_PERIODS_PER_WINDOW + 2: one per sync, and the initial
 * one). A power of two. */
#define RING 2048

/* The stabilization window's recommendations that can still be its
 * largest: times ascending, values descending. */
typedef struct maxq {
    int64_t *t, *v;
    int64_t head, len;
} maxq;

/* The largest of desired and the recommendations stamped at or after
 * now - window (upstream: not Before(cutoff)); then desired joins them
 * at now, as stabilizeRecommendation records it. */
static inline int32_t maxq_stabilize(maxq *q, int32_t desired, double window_s, int64_t now)
{
    const double cutoff = (double)now - window_s;
    while (q->len && (double)q->t[q->head] < cutoff) {
        q->head = (q->head + 1) & (RING - 1);
        q->len--;
    }
    const int32_t largest = q->len && q->v[q->head] > desired ? (int32_t)q->v[q->head] : desired;
    while (q->len && q->v[(q->head + q->len - 1) & (RING - 1)] <= desired)
        q->len--; /* a newer recommendation as large outlives it */
    const int64_t slot = (q->head + q->len) & (RING - 1);
    q->t[slot] = now;
    q->v[slot] = desired;
    q->len++;
    return largest;
}

/* Whether the demand's values hold, on average, for fewer than six
 * windows (and one sync): then the held loop would skip little. */
static int moves(const double *D, size_t n, int64_t tau, int64_t dt, int64_t window_s)
{
    const double syncs = (double)n * (double)tau / (double)dt;
    return syncs < 6.0 * ((double)window_s / (double)dt + 1.0) * (double)ts_sim_value_runs(D, n);
}

ts_status ts_hpa_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const ts_hpa_config *hc = ts_hpa_settings(p);
    const double *D = in->demand.rate;
    const int64_t dt = hc->sync_period_s, tau = (int64_t)in->demand.tau_s;
    if (hc->has_behavior || !moves(D, in->demand.n, tau, dt, hc->downscale_stabilization_s))
        return ts_simulate_held(in, ws, on_event, ctx, out);
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const double tph = in->tps_eff * 3600.0;
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), p->type->state_size) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK || ts_ws_reserve_scratch(ws, 2 * RING) != TS_OK)
        return TS_ENOMEM;
    p->type->init(ws->state, p, tph);
    maxq q = {ws->scratch, ws->scratch + RING, 0, 0};
    const int32_t min_r = (int32_t)(p->min_instances > 0 ? p->min_instances : 1);
    const int32_t max_r = (int32_t)p->max_instances;
    const double window_s = (double)(int32_t)hc->downscale_stabilization_s;
    const double keda_cooldown_s = (double)hc->keda_cooldown_s;
    ts_warm_groups g = ts_ws_groups(ws);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    ts_dense s = ts_dense_begin(D, tau, dt, tph, ws->runs, &g);
    int recs_initialized = 0, has_active = 0, have = 0, asked = 0;
    int32_t proposal = 0;
    int64_t last_active = 0;
    for (int64_t k = 0, t = 0; k < K; k++, t += dt) {
        if (ts_dense_observe(&s, &g, t, &R, N))
            asked = 0; /* the proposal is asked for again when it is needed */
        /* hpa_step */
        const double d = s.d;
        int64_t target = N;
        if (d > 0) {
            has_active = 1;
            last_active = t;
        }
        if (p->min_instances == 0 && (N == 0 || (d == 0 && (!has_active || (double)(t - last_active) >= keda_cooldown_s)))) {
            target = N == 0 ? (d > 0 ? 1 : 0) : 0; /* KEDA: activation from zero, deactivation */
        } else {
            if (!asked) {
                have = ts_hpa_pool_proposal(ws->state, R, N, d, (double)t, &proposal);
                asked = 1;
            }
            /* ts_hpa_reconcile_with, legacy */
            const int32_t current = (int32_t)N;
            if (!recs_initialized) {
                recs_initialized = 1;
                maxq_stabilize(&q, current, window_s, t); /* recordInitialRecommendation */
            }
            if (current == 0 && min_r != 0)
                target = current; /* autoscaling disabled */
            else if (current > max_r)
                target = max_r;
            else if (current < min_r)
                target = min_r;
            else if (have) {
                ts_hpa_condition cond;
                const int32_t stabilized = maxq_stabilize(&q, proposal > 0 ? proposal : 0, window_s, t);
                target = ts_hpa_legacy_rules(current, stabilized, min_r, max_r, hc->scale_up_limit_factor,
                                             hc->scale_up_limit_minimum, &cond);
            }
        }
        if (target == N)
            continue;
        if (ts_sim_act(&acc, &cold, &g, k, t, dt, target, &N, &R, d, s.C, s.C > 0, s.up, on_event, ctx) != 0)
            return TS_ERUNTIME;
        ts_dense_acted(&s, &g);
        asked = 0;
    }
    ts_dense_finish(&s, K, &acc);
    ts_kpis_finish_runs(&acc, N, s.runs, s.n_runs, dt, in->gpu_count, out);
    return TS_OK;
}
