/*
 * simulation.h — simulation.yaml, the origin engine's run plan: tapscale
 * reads targets.autoscaling_util_tolerance_pct, run.fail_on_warning and the
 * optional acceptance section (a severity per rule) and ignores the rest.
 */
#ifndef TS_INPUTS_SIMULATION_H
#define TS_INPUTS_SIMULATION_H

#include "tapscale.h"

/* The acceptance settings when simulation.yaml says nothing: tolerance 25,
 * capacity_violation and p95_util WARN, sla_violations FAIL. */
void ts_acceptance_defaults(ts_acceptance_cfg *a);

/* Reads simulation.yaml's text into a (which holds the defaults). Returns
 * TS_OK, TS_EINPUT (every problem in d) or TS_ENOMEM. */
ts_status ts_read_simulation(const char *file, const char *data, size_t len, ts_acceptance_cfg *a, ts_diags *d);

#endif
