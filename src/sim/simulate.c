/*
 * simulate.c — the plain step loop of §5 and the dispatch to a policy's
 * kernel; see simulate.h.
 */
#include "sim/simulate.h"
#include "sim/policy_type.h"
#include "sim/act.h"
#include "sim/coldstart.h"
#include "sim/kpis.h"
#include "sim/replicas.h"
#include "sim/workspace.h"

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

ts_status ts_simulate_reference(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                ts_step_fn on_step, void *ctx, ts_kpis *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const ts_policy_type *sc = p->type;
    const double *D = in->demand.rate;
    const int64_t dt = sc->interval_s(p);
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, (size_t)K, ts_cold_start_groups(&cold, dt), sc->state_size ? sc->state_size : 1) != TS_OK)
        return TS_ENOMEM;
    const double tph = in->tps_eff * 3600.0;
    double *util = ws->util;
    ts_warm_groups g = ts_ws_groups(ws);

    sc->init(ws->state, p, tph);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;

    for (int64_t k = 0; k < K; k++) {
        const int64_t t = k * dt;
        const double d = D[t / tau];
        /* 1. replicas whose warm-up is over become ready */
        ts_warm_promote(&g, t, &R);
        /* 2. effective capacity */
        const double C = (double)R * tph;
        const ts_obs o = ts_sim_observe(t, d, R, N, C);
        /* 3. utilization statistics */
        if (C > 0) {
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
                          dec.smoothed_defined, dec.smoothed_util_pct, 0, 0};
            if (g.len) { /* the ring is ordered by ready time */
                st.warming_first_s = g.at[g.head];
                st.warming_last_s = g.at[(g.head + g.len - 1) % g.cap];
            }
            if (on_step(ctx, &st))
                return TS_ERUNTIME;
        }
        if (dec.replicas == N)
            continue;
        /* 7. apply the action */
        if (ts_sim_act(&acc, &cold, &g, k, t, dt, dec.replicas, &N, &R, d, C, dec.util_defined, dec.util_pct, on_event,
                       ctx) != 0)
            return TS_ERUNTIME;
    }
    acc.steps = K;
    ts_kpis_finish(&acc, N, util, dt, in->gpu_count, out);
    if (sc->finish)
        sc->finish(ws->state, p, out);
    return TS_OK;
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
