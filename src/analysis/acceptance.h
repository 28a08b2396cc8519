/*
 * acceptance.h — the acceptance rules of §8 over a plan and its simulation
 * (ts_accept in tapscale.h). Each rule is one row of a table: its name, and
 * a predicate that says whether a pool breaks it; a broken rule takes the
 * configured severity (WARN or FAIL), and fail_on_warning turns WARN into
 * FAIL. The overall verdict is the worst over rules and pools.
 */
#ifndef TS_ANALYSIS_ACCEPTANCE_H
#define TS_ANALYSIS_ACCEPTANCE_H

#include "tapscale.h"

/* 1 when pool breaks rule r. */
int ts_rule_broken(ts_rule r, const ts_acceptance_cfg *cfg, const ts_policy *p,
                   const ts_planner_result *plan, const ts_kpis *k);

#endif
