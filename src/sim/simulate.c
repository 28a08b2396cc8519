/*
 * simulate.c — the plain step loop of §5, written once (with and without
 * skipping what a policy holds through), and the dispatch to a policy's
 * kernel; see simulate.h.
 */
#include "sim/simulate.h"
#include "sim/policy_type.h"
#include "sim/act.h"
#include "sim/coldstart.h"
#include "sim/kpis.h"
#include "sim/replicas.h"
#include "sim/workspace.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int64_t ts_sim_steps(const ts_series *D, int64_t interval_s)
{
    int64_t tau = (int64_t)D->tau_s;
    int64_t span = (int64_t)D->n * tau;
    return (span + interval_s - 1) / interval_s;
}

int ts_sim_input_invalid(const ts_sim_input *in)
{
    return in->demand.n == 0 || !(in->tps_eff > 0) || !(in->demand.tau_s >= 1) || !in->policy ||
           !in->policy->type || in->policy->type->interval_s(in->policy) < 1;
}

/* Appends count samples of value to the runs, merging with the last. */
static void add_run(ts_run *runs, size_t *n, double value, int64_t count)
{
    if (*n && runs[*n - 1].value == value) {
        runs[*n - 1].count += count;
    } else {
        runs[*n].value = value;
        runs[*n].count = count;
        ++*n;
    }
}

/* The steps after step k (at t, demand interval di) that observe the same
 * pool, only later: up to the next change of demand value (*run_end, the
 * first interval after the run of D[di], kept across calls) or the next
 * warming group's ready time, within K. */
static int64_t same_pool_steps(const double *D, int64_t n_int, int64_t tau, int64_t dt, int64_t K, int64_t k,
                               int64_t di, const ts_warm_groups *g, int64_t *run_end)
{
    if (di >= *run_end)
        for (*run_end = di + 1; *run_end < n_int && ts_sim_same_value(D[*run_end], D[di]); ++*run_end)
            ;
    int64_t kend = (*run_end * tau + dt - 1) / dt;
    if (g->len && (g->at[g->head] + dt - 1) / dt < kend)
        kend = (g->at[g->head] + dt - 1) / dt;
    if (kend > K)
        kend = K;
    return kend - (k + 1);
}

/* The plain loop of §5, written once. skip (a constant of each caller,
 * so that each gets a loop of its own) selects the loop that skips quiet
 * stretches for a policy with a hold hook: after a step that kept N, the
 * steps up to the next change of demand value or of ready replicas observe
 * the same pool, only later; the policy says how many of them it would
 * also hold through and puts its state where those steps would leave it
 * (the HPA once every recommendation in its windows is the one it
 * repeats, the KPA once both windows hold one value and nothing is timed);
 * the loop then adds their statistics as the plain loop would (the sums
 * one step at a time, in step order, so every bit is the plain loop's) and
 * goes on after them, its utilization samples kept as runs (value, count)
 * for the exact p95. A policy that could not tell is asked again only
 * after 1, 2, 4, ... 64 more such steps, and at once after an action or a
 * skip: asking later never changes a result, it only skips fewer steps.
 * Without skip every step is taken, one sample each, and on_step (when
 * not NULL) sees it. The randomized tests compare the two on every policy
 * that has the hook.
 *
 * Its length is that of a kernel: the loop shares a dozen locals. */
static inline __attribute__((always_inline)) ts_status plain_loop(const ts_sim_input *in, ts_sim_workspace *ws,
                                                                  ts_event_fn on_event, ts_step_fn on_step,
                                                                  void *ctx, ts_kpis *out, const int skip)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const ts_policy_type *sc = p->type;
    const double *D = in->demand.rate;
    const int64_t dt = sc->interval_s(p);
    const int64_t tau = (int64_t)in->demand.tau_s, n_int = (int64_t)in->demand.n;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, skip ? 0 : (size_t)K, ts_cold_start_groups(&cold, dt), sc->state_size ? sc->state_size : 1) !=
            TS_OK ||
        (skip && ts_ws_reserve_runs(ws, (size_t)K) != TS_OK))
        return TS_ENOMEM;
    const double tph = in->tps_eff * 3600.0;
    double *util = ws->util;
    ts_run *runs = ws->runs;
    size_t n_runs = 0;
    ts_warm_groups g = ts_ws_groups(ws);
    sc->init(ws->state, p, tph);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    int64_t run_end = 0;           /* skip: the first interval after the run of the current value */
    double backlog = 0.0;          /* tokens waiting: B += (d - C) dt, at least 0 */
    int64_t wait = 0, backoff = 1; /* skip: steps before the policy is asked again */
    for (int64_t k = 0; k < K; k++) {
        const int64_t t = k * dt;
        const int64_t di = t / tau;
        const double d = D[di];
        /* 1. replicas whose warm-up is over become ready */
        ts_warm_promote(&g, t, &R);
        /* 2. effective capacity */
        const double C = (double)R * tph;
        ts_obs o = ts_sim_observe(in->start_s, t, d, R, N, C);
        o.backlog_tokens = backlog;
        o.latency = in->latency;
        /* 3. utilization statistics */
        double up = 0.0;
        if (C > 0) {
            up = 100.0 * o.util;
            if (skip)
                add_run(runs, &n_runs, up, 1);
            else
                util[acc.n_util] = up;
            acc.n_util++;
            acc.util_sum += up;
        }
        /* 4. SLA violations */
        const double vinc = d > C ? (d - C) * (double)dt / 3600.0 : 0.0;
        if (d > C) {
            acc.violations++;
            acc.unserved += vinc;
        }
        /* 5. replica time (warming replicas are paid for) */
        acc.replica_seconds += N * dt;
        const double grow = (d - C) * (double)dt / 3600.0;
        /* 6. decision */
        ts_decision dec;
        sc->step(ws->state, p, &o, &dec);
        backlog = backlog + grow > 0 ? backlog + grow : 0.0;
        if (!skip && on_step) {
            ts_step st = {(double)t, d, R, N - R, C, o.util_defined, 100.0 * o.util,
                          dec.smoothed_defined, dec.smoothed_util_pct, 0, 0};
            if (g.len) { /* the ring is ordered by ready time */
                st.warming_first_s = g.at[g.head];
                st.warming_last_s = g.at[(g.head + g.len - 1) % g.cap];
            }
            const ts_status seen = on_step(ctx, &st);
            if (seen != TS_OK)
                return seen;
        }
        if (dec.replicas == N) {
            if (!skip || wait-- > 0)
                continue;
            const int64_t max = same_pool_steps(D, n_int, tau, dt, K, k, di, &g, &run_end);
            const int64_t m = max > 0 ? sc->hold(ws->state, p, &o, dt, max) : 0;
            if (max > 0 && m == 0) {
                wait = backoff;
                backoff = backoff < 64 ? 2 * backoff : 64;
            }
            if (m > 0) {
                if (C > 0) {
                    add_run(runs, &n_runs, up, m);
                    acc.n_util += m;
                    for (int64_t j = 0; j < m; j++)
                        acc.util_sum += up;
                }
                if (d > C) {
                    acc.violations += m;
                    for (int64_t j = 0; j < m; j++)
                        acc.unserved += vinc;
                }
                acc.replica_seconds += N * dt * m;
                for (int64_t j = 0; j < m; j++)
                    backlog = backlog + grow > 0 ? backlog + grow : 0.0;
                k += m;
                wait = 0;
                backoff = 1;
            }
            continue;
        }
        wait = 0;
        backoff = 1;
        /* 7. apply the action */
        ts_status acted = ts_sim_act(&acc, &cold, &g, k, t, dt, dec.replicas, &N, &R, d, C, dec.util_defined, dec.util_pct, on_event,
                       ctx);
        if (acted != TS_OK)
            return acted;
    }
    acc.steps = K;
    if (skip)
        ts_kpis_finish_runs(&acc, N, runs, n_runs, dt, in->gpu_count, out);
    else
        ts_kpis_finish(&acc, N, util, dt, in->gpu_count, out);
    if (sc->finish)
        sc->finish(ws->state, p, out);
    return TS_OK;
}

ts_status ts_simulate_reference(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                ts_step_fn on_step, void *ctx, ts_kpis *out)
{
    return plain_loop(in, ws, on_event, on_step, ctx, out, 0);
}

ts_status ts_simulate_held(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                           ts_kpis *out)
{
    if (!in->policy || !in->policy->type->hold)
        return plain_loop(in, ws, on_event, NULL, ctx, out, 0);
    return plain_loop(in, ws, on_event, NULL, ctx, out, 1);
}

ts_status ts_simulate_autoscaler(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                 ts_step_fn on_step, void *ctx, ts_kpis *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    if (in->policy->type->kernel && !on_step)
        return in->policy->type->kernel(in, ws, on_event, ctx, out);
    return ts_simulate_reference(in, ws, on_event, on_step, ctx, out);
}
