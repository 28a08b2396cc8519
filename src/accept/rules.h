/*
 * rules.h — the acceptance rules of §8 (ts_accept in tapscale.h). Each rule
 * is one row of a table: its name, a predicate that says whether a pool
 * breaks it, and the sentence that says why (reasons.c). A broken rule takes
 * the configured severity (WARN or FAIL), and fail_on_warning turns WARN
 * into FAIL. The overall verdict is the worst over rules and pools.
 */
#ifndef TS_ACCEPT_RULES_H
#define TS_ACCEPT_RULES_H

#include "tapscale.h"

/* 1 when a pool with this plan row and KPIs breaks rule r. */
int ts_rule_broken(ts_rule r, const ts_acceptance_cfg *cfg, const ts_policy *p, const ts_planner_result *plan,
                   const ts_kpis *k);

#endif
