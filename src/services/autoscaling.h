/*
 * autoscaling.h — the planner (§4) and the simulator (§5) of one pool, and
 * the seed's threshold policy. Declared in tapscale.h:
 * planner_instances_needed, simulate_autoscaler, ts_sim_steps, the workspace
 * and ts_scaler_threshold. Everything here is pure: no I/O, no globals, no
 * allocation inside the step loop.
 */
#ifndef TS_SERVICES_AUTOSCALING_H
#define TS_SERVICES_AUTOSCALING_H

#include "tapscale.h"

/* The threshold policy's state, public for tests. */
typedef struct ts_threshold_state {
    double alpha;       /* 1 - exp(-Δ/W), or 1 when W = 0 */
    int has_e;
    double e;           /* smoothed utilization (fraction) */
    int has_last;
    double t_last;
} ts_threshold_state;

/* Instances at the start of a pool (§5): ceil(d0 / (tph*target/100))
 * clamped to [min, max], or the explicit count clamped the same way. */
int64_t ts_sim_initial_replicas(double d0, double tph, const ts_policy *p, int has_initial,
                                int64_t initial);

/* The plain step loop of §5, step by step for any policy: the reference the
 * fast path of simulate_autoscaler must match bit for bit. simulate_autoscaler
 * uses it whenever a step callback is given or the policy is not the
 * threshold policy. Same contract as simulate_autoscaler. */
int ts_simulate_reference(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                          ts_step_fn on_step, void *ctx, ts_kpis *out);

#endif
