/*
 * simulate.h — the simulator of one pool (§5), for any policy: the plain
 * step loop, which is the specification, and the dispatch to a policy's
 * kernel. Declared in tapscale.h: ts_simulate_autoscaler, ts_sim_steps.
 * Pure: no I/O, no globals, no allocation inside the step loop.
 */
#ifndef TS_SIM_SIMULATE_H
#define TS_SIM_SIMULATE_H

#include "tapscale.h"

/* Whether in is an input every simulation refuses: an empty series,
 * tps_eff <= 0, a series interval below 1 s, no policy, or a step below
 * 1 s. The simulator, its replay and the bounds share this one check. */
int ts_sim_input_invalid(const ts_sim_input *in);

/* Told of tokens that arrived evenly over a0..a1 (seconds since the
 * start) and waited w0..w1 (linear between), in order of arrival; a
 * return other than TS_OK stops the walk with TS_ENOMEM. */
typedef ts_status (*ts_wait_fn)(void *ctx, double a0, double a1, double w0, double w1);
/* ts_simulate_queue, telling on_wait (may be NULL) of every stretch of
 * arrivals that waited, and last of those still waiting at the end (with
 * the waits the last step's capacity would give them). */
ts_status ts_queue_walk(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla, ts_wait_fn on_wait,
                        void *ctx, ts_queue_kpis *out);

/* The plain step loop of §5, step by step for any policy: the reference a
 * policy's kernel must match bit for bit. ts_simulate_autoscaler uses it
 * whenever a step callback is given or the policy has no kernel. Same
 * contract as ts_simulate_autoscaler. */
ts_status ts_simulate_reference(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                ts_step_fn on_step, void *ctx, ts_kpis *out);

/* The plain loop for a policy with a hold hook, skipping the stretches it
 * holds through (the same loop, skipping): the plain loop's events and KPIs, bit for bit.
 * Same contract as ts_simulate_autoscaler without a step callback; the
 * kernel of the HPA and the KPA. */
ts_status ts_simulate_held(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                           ts_kpis *out);

#endif
