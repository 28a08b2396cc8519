/*
 * policy_type.h — what a policy implements, as the simulator calls it: the
 * descriptor ts_policy_type (opaque in tapscale.h), what a policy sees at
 * step 6 of §5 (ts_obs) and what it answers (ts_decision). A policy is one
 * file of src/policy/ exporting one descriptor, and one row of the
 * registry (policy/registry.c); everything the rest of tapscale does with
 * a policy — its settings, its tune grid, its fields in the report, its
 * kernel — it finds here.
 */
#ifndef TS_SIM_POLICY_TYPE_H
#define TS_SIM_POLICY_TYPE_H

#include "tapscale.h"

/* What the policy sees at step 6 of §5. */
typedef struct ts_obs {
    double t_s;
    int64_t clock_s;          /* unix seconds, UTC: the input's start_s + t_s */
    double demand;
    int64_t ready;            /* R */
    int64_t provisioned;      /* N */
    double capacity;          /* C */
    int util_defined;         /* C > 0 */
    double util;              /* u = d/C when util_defined */
    double backlog_tokens;    /* tokens waiting at the step's start: the fluid queue without a
                               * timeout, step by step (the plain loop's; 0 in kernels) */
    const ts_latency_profile *latency; /* the pool's latency profile (the plain loop's), or NULL */
} ts_obs;

/* What the policy answers: the new replica count (== provisioned to hold)
 * and the utilization it reports in the event. */
typedef struct ts_decision {
    int64_t replicas;
    int util_defined;
    double util_pct;
    int smoothed_defined;     /* for the timeline */
    double smoothed_util_pct;
} ts_decision;

/* An autoscaler policy: one descriptor (in the style of GSL's solver types)
 * per file under src/policy/, listed in the registry. The simulator calls
 * init once per pool (state: state_size bytes it owns; the pool's replicas
 * serve tph tokens/hour each at 100 %), then step once per simulated step,
 * every interval_s seconds; step must not allocate. A policy may also give a
 * whole-pool kernel that computes exactly what the plain step loop would,
 * bit for bit, only faster (used when no step callback is asked for). Its
 * settings (autoscaling.<name>:) are read by the table it names. */
/* An axis of a policy's default tune grid: a key as ts_policy_set takes it
 * and its values (YAML text), NULL after the last. */
#define TS_TUNE_GRID_VALUES 8
typedef struct ts_tune_grid_axis {
    const char *key;
    const char *values[TS_TUNE_GRID_VALUES];
} ts_tune_grid_axis;

/* A bound between two keys of autoscaling: (as ts_policy_set names them):
 * lo < hi when strict, else lo <= hi; broken says how lo fails it ("above",
 * "not below") and expect what was expected ("min <= max"). */
typedef struct ts_key_pair {
    const char *lo, *hi;
    int strict;
    const char *broken;
    const char *expect;
} ts_key_pair;

/* A number the report shows of a policy's settings: its name in the
 * report's data and the key (as ts_policy_set takes it) it reads. */
typedef struct ts_report_field {
    const char *name;
    const char *key;
} ts_report_field;

struct ts_policy_type {
    const char *name;
    const char *summary;                        /* one line, for docs and messages */
    const struct ts_key *settings;              /* its keys (library-internal rows), or NULL */
    size_t n_settings;
    /* Keys it reads at the top level of autoscaling: (the seed's threshold
     * keys), at offsets within its settings; the bounds between them. */
    const struct ts_key *flat_settings;
    size_t n_flat_settings;
    const ts_key_pair *key_pairs;
    size_t n_key_pairs;
    size_t settings_size;                       /* bytes of its settings, <= TS_POLICY_SETTINGS_BYTES */
    size_t state_size;
    int64_t (*interval_s)(const ts_policy *p);
    void (*init)(void *state, const ts_policy *p, double tph);
    void (*step)(void *state, const ts_policy *p, const ts_obs *obs, ts_decision *out);
    ts_status (*kernel)(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out);
    /* Optional: after the last step, what the policy adds to the KPIs (a
     * forecast's error); NULL for most. */
    void (*finish)(const void *state, const ts_policy *p, ts_kpis *out);
    /* Optional: the step just taken observed o and kept its N; the next
     * max_steps steps (at o->t_s + j·dt, j = 1..max_steps) will observe the
     * same demand and replicas. Returns how many of them, m, step would
     * also keep N through, and leaves the state as those m steps would
     * (every later decision the same); 0 when it cannot tell. The
     * simulator then skips them. */
    int64_t (*hold)(void *state, const ts_policy *p, const ts_obs *o, int64_t dt, int64_t max_steps);
    /* What `tune` searches without --space: every setting that matters
     * (the warm-up and the GPU are facts, not knobs). A policy without one
     * cannot be tuned without a space file, and tune says so. */
    const ts_tune_grid_axis *tune_grid;
    size_t n_tune_grid;
    /* Optional: what `advise` searches instead, every setting of it one
     * the policy's Kubernetes object carries, so that the manifest it
     * exports is the setting it simulated (the HPA's behavior, not the
     * legacy rule no object can set). NULL: tune_grid. */
    const ts_tune_grid_axis *deploy_grid;
    size_t n_deploy_grid;
    /* 1: `compare` runs it only when --policies names it (it does
     * nothing useful on its defaults: the schedule without windows). */
    int opt_in;
    /* Its settings the report shows beside the pool's (target, warm-up). */
    const ts_report_field *report_fields;
    size_t n_report_fields;
};

#endif
