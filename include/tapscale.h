/*
 * tapscale.h — the core API of the tapscale library: load, plan, simulate,
 * accept.
 *
 * tapscale plans and simulates autoscaled GPU pools for LLM inference: per
 * model it picks the cheapest GPU per token (g*), computes the instances the
 * peak needs (the planner) and runs a discrete-time autoscaler over the
 * model's demand (the simulator), then derives KPIs and an acceptance verdict.
 * The exact semantics are in docs/semantics.md; section numbers (§) below
 * refer to it. Writing output files and importing traces are in the second
 * header, tapscale_io.h.
 *
 * Conventions of this API:
 *  - The library never prints and never exits. A function that can fail
 *    returns a ts_status; where it takes a ts_diags, every problem a user can
 *    act on is appended to it (file, 1-based line and column, sentence).
 *  - Every object made by a _new, _load or _build function is released by the
 *    matching _free function; freeing NULL does nothing. On failure the
 *    output pointer is set to NULL and nothing is left to free.
 *  - There is no global mutable state; all randomness comes from the seed in
 *    ts_inputs. Results are bit-identical for the same inputs and seed,
 *    whatever the thread count.
 */
#ifndef TAPSCALE_H
#define TAPSCALE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ status */

/* What a call ended in. The CLI turns it into its exit code (§8): 0, 1, 2,
 * and 3 for both runtime errors. */
typedef enum ts_status {
    TS_OK = 0,        /* success (and: acceptance passed) */
    TS_REJECTED = 1,  /* acceptance failed */
    TS_EINPUT = 2,    /* invalid input or usage */
    TS_ERUNTIME = 3,  /* an I/O failure, or a callback that stopped the work */
    TS_ENOMEM = 4     /* an allocation failed */
} ts_status;

/* What a lookup of an index returns when there is none: an absence, not
 * a failure (a failure is a ts_status). */
#define TS_NOT_FOUND (-1)

const char *ts_version(void);

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

/* A list of diagnostics, owned by the caller (init/free). */
typedef struct ts_diags {
    ts_diag *items;
    size_t n, cap;
    size_t n_errors;
    int oom; /* set when an allocation failed (a diagnostic, or the work) */
} ts_diags;

void ts_diags_init(ts_diags *d);
void ts_diags_free(ts_diags *d);
/* Formats one diagnostic as "FILE:LINE:COL: msg" (parts omitted when absent)
 * into buf (always NUL-terminated). Returns buf. */
char *ts_diag_format(const ts_diag *dg, char *buf, size_t size);

/* ------------------------------------------------------------------ buffer */

/* A growable byte buffer (init/free); renderers and event formatters append
 * to one. */
typedef struct ts_buf {
    char *data;
    size_t len, cap;
    int oom; /* sticky: set when an append could not allocate */
} ts_buf;

void ts_buf_init(ts_buf *b);
void ts_buf_free(ts_buf *b);

/* ------------------------------------------------------------------ policy */

struct ts_key; /* a settings row; its layout is the library's own */
typedef struct ts_policy_type ts_policy_type;

/* The most policies the registry holds, and the bytes of settings each may
 * keep inside a ts_policy (its autoscaling.<name>: section). */
#define TS_POLICY_MAX 8
#define TS_POLICY_SETTINGS_BYTES 1024

typedef union ts_policy_settings {
    unsigned char bytes[TS_POLICY_SETTINGS_BYTES];
    double align_d;
    int64_t align_i;
    void *align_p;
} ts_policy_settings;

/* The autoscaling section of public_tap.yaml (§2): the keys every pool has,
 * which autoscaler runs the pools, and every registered policy's own
 * settings (the threshold policy's too, whose keys the file has at its top
 * level, as the seed does). */
typedef struct ts_policy {
    double target_utilization_pct;
    double peak_factor;
    int64_t min_instances;
    int64_t max_instances;
    int64_t warmup_s;         /* a new replica's cold start (the median, with a spread) */
    int has_warmup_p95_factor;
    double warmup_p95_factor; /* p95 of the cold start over its median: each replica draws its own */
    int has_weights_load;
    double weights_load_gb_per_s; /* per GPU: the median becomes container + weights / (this x GPUs) */
    int64_t container_start_s;
    int has_peak_percentile;
    double capacity_peak_percentile;
    const ts_policy_type *type;                  /* autoscaling.policy; never NULL */
    ts_policy_settings settings[TS_POLICY_MAX];  /* per registered policy, by registry index */
} ts_policy;

/* Fills p with the defaults of §2 and of every registered policy, the
 * threshold policy selected, and the example values for the required keys
 * (target 75, peak factor 1.2, min 0, max 100). */
void ts_policy_defaults(ts_policy *p);
/* Checks every bound a policy file would be held to (§2 and each policy's
 * settings). Returns TS_OK, or TS_EINPUT with one diagnostic per violation. */
ts_status ts_policy_check(const ts_policy *p, ts_diags *d);
/* The simulation step of p's autoscaler (its controller's period), s. */
int64_t ts_policy_step_s(const ts_policy *p);
/* Sets one key of p's autoscaling section — "cooldown_s", "hpa.tolerance",
 * "hpa.behavior.scale_up.policies" (value "[{type: Pods, value: 2,
 * period_s: 60}]"), "policy" — from YAML text, read and bounded exactly as
 * the key in public_tap.yaml; messages name source. Bounds between keys are
 * ts_policy_check's. Returns TS_OK, TS_EINPUT (p unchanged but for
 * sections derived again) or TS_ENOMEM. */
ts_status ts_policy_set(ts_policy *p, const char *key, const char *value, const char *source, ts_diags *d);

/* Overlays an autoscaling: mapping (YAML text of a file, the keys that
 * differ, as in public_tap.yaml) on p: what `compare --variant` reads.
 * Returns TS_OK, TS_EINPUT (problems in d with file, line and column) or
 * TS_ENOMEM. */
ts_status ts_policy_overlay(ts_policy *p, const char *file, const char *text, size_t len, ts_diags *d);

/* The latency service level: public_tap.yaml's slo: section, in ms; 0 is
 * no target. Percentile index: TS_P50, TS_P95, TS_P99. */
enum { TS_P50 = 0, TS_P95 = 1, TS_P99 = 2, TS_PCT_COUNT = 3 };
typedef struct ts_slo {
    double ttft_ms[TS_PCT_COUNT];   /* time to first token at p50, p95, p99 */
    double itl_ms[TS_PCT_COUNT];    /* inter-token latency at p50, p95, p99 */
    int given[2][TS_PCT_COUNT];     /* set by the file or --set: [0] TTFT, [1] ITL */
} ts_slo;

/* A model's own policy: public_tap.yaml's models.ID.autoscaling over the
 * file's autoscaling (and --set). */
typedef struct ts_model_policy {
    char *model;
    ts_policy policy;
    char *file;                /* where it was declared */
    int line, col;
    char *ceiling_source;      /* "FILE:LINE:COL" of the manifest field that set
                                * max_instances_per_model, or NULL */
    int has_slo;               /* models.ID.slo: its own latency SLO over the file's */
    ts_slo slo;
} ts_model_policy;

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
    TS_RULE_QUEUE = 3,    /* p99 queue delay <= sla.max_delay_s, when set */
    TS_RULE_COUNT = 4
} ts_rule;

/* The sla section of public_tap.yaml: the service level of the queue. */
typedef struct ts_sla {
    int has_max_delay_s;
    double max_delay_s;       /* the delay a token may wait: rule queue_delay, delayed_minutes */
    int has_max_queue_s;
    double max_queue_s;       /* a timeout: tokens that would wait longer are dropped */
} ts_sla;

/* Whether s sets any target. */
bool ts_slo_any(const ts_slo *s);

/* One load point of a latency profile: what a benchmark (vLLM's benchmark
 * serving, GuideLLM, a CSV) measured of one replica at one load. */
typedef struct ts_latency_point {
    double load;                    /* the load asked: concurrency, or requests/s; 0 unknown */
    double input_len, output_len;   /* mean tokens per request; 0 unknown */
    double output_tps;              /* output tokens/s of the replica at this load */
    double ttft_ms[TS_PCT_COUNT];   /* NAN where the file has no such percentile */
    double itl_ms[TS_PCT_COUNT];
    char *source;                   /* "FILE" or "FILE:LINE" of the point */
} ts_latency_point;

/* The profile of one (model, GPU, GPUs per instance): its points sorted by
 * output_tps, increasing. Between points a latency is linear in the
 * throughput; below the first it is the first's; above the last the
 * replica is past what was measured (the last's latency, counted). */
typedef struct ts_latency_profile {
    char *model;
    char *gpu;
    int64_t gpu_count;
    ts_latency_point *pts;
    size_t n;
    char *file;                     /* where it was declared */
    int line, col;
} ts_latency_profile;

typedef struct ts_acceptance_cfg {
    double util_tolerance_pct;          /* default 25 */
    ts_sla sla;                         /* public_tap.yaml's sla: section */
    ts_verdict severity[TS_RULE_COUNT]; /* outcome when broken: TS_WARN or TS_FAIL */
    int fail_on_warning;
    ts_slo slo;                         /* public_tap.yaml's slo: section (rule sla_violations) */
} ts_acceptance_cfg;

/* Names of rules ("p95_util") and verdicts ("WARN"); "?" out of range. */
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
    const ts_policy *policy;/* its own policy (in ts_inputs.model_policies), or NULL: the file's */
    char *deployment;       /* the workload serving it, as manifests name it */
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
    const ts_latency_profile *latency; /* its latency profile (in ts_inputs.profiles), or NULL */
    int has_slo_tps;        /* an SLO is set and the profile says what meets it */
    double slo_tps;         /* the highest profiled output tokens/s that meets every SLO target */
} ts_candidate;

typedef struct ts_input_file {
    char *path;
    char sha256[65];
} ts_input_file;

/* Everything one run reads, validated. Made by ts_inputs_load, read-only
 * after it. */
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
    size_t n_files, cap_files;
    ts_model_policy *model_policies; /* models with their own autoscaling settings */
    size_t n_model_policies, cap_model_policies;
    char **manifests;           /* manifest files public_tap.yaml names (paths as given) */
    size_t n_manifests;
    int allow_outside;          /* ts_load_options.allow_outside */
    int threads;                /* ts_load_options.threads */
    ts_diags warnings;          /* non-fatal notes about the inputs (rows skipped, ...) */
    ts_latency_profile *profiles; /* DIR/facts/latency_profiles.yaml's, each named by its candidate */
    size_t n_profiles, cap_profiles;
} ts_inputs;

/* The policy model i of in->demand runs with: its own, or the file's. */
const ts_policy *ts_inputs_policy(const ts_inputs *in, size_t i);
/* The latency SLO model is held to: its own (models.ID.slo, the keys it
 * gives over the file's slo:), or the file's. Never NULL. */
const ts_slo *ts_inputs_slo(const ts_inputs *in, const char *model);

typedef struct ts_load_options {
    const char *dir;            /* the inputs folder */
    int has_seed;               /* override meta.seed */
    uint64_t seed;
    int has_tolerance;          /* override the acceptance tolerance */
    double tolerance;
    int fail_on_warning;        /* 1 forces it on */
    ts_verdict severity[TS_RULE_COUNT]; /* TS_WARN or TS_FAIL overrides a rule's; TS_PASS keeps it */
    const char *const *set;     /* "KEY=VALUE" over public_tap.yaml (see ts_policy_set), or NULL */
    size_t n_set;
    const char *const *manifests; /* autoscaler manifest files beside public_tap.yaml's */
    size_t n_manifests;
    int allow_outside;          /* series and manifests that files name may lie outside dir */
    int threads;                /* a series file of more than 4 MiB is read and hashed on a second thread
                                   while it is parsed, unless this is 1 (<= 0: all cores, so on a
                                   machine of one core, one thread); the result is the same */
} ts_load_options;

/* Loads and validates DIR/operator/public_tap.yaml, DIR/operator/demand.yaml
 * (and its series files), DIR/facts/tps_model_gpu.csv, the optional
 * DIR/operator/curated_gpu.csv and DIR/simulation.yaml. The series and
 * manifests these files name must lie inside DIR (symbolic links resolved)
 * unless opt->allow_outside; only regular files are read, each at most
 * 4 GiB and without NUL bytes. Every input error of
 * the run is appended to d. Returns TS_OK; TS_EINPUT when there was any
 * error; TS_ENOMEM. On failure *out is NULL. The caller frees *out with
 * ts_inputs_free. */
ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d);
void ts_inputs_free(ts_inputs *in);

/* One pool described in memory: what an inputs folder says of one model
 * and the GPU it runs on, for callers that hold the demand as an array. */
typedef struct ts_pool_spec {
    const char *model;          /* its id; NULL: "pool" */
    const double *rate;         /* demand, tokens/hour: n rates of tau_s seconds each (copied) */
    size_t n;
    int64_t tau_s;
    int64_t start;              /* unix seconds, UTC, of rate[0] (a schedule's clock) */
    const char *gpu;            /* its name; NULL: "gpu" */
    int64_t gpu_count;          /* GPUs per instance, 1 to 1024 */
    double tps_eff;             /* tokens/s per instance at 100 % busy, above 0 */
    int has_price;
    double price_hr;            /* per instance-hour, when has_price */
    const char *currency;       /* "USD" or "EUR"; NULL: USD */
    uint64_t seed;              /* of the cold starts' draws and tune's sampling */
} ts_pool_spec;

/* The inputs of that one pool, run by policy p (NULL: ts_policy_defaults),
 * with the runtime's and the acceptance's defaults: what ts_plan_build,
 * ts_simulate_plan, ts_tune and ts_advise take, as from a folder. p is
 * checked as ts_policy_check checks it. Returns TS_OK, TS_EINPUT (each bad
 * field said in d, without a file) or TS_ENOMEM; on failure *out is NULL.
 * The caller frees *out with ts_inputs_free. */
ts_status ts_inputs_of_pool(const ts_pool_spec *spec, const ts_policy *p, ts_inputs **out, ts_diags *d);

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

/* §4 for one model on one GPU (the seed's planner_instances_needed). scratch
 * must hold D->n doubles when the policy has a capacity_peak_percentile
 * (else may be NULL). Returns TS_OK, or TS_EINPUT when tps_eff <= 0 or D is
 * empty (out untouched). Pure. */
ts_status ts_planner_instances_needed(const ts_series *D, double tps_eff, const ts_policy *p,
                                      double *scratch, ts_planner_result *out);
/* The same with a latency SLO: the capacity per instance is the highest
 * profiled throughput that meets it (slo_tps tokens/s, ts_latency_slo_tps),
 * with no target utilization on top. Returns as above (TS_EINPUT also for
 * slo_tps <= 0). */
ts_status ts_planner_instances_at_slo(const ts_series *D, double tps_eff, double slo_tps, const ts_policy *p,
                                      double *scratch, ts_planner_result *out);

/* §3: percentile p of x[0..n-1] by linear interpolation between closest
 * ranks. Reorders x in place (linear-time selection). 0 when n = 0. */
double ts_percentile(double *x, size_t n, double p);

typedef struct ts_plan_row {
    size_t demand_index;       /* into ts_inputs.demand */
    size_t cand_index;         /* into ts_inputs.cand: g* */
    ts_planner_result r;
} ts_plan_row;

/* Why a candidate was or was not chosen. */
typedef struct ts_gpu_choice {
    int chosen;
    const char *reason;        /* static text */
} ts_gpu_choice;

/* The plan of a run: the inputs stay as they were loaded. */
typedef struct ts_plan {
    ts_plan_row *rows;         /* one per model with demand, by model id */
    size_t n;
    ts_gpu_choice *choice;     /* parallel to ts_inputs.cand */
    size_t n_choice;
    ts_diags warnings;         /* notes about the plan (heuristic throughput used) */
} ts_plan;

/* Chooses g* per model with demand and runs the planner. Returns TS_OK or
 * TS_ENOMEM (then *out is NULL). The caller frees *out with ts_plan_free. */
ts_status ts_plan_build(const ts_inputs *in, ts_plan **out);
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
    int64_t ready_first_s;    /* scale-up: when its first and last new replica is ready, */
    int64_t ready_last_s;     /* seconds since the pool's start */
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
    int64_t warming_first_s;  /* when warming > 0: when the first and the last */
    int64_t warming_last_s;   /* warming replica is ready, seconds since the start */
} ts_step;

/* The fluid queue of a pool (README, "Queueing delay"): tokens that find
 * no ready capacity wait, first in first out, and are served later. */
typedef struct ts_queue_kpis {
    double arrived_tokens;    /* = served + dropped + left */
    double served_tokens;
    double dropped_tokens;    /* refused by the sla.max_queue_s timeout */
    double left_tokens;       /* still waiting at the end of the horizon */
    double max_backlog_tokens;
    double delay_p50_s;       /* over the tokens served, in seconds */
    double delay_p95_s;
    double delay_p99_s;
    double delay_max_s;
    int64_t delayed_steps;    /* steps in which an arriving token waited more than sla.max_delay_s */
    double delayed_minutes;   /* those steps x the step, in minutes */
} ts_queue_kpis;

/* The latency a pool's users saw (README, "Latency service levels"): per
 * step, the profile's TTFT and ITL at the load per ready replica, TTFT
 * plus the queue's wait; over the horizon, percentiles of those step
 * values weighted by the tokens of each step. */
typedef struct ts_latency_kpis {
    int has;                  /* 1: computed (the pool has a profile and an SLO) */
    double ttft_ms[TS_PCT_COUNT]; /* p95 and p99 over the horizon of the steps' p95 and p99 (p50: of their p50) */
    double itl_ms[TS_PCT_COUNT];
    int64_t slo_steps;        /* steps over a target of the SLO */
    double slo_minutes;       /* those steps x the step, in minutes */
    int64_t beyond_steps;     /* steps whose load per replica is above the profile's last point */
    double beyond_minutes;
    double worst_ttft_p95_ms; /* the worst step's */
    double worst_itl_p95_ms;
} ts_latency_kpis;

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
    int64_t max_replicas;     /* the burst ceiling */
    int64_t floor_replicas;   /* always on: provisioned during at least 95 % of the steps */
    ts_queue_kpis queue;      /* filled by ts_simulate_plan (ts_simulate_queue); zero elsewhere */
    int has_forecast;         /* the policy forecasts demand (predictive) */
    int64_t forecast_hours;   /* hours whose forecast was scored */
    double forecast_mape_pct; /* its mean absolute percentage error over them */
    double forecast_wape_pct; /* Σ |error| / Σ demand over them: MAPE without the blow-up of quiet hours */
    ts_latency_kpis latency;  /* with a latency profile and an SLO (ts_simulate_latency); zero elsewhere */
} ts_kpis;

/* One pool to simulate. */
typedef struct ts_sim_input {
    ts_series demand;
    double tps_eff;
    int64_t gpu_count;
    const ts_policy *policy;  /* its type is the autoscaler */
    int has_initial_replicas;
    int64_t initial_replicas;
    /* The cold start of a new replica (README, "Cold starts"); without
     * has_cold, the policy's warmup_s for every replica. */
    int has_cold;
    int64_t cold_median_s;    /* the median, in place of warmup_s */
    double cold_sigma;        /* > 0: log-normal spread, each replica drawing its own */
    uint64_t cold_seed;       /* the pool's stream of draws */
    int64_t start_s;          /* unix seconds, UTC, of t = 0 (the demand's start): a
                               * schedule's clock; 0 (a Thursday) when unknown */
    const ts_latency_profile *latency; /* the pool's latency profile, or NULL */
} ts_sim_input;

/* Called for every event: TS_OK goes on; any other status stops the
 * simulation, which returns it (TS_ENOMEM for a callback that could not
 * keep the event, TS_ERUNTIME for one that stopped it). */
typedef ts_status (*ts_event_fn)(void *ctx, const ts_event *ev);
/* Called for every step when not NULL, with the same contract. */
typedef ts_status (*ts_step_fn)(void *ctx, const ts_step *st);

/* Workspace of one simulation: utilization samples, warming replica groups,
 * policy state. Allocated once, reused across pools; grows only between
 * runs. ts_sim_workspace_new returns NULL when out of memory. */
typedef struct ts_sim_workspace ts_sim_workspace;
ts_sim_workspace *ts_sim_workspace_new(void);
void ts_sim_workspace_free(ts_sim_workspace *ws);

/* Number of steps K of §5 for a series and a step of interval_s. */
int64_t ts_sim_steps(const ts_series *D, int64_t interval_s);

/* §5 and §6 for one pool (the seed's simulate_autoscaler), with the pool's
 * policy. Returns TS_OK; TS_EINPUT for an empty series, tps_eff <= 0 or an
 * interval below 1 s; TS_ENOMEM; or what a callback returned to stop it.
 * Pure apart from the callbacks. */
ts_status ts_simulate_autoscaler(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event,
                                 ts_step_fn on_step, void *ctx, ts_kpis *out);

/* A stretch of steps [k0, k1) of one pool over which demand, ready and
 * provisioned replicas stay the same (step k is at t = k x the policy's
 * step). */
typedef struct ts_span {
    int64_t k0, k1;
    double demand;            /* d, tokens/hour */
    int64_t ready;            /* R */
    int64_t provisioned;      /* N (ready and warming) */
    double capacity;          /* C = R x tokens/hour per replica */
} ts_span;

/* Called for every span, in time order: TS_OK goes on; any other status
 * stops the replay, which returns it. */
typedef ts_status (*ts_span_fn)(void *ctx, const ts_span *s);

/* Rebuilds the steps a simulation of in went through from its events (as
 * ts_simulate_autoscaler gave them), span by span, in O(changes) rather than
 * O(steps): the demand, ready, provisioned and capacity of every step equal
 * the simulator's. Returns TS_OK; TS_EINPUT for an input the simulator
 * refuses or events that are not this pool's (off the step grid, out of
 * order, or not following from the replicas before them); TS_ENOMEM;
 * TS_ERUNTIME when on_span stopped it. Pure apart from the callback. */
ts_status ts_simulate_replay(const ts_sim_input *in, const ts_event *ev, size_t n, ts_span_fn on_span, void *ctx);

/* The fluid queue of a simulation of in, from its events (the spans of
 * ts_simulate_replay): per step, demand arrives and ready capacity serves,
 * first in first out; what capacity cannot serve waits. With
 * sla->has_max_queue_s, a token that arrives when the work ahead of it
 * would take longer than max_queue_s at the capacity then ready is
 * dropped. Fills out (delays exact for the fluid model: the waiting time
 * of each token from the cumulative arrival and departure curves).
 * Returns TS_OK, TS_EINPUT (as ts_simulate_replay) or TS_ENOMEM. */
ts_status ts_simulate_queue(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla,
                            ts_queue_kpis *out);

/* Latency profiles (README, "Latency service levels"). The percentile of
 * metric (0: TTFT, 1: ITL) that profile pr has at every point: pct when
 * it does, else the nearest it has, higher first (p95 asked, p99 given);
 * TS_NOT_FOUND when it has none. */
int ts_latency_column(const ts_latency_profile *pr, int metric, int pct);
/* The latency (ms) of metric at column col (ts_latency_column's) when one
 * replica serves x output tokens/s: linear between the points around x,
 * the first's below them, the last's above them (*beyond set to 1 there,
 * else 0; beyond may be NULL). */
double ts_latency_at(const ts_latency_profile *pr, int metric, int col, double x, int *beyond);
/* The highest output tokens/s of pr at which every target of slo holds
 * (searched over the points and where each segment crosses a target, so
 * a profile whose latency dips is read as it is); 0 when none does, or
 * when slo sets no target pr can answer. */
double ts_latency_slo_tps(const ts_latency_profile *pr, const ts_slo *slo);
/* The share of its KV cache a replica serving x output tokens/s holds, by
 * Little's law on profile pr: its running requests, x / L requests a
 * second each in the replica for TTFT + L x ITL (the medians at x, L the
 * profile's mean output length), over those at the profile's last point,
 * which the benchmark drove to its saturation; 0 to 1. Without lengths in
 * the profile, the ITL's share alone (x x ITL). */
double ts_latency_kv_used(const ts_latency_profile *pr, double x);

/* The latency KPIs of a simulation of in (in->latency set) from its
 * events, with the fluid queue's waits of sla added to TTFT, against slo;
 * the queue's own KPIs, as ts_simulate_queue gives them, in *queue when
 * it is not NULL (one walk of the queue for both). Returns TS_OK,
 * TS_EINPUT (as ts_simulate_replay, or no profile) or TS_ENOMEM; out (and
 * *queue) are zero on failure. */
ts_status ts_simulate_latency(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla,
                              const ts_slo *slo, ts_queue_kpis *queue, ts_latency_kpis *out);

/* The input of plan row i simulated with policy p (NULL: the model's own),
 * pointing into in and plan. */
void ts_plan_sim_input(const ts_inputs *in, const ts_plan *plan, size_t i, const ts_policy *p, ts_sim_input *out);

/* An autoscaler policy: one descriptor per file under src/policy/, listed
 * in the registry. Its layout is the library's own (src/sim/policy_type.h,
 * where the simulator defines what a policy implements); here it has a
 * name and a summary. */
const char *ts_policy_type_name(const ts_policy_type *t);
const char *ts_policy_type_summary(const ts_policy_type *t);
/* Whether t runs in `compare` only when named (the schedule: without its
 * windows it does nothing worth comparing). */
bool ts_policy_type_opt_in(const ts_policy_type *t);

/* The registry: every policy tapscale knows, in a fixed order. Returns the
 * array and its length in *n. */
const ts_policy_type *const *ts_policy_types(size_t *n);
/* The policy of that name ("threshold", "hpa", "kpa", "predictive",
 * "schedule"), or
 * NULL. */
const ts_policy_type *ts_policy_type_find(const char *name);
/* The settings of policy t inside p (its autoscaling.<t->name>: section), in
 * the layout t's file defines; NULL when t is not registered. */
void *ts_policy_settings_of(ts_policy *p, const ts_policy_type *t);
const void *ts_policy_settings_get(const ts_policy *p, const ts_policy_type *t);

/* The ideal autoscaler (the least replica time with which any autoscaler
 * knowing the future, bound by the same step grid and warm-up, serves every
 * step) and the fixed fleet (the replicas the peak step needs, rented all
 * along) of one pool. See src/sim/ideal.h for the derivation. */
typedef struct ts_bounds {
    int64_t steps;                /* K, on the policy's step grid */
    int64_t lead_steps;           /* L = max(1, ceil(warmup_s / step)) */
    int64_t ideal_replica_steps;  /* paid replica-steps of the ideal */
    int64_t ideal_starts;         /* replicas it starts after t = 0 */
    double ideal_replica_hours;
    int64_t fixed_replicas;       /* the peak step's need */
    double fixed_replica_hours;
    int64_t unservable_steps;     /* steps where even max_instances fall short */
} ts_bounds;

/* The bounds of one pool with its policy's step and warm-up. Returns TS_OK,
 * TS_EINPUT (as ts_simulate_autoscaler) or TS_ENOMEM. */
ts_status ts_simulate_bounds(const ts_sim_input *in, ts_sim_workspace *ws, ts_bounds *out);

/* ------------------------------------------------------- whole-fleet runs */

typedef struct ts_pool_result {
    const ts_policy *policy;  /* the policy simulated (borrowed from the inputs or the options) */
    ts_kpis kpis;
    ts_bounds bounds;         /* the ideal and the fixed fleet on the same grid */
    double ideal_gpu_hours;   /* bounds' replica-hours x gpu_count */
    double fixed_gpu_hours;
    int64_t start, end;       /* the horizon simulated, unix seconds (UTC) */
    double hours;             /* its length: steps x step / 3600 */
    ts_event *events;         /* when ts_sim_options.keep_events */
    size_t n_events;
    ts_step *steps;           /* when ts_sim_options.keep_steps */
    size_t n_steps;
    int has_cost;             /* the pool's GPU has a price; the costs below are valid */
    double cost;              /* replica_hours x instance price, over the horizon */
    double ideal_cost;        /* the ideal's replica-hours x price */
    double fixed_cost;        /* the fixed fleet's */
} ts_pool_result;

/* The hours of a 30-day month, the unit costs are normalised to. */
#define TS_MONTH_HOURS 720.0

/* v over a pool's horizon, normalised to a 30-day month (0 for an empty
 * horizon). */
double ts_per_month(const ts_pool_result *r, double v);

typedef struct ts_sim_results {
    ts_pool_result *pools;    /* parallel to ts_plan.rows */
    size_t n;
} ts_sim_results;

typedef struct ts_sim_options {
    /* Per plan row, the policy to simulate the pool with; NULL: each
     * model's own (ts_inputs_policy). compare and tune pass others. */
    const ts_policy *const *policies;
    int threads;              /* <= 0: all cores */
    int keep_events;          /* store each pool's events in its result */
    int keep_steps;           /* store each pool's steps in its result (the timeline) */
    /* Called after each pool with the number done (serialized; may be NULL). */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* Streaming the events: when events_write is not NULL, events_format
     * turns pool i's events into bytes (called by the thread that simulated
     * the pool, in parallel with others), and events_write receives those
     * bytes pool by pool in plan order, so a large fleet's events are never
     * all in memory. A non-TS_OK return of either stops the run with it. */
    ts_status (*events_format)(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *out);
    ts_status (*events_write)(void *ctx, const char *data, size_t len);
    void *events_ctx;
    /* Streaming the steps (the timeline): when steps_begin is not NULL, the
     * thread that simulates pool i calls steps_begin(steps_ctx, i, &sink)
     * first, steps_put(sink, step) for every step, and steps_end(sink, st)
     * last, also when the pool failed (st says how; end frees the sink).
     * Pools run in parallel, each with its own sink, so memory does not
     * grow with the steps. A non-TS_OK return of begin, put or end stops
     * the run with it (put's first, then end is called with it). */
    ts_status (*steps_begin)(void *ctx, size_t pool, void **sink);
    ts_status (*steps_put)(void *sink, const ts_step *st);
    ts_status (*steps_end)(void *sink, ts_status st);
    void *steps_ctx;
    /* After each pool: when pool_done is not NULL, the thread that
     * simulated pool i calls pool_done(pool_ctx, i, input, result, events,
     * out) (in parallel with other pools; result's events are the pool's,
     * whatever keep_events says), and the bytes it appends to out are
     * handed to pool_write(pool_write_ctx, ...) in plan order, as the
     * events are (out is NULL when pool_write is). A non-TS_OK return of either stops the run with it. */
    ts_status (*pool_done)(void *ctx, size_t pool, const ts_sim_input *si, const ts_pool_result *r, ts_buf *out);
    void *pool_ctx;
    ts_status (*pool_write)(void *ctx, const char *data, size_t len);
    void *pool_write_ctx;
} ts_sim_options;

/* Simulates every pool of the plan. Returns TS_OK, TS_ENOMEM, or the status
 * an events callback stopped it with; on failure *out is NULL. The caller
 * frees *out with ts_sim_results_free. */
ts_status ts_simulate_plan(const ts_inputs *in, const ts_plan *plan, const ts_sim_options *opt,
                           ts_sim_results **out);
void ts_sim_results_free(ts_sim_results *r);

/* One broken rule of one pool, with the sentence that says why. */
typedef struct ts_acceptance_reason {
    ts_rule rule;
    size_t pool;                         /* plan row */
    ts_verdict verdict;                  /* WARN or FAIL */
    char *text;                          /* "model m1: p95 utilization ..." */
} ts_acceptance_reason;

typedef struct ts_acceptance {
    ts_verdict rule[TS_RULE_COUNT];      /* worst over pools */
    ts_verdict overall;
    ts_verdict (*pool_rule)[TS_RULE_COUNT]; /* per plan row */
    ts_verdict *pool;                    /* per plan row */
    size_t n;
    ts_acceptance_reason *reasons;       /* by rule, then pool */
    size_t n_reasons;
} ts_acceptance;

/* §8 over a plan and its simulation, with the reason of every broken rule.
 * Returns TS_OK or TS_ENOMEM (then *out is NULL). The caller frees *out
 * with ts_acceptance_free. */
ts_status ts_accept(const ts_inputs *in, const ts_plan *plan, const ts_sim_results *res,
                    ts_acceptance **out);
void ts_acceptance_free(ts_acceptance *a);

/* -------------------------------------------------------------------- tune */

/* One setting searched: an autoscaling key (as ts_policy_set takes it) and
 * the values tried, as YAML text. */
typedef struct ts_tune_axis {
    char *key;
    char **values;
    size_t n, cap;
} ts_tune_axis;

/* The settings searched for one policy: the grid of its axes' values. */
typedef struct ts_tune_space {
    const ts_policy_type *type;
    ts_tune_axis *axes;
    size_t n, cap;
} ts_tune_space;

/* The default space of policy t, its own grid (README, "tapscale tune").
 * Returns TS_OK, TS_EINPUT when t has no default grid (said in d: tune it
 * with a space file) or TS_ENOMEM; free with ts_tune_space_free. */
ts_status ts_tune_space_default(const ts_policy_type *t, ts_tune_space **out, ts_diags *d);
/* The space `advise` searches for t: its grid of settings that its
 * Kubernetes object carries (the HPA's behavior in place of the legacy
 * rule), else its default grid. Returns as ts_tune_space_default. */
ts_status ts_tune_space_deployable(const ts_policy_type *t, ts_tune_space **out, ts_diags *d);
/* A space from a YAML file: a mapping of autoscaling keys (as ts_policy_set
 * takes them) to a list of values or a range {from, to, step}. Every value
 * is checked as the key in public_tap.yaml would be. Returns TS_OK,
 * TS_EINPUT (problems in d with file:line:col) or TS_ENOMEM. */
ts_status ts_tune_space_read(const ts_policy_type *t, const char *file, const char *text, size_t len,
                             ts_tune_space **out, ts_diags *d);
void ts_tune_space_free(ts_tune_space *s);
/* Appends value (YAML text, read and bounded as the key in public_tap.yaml
 * when a setting is evaluated) to the axis of key, adding the axis when s
 * has none; a value the axis holds is not added again. Returns TS_OK or
 * TS_ENOMEM. */
ts_status ts_tune_space_add(ts_tune_space *s, const char *key, const char *value);
/* The number of settings in the grid (saturating at SIZE_MAX). */
size_t ts_tune_space_size(const ts_tune_space *s);

typedef enum ts_tune_objective { TS_MINIMIZE_COST = 0, TS_MINIMIZE_GPU_HOURS = 1, TS_MINIMIZE_EVENTS = 2 } ts_tune_objective;

typedef struct ts_tune_options {
    double max_violation_minutes;   /* the service level: at most this (default 0) */
    int has_max_unserved_pct;
    double max_unserved_pct;        /* and at most this share of the tokens unserved */
    ts_tune_objective minimize;     /* cost falls back to GPU-hours for a pool without a price */
    size_t budget;                  /* most settings evaluated per pool; 0: 5000 */
    uint64_t seed;                  /* of the sampling when the grid exceeds the budget */
    int threads;                    /* <= 0: all cores; results identical for any count */
    int has_max_slo_minutes;        /* with a latency profile and an SLO: at most this many minutes */
    double max_slo_minutes;         /* over the SLO (default 0) */
} ts_tune_options;

/* One setting evaluated on one pool: its value index on each axis. */
typedef struct ts_tune_candidate {
    uint32_t *at;                   /* space->n indexes */
    ts_kpis kpis;
    double cost;                    /* over the horizon; valid if the pool has a price */
    double unserved_pct;
    double objective;
    int feasible;                   /* meets the service level */
} ts_tune_candidate;

typedef struct ts_tune_pool {
    ts_policy current;              /* the pool's policy, with the tuned type */
    ts_tune_candidate current_result; /* (at is NULL) */
    ts_tune_candidate *cand;        /* every setting evaluated, in evaluation order */
    size_t n, cap;
    size_t invalid;                 /* settings skipped: bounds between keys broken */
    long winner;                    /* index into cand of the cheapest feasible setting, or TS_NOT_FOUND */
    long closest;                   /* with no winner: the fewest violation-minutes, then objective */
    ts_policy best;                 /* the winner's (or closest's) policy */
    int exhaustive;                 /* 1: the whole grid was evaluated */
    double hours;                   /* the horizon simulated */
    ts_bounds bounds;               /* the ideal and the fixed fleet, on the current setting's grid */
} ts_tune_pool;

typedef struct ts_tune_result {
    const ts_tune_space *space;     /* borrowed */
    ts_tune_objective minimize;     /* the options' */
    ts_tune_pool *pools;            /* parallel to ts_plan.rows */
    size_t n;
} ts_tune_result;

/* Searches the space for each pool of the plan: the cheapest setting (by
 * opt->minimize) that meets the service level. The grid is evaluated whole
 * when it fits the budget; otherwise a seeded sample of half the budget,
 * then a descent over neighbouring values of one axis at a time from the
 * best points until no move improves or the budget is spent. Returns TS_OK
 * or TS_ENOMEM; free *out with ts_tune_result_free. */
ts_status ts_tune(const ts_inputs *in, const ts_plan *plan, const ts_tune_space *space, const ts_tune_options *opt,
                  ts_tune_result **out);
void ts_tune_result_free(ts_tune_result *r);

/* ------------------------------------------------------------------ advise */

/* One way to serve a pool: a fixed fleet, or one policy tuned. */
typedef struct ts_advice_row {
    const ts_policy_type *type;     /* the policy tuned; NULL for the fixed fleet */
    ts_policy policy;               /* its setting (the fixed fleet: the pool's policy at min = max = count) */
    int64_t count;                  /* the fixed fleet's replicas (0 for a policy) */
    ts_kpis kpis;                   /* as `run` simulates the setting */
    double cost;                    /* over the horizon, when the pool has a price */
    double unserved_pct;            /* of the tokens demanded */
    double objective;               /* what is minimized: cost, or GPU-hours without a price */
    int feasible;                   /* meets the service level */
    size_t evaluated;               /* settings (the fixed fleet: counts) simulated */
    int exhaustive;                 /* 1: the whole space was evaluated */
    char setting[512];              /* the values searched, "key=value ..." ("" for the fixed fleet) */
} ts_advice_row;

#define TS_ADVICE_MAX_ROWS (TS_POLICY_MAX + 1)

typedef struct ts_advice_pool {
    ts_advice_row rows[TS_ADVICE_MAX_ROWS]; /* ranked: meeting the level first, by objective */
    size_t n_rows;
    long winner;                    /* index into rows, or TS_NOT_FOUND: no way meets the level */
    int has_price;
    double price;                   /* per instance-hour */
    double hours;                   /* the horizon simulated */
    ts_bounds bounds;               /* the ideal and the peak's fleet, with the pool's own floor */
    int64_t floor;                  /* that floor (min_instances_per_model of the pool's policy) */
    int64_t ceiling;                /* the pool's max_instances_per_model */
    double demand_peak_to_mean;     /* the demand's peak over its mean (0 for no demand) */
} ts_advice_pool;

typedef struct ts_advice {
    ts_tune_options opt;            /* the service level, objective and budget used */
    ts_advice_pool *pools;          /* parallel to ts_plan.rows */
    size_t n;
} ts_advice;

/* Ranks every way to serve each pool of the plan: the fixed fleet (the
 * fewest replicas, within the pool's min and max, held the whole horizon,
 * that meet the service level: a binary search, its violations falling
 * with the count) and each policy of types[0..n_types-1] (NULL: every
 * registered policy with a default grid) tuned over its default grid
 * widened by floors (the pool's min and 1/4, 1/2, 3/4 of the fixed fleet)
 * and ceilings (the pool's max and the fixed fleet), each setting ranked
 * as ts_tune ranks it and the best simulated again as `run` would. With
 * opt->budget 0 a policy's search takes at most 2000 settings. Returns
 * TS_OK or TS_ENOMEM; free *out with ts_advice_free. */
ts_status ts_advise(const ts_inputs *in, const ts_plan *plan, const ts_tune_options *opt,
                    const ts_policy_type *const *types, size_t n_types, ts_advice **out);
void ts_advice_free(ts_advice *a);

#ifdef __cplusplus
}
#endif
#endif /* TAPSCALE_H */
