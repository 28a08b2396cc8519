/*
 * kpa.h — the settings of the kpa policy (autoscaling.kpa:), public for
 * tests. The policy itself is the descriptor ts_policy_kpa (registry.h).
 */
#ifndef TS_POLICY_KPA_H
#define TS_POLICY_KPA_H

#include "tapscale.h"

/* autoscaling.kpa: the decider's settings. */
typedef struct ts_kpa_config {
    int64_t tick_s;                   /* 2 */
    double stable_window_s;           /* 60 */
    double panic_window_pct;          /* 10: panic window = stable * pct/100 */
    double panic_threshold_pct;       /* 200 */
    double max_scale_up_rate;         /* 1000 */
    double max_scale_down_rate;       /* 2 */
    int64_t activation_scale;         /* 1 */
    double scale_down_delay_s;        /* 0 */
    double scale_to_zero_grace_s;     /* 30 */
} ts_kpa_config;

/* p's KPA settings (inside p->settings). */
const ts_kpa_config *ts_kpa_settings(const ts_policy *p);
ts_kpa_config *ts_kpa_settings_mut(ts_policy *p);

#endif
