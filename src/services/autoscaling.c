/*
 * autoscaling.c — planner and simulator; see autoscaling.h and §4–§5.
 *
 * The simulator keeps replicas as groups: all replicas that are ready form
 * one count R; replicas still warming form groups (ready_at, count) in a ring
 * ordered by ready_at, one group per scale-up. A group joins R at the first
 * step with t >= ready_at; a scale-down takes from the newest group first
 * (latest ready_at), then from R. At most ceil(warmup/Δ) + 1 groups can be
 * warming at once, so the ring is sized once before the loop.
 */
#include "services/autoscaling.h"
#include "analysis/kpis.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ceil(x) as int64, saturating (x >= 0). */
static int64_t ceil_i64(double x)
{
    double c = ceil(x);
    if (!(c < 9.2e18))
        return INT64_MAX;
    return c > 0 ? (int64_t)c : 0;
}

static int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int planner_instances_needed(const ts_series *D, double tps_eff, const ts_policy *p,
                             double *scratch, ts_planner_result *out)
{
    if (!(tps_eff > 0) || D->n == 0)
        return -1;
    double tau = D->tau_s;
    double tokens = 0.0, peak = D->rate[0];
    for (size_t i = 0; i < D->n; i++) {
        tokens += D->rate[i] * tau / 3600.0;
        if (D->rate[i] > peak)
            peak = D->rate[i];
    }
    if (p->has_peak_percentile) {
        memcpy(scratch, D->rate, D->n * sizeof *scratch);
        peak = ts_percentile(scratch, D->n, p->capacity_peak_percentile);
    }
    ts_planner_result r;
    r.avg_tokens_per_hour = tokens / ((double)D->n * tau / 3600.0);
    r.peak_tokens_per_hour = p->peak_factor * peak;
    r.tps = tps_eff;
    r.cap_tokens_per_hour_per_instance = tps_eff * 3600.0 * p->target_utilization_pct / 100.0;
    r.needed = ceil_i64(r.peak_tokens_per_hour / r.cap_tokens_per_hour_per_instance);
    r.instances_needed = clamp_i64(r.needed, p->min_instances, p->max_instances);
    r.capacity_violation = r.needed > p->max_instances;
    *out = r;
    return 0;
}

/* ------------------------------------------------------- threshold policy */

static int64_t threshold_interval(const ts_policy *p)
{
    return p->evaluation_interval_s;
}

static void threshold_init(void *state, const ts_policy *p, double tph)
{
    (void)tph;
    ts_threshold_state *s = state;
    memset(s, 0, sizeof *s);
    s->alpha = p->stabilization_window_s == 0
                   ? 1.0
                   : 1.0 - exp(-(double)p->evaluation_interval_s / (double)p->stabilization_window_s);
}

static void threshold_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    ts_threshold_state *s = state;
    /* step 3: smoothing */
    if (o->util_defined) {
        s->e = s->has_e ? s->e + s->alpha * (o->util - s->e) : o->util;
        s->has_e = 1;
    }
    int64_t N = o->provisioned, R = o->ready;
    out->replicas = N;
    out->util_defined = s->has_e;
    out->util_pct = 100.0 * s->e;
    out->smoothed_defined = s->has_e;
    out->smoothed_util_pct = 100.0 * s->e;
    /* step 6: decision */
    if (s->has_last && o->t_s - s->t_last < (double)p->cooldown_s)
        return;
    if (!(o->capacity > 0)) {
        if (o->demand > 0 && N - R == 0 && N < p->max_instances) {
            out->replicas = N + p->scale_up_step < p->max_instances ? N + p->scale_up_step : p->max_instances;
            out->util_defined = 0;
        }
    } else if (100.0 * s->e > p->scale_up_threshold_pct && N < p->max_instances) {
        out->replicas = N + p->scale_up_step < p->max_instances ? N + p->scale_up_step : p->max_instances;
    } else if (100.0 * s->e < p->scale_down_threshold_pct && N > p->min_instances) {
        int64_t smax = p->scale_down_step < N - p->min_instances ? p->scale_down_step : N - p->min_instances;
        for (int64_t sd = smax; sd >= 1; sd--) {
            int64_t R2 = R < N - sd ? R : N - sd;
            double proj;
            if (R2 > 0)
                proj = s->e * (double)R / (double)R2;
            else if (s->e == 0.0 && o->demand == 0.0)
                proj = 0.0;
            else
                proj = INFINITY;
            if (100.0 * proj <= p->scale_up_threshold_pct) {
                out->replicas = N - sd;
                break;
            }
        }
    }
    if (out->replicas != N) {
        s->has_last = 1;
        s->t_last = o->t_s;
    }
}

const ts_scaler_type ts_scaler_threshold = {
    "threshold",
    sizeof(ts_threshold_state),
    threshold_interval,
    threshold_init,
    threshold_step,
};

/* -------------------------------------------------------------- simulator */

/* Warming replicas as groups (ready_at, count) in a ring ordered by
 * ready_at; both step loops share these three operations. */
typedef struct warm_groups {
    int64_t *at, *n;
    size_t cap, head, len;
} warm_groups;

/* Replicas whose warm-up is over at t join the ready count *R. */
static void groups_promote(warm_groups *g, int64_t t, int64_t *R)
{
    while (g->len && g->at[g->head] <= t) {
        *R += g->n[g->head];
        g->head = (g->head + 1) % g->cap;
        g->len--;
    }
}

static void groups_add(warm_groups *g, int64_t ready_at, int64_t count)
{
    size_t slot = (g->head + g->len) % g->cap;
    g->at[slot] = ready_at;
    g->n[slot] = count;
    g->len++;
}

/* Removes count replicas: the latest warming ones first, then ready ones. */
static void groups_remove(warm_groups *g, int64_t count, int64_t *R)
{
    while (count && g->len) {
        size_t last = (g->head + g->len - 1) % g->cap;
        int64_t take = g->n[last] < count ? g->n[last] : count;
        g->n[last] -= take;
        count -= take;
        if (g->n[last] == 0)
            g->len--;
    }
    *R -= count;
}

struct ts_sim_workspace {
    double *util;
    size_t util_cap;
    ts_run *runs;
    size_t runs_cap;
    int64_t *g_at;      /* ready_at of warming groups (ring) */
    int64_t *g_n;       /* replicas in each group */
    size_t g_cap;
    void *state;
    size_t state_cap;
};

ts_sim_workspace *ts_sim_workspace_new(void)
{
    return calloc(1, sizeof(ts_sim_workspace));
}

void ts_sim_workspace_free(ts_sim_workspace *ws)
{
    if (!ws)
        return;
    free(ws->util);
    free(ws->runs);
    free(ws->g_at);
    free(ws->g_n);
    free(ws->state);
    free(ws);
}

static int ws_reserve_runs(ts_sim_workspace *ws, size_t steps)
{
    if (steps > ws->runs_cap) {
        ts_run *r = realloc(ws->runs, steps * sizeof *r);
        if (!r)
            return -1;
        ws->runs = r;
        ws->runs_cap = steps;
    }
    return 0;
}

static int ws_reserve(ts_sim_workspace *ws, size_t steps, size_t groups, size_t state)
{
    if (steps > ws->util_cap) {
        double *u = realloc(ws->util, steps * sizeof *u);
        if (!u)
            return -1;
        ws->util = u;
        ws->util_cap = steps;
    }
    if (groups > ws->g_cap) {
        int64_t *a = realloc(ws->g_at, groups * sizeof *a);
        if (!a)
            return -1;
        ws->g_at = a;
        int64_t *n = realloc(ws->g_n, groups * sizeof *n);
        if (!n)
            return -1;
        ws->g_n = n;
        ws->g_cap = groups;
    }
    if (state > ws->state_cap) {
        void *s = realloc(ws->state, state);
        if (!s)
            return -1;
        ws->state = s;
        ws->state_cap = state;
    }
    return 0;
}

int64_t ts_sim_steps(const ts_series *D, int64_t interval_s)
{
    int64_t tau = (int64_t)D->tau_s;
    int64_t span = (int64_t)D->n * tau;
    return (span + interval_s - 1) / interval_s;
}

int64_t ts_sim_initial_replicas(double d0, double tph, const ts_policy *p, int has_initial,
                                int64_t initial)
{
    int64_t n = has_initial ? initial : ceil_i64(d0 / (tph * p->target_utilization_pct / 100.0));
    return clamp_i64(n, p->min_instances, p->max_instances);
}

int ts_simulate_reference(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                          ts_step_fn on_step, void *ctx, ts_kpis *out)
{
    const ts_policy *p = in->policy;
    const ts_scaler_type *sc = in->scaler ? in->scaler : &ts_scaler_threshold;
    const double *D = in->demand.rate;
    if (in->demand.n == 0 || !(in->tps_eff > 0) || !(in->demand.tau_s >= 1))
        return -2;
    const int64_t dt = sc->interval_s(p);
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const size_t groups = (size_t)((p->warmup_s + dt - 1) / dt) + 2;
    if (ws_reserve(ws, (size_t)K, groups, sc->state_size ? sc->state_size : 1) != 0)
        return -2;
    const double tph = in->tps_eff * 3600.0;
    double *util = ws->util;
    warm_groups g = {ws->g_at, ws->g_n, ws->g_cap, 0, 0};

    sc->init(ws->state, p, tph);
    int64_t R = ts_sim_initial_replicas(D[0], tph, p, in->has_initial_replicas, in->initial_replicas);
    int64_t N = R;
    ts_kpi_acc acc;
    memset(&acc, 0, sizeof acc);
    acc.max_replicas = N;

    for (int64_t k = 0; k < K; k++) {
        const int64_t t = k * dt;
        const double d = D[t / tau];
        /* 1. replicas whose warm-up is over become ready */
        groups_promote(&g, t, &R);
        /* 2. effective capacity */
        const double C = (double)R * tph;
        ts_obs o;
        o.t_s = (double)t;
        o.demand = d;
        o.ready = R;
        o.provisioned = N;
        o.capacity = C;
        o.util_defined = C > 0;
        o.util = 0.0;
        /* 3. utilization statistics */
        if (C > 0) {
            o.util = d / C;
            const double up = 100.0 * o.util;
            util[acc.n_util++] = up;
            acc.util_sum += up;
        }
        /* 4. SLA violations */
        if (d > C) {
            acc.violations++;
            acc.unserved += (d - C) * (double)dt / 3600.0;
        }
        /* 5. replica time (warming replicas are paid for) */
        acc.replica_seconds += N * dt;
        /* 6. decision */
        ts_decision dec;
        sc->step(ws->state, p, &o, &dec);
        if (on_step) {
            ts_step st = {(double)t, d, R, N - R, C, o.util_defined, 100.0 * o.util,
                          dec.smoothed_defined, dec.smoothed_util_pct};
            if (on_step(ctx, &st))
                return -1;
        }
        if (dec.replicas == N)
            continue;
        /* 7. apply the action */
        const int64_t prev = N;
        if (dec.replicas > N)
            groups_add(&g, t + p->warmup_s, dec.replicas - N);
        else
            groups_remove(&g, N - dec.replicas, &R);
        N = dec.replicas;
        if (N > acc.max_replicas)
            acc.max_replicas = N;
        acc.events++;
        if (on_event) {
            ts_event ev = {(double)t, d, C, prev, N, N > prev ? TS_SCALE_UP : TS_SCALE_DOWN,
                           dec.util_defined, dec.util_pct};
            if (on_event(ctx, &ev))
                return -1;
        }
    }
    acc.steps = K;
    ts_kpis_finish(&acc, util, dt, in->gpu_count, out);
    return 0;
}

/* ------------------------------------------------ the threshold fast path */

/*
 * The threshold policy of §5 computed segment by segment. A segment is a run
 * of steps with the same demand interval, the same ready and provisioned
 * replicas and no action inside it (an action ends it). In a segment C, u,
 * 100*u and the unserved increment are computed once; per step only what
 * depends on the step remains: the smoothed utilization e, the running sums
 * (added one by one, in step order, so every bit matches the plain loop) and
 * the decision once the cooldown has passed. Utilization samples are kept as
 * runs (value, count) and the p95 is selected from them exactly. The plain
 * loop (ts_simulate_reference) is the specification; tests compare the two
 * on randomized inputs.
 */
static int simulate_threshold_fast(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                   void *ctx, ts_kpis *out)
{
    const ts_policy *p = in->policy;
    const double *D = in->demand.rate;
    const int64_t dt = p->evaluation_interval_s;
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const size_t groups = (size_t)((p->warmup_s + dt - 1) / dt) + 2;
    if (ws_reserve(ws, 0, groups, 1) != 0 || ws_reserve_runs(ws, (size_t)K) != 0)
        return -2;
    const double tph = in->tps_eff * 3600.0;
    const double alpha = p->stabilization_window_s == 0
                             ? 1.0
                             : 1.0 - exp(-(double)p->evaluation_interval_s / (double)p->stabilization_window_s);
    const double up_th = p->scale_up_threshold_pct, down_th = p->scale_down_threshold_pct;
    const int64_t cooldown = p->cooldown_s, max = p->max_instances, min = p->min_instances;
    ts_run *runs = ws->runs;
    size_t n_runs = 0;
    warm_groups g = {ws->g_at, ws->g_n, ws->g_cap, 0, 0};

    int64_t R = ts_sim_initial_replicas(D[0], tph, p, in->has_initial_replicas, in->initial_replicas);
    int64_t N = R;
    double e = 0.0;
    int has_e = 0, has_last = 0;
    int64_t t_last = 0;
    ts_kpi_acc acc;
    memset(&acc, 0, sizeof acc);
    acc.max_replicas = N;
    double util_sum = 0.0, unserved = 0.0;

    int64_t k = 0;
    while (k < K) {
        const int64_t t = k * dt;
        groups_promote(&g, t, &R);
        const int64_t di = t / tau;
        const double d = D[di];
        /* the segment ends before the next demand interval or the next
         * group's ready time, whichever comes first */
        int64_t kend = ((di + 1) * tau + dt - 1) / dt;
        if (kend > K)
            kend = K;
        if (g.len) {
            int64_t ka = (g.at[g.head] + dt - 1) / dt;
            if (ka < kend)
                kend = ka;
        }
        /* first step at which the cooldown allows a decision */
        int64_t kfree = has_last ? (t_last + cooldown + dt - 1) / dt : 0;
        const double C = (double)R * tph;
        const int viol = d > C;
        const double vinc = viol ? (d - C) * (double)dt / 3600.0 : 0.0;
        int64_t kk = k;
        int64_t target = N;
        int util_defined = 0;
        if (C > 0) {
            const double u = d / C, upct = 100.0 * u;
            /* steps the cooldown blocks: statistics only */
            int64_t kb = kfree < kend ? kfree : kend;
            if (viol) {
                for (; kk < kb; kk++) {
                    util_sum += upct;
                    e = has_e ? e + alpha * (u - e) : u;
                    has_e = 1;
                    unserved += vinc;
                }
            } else {
                for (; kk < kb; kk++) {
                    util_sum += upct;
                    e = has_e ? e + alpha * (u - e) : u;
                    has_e = 1;
                }
            }
            /* steps with decisions */
            for (; kk < kend; kk++) {
                util_sum += upct;
                e = has_e ? e + alpha * (u - e) : u;
                has_e = 1;
                if (viol)
                    unserved += vinc;
                const double e100 = 100.0 * e;
                if (e100 > up_th && N < max) {
                    target = N + p->scale_up_step < max ? N + p->scale_up_step : max;
                    break;
                }
                if (e100 < down_th && N > min) {
                    int64_t smax = p->scale_down_step < N - min ? p->scale_down_step : N - min;
                    for (int64_t sd = smax; sd >= 1; sd--) {
                        int64_t R2 = R < N - sd ? R : N - sd;
                        double proj;
                        if (R2 > 0)
                            proj = e * (double)R / (double)R2;
                        else if (e == 0.0 && d == 0.0)
                            proj = 0.0;
                        else
                            proj = INFINITY;
                        if (100.0 * proj <= up_th) {
                            target = N - sd;
                            break;
                        }
                    }
                    if (target != N)
                        break;
                }
            }
            int64_t m = (kk < kend ? kk + 1 : kend) - k;
            if (n_runs && runs[n_runs - 1].value == upct)
                runs[n_runs - 1].count += m;
            else {
                runs[n_runs].value = upct;
                runs[n_runs].count = m;
                n_runs++;
            }
            acc.n_util += m;
            util_defined = 1;
        } else {
            /* no ready capacity: e holds, nothing joins the statistics; the
             * only possible action is the scale-up from zero */
            int can_up = d > 0 && N - R == 0 && N < max;
            if (can_up && kfree < kend) {
                if (kfree > kk)
                    kk = kfree;
                target = N + p->scale_up_step < max ? N + p->scale_up_step : max;
            } else {
                kk = kend;
            }
            if (viol)
                for (int64_t j = k; j < (kk < kend ? kk + 1 : kend); j++)
                    unserved += vinc;
        }
        const int64_t m = (kk < kend ? kk + 1 : kend) - k;
        if (viol)
            acc.violations += m;
        acc.replica_seconds += N * dt * m;
        k += m;
        if (target == N)
            continue;
        /* the action at step kk */
        const int64_t ta = kk * dt;
        const int64_t prev = N;
        if (target > N)
            groups_add(&g, ta + p->warmup_s, target - N);
        else
            groups_remove(&g, N - target, &R);
        N = target;
        if (N > acc.max_replicas)
            acc.max_replicas = N;
        acc.events++;
        has_last = 1;
        t_last = ta;
        if (on_event) {
            ts_event ev = {(double)ta, d, C, prev, N, N > prev ? TS_SCALE_UP : TS_SCALE_DOWN, util_defined,
                           100.0 * e};
            if (on_event(ctx, &ev))
                return -1;
        }
    }
    acc.steps = K;
    acc.util_sum = util_sum;
    acc.unserved = unserved;
    ts_kpis_finish_runs(&acc, runs, n_runs, dt, in->gpu_count, out);
    return 0;
}

int simulate_autoscaler(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                        ts_step_fn on_step, void *ctx, ts_kpis *out)
{
    const ts_scaler_type *sc = in->scaler ? in->scaler : &ts_scaler_threshold;
    if (in->demand.n == 0 || !(in->tps_eff > 0) || !(in->demand.tau_s >= 1))
        return -2;
    if (sc == &ts_scaler_threshold && !on_step)
        return simulate_threshold_fast(in, ws, on_event, ctx, out);
    return ts_simulate_reference(in, ws, on_event, on_step, ctx, out);
}
