/*
 * hpa_fast.c — the HPA's kernel (ts_hpa_kernel): §5 with the HPA's sync,
 * for demand that moves, on the legacy path (no behavior).
 *
 * hpa_step's work at a sync is the metrics proposal and a reconcile.
 * The proposal depends on the ready and provisioned counts and the demand
 * only, so the loop computes the proposals of the next AHEAD demand values
 * at the current counts in one go (ts_hpa_pool_proposals, the step's own
 * computation, side by side: none waits on the one before), and again
 * when the counts change. The reconcile is ts_hpa_reconcile_with's legacy
 * branch written for this loop: its stabilization, the largest
 * recommendation not older than the window, is a sliding maximum over the
 * syncs (slidemax: a few steps per sync, none depending on the values)
 * instead of a pass over the history; the rules after it are
 * ts_hpa_legacy_rules, their bound computed once per count. KEDA's layer
 * is hpa_step's.
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

/* Demand intervals whose proposals are computed at a time. */
#define AHEAD 4

/* The largest recommendation of the last B syncs, B = the window in syncs
 * (a recommendation stamped at sync j counts at sync k while j*dt >= k*dt
 * - window, that is j >= k - B with B = floor(window / dt)). Each sync
 * fills one slot: its recommendation, or INT32_MIN when it recorded none.
 * The slots are cut into blocks of B (van Herk, Gil and Werman): the last
 * B slots are a tail of the previous block and a head of the current one,
 * so their maximum is the previous block's suffix maximum at the current
 * position and the current block's running maximum. A block's suffix
 * maxima are computed when it is complete: amortized, a step or two per
 * sync, with no branch that depends on the values. */
typedef struct slidemax {
    int64_t *val;   /* the current block's slots */
    int64_t *suf;   /* suf[i]: the largest of the previous block's slots i..B-1 */
    int64_t B, pos; /* pos: the next slot's place in its block */
    int64_t pre;    /* the largest of the current block's slots so far (at pos 0: of the block just completed) */
} slidemax;

/* The largest of the last B slots (INT32_MIN when none recorded). */
static inline int32_t slide_max(const slidemax *m)
{
    if (m->pos == 0)
        return (int32_t)m->pre;
    return (int32_t)(m->suf[m->pos] > m->pre ? m->suf[m->pos] : m->pre);
}

/* Fills the next slot with v. */
static inline void slide_push(slidemax *m, int32_t v)
{
    m->pre = m->pos == 0 || v > m->pre ? v : m->pre;
    m->val[m->pos] = v;
    if (++m->pos < m->B)
        return;
    int64_t top = INT32_MIN;
    for (int64_t i = m->B - 1; i >= 0; i--) {
        top = m->val[i] > top ? m->val[i] : top;
        m->suf[i] = top;
    }
    m->pos = 0;
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
    const int64_t B = (int64_t)(int32_t)hc->downscale_stabilization_s / dt; /* the window in syncs */
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), p->type->state_size) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK || ts_ws_reserve_scratch(ws, 2 * (size_t)B) != TS_OK)
        return TS_ENOMEM;
    p->type->init(ws->state, p, tph);
    slidemax q = {ws->scratch, ws->scratch + B, B, 0, INT32_MIN};
    for (int64_t i = 0; i < B; i++)
        q.suf[i] = INT32_MIN;
    const int32_t min_r = (int32_t)(p->min_instances > 0 ? p->min_instances : 1);
    const int32_t max_r = (int32_t)p->max_instances;
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
    int32_t allowed_for = -1, allowed_max = 0; /* the legacy rules' bound at allowed_for replicas */
    ts_hpa_condition over = TS_HPA_DESIRED_WITHIN_RANGE;
    /* the proposals of the demand intervals from ahead_i on at ahead_R of ahead_N replicas */
    int32_t ahead_prop[AHEAD];
    unsigned char ahead_have[AHEAD];
    int64_t ahead_R = -1, ahead_N = -1, ahead_i = 0, ahead_n = 0;
    const int64_t n_int = (int64_t)in->demand.n;
    for (int64_t k = 0, t = 0; k < K; k++, t += dt) {
        if (ts_dense_observe(&s, &g, t, &R, N))
            asked = 0; /* the proposal is asked for again when it is needed */
        /* hpa_step */
        const double d = s.d;
        int64_t target = N;
        int pushed = 0;
        if (d > 0) {
            has_active = 1;
            last_active = t;
        }
        if (p->min_instances == 0 && (N == 0 || (d == 0 && (!has_active || (double)(t - last_active) >= keda_cooldown_s)))) {
            target = N == 0 ? (d > 0 ? 1 : 0) : 0; /* KEDA: activation from zero, deactivation */
        } else {
            if (!asked) {
                if (R != ahead_R || N != ahead_N || s.di < ahead_i || s.di >= ahead_i + ahead_n) {
                    ahead_R = R;
                    ahead_N = N;
                    ahead_i = s.di;
                    ahead_n = n_int - s.di < AHEAD ? n_int - s.di : AHEAD;
                    ts_hpa_pool_proposals(ws->state, R, N, D + s.di, (size_t)ahead_n, (double)t, ahead_prop,
                                          ahead_have);
                }
                have = ahead_have[s.di - ahead_i];
                proposal = ahead_prop[s.di - ahead_i];
                asked = 1;
            }
            /* ts_hpa_reconcile_with, legacy */
            const int32_t current = (int32_t)N;
            int64_t slot = INT32_MIN; /* what this sync records */
            if (!recs_initialized) {
                recs_initialized = 1;
                slot = current; /* recordInitialRecommendation, counted at once */
            }
            if (current == 0 && min_r != 0)
                target = current; /* autoscaling disabled */
            else if (current > max_r)
                target = max_r;
            else if (current < min_r)
                target = min_r;
            else if (have) {
                /* stabilizeRecommendation: the largest of the recommendations
                 * in the window, this sync's included, then desired's own */
                const int32_t desired = proposal > 0 ? proposal : 0;
                int64_t largest = B > 0 ? slide_max(&q) : INT32_MIN;
                largest = largest > slot ? largest : slot;
                largest = largest > desired ? largest : desired;
                slot = slot > desired ? slot : desired;
                if (allowed_for != current) { /* the bound of this count */
                    allowed_for = current;
                    allowed_max = ts_hpa_legacy_allowed_max(current, max_r, hc->scale_up_limit_factor,
                                                            hc->scale_up_limit_minimum, &over);
                }
                ts_hpa_condition cond;
                target = ts_hpa_legacy_apply((int32_t)largest, min_r, allowed_max, over, &cond);
            }
            if (B > 0)
                slide_push(&q, (int32_t)slot);
            pushed = 1;
        }
        if (B > 0 && !pushed)
            slide_push(&q, INT32_MIN);
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
