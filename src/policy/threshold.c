/*
 * threshold.c — the threshold policy as a registered descriptor; see
 * threshold.h.
 */
#include "policy/threshold.h"
#include "policy/registry.h"

#include <string.h>

static int64_t threshold_interval(const ts_policy *p)
{
    return p->evaluation_interval_s;
}

static void threshold_init(void *state, const ts_policy *p, double tph)
{
    (void)tph;
    ts_threshold_state *s = state;
    memset(s, 0, sizeof *s);
    s->alpha = ts_threshold_alpha(p);
}

static void threshold_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    ts_threshold_state *s = state;
    /* step 3: smoothing */
    if (o->util_defined) {
        s->e = ts_threshold_smooth(s->e, s->has_e, s->alpha, o->util);
        s->has_e = 1;
    }
    const int64_t N = o->provisioned, R = o->ready;
    out->replicas = N;
    out->util_defined = s->has_e;
    out->util_pct = 100.0 * s->e;
    out->smoothed_defined = s->has_e;
    out->smoothed_util_pct = 100.0 * s->e;
    /* step 6: decision */
    if (s->has_last && o->t_s - s->t_last < (double)p->cooldown_s)
        return;
    if (!(o->capacity > 0)) {
        if (ts_threshold_can_start(o->demand, N, R, p)) {
            out->replicas = ts_threshold_up(N, p);
            out->util_defined = 0;
        }
    } else {
        out->replicas = ts_threshold_decide(s->e, N, R, o->demand, p);
    }
    if (out->replicas != N) {
        s->has_last = 1;
        s->t_last = o->t_s;
    }
}

static const ts_tune_grid_axis threshold_grid[] = {
    {"scale_up_threshold_pct", {"60", "70", "80", "90"}},
    {"scale_down_threshold_pct", {"30", "40", "50", "60"}},
    {"scale_up_step_replicas", {"1", "2", "4"}},
    {"cooldown_s", {"0", "60", "120", "300"}},
    {"stabilization_window_s", {"0", "60", "300"}},
};

static const ts_report_field threshold_report[] = {
    {"scale_up_pct", "scale_up_threshold_pct"},
    {"scale_down_pct", "scale_down_threshold_pct"},
};

const ts_policy_type ts_policy_threshold = {
    .name = "threshold",
    .summary = "the seed's policy: thresholds, hysteresis guard, EWMA, cooldown (§5)",
    .settings = NULL, /* §2's keys of autoscaling:, read with the pool's keys */
    .state_size = sizeof(ts_threshold_state),
    .interval_s = threshold_interval,
    .init = threshold_init,
    .step = threshold_step,
    .kernel = ts_threshold_kernel,
    .tune_grid = threshold_grid,
    .n_tune_grid = sizeof threshold_grid / sizeof threshold_grid[0],
    .report_fields = threshold_report,
    .n_report_fields = sizeof threshold_report / sizeof threshold_report[0],
};
