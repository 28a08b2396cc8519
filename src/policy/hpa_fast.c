/*
 * hpa_fast.c — the HPA's kernel (ts_hpa_kernel): §5 with the HPA's sync,
 * for demand that moves.
 *
 * hpa_step's work at a sync is the metrics proposal and a reconcile.
 * The proposal depends on the ready and provisioned counts and the demand
 * only, so the loop computes the proposals of the next AHEAD demand values
 * at the current counts in one go (ts_hpa_pool_proposals, the step's own
 * computation, side by side: none waits on the one before), and again
 * when the counts change. The reconcile is ts_hpa_reconcile_with written
 * for this loop: its stabilization, the largest (and with behavior the
 * smallest) recommendation in a window, is a sliding extremum over the
 * syncs (slidemax: a few steps per sync, none depending on the values)
 * instead of a pass over the history; the rules after it are
 * ts_hpa_legacy_rules (their bound computed once per count) or
 * ts_hpa_behavior_rate with the pool's own scale events. KEDA's layer is
 * hpa_step's. On demand that holds for several windows (where the held
 * loop skips whole stretches) the kernel hands the pool to
 * ts_simulate_held. The randomized tests compare both with the plain loop.
 *
 * The loop's length is that of a kernel: it shares a dozen locals.
 */
#include "policy/hpa.h"
#include "policy/hpa_controller.h"
#include "sim/kernel.h"

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

/* What ts_hpa_reconcile_with reads in the kernel, fixed for a pool. */
typedef struct reconciler {
    const ts_hpa_config *hc;
    int32_t min_r, max_r;
    int down_now, up_now;   /* whether a sync's own recommendations count in its windows */
    ts_hpa_events *up_ev, *down_ev;
} reconciler;

/* What it changes. Each sync fills one slot of each window: the largest
 * of its recommendations in down, the smallest (negated) in up, or
 * INT32_MIN when it recorded none. */
typedef struct reconcile_state {
    slidemax down;          /* legacy: its window; behavior: the scale-down window */
    slidemax up;            /* behavior: the scale-up window */
    int initialized;        /* recordInitialRecommendation done */
    int32_t allowed_for, allowed_max; /* the legacy rules' bound at allowed_for replicas */
    ts_hpa_condition over;
} reconcile_state;

/* The syncs of a window before the current one whose recommendations
 * count: legacy, those not older than window_s (not Before(cutoff):
 * floor(window / dt)); behavior, those inside it (After(cutoff): ceil(window
 * / dt) - 1). */
static int64_t window_syncs(int64_t window_s, int64_t dt, int behavior)
{
    if (!behavior)
        return window_s / dt;
    return window_s > 0 ? (window_s + dt - 1) / dt - 1 : 0;
}

/* A window of B syncs on 2B values of scratch, nothing recorded. */
static slidemax slide_new(int64_t *scratch, int64_t B)
{
    slidemax m = {scratch, scratch + B, B, 0, INT32_MIN};
    for (int64_t i = 0; i < B; i++)
        m.suf[i] = INT32_MIN;
    return m;
}

/* The sync's recommendations, largest hi and smallest lo (INT32_MIN and
 * INT32_MAX when none), into the windows. */
static inline __attribute__((always_inline)) void record(reconcile_state *w, int64_t hi, int64_t lo)
{
    if (w->down.B > 0)
        slide_push(&w->down, (int32_t)hi);
    if (w->up.B > 0)
        slide_push(&w->up, lo == INT32_MAX ? INT32_MIN : (int32_t)-lo);
}

/* The stabilized recommendation for desired at count current, with this
 * sync's earlier recommendations hi and lo (stabilizeRecommendation and
 * stabilizeRecommendationWithBehaviors). */
static inline __attribute__((always_inline)) int32_t stabilize(const reconciler *z, const reconcile_state *w,
                                                               int behavior, int32_t current, int32_t desired,
                                                               int64_t hi, int64_t lo)
{
    int64_t largest = desired;
    if (w->down.B > 0) {
        const int64_t m = slide_max(&w->down);
        largest = m > largest ? m : largest;
    }
    if (z->down_now && hi > largest)
        largest = hi;
    if (!behavior)
        return (int32_t)largest;
    int64_t smallest = desired;
    if (w->up.B > 0) {
        const int64_t m = slide_max(&w->up);
        if (m != INT32_MIN && -m < smallest)
            smallest = -m;
    }
    if (z->up_now && lo < smallest)
        smallest = lo;
    return ts_hpa_behavior_stabilized(current, (int32_t)smallest, (int32_t)largest);
}

/* ts_hpa_reconcile_with at sync time t for count current, with the
 * proposal when have: the new count (current when nothing changes).
 * behavior: the pool's has_behavior, a constant where it is inlined. */
static inline __attribute__((always_inline)) int32_t reconcile(const reconciler *z, reconcile_state *w,
                                                               int behavior, int32_t current, int have,
                                                               int32_t proposal, int64_t t)
{
    int64_t hi = INT32_MIN, lo = INT32_MAX; /* this sync's recommendations */
    if (!w->initialized) {
        w->initialized = 1;
        hi = lo = current; /* recordInitialRecommendation */
    }
    int32_t target = current;
    ts_hpa_condition cond;
    if (current == 0 && z->min_r != 0) {
        record(w, hi, lo); /* autoscaling disabled */
        return current;
    }
    if (current > z->max_r) {
        target = z->max_r;
    } else if (current < z->min_r) {
        target = z->min_r;
    } else if (!have) {
        record(w, hi, lo);
        return current;
    } else {
        const int32_t desired = proposal > 0 ? proposal : 0;
        const int32_t stabilized = stabilize(z, w, behavior, current, desired, hi, lo);
        hi = hi > desired ? hi : desired;
        lo = lo < desired ? lo : desired;
        if (!behavior) {
            if (w->allowed_for != current) { /* the bound of this count */
                w->allowed_for = current;
                w->allowed_max = ts_hpa_legacy_allowed_max(current, z->max_r, z->hc->scale_up_limit_factor,
                                                           z->hc->scale_up_limit_minimum, &w->over);
            }
            target = ts_hpa_legacy_apply(stabilized, z->min_r, w->allowed_max, w->over, &cond);
        } else if (stabilized != current) { /* (the rate limits keep an unchanged count) */
            target = ts_hpa_behavior_rate(current, stabilized, z->min_r, z->max_r, &z->hc->behavior.scale_up,
                                          &z->hc->behavior.scale_down, z->up_ev, z->down_ev, (double)t, &cond);
        }
    }
    record(w, hi, lo);
    if (target != current && behavior &&
        (target > current
             ? ts_hpa_store_event(&z->hc->behavior.scale_up, z->up_ev, target - current, (double)t)
             : ts_hpa_store_event(&z->hc->behavior.scale_down, z->down_ev, current - target, (double)t)) != TS_OK)
        return current; /* a full history (excluded by the input bounds) holds */
    return target;
}

/* What the step loop of a pool needs from its setup. */
typedef struct pool_run {
    const ts_sim_input *in;
    ts_sim_workspace *ws;
    ts_event_fn on_event;
    void *ctx;
    ts_kpis *out;
    ts_cold_start *cold;
    const reconciler *z;
    int64_t Bd, Bu; /* the windows in syncs */
    int64_t K;
    double tph;
} pool_run;

/* The step loop of the kernel; behavior is the constant the kernel calls
 * it with, so each of its two copies has only its own path. Returns
 * TS_OK, TS_ENOMEM or TS_ERUNTIME (on_event stopped the run). Its length
 * is that of a kernel: the loop shares a dozen locals. */
static inline __attribute__((always_inline)) ts_status sync_loop(const pool_run *r, const int behavior)
{
    const ts_sim_input *in = r->in;
    ts_sim_workspace *ws = r->ws;
    const ts_policy *p = in->policy;
    const ts_hpa_config *hc = r->z->hc;
    const reconciler *z = r->z;
    const double *D = in->demand.rate;
    const int64_t dt = hc->sync_period_s, tau = (int64_t)in->demand.tau_s, K = r->K;
    const double tph = r->tph;
    reconcile_state w = {slide_new(ws->scratch, r->Bd), slide_new(ws->scratch + 2 * r->Bd, r->Bu), 0, -1, 0,
                         TS_HPA_DESIRED_WITHIN_RANGE};
    const double keda_cooldown_s = (double)hc->keda_cooldown_s;
    ts_warm_groups g = ts_ws_groups(ws);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    ts_dense s = ts_dense_begin(D, tau, dt, tph, ws->runs, &g);
    int has_active = 0, have = 0, asked = 0;
    int32_t proposal = 0;
    int64_t last_active = 0;
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
        int64_t target;
        if (d > 0) {
            has_active = 1;
            last_active = t;
        }
        if (p->min_instances == 0 &&
            (N == 0 || (d == 0 && (!has_active || (double)(t - last_active) >= keda_cooldown_s)))) {
            target = N == 0 ? (d > 0 ? 1 : 0) : 0; /* KEDA: activation from zero, deactivation */
            record(&w, INT32_MIN, INT32_MAX);      /* no reconcile, nothing recorded */
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
            target = reconcile(z, &w, behavior, (int32_t)N, have, proposal, t);
        }
        if (target == N)
            continue;
        ts_status acted = ts_sim_act(&acc, r->cold, &g, k, t, dt, target, &N, &R, d, s.C, s.C > 0, s.up, r->on_event, r->ctx);
        if (acted != TS_OK)
            return acted;
        ts_dense_acted(&s, &g);
        asked = 0;
    }
    ts_dense_finish(&s, K, &acc);
    ts_kpis_finish_runs(&acc, N, s.runs, s.n_runs, dt, in->gpu_count, r->out);
    return TS_OK;
}

ts_status ts_hpa_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const ts_hpa_config *hc = ts_hpa_settings(p);
    if (hc->has_metric) /* a vLLM metric reads the queue, which only the step loop keeps */
        return ts_simulate_held(in, ws, on_event, ctx, out);
    const int64_t dt = hc->sync_period_s;
    const int behavior = hc->has_behavior;
    const int64_t down_s = behavior ? hc->behavior.scale_down.stabilization_window_s : hc->downscale_stabilization_s;
    const int64_t up_s = behavior ? hc->behavior.scale_up.stabilization_window_s : 0;
    /* the held loop skips a run's syncs once its windows hold one
     * recommendation: worth it when values hold for six windows or more */
    if (!ts_sim_moves(&in->demand, dt, 6.0 * ((double)(down_s > up_s ? down_s : up_s) / (double)dt + 1.0)))
        return ts_simulate_held(in, ws, on_event, ctx, out);
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const double tph = in->tps_eff * 3600.0;
    const int64_t Bd = window_syncs(down_s, dt, behavior), Bu = behavior ? window_syncs(up_s, dt, 1) : 0;
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), p->type->state_size) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK || ts_ws_reserve_scratch(ws, 2 * (size_t)(Bd + Bu) + 1) != TS_OK)
        return TS_ENOMEM; /* scratch + 1: never NULL, so slide_new's offsets are defined */
    p->type->init(ws->state, p, tph);
    ts_hpa_events *up_ev, *down_ev;
    ts_hpa_pool_events(ws->state, &up_ev, &down_ev);
    const reconciler z = {hc, (int32_t)(p->min_instances > 0 ? p->min_instances : 1), (int32_t)p->max_instances,
                          !behavior || down_s > 0, behavior && up_s > 0, up_ev, down_ev};
    const pool_run r = {in, ws, on_event, ctx, out, &cold, &z, Bd, Bu, K, tph};
    /* the loop twice, with behavior a constant in each */
    return behavior ? sync_loop(&r, 1) : sync_loop(&r, 0);
}
