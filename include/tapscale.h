/*
 * tapscale.h — the one public header of the tapscale library.
 *
 * tapscale plans and simulates autoscaled GPU pools for LLM inference: per
 * model it picks the cheapest GPU per token (g*), computes the instances the
 * peak needs (the planner) and runs a discrete-time autoscaler over the
 * model's demand (the simulator), then derives KPIs and an acceptance verdict.
 * The exact semantics are in docs/semantics.md; section numbers (§) below
 * refer to it.
 *
 * Conventions of this API:
 *  - The library never prints and never exits. Functions return a ts_status
 *    and append user-facing problems to a ts_diags list (file, 1-based line
 *    and column, sentence).
 *  - Every object made by a _new, _load or _build function is released by the
 *    matching _free function; freeing NULL does nothing.
 *  - There is no global mutable state; all randomness comes from the seed in
 *    ts_inputs. Results are bit-identical for the same inputs and seed,
 *    whatever the thread count.
 */
#ifndef TAPSCALE_H
#define TAPSCALE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ status */

/* Status codes; the CLI uses them as exit codes (§8). */
typedef enum ts_status {
    TS_OK = 0,        /* success (and: acceptance passed) */
    TS_REJECTED = 1,  /* acceptance failed */
    TS_EINPUT = 2,    /* invalid input or usage */
    TS_ERUNTIME = 3   /* I/O or memory failure */
} ts_status;

const char *ts_version(void);

/* Parses an ISO 8601 UTC time ("2025-01-01T00:00:00Z", "2025-01-01 00:00",
 * "2025-01-01") into whole seconds since the epoch. Returns 0, or -1. */
int ts_parse_utc(const char *s, int64_t *secs);

/* ------------------------------------------------------------- diagnostics */

typedef enum ts_diag_kind { TS_DIAG_ERROR = 0, TS_DIAG_WARNING = 1 } ts_diag_kind;

/* One problem a user can act on. file may be NULL; line/col are 1-based and
 * 0 when they do not apply. */
typedef struct ts_diag {
    ts_diag_kind kind;
    char *file;
    int line;
    int col;
    char *msg;
} ts_diag;

typedef struct ts_diags {
    ts_diag *items;
    size_t n, cap;
    size_t n_errors;
    int oom; /* set when a diagnostic could not be stored */
} ts_diags;

void ts_diags_init(ts_diags *d);
void ts_diags_free(ts_diags *d);
/* Formats one diagnostic as "FILE:LINE:COL: msg" (parts omitted when absent)
 * into buf (always NUL-terminated). Returns buf. */
char *ts_diag_format(const ts_diag *dg, char *buf, size_t size);

/* ------------------------------------------------------------------ buffer */

/* A growable byte buffer; all renderers append to one. */
typedef struct ts_buf {
    char *data;
    size_t len, cap;
    int oom; /* sticky: set when an append could not allocate */
} ts_buf;

void ts_buf_init(ts_buf *b);
void ts_buf_free(ts_buf *b);

/* ------------------------------------------------------------------ policy */

/* HPA behavior (autoscaling/v2 HPAScalingRules) of one direction. */
#define TS_HPA_MAX_POLICIES 8
typedef enum ts_hpa_policy_type { TS_HPA_PODS = 0, TS_HPA_PERCENT = 1 } ts_hpa_policy_type;
typedef enum ts_hpa_select { TS_HPA_SELECT_MAX = 0, TS_HPA_SELECT_MIN = 1, TS_HPA_SELECT_DISABLED = 2 } ts_hpa_select;

typedef struct ts_hpa_policy {
    ts_hpa_policy_type type;
    int32_t value;
    int32_t period_s;
} ts_hpa_policy;

typedef struct ts_hpa_rules {
    int32_t stabilization_window_s;
    ts_hpa_select select;
    ts_hpa_policy policy[TS_HPA_MAX_POLICIES];
    int n_policies;
    int has_tolerance;
    double tolerance;
} ts_hpa_rules;

/* Which autoscaler runs a pool. */
typedef enum ts_policy_kind {
    TS_POLICY_THRESHOLD = 0, /* the seed's threshold policy (§5) */
    TS_POLICY_HPA = 1,       /* Kubernetes HPA on a Pods metric, KEDA-style 0 <-> 1 */
    TS_POLICY_KPA = 2        /* Knative Pod Autoscaler */
} ts_policy_kind;
const char *ts_policy_kind_name(ts_policy_kind k);

/* autoscaling.hpa: the controller's flags and the HPA's behavior. */
typedef struct ts_hpa_config {
    int64_t sync_period_s;            /* the controller's period: the step, 15 */
    double tolerance;                 /* 0.1 */
    int64_t downscale_stabilization_s;/* 300 (legacy path and default scale-down window) */
    double scale_up_limit_factor;     /* 2 (legacy path) */
    double scale_up_limit_minimum;    /* 4 (legacy path) */
    int64_t keda_cooldown_s;          /* 300: zero demand this long -> 0 replicas */
    int has_behavior;
    ts_hpa_rules up, down;            /* defaults filled in when absent */
} ts_hpa_config;

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

/* The autoscaling section of public_tap.yaml (§2). Integers are int64. */
typedef struct ts_policy {
    double target_utilization_pct;
    double peak_factor;
    int64_t min_instances;
    int64_t max_instances;
    int64_t evaluation_interval_s;
    double scale_up_threshold_pct;
    double scale_down_threshold_pct;
    int64_t scale_up_step;
    int64_t scale_down_step;
    int64_t stabilization_window_s;
    int64_t warmup_s;
    int64_t cooldown_s;
    int has_peak_percentile;
    double capacity_peak_percentile;
    ts_policy_kind kind;              /* autoscaling.policy, default threshold */
    ts_hpa_config hpa;
    ts_kpa_config kpa;
} ts_policy;

/* Fills p with the defaults of §2 and the example values for the required
 * keys (target 75, peak factor 1.2, min 0, max 100). */
void ts_policy_defaults(ts_policy *p);
/* Checks every bound of §2; returns the number of violations and, when
 * msg is not NULL, writes the first one's sentence into msg. */
int ts_policy_check(const ts_policy *p, char *msg, size_t size);

/* The runtime section of public_tap.yaml. */
typedef struct ts_runtime {
    int64_t slots_total_default;   /* concurrent streams per instance, default 32 */
    double batching_efficiency_pct;/* default 70 */
    double offline_derating_pct;   /* share of offline throughput kept, default 40 */
    int allow_tps_heuristic;       /* default false */
} ts_runtime;

/* -------------------------------------------------------------- acceptance */

typedef enum ts_verdict { TS_PASS = 0, TS_WARN = 1, TS_FAIL = 2 } ts_verdict;
typedef enum ts_rule {
    TS_RULE_CAPACITY = 0, /* no capacity_violation in the plan */
    TS_RULE_P95 = 1,      /* |p95 - target| <= tolerance */
    TS_RULE_SLA = 2,      /* violations = 0 where the plan has capacity */
    TS_RULE_COUNT = 3
} ts_rule;

typedef struct ts_acceptance_cfg {
    double util_tolerance_pct;          /* default 25 */
    ts_verdict severity[TS_RULE_COUNT]; /* outcome when broken: TS_WARN or TS_FAIL */
    int fail_on_warning;
} ts_acceptance_cfg;

const char *ts_rule_name(ts_rule r);
const char *ts_verdict_name(ts_verdict v);

/* ------------------------------------------------------------------ demand */

/* A demand series: rate[i] tokens/hour, each covering tau_s seconds. */
typedef struct ts_series {
    const double *rate;
    size_t n;
    double tau_s;
} ts_series;

/* One model's demand, after profiles, time series and noise. */
typedef struct ts_model_demand {
    char *model;
    double *rate;
    size_t n;
    int64_t tau_s;
    int64_t start;          /* unix seconds, UTC, of rate[0] */
    int from_series;        /* 1: from a time-series file; 0: generated profile */
    char *decl_file;        /* where the model's demand was declared */
    int decl_line, decl_col;
    int has_initial_replicas;
    int64_t initial_replicas;
    int has_params;         /* params_b given (used by the TPS heuristic) */
    double params_b;
    double bytes_per_param;
} ts_model_demand;

/* ------------------------------------------------------------------- facts */

/* One (model, GPU, gpu_count) candidate with its throughput and price. */
typedef struct ts_candidate {
    char *model;
    char *gpu;              /* as spelled in the TPS dataset */
    int64_t gpu_count;
    double tps_eff;         /* tokens/s per instance at 100 % busy */
    int heuristic;          /* 1: estimated by the heuristic, not measured */
    char *basis;            /* measurement type used, or the heuristic formula */
    size_t rows;            /* dataset rows combined into tps_eff */
    int has_price;
    double instance_price_hr;
    double cost_per_1m;     /* price / (tps_eff*3600/1e6); valid if has_price */
    int chosen;
    const char *reason;     /* why chosen / not chosen (static text) */
} ts_candidate;

typedef struct ts_input_file {
    char *path;
    char sha256[65];
} ts_input_file;

/* Everything one run reads, validated. */
typedef struct ts_inputs {
    char *dir;
    ts_policy policy;
    ts_runtime runtime;
    uint64_t seed;
    double noise_pct;
    ts_acceptance_cfg acceptance;
    char *currency;             /* "USD" or "EUR"; NULL without prices */
    ts_model_demand *demand;    /* sorted by model id */
    size_t n_demand;
    ts_candidate *cand;         /* sorted by model, gpu, gpu_count */
    size_t n_cand;
    ts_input_file *files;       /* every file read, in reading order */
    size_t n_files;
    ts_diags warnings;          /* non-fatal notes (heuristics used, ...) */
} ts_inputs;

typedef struct ts_load_options {
    const char *dir;            /* the inputs folder */
    int has_seed;               /* override meta.seed */
    uint64_t seed;
    int has_tolerance;          /* override the acceptance tolerance */
    double tolerance;
    int fail_on_warning;        /* 1 forces it on */
    ts_verdict severity[TS_RULE_COUNT]; /* TS_WARN or TS_FAIL overrides a rule's; TS_PASS keeps it */
} ts_load_options;

/* Loads and validates DIR/operator/public_tap.yaml, DIR/operator/demand.yaml
 * (and its series files), DIR/facts/tps_model_gpu.csv, the optional
 * DIR/operator/curated_gpu.csv and DIR/simulation.yaml. Every input error of
 * the run is appended to d; returns TS_EINPUT when there was any (and *out is
 * NULL), TS_ERUNTIME on memory failure. */
ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d);
void ts_inputs_free(ts_inputs *in);

/* ---------------------------------------------------------------- planner */

typedef struct ts_planner_result {
    double avg_tokens_per_hour;
    double peak_tokens_per_hour;
    double tps;
    double cap_tokens_per_hour_per_instance;
    int64_t needed;            /* before the clamp */
    int64_t instances_needed;  /* after the clamp */
    int capacity_violation;
} ts_planner_result;

/* §4 for one model on one GPU. scratch must hold D->n doubles when the
 * policy has a capacity_peak_percentile (else may be NULL). Returns 0, or -1
 * when tps_eff <= 0 or D is empty (out untouched). Pure. */
int planner_instances_needed(const ts_series *D, double tps_eff, const ts_policy *p,
                             double *scratch, ts_planner_result *out);

/* §3: percentile p of x[0..n-1] by linear interpolation between closest
 * ranks. Reorders x in place (linear-time selection). 0 when n = 0. */
double ts_percentile(double *x, size_t n, double p);

typedef struct ts_plan_row {
    size_t demand_index;       /* into ts_inputs.demand */
    size_t cand_index;         /* into ts_inputs.cand: g* */
    ts_planner_result r;
} ts_plan_row;

typedef struct ts_plan {
    ts_plan_row *rows;         /* one per model with demand, by model id */
    size_t n;
} ts_plan;

/* Chooses g* per model (marking ts_inputs.cand[].chosen/reason) and runs the
 * planner. Returns TS_OK or TS_ERUNTIME. */
ts_status ts_plan_build(ts_inputs *in, ts_plan **out, ts_diags *d);
void ts_plan_free(ts_plan *p);

/* -------------------------------------------------------------- simulator */

typedef enum ts_reason { TS_SCALE_UP = 1, TS_SCALE_DOWN = -1 } ts_reason;

/* One scaling action (§5, Events). */
typedef struct ts_event {
    double t_s;               /* seconds since the pool's start */
    double demand;            /* d_k, tokens/hour */
    double capacity;          /* C, tokens/hour */
    int64_t replicas_prev;
    int64_t replicas_new;
    ts_reason reason;
    int util_defined;         /* 0 for a scale-up from zero capacity */
    double util_pct;          /* 100*e */
} ts_event;

/* One simulated step, for the optional timeline. */
typedef struct ts_step {
    double t_s;
    double demand;
    int64_t ready;
    int64_t warming;
    double capacity;
    int util_defined;
    double util_pct;          /* 100*u */
    int smoothed_defined;
    double smoothed_util_pct; /* 100*e */
} ts_step;

/* What the policy sees at step 6 of §5. */
typedef struct ts_obs {
    double t_s;
    double demand;
    int64_t ready;            /* R */
    int64_t provisioned;      /* N */
    double capacity;          /* C */
    int util_defined;         /* C > 0 */
    double util;              /* u = d/C when util_defined */
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

/* An autoscaler policy: a descriptor in the style of GSL's solver types.
 * interval_s gives the simulation step of the policy (its controller's
 * period); init prepares state (state_size bytes, caller-owned) for one pool
 * whose replicas serve tph tokens/hour each at 100 %; step is called once
 * per simulated step, in order, and must not allocate. */
typedef struct ts_scaler_type {
    const char *name;
    size_t state_size;
    int64_t (*interval_s)(const ts_policy *p);
    void (*init)(void *state, const ts_policy *p, double tph);
    void (*step)(void *state, const ts_policy *p, const ts_obs *obs, ts_decision *out);
} ts_scaler_type;

/* The seed's threshold policy (§5), Kubernetes' HPA and Knative's KPA. */
extern const ts_scaler_type ts_scaler_threshold;
extern const ts_scaler_type ts_scaler_hpa;
extern const ts_scaler_type ts_scaler_kpa;
/* The descriptor of a policy kind. */
const ts_scaler_type *ts_scaler_for(ts_policy_kind k);

typedef struct ts_kpis {
    int64_t steps;
    int64_t scale_events;
    double avg_util_pct;
    double p95_util_pct;
    int64_t violations;
    double violation_minutes;
    double unserved_tokens;
    double replica_hours;
    double gpu_hours;
    int64_t max_replicas;
} ts_kpis;

typedef struct ts_sim_input {
    ts_series demand;
    double tps_eff;
    int64_t gpu_count;
    const ts_policy *policy;
    const ts_scaler_type *scaler;
    int has_initial_replicas;
    int64_t initial_replicas;
} ts_sim_input;

/* Called for every event; a non-zero return stops the simulation with -1. */
typedef int (*ts_event_fn)(void *ctx, const ts_event *ev);
/* Called for every step when not NULL. */
typedef int (*ts_step_fn)(void *ctx, const ts_step *st);

/* Workspace of one simulation: utilization samples, warming replica groups,
 * policy state. Allocated once, reused across pools; grows only between runs. */
typedef struct ts_sim_workspace ts_sim_workspace;
ts_sim_workspace *ts_sim_workspace_new(void);
void ts_sim_workspace_free(ts_sim_workspace *ws);

/* Number of steps K of §5 for a series and an evaluation interval. */
int64_t ts_sim_steps(const ts_series *D, int64_t interval_s);

/* §5 and §6 for one pool. Returns 0, -1 when a callback stopped it, -2 on
 * memory failure or invalid input (empty series, tps_eff <= 0). Pure apart
 * from the callbacks. */
int simulate_autoscaler(const ts_sim_input *in, ts_sim_workspace *ws,
                        ts_event_fn on_event, ts_step_fn on_step, void *ctx,
                        ts_kpis *out);

/* ------------------------------------------------------- whole-fleet runs */

typedef struct ts_pool_result {
    ts_kpis kpis;
    ts_event *events;
    size_t n_events;
    int has_cost;
    double cost;              /* replica_hours * instance price */
    ts_buf timeline;          /* CSV rows when asked for */
} ts_pool_result;

typedef struct ts_sim_results {
    ts_pool_result *pools;    /* parallel to ts_plan.rows */
    size_t n;
} ts_sim_results;

typedef struct ts_sim_options {
    const ts_policy *policy;  /* NULL: the inputs' policy (compare runs others) */
    int threads;              /* <= 0: all cores */
    int keep_events;          /* store events (for the events file) */
    int timeline;             /* render a per-step timeline per pool */
    /* Called after each pool with the number done (serialized; may be NULL). */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* When not NULL: the events file's rows (without header), rendered by
     * the workers and handed over pool by pool in plan order, so a large
     * fleet's events are never all in memory. A non-zero return stops the
     * run with TS_ERUNTIME. */
    int (*events_sink)(void *ctx, const char *rows, size_t len);
    void *events_sink_ctx;
} ts_sim_options;

ts_status ts_simulate_plan(const ts_inputs *in, const ts_plan *plan,
                           const ts_sim_options *opt, ts_sim_results **out,
                           ts_diags *d);
void ts_sim_results_free(ts_sim_results *r);

typedef struct ts_acceptance {
    ts_verdict rule[TS_RULE_COUNT];      /* worst over pools */
    ts_verdict overall;
    ts_verdict (*pool_rule)[TS_RULE_COUNT]; /* per plan row */
    ts_verdict *pool;                    /* per plan row */
    size_t n;
} ts_acceptance;

/* §8 over a plan and its simulation. Returns TS_OK or TS_ERUNTIME. */
ts_status ts_accept(const ts_inputs *in, const ts_plan *plan, const ts_sim_results *res,
                    ts_acceptance **out);
void ts_acceptance_free(ts_acceptance *a);

/* --------------------------------------------------------------- outputs */

/* The header line of the events file. */
#define TS_EVENTS_HEADER \
    "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct\n"

/* Renderers append one output file's full text to b (§7 number format). */
void ts_render_plan_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b);
void ts_render_gpu_choice_csv(const ts_inputs *in, ts_buf *b);
void ts_render_events_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b);
void ts_render_kpis_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b);
void ts_render_summary_json(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                            const ts_acceptance *a, ts_buf *b);
void ts_render_summary_md(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                          const ts_acceptance *a, ts_buf *b);
/* One line per broken rule and pool: "WARN p95_util: model ...: why". */
void ts_render_reasons(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                       const ts_acceptance *a, ts_buf *b);
/* The short table `tapscale run` prints: one line per pool and the verdict. */
void ts_render_run_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                         const ts_acceptance *a, ts_buf *b);
/* The policy comparison: one row per pool and policy, pools in plan order,
 * policies in the given order: model,gpu,policy,step_s, then the KPI
 * columns of consolidated_kpis.csv. */
void ts_render_compare_csv(const ts_inputs *in, const ts_plan *p, const ts_policy *policies,
                           const ts_sim_results *const *results, size_t n_policies, ts_buf *b);
/* The same as a side-by-side text table for a terminal. */
void ts_render_compare_table(const ts_inputs *in, const ts_plan *p, const ts_policy *policies,
                             const ts_sim_results *const *results, size_t n_policies, ts_buf *b);
/* A file name for a pool's timeline: "timeline_<model with / as _>.csv". */
void ts_timeline_name(const char *model, char *buf, size_t size);

/* An output folder written atomically: files go to a temporary folder inside
 * dir and are renamed into place by ts_outdir_commit; ts_outdir_free without
 * a commit removes the temporary folder and leaves dir as it was. */
typedef struct ts_outdir ts_outdir;
ts_status ts_outdir_open(const char *dir, ts_outdir **out, ts_diags *d);
ts_status ts_outdir_put(ts_outdir *o, const char *name, const ts_buf *content, ts_diags *d);
/* A file written in pieces: begin, write any number of times, end. Only one
 * file is open at a time; its SHA-256 is computed as it is written. */
ts_status ts_outdir_begin(ts_outdir *o, const char *name, ts_diags *d);
int ts_outdir_write(ts_outdir *o, const char *data, size_t len); /* 0, or -1 */
ts_status ts_outdir_end(ts_outdir *o, ts_diags *d);
/* Declares files (a name or an fnmatch pattern) that belong to tapscale: at
 * commit, such files in dir that this run did not write are removed, so
 * the folder never mixes the outputs of two runs. */
void ts_outdir_own(ts_outdir *o, const char *pattern);
/* Appends "sha256  name" lines for every file put so far, in put order. */
void ts_outdir_sums(const ts_outdir *o, ts_buf *b);
ts_status ts_outdir_commit(ts_outdir *o, ts_diags *d);
void ts_outdir_free(ts_outdir *o);

/* ------------------------------------------------------------ trace import */

typedef enum ts_trace_format { TS_TRACE_AZURE = 0, TS_TRACE_SERVEGEN = 1 } ts_trace_format;
typedef enum ts_token_kind { TS_TOKENS_OUTPUT = 0, TS_TOKENS_INPUT = 1, TS_TOKENS_TOTAL = 2 } ts_token_kind;

typedef struct ts_trace_options {
    ts_trace_format format;
    ts_token_kind tokens;
    int64_t interval_s;        /* bucket width (azure); servegen is hourly */
    double scale;              /* multiplies every rate */
    const char *model;         /* model id written into the rows (azure) */
    const char *select;        /* servegen: only this model column value, or NULL */
    int64_t start;             /* servegen: unix seconds of hour_offset 0 */
    int header;                /* write the header line */
} ts_trace_options;

/* Aggregates a request trace into rows "timestamp,model,demand_tokens_per_hour"
 * appended to out. Returns TS_OK, TS_EINPUT (diagnostics in d) or TS_ERUNTIME. */
ts_status ts_trace_import(const char *path, const ts_trace_options *opt, ts_buf *out, ts_diags *d);

#ifdef __cplusplus
}
#endif
#endif /* TAPSCALE_H */
