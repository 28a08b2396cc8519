/*
 * threshold.c — the threshold policy as a registered descriptor; see
 * threshold.h.
 */
#include "policy/threshold.h"
#include "policy/registry.h"
#include "util/keys.h"
#include "util/limits.h"

#include <stddef.h>
#include <string.h>

const ts_threshold_config *ts_threshold_settings(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_threshold);
}

ts_threshold_config *ts_threshold_settings_mut(ts_policy *p)
{
    return ts_policy_settings_of(p, &ts_policy_threshold);
}

/* §2's keys of the policy, read at the top level of autoscaling: as the
 * seed has them (its file's order is the seed's: policy/settings.c). */
#define T(f) offsetof(ts_threshold_config, f)
static const ts_key threshold_keys[] = {
    {.name = "evaluation_interval_s", .type = TS_KEY_INT, .offset = T(evaluation_interval_s), .def = 60,
     TS_FROM_TO(1, TS_MAX_SECONDS), .noun = TS_NOUN_INT_SECONDS, .doc = "the threshold policy's step Δ"},
    {.name = "scale_up_threshold_pct", .type = TS_KEY_NUM, .offset = T(scale_up_threshold_pct), .def = 70,
     TS_ABOVE_TO(0, 100), .doc = "scale up when smoothed utilization is above this"},
    {.name = "scale_down_threshold_pct", .type = TS_KEY_NUM, .offset = T(scale_down_threshold_pct), .def = 50,
     TS_ABOVE_TO(0, 100), .expect = "a number above 0 and below scale_up_threshold_pct",
     .doc = "scale down when smoothed utilization is below this"},
    {.name = "scale_up_step_replicas", .type = TS_KEY_INT, .offset = T(scale_up_step), .def = 1,
     TS_FROM_TO(1, TS_MAX_INSTANCES), .doc = "replicas added per scale-up"},
    {.name = "scale_down_step_replicas", .type = TS_KEY_INT, .offset = T(scale_down_step), .def = 1,
     TS_FROM_TO(1, TS_MAX_INSTANCES), .doc = "replicas removed per scale-down, at most"},
    {.name = "stabilization_window_s", .type = TS_KEY_INT, .offset = T(stabilization_window_s), .def = 300,
     TS_FROM_TO(0, TS_MAX_SECONDS), .noun = TS_NOUN_INT_SECONDS, .doc = "EWMA window of utilization (0: no smoothing)"},
    {.name = "cooldown_s", .type = TS_KEY_INT, .offset = T(cooldown_s), .def = 120, TS_FROM_TO(0, TS_MAX_SECONDS),
     .noun = TS_NOUN_INT_SECONDS, .doc = "after an action, before the next"},
};
#undef T

static const ts_key_pair threshold_pairs[] = {
    {"scale_down_threshold_pct", "scale_up_threshold_pct", 1, "not below", "0 < down < up <= 100"},
};

static int64_t threshold_interval(const ts_policy *p)
{
    return ts_threshold_settings(p)->evaluation_interval_s;
}

static void threshold_init(void *state, const ts_policy *p, double tph)
{
    (void)tph;
    ts_threshold_state *s = state;
    memset(s, 0, sizeof *s);
    s->c = ts_threshold_settings(p);
    s->alpha = ts_threshold_alpha(s->c);
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
    if (s->has_last && o->t_s - s->t_last < (double)s->c->cooldown_s)
        return;
    if (!(o->capacity > 0)) {
        if (ts_threshold_can_start(o->demand, N, R, p)) {
            out->replicas = ts_threshold_up(N, p, s->c);
            out->util_defined = 0;
        }
    } else {
        out->replicas = ts_threshold_decide(s->e, N, R, o->demand, p, s->c);
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
    .flat_settings = threshold_keys,
    .n_flat_settings = sizeof threshold_keys / sizeof threshold_keys[0],
    .key_pairs = threshold_pairs,
    .n_key_pairs = sizeof threshold_pairs / sizeof threshold_pairs[0],
    .settings_size = sizeof(ts_threshold_config),
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
