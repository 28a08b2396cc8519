/*
 * steady.c — a policy that is in no other file of tapscale: it holds the
 * pool at steady.replicas (within the pool's bounds) whatever the demand.
 * tests/extra_policy/ builds it into a copy of the library with one more
 * registry row (TS_EXTRA_POLICY=ts_policy_steady) and checks that the
 * tool finds it everywhere a policy is named: `settings`, the YAML and
 * --set, `tune` (its own grid), `compare` and the report. That is what
 * adding a policy takes: its file and its row.
 */
#include "sim/policy_type.h"
#include "util/keys.h"
#include "util/limits.h"

#include <stddef.h>

typedef struct steady_config {
    int64_t replicas;
    int64_t interval_s;
} steady_config;

#define S(f) offsetof(steady_config, f)
static const ts_key steady_keys[] = {
    {.name = "replicas", .type = TS_KEY_INT, .offset = S(replicas), .def = 2, TS_FROM_TO(0, TS_MAX_INSTANCES),
     .doc = "the replicas the pool holds"},
    {.name = "interval_s", .type = TS_KEY_INT, .offset = S(interval_s), .def = 60, TS_FROM_TO(1, 3600),
     .noun = TS_NOUN_INT_SECONDS, .doc = "how often it looks"},
};
#undef S

static const ts_key steady_section[] = {
    {.name = "steady", .type = TS_KEY_SECTION, .sub = steady_keys,
     .n_sub = sizeof steady_keys / sizeof steady_keys[0], .doc = "the steady policy's settings"},
};

extern const ts_policy_type ts_policy_steady;

static const steady_config *config(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_steady);
}

static int64_t steady_interval(const ts_policy *p)
{
    return config(p)->interval_s;
}

static void steady_init(void *state, const ts_policy *p, double tph)
{
    (void)state;
    (void)p;
    (void)tph;
}

static void steady_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    (void)state;
    int64_t n = config(p)->replicas;
    n = n < p->min_instances ? p->min_instances : n > p->max_instances ? p->max_instances : n;
    out->replicas = n;
    out->util_defined = o->util_defined;
    out->util_pct = 100.0 * o->util;
    out->smoothed_defined = 0;
    out->smoothed_util_pct = 0;
}

static const ts_tune_grid_axis steady_grid[] = {
    {"steady.replicas", {"1", "2", "3", "4", "6", "8"}},
};

static const ts_report_field steady_report[] = {
    {"steady_replicas", "steady.replicas"},
};

const ts_policy_type ts_policy_steady = {
    .name = "steady",
    .summary = "holds the pool at steady.replicas (a test's policy)",
    .settings = steady_section,
    .n_settings = 1,
    .settings_size = sizeof(steady_config),
    .state_size = 1,
    .interval_s = steady_interval,
    .init = steady_init,
    .step = steady_step,
    .tune_grid = steady_grid,
    .n_tune_grid = sizeof steady_grid / sizeof steady_grid[0],
    .report_fields = steady_report,
    .n_report_fields = sizeof steady_report / sizeof steady_report[0],
};
