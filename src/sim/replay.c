/*
 * replay.c — a pool's steps rebuilt from its events (ts_simulate_replay in
 * tapscale.h). Between two changes — a new demand interval, a warming group
 * becoming ready, an action — every quantity of a step stays the same, so
 * the replay walks spans, not steps: its cost is the number of changes, not
 * of steps. The replica bookkeeping is the simulator's own (replicas.h), so
 * the spans are the steps the simulator saw, bit for bit.
 */
#include "sim/simulate.h"
#include "sim/policy_type.h"
#include "sim/act.h"
#include "sim/replicas.h"
#include "sim/coldstart.h"
#include "util/alloc.h"

#include <stdlib.h>

/* The first step k > k0 at which the demand interval changes. */
static int64_t next_interval(int64_t k0, int64_t dt, int64_t tau)
{
    int64_t idx = k0 * dt / tau;
    return ((idx + 1) * tau + dt - 1) / dt;
}

/* The step at which an event happened, or TS_NOT_FOUND when its time is not a step
 * of the grid. */
static int64_t event_step(const ts_event *e, int64_t dt, int64_t K)
{
    double k = e->t_s / (double)dt;
    int64_t ki = (int64_t)k;
    return (k >= 0 && k < (double)K && (double)ki == k) ? ki : TS_NOT_FOUND;
}

/* Applies the action of event e to the replicas. Returns TS_OK, or
 * TS_EINPUT when the event does not follow from the state (not this
 * pool's events). */
static ts_status apply(ts_warm_groups *g, ts_cold_start *cold, const ts_event *e, int64_t t, int64_t dt, int64_t *R,
                 int64_t *N)
{
    if (e->replicas_prev != *N || e->replicas_new < 0 || e->replicas_new == *N)
        return TS_EINPUT;
    int64_t first, last;
    if (e->replicas_new > *N)
        ts_cold_start_add(cold, g, t, dt, e->replicas_new - *N, &first, &last);
    else
        ts_warm_remove(g, *N - e->replicas_new, R);
    *N = e->replicas_new;
    return TS_OK;
}

ts_status ts_simulate_replay(const ts_sim_input *in, const ts_event *ev, size_t n, ts_span_fn on_span, void *ctx)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const int64_t dt = p->type->interval_s(p);
    const int64_t tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const double tph = in->tps_eff * 3600.0;
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    ts_warm_groups g = {NULL, NULL, ts_cold_start_groups(&cold, dt), 0, 0};
    g.at = ts_malloc(g.cap * sizeof *g.at);
    g.n = ts_malloc(g.cap * sizeof *g.n);
    ts_status st = (g.at && g.n) ? TS_OK : TS_ENOMEM;
    int64_t R = ts_sim_initial_replicas(in->demand.rate[0], tph, p, in->has_initial_replicas, in->initial_replicas);
    int64_t N = R;
    size_t e = 0;
    for (int64_t k = 0; k < K && st == TS_OK;) {
        ts_warm_promote(&g, k * dt, &R);
        const double d = in->demand.rate[k * dt / tau];
        int64_t k1 = next_interval(k, dt, tau);
        while (k1 < K && in->demand.rate[k1 * dt / tau] == d)
            k1 = next_interval(k1, dt, tau);
        if (g.len) {
            int64_t kw = (g.at[g.head] + dt - 1) / dt; /* the first step with t >= ready_at */
            if (kw < k1)
                k1 = kw;
        }
        int64_t ke = -1;
        if (e < n) {
            ke = event_step(&ev[e], dt, K);
            if (ke < k) {
                st = TS_EINPUT;
                break;
            }
            if (ke + 1 < k1)
                k1 = ke + 1;
        }
        if (k1 > K)
            k1 = K;
        ts_span s = {k, k1, d, R, N, (double)R * tph};
        if ((st = on_span(ctx, &s)) != TS_OK)
            break;
        if (ke == k1 - 1 && apply(&g, &cold, &ev[e++], ke * dt, dt, &R, &N) != TS_OK)
            st = TS_EINPUT;
        k = k1;
    }
    if (st == TS_OK && e != n)
        st = TS_EINPUT;
    free(g.at);
    free(g.n);
    return st;
}
