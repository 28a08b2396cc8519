/*
 * level.h — the service level a setting is held to, in tune and advise.
 */
#ifndef TS_TUNE_LEVEL_H
#define TS_TUNE_LEVEL_H

#include "tapscale.h"

/* Whether KPIs k, with the share unserved_pct of the tokens unserved,
 * meet o's service level: at most max_violation_minutes, at most
 * max_unserved_pct when set and, when k has latency KPIs, at most
 * max_slo_minutes (0 when not set) minutes over the SLO. */
int ts_tune_meets(const ts_tune_options *o, const ts_kpis *k, double unserved_pct);

/* Whether pool (plan row) i of in is held to its latency SLO: its GPU has
 * a latency profile and public_tap.yaml an slo:. */
int ts_tune_latency_pool(const ts_inputs *in, const ts_plan *plan, size_t i);

/* The KPIs of a simulation of si (its latency profile set or not) as tune
 * and advise score it: the step loop, then, when queue, the fluid queue,
 * and with si->latency the latency KPIs against slo. Returns TS_OK,
 * TS_EINPUT (as ts_simulate_autoscaler) or TS_ENOMEM. */
ts_status ts_tune_simulate(const ts_sim_input *si, ts_sim_workspace *ws, int queue, const ts_sla *sla,
                           const ts_slo *slo, ts_kpis *out);

#endif
