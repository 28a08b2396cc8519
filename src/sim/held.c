/*
 * held.c — the plain loop of §5 that skips quiet stretches, for policies
 * with a hold hook (ts_policy_type.hold); see simulate.h.
 *
 * After a step that kept N, the steps up to the next change of demand
 * value or of ready replicas observe the same pool, only later. The policy
 * says how many of them it would also hold through and puts its state
 * where those steps would leave it (the HPA once every recommendation in
 * its windows is the one it repeats, the KPA once both windows hold one
 * value and nothing is timed); the loop then adds their statistics as the
 * plain loop would (the sums one step at a time, in step order, so every
 * bit is the plain loop's) and goes on after them. Utilization samples are
 * kept as runs (value, count) for the exact p95. A policy that could not
 * tell is asked again only after 1, 2, 4, ... 64 more such steps, and at
 * once after an action or a skip: asking later never changes a result,
 * it only skips fewer steps. The randomized tests compare this loop
 * with ts_simulate_reference on every policy that has the hook.
 *
 * Its length is that of a kernel: the loop shares a dozen locals.
 */
#include "sim/act.h"
#include "sim/policy_type.h"
#include "sim/coldstart.h"
#include "sim/kpis.h"
#include "sim/simulate.h"
#include "sim/workspace.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

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

ts_status ts_simulate_held(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                           ts_kpis *out)
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
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), sc->state_size ? sc->state_size : 1) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK)
        return TS_ENOMEM;
    const double tph = in->tps_eff * 3600.0;
    ts_run *runs = ws->runs;
    size_t n_runs = 0;
    ts_warm_groups g = ts_ws_groups(ws);
    sc->init(ws->state, p, tph);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    int64_t run_end = 0;           /* the first interval after the run of the current value */
    int64_t wait = 0, backoff = 1; /* steps before the policy is asked again */
    for (int64_t k = 0; k < K; k++) {
        const int64_t t = k * dt;
        const int64_t di = t / tau;
        const double d = D[di];
        ts_warm_promote(&g, t, &R);
        const double C = (double)R * tph;
        const ts_obs o = ts_sim_observe(t, d, R, N, C);
        double up = 0.0;
        if (C > 0) {
            up = 100.0 * o.util;
            add_run(runs, &n_runs, up, 1);
            acc.n_util++;
            acc.util_sum += up;
        }
        const double vinc = d > C ? (d - C) * (double)dt / 3600.0 : 0.0;
        if (d > C) {
            acc.violations++;
            acc.unserved += vinc;
        }
        acc.replica_seconds += N * dt;
        ts_decision dec;
        sc->step(ws->state, p, &o, &dec);
        if (dec.replicas == N) {
            if (wait-- > 0)
                continue;
            /* the steps after this one that observe the same pool */
            if (di >= run_end)
                for (run_end = di + 1; run_end < n_int && ts_sim_same_value(D[run_end], d); run_end++)
                    ;
            int64_t kend = (run_end * tau + dt - 1) / dt;
            if (g.len && (g.at[g.head] + dt - 1) / dt < kend)
                kend = (g.at[g.head] + dt - 1) / dt;
            if (kend > K)
                kend = K;
            int64_t max = kend - (k + 1), m = 0;
            if (max > 0)
                m = sc->hold(ws->state, p, &o, dt, max);
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
                k += m;
            }
            if (m > 0)
                wait = 0, backoff = 1;
            continue;
        }
        wait = 0;
        backoff = 1;
        if (ts_sim_act(&acc, &cold, &g, k, t, dt, dec.replicas, &N, &R, d, C, dec.util_defined, dec.util_pct, on_event,
                       ctx) != 0)
            return TS_ERUNTIME;
    }
    acc.steps = K;
    ts_kpis_finish_runs(&acc, N, runs, n_runs, dt, in->gpu_count, out);
    if (sc->finish)
        sc->finish(ws->state, p, out);
    return TS_OK;
}
