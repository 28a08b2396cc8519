/*
 * act.h — what every step loop of §5 does around its policy, written once:
 * the pool at t = 0 and an action applied (step 7). The plain loop, the
 * held loop and the threshold kernels call these; header-only so that the
 * loops inline them.
 */
#ifndef TS_SIM_ACT_H
#define TS_SIM_ACT_H

#include "tapscale.h"
#include "sim/policy_type.h"
#include "sim/coldstart.h"
#include "sim/kpis.h"
#include "sim/replicas.h"
#include "sim/workspace.h"
#include "util/intmath.h"

#include <math.h>
#include <string.h>

/* Instances at the start of a pool (§5): ceil(d0 / (tph*target/100))
 * clamped to [min, max], or the explicit count clamped the same way. */
static inline int64_t ts_sim_initial_replicas(double d0, double tph, const ts_policy *p, int has_initial,
                                              int64_t initial)
{
    int64_t n = has_initial ? initial : ts_ceil_i64(d0 / (tph * p->target_utilization_pct / 100.0));
    return ts_clamp_i64(n, p->min_instances, p->max_instances);
}

/* The pool at t = 0 at tph tokens/hour per replica: *R ready and *N
 * provisioned replicas (§5's initial count), empty accumulators with room
 * for the runs of N over K steps. Returns TS_OK or TS_ENOMEM. */
static inline ts_status ts_sim_begin(const ts_sim_input *in, ts_sim_workspace *ws, double tph, int64_t K, int64_t *R,
                                     int64_t *N, ts_kpi_acc *acc)
{
    *R = ts_sim_initial_replicas(in->demand.rate[0], tph, in->policy, in->has_initial_replicas, in->initial_replicas);
    *N = *R;
    memset(acc, 0, sizeof *acc);
    acc->max_replicas = *N;
    return ts_ws_reserve_replica_runs(ws, (size_t)K, acc);
}

/* What a policy observes at step time t of a run from unix time start
 * (§5 steps 1-2 done): demand d,
 * R ready and N provisioned replicas, capacity C, and u = d/C when C > 0. */
static inline ts_obs ts_sim_observe(int64_t start, int64_t t, double d, int64_t R, int64_t N, double C)
{
    ts_obs o;
    o.t_s = (double)t;
    o.clock_s = start + t;
    o.demand = d;
    o.ready = R;
    o.provisioned = N;
    o.capacity = C;
    o.util_defined = C > 0;
    o.util = C > 0 ? d / C : 0.0;
    o.backlog_tokens = 0.0;
    o.latency = NULL;
    return o;
}

/* Whether two demand values are the same double, sign of zero included
 * (everything computed from them is then the same bits). */
static inline int ts_sim_same_value(double a, double b)
{
    return a == b && signbit(a) == signbit(b);
}

/* Whether the demand's values hold, on average, for fewer than steps
 * steps of dt s (a run: consecutive intervals of one value). The kernels
 * look at the demand once, this way, to choose their loop. */
static inline int ts_sim_moves(const ts_series *demand, int64_t dt, double steps)
{
    const double *D = demand->rate;
    int64_t runs = 1;
    for (size_t i = 1; i < demand->n; i++)
        runs += !ts_sim_same_value(D[i], D[i - 1]);
    return (double)demand->n * demand->tau_s / (double)dt < steps * (double)runs;
}

/* §5 step 7 at step k (time t, demand d, capacity C): N becomes target
 * (!= *N). The run of the old N closes; new replicas start their cold
 * start, or the latest-ready replicas go first; on_event, when given,
 * hears of it with the decision's utilization. Returns TS_OK, or what
 * on_event returned to stop the run. */
static inline ts_status ts_sim_act(ts_kpi_acc *acc, ts_cold_start *cold, ts_warm_groups *g, int64_t k, int64_t t,
                             int64_t dt, int64_t target, int64_t *N, int64_t *R, double d, double C, int util_defined,
                             double util_pct, ts_event_fn on_event, void *ctx)
{
    const int64_t prev = *N;
    ts_kpi_replicas_changed(acc, k, prev);
    int64_t first = 0, last = 0;
    if (target > prev)
        ts_cold_start_add(cold, g, t, dt, target - prev, &first, &last);
    else
        ts_warm_remove(g, prev - target, R);
    *N = target;
    if (target > acc->max_replicas)
        acc->max_replicas = target;
    acc->events++;
    if (!on_event)
        return TS_OK;
    ts_event ev = {(double)t, d, C, prev, target, target > prev ? TS_SCALE_UP : TS_SCALE_DOWN, util_defined, util_pct,
                   first, last};
    return on_event(ctx, &ev);
}

#endif
