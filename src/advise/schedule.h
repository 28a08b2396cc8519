/*
 * schedule.h — the schedule advise ranks beside the autoscalers, built from
 * the pool's demand (schedule.c).
 */
#ifndef TS_ADVISE_SCHEDULE_H
#define TS_ADVISE_SCHEDULE_H

#include "tapscale.h"

/* Into out: cur as the schedule policy whose windows hold, each hour of
 * the day (weekdays apart from weekends when split), the quantile q (0 to
 * 1; 1: the peak) of the replicas the steps of that hour need under the
 * demand of si, within cur's min and max, asked for lead_s early. Returns
 * TS_OK, TS_EINPUT (no steps, no capacity, or more windows than a schedule
 * holds) or TS_ENOMEM. */
ts_status ts_schedule_from_demand(const ts_sim_input *si, const ts_policy *cur, int split, double q, int64_t lead_s,
                                  ts_policy *out);

#endif
