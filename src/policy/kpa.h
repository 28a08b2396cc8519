/*
 * kpa.h — the settings of the kpa policy (autoscaling.kpa:), public for
 * tests. The policy itself is the descriptor ts_policy_kpa (registry.h).
 */
#ifndef TS_POLICY_KPA_H
#define TS_POLICY_KPA_H

#include "tapscale.h"
#include "policy/kpa_decider.h"

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

/* The decider's spec for p at tph tokens/hour per replica, and the stable
 * and panic windows in ticks (at least 1 each, panic <= stable). */
void ts_kpa_spec_of(const ts_policy *p, double tph, ts_kpa_spec *spec, int *stable_n, int *panic_n);

/* The KPA's kernel (kpa_fast.c): the plain loop's result, bit for bit. On
 * demand whose value moves within a few stable windows, a step loop with
 * the windows' means computed ahead, block by block; on demand that holds,
 * ts_simulate_held. Returns what ts_simulate_autoscaler returns. */
ts_status ts_kpa_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out);

#endif
