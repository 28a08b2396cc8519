/*
 * threshold_fast.c — the threshold policy's kernel (ts_threshold_kernel):
 * §5 computed segment by segment.
 *
 * A segment is a run of steps with the same demand value (consecutive
 * intervals of one value count as one: a minute series that holds still
 * for an hour is one run, not sixty), the same ready and provisioned
 * replicas and no action inside it (an action ends it). In
 * a segment C, u, 100*u and the unserved increment are computed once; per
 * step only what depends on the step remains: the smoothed utilization e,
 * the running sums (added one by one, in step order, so every bit matches
 * the plain loop) and the decision once the cooldown has passed (the same
 * inline ts_threshold_decide the policy's step calls). Utilization samples
 * are kept as runs (value, count) and the p95 is selected from them exactly.
 * The plain loop (ts_simulate_reference) is the specification; tests compare
 * the two on randomized inputs.
 *
 * Its length (one loop with three phases per segment) is that of a kernel:
 * splitting it would pass a dozen locals by pointer through the hot loop.
 */
#include "policy/threshold.h"
#include "sim/kernel.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* A segment costs about as much as six plain steps: when the value runs
 * are shorter than two steps on average (minute data that moves every
 * minute) the plain loop, which gives the same bits, is faster. */
#define DENSE_BELOW_STEPS 2.0

/* The plain loop of §5 for the threshold policy, for demand whose value
 * changes at nearly every step: ts_simulate_reference's operations in its
 * order (so the same bits), with the policy's step inlined, the demand
 * interval followed without a division and the warming groups looked at
 * only when one is due. One utilization sample per step, as there. */
static ts_status dense(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx, ts_kpis *out)
{
    const ts_policy *p = in->policy;
    const double *D = in->demand.rate;
    const ts_threshold_config *c = ts_threshold_settings(p);
    const int64_t dt = c->evaluation_interval_s;
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, (size_t)K, ts_cold_start_groups(&cold, dt), 1) != TS_OK)
        return TS_ENOMEM;
    const double tph = in->tps_eff * 3600.0;
    const double alpha = ts_threshold_alpha(c);
    const double up_pct = c->scale_up_threshold_pct, down_pct = c->scale_down_threshold_pct;
    double *util = ws->util;
    ts_warm_groups g = ts_ws_groups(ws);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    double e = 0.0, util_sum = 0.0, unserved = 0.0;
    int has_e = 0;
    int64_t n_util = 0, violations = 0, replica_seconds = 0;
    int64_t t_free = INT64_MIN;          /* the cooldown allows a decision from t_free on */
    int64_t due = g.len ? g.at[g.head] : INT64_MAX; /* the next warming group's ready time */
    int64_t di = 0, t_next = tau;        /* the demand interval of t, and where the next starts */
    int64_t k = 0, t = 0;
    while (k < K) {
        /* the steps up to the next action: no call inside, so the sums
         * and the smoothed utilization stay in registers */
        int64_t target = 0;
        int util_defined = 0;
        double d = 0, C = 0;
        for (; k < K; k++, t += dt) {
            if (t >= t_next) {
                if (t < t_next + tau) {
                    di++;
                    t_next += tau;
                } else {
                    di = t / tau;
                    t_next = (di + 1) * tau;
                }
            }
            d = D[di];
            if (t >= due) {
                ts_warm_promote(&g, t, &R);
                due = g.len ? g.at[g.head] : INT64_MAX;
            }
            C = (double)R * tph;
            if (C > 0) {
                const double u = d / C, up = 100.0 * u;
                util[n_util++] = up;
                util_sum += up;
                e = ts_threshold_smooth(e, has_e, alpha, u);
                has_e = 1;
            }
            if (d > C) {
                violations++;
                unserved += (d - C) * (double)dt / 3600.0;
            }
            replica_seconds += N * dt;
            if (t < t_free)
                continue;
            target = N;
            util_defined = has_e;
            if (!(C > 0)) {
                if (ts_threshold_can_start(d, N, R, p)) {
                    target = ts_threshold_up(N, p, c);
                    util_defined = 0;
                }
            } else if (100.0 * e > up_pct || 100.0 * e < down_pct) {
                target = ts_threshold_decide(e, N, R, d, p, c);
            }
            if (target != N)
                break;
        }
        if (k >= K)
            break;
        /* the action at step k */
        ts_status acted = ts_sim_act(&acc, &cold, &g, k, t, dt, target, &N, &R, d, C, util_defined, 100.0 * e, on_event, ctx);
        if (acted != TS_OK)
            return acted;
        due = g.len ? g.at[g.head] : INT64_MAX;
        t_free = t + c->cooldown_s;
        k++;
        t += dt;
    }
    acc.steps = K;
    acc.n_util = n_util;
    acc.util_sum = util_sum;
    acc.unserved = unserved;
    acc.violations = violations;
    acc.replica_seconds = replica_seconds;
    ts_kpis_finish(&acc, N, util, dt, in->gpu_count, out);
    return TS_OK;
}

ts_status ts_threshold_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                              ts_kpis *out)
{
    const ts_policy *p = in->policy;
    const ts_threshold_config *c = ts_threshold_settings(p);
    const double *D = in->demand.rate;
    const int64_t dt = c->evaluation_interval_s;
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    if (ts_sim_moves(&in->demand, dt, DENSE_BELOW_STEPS))
        return dense(in, ws, on_event, ctx, out);
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), 1) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK)
        return TS_ENOMEM;
    const double tph = in->tps_eff * 3600.0;
    const double alpha = ts_threshold_alpha(c);
    const int64_t cooldown = c->cooldown_s;
    ts_run *runs = ws->runs;
    size_t n_runs = 0;
    ts_warm_groups g = ts_ws_groups(ws);

    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    double e = 0.0;
    int has_e = 0, has_last = 0;
    int64_t t_last = 0;
    double util_sum = 0.0, unserved = 0.0;

    int64_t k = 0;
    int64_t run_end = 0; /* the first interval after the current value's run */
    const int64_t n_int = (int64_t)in->demand.n;
    while (k < K) {
        const int64_t t = k * dt;
        ts_warm_promote(&g, t, &R);
        const int64_t di = t / tau;
        const double d = D[di];
        if (di >= run_end) /* found once per run: O(intervals) in all */
            for (run_end = di + 1; run_end < n_int && ts_sim_same_value(D[run_end], d); run_end++)
                ;
        /* the segment ends before the next demand value or the next group's
         * ready time, whichever comes first */
        int64_t kend = (run_end * tau + dt - 1) / dt;
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
                    e = ts_threshold_smooth(e, has_e, alpha, u);
                    has_e = 1;
                    unserved += vinc;
                }
            } else {
                for (; kk < kb; kk++) {
                    util_sum += upct;
                    e = ts_threshold_smooth(e, has_e, alpha, u);
                    has_e = 1;
                }
            }
            /* steps with decisions */
            for (; kk < kend; kk++) {
                util_sum += upct;
                e = ts_threshold_smooth(e, has_e, alpha, u);
                has_e = 1;
                if (viol)
                    unserved += vinc;
                target = ts_threshold_decide(e, N, R, d, p, c);
                if (target != N)
                    break;
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
            if (ts_threshold_can_start(d, N, R, p) && kfree < kend) {
                if (kfree > kk)
                    kk = kfree;
                target = ts_threshold_up(N, p, c);
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
        ts_status acted = ts_sim_act(&acc, &cold, &g, kk, ta, dt, target, &N, &R, d, C, util_defined, 100.0 * e, on_event, ctx);
        if (acted != TS_OK)
            return acted;
        has_last = 1;
        t_last = ta;
    }
    acc.steps = K;
    acc.util_sum = util_sum;
    acc.unserved = unserved;
    ts_kpis_finish_runs(&acc, N, runs, n_runs, dt, in->gpu_count, out);
    return TS_OK;
}
