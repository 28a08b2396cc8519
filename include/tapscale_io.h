/*
 * tapscale_io.h — the files around the core API (tapscale.h), as Lua keeps
 * lauxlib.h beside lua.h: rendering the output files, the output folder that
 * changes all at once, and importing request traces as demand series. The
 * tapscale tool is written on these two headers alone.
 *
 * Renderers append one output file's whole text to a ts_buf; every number
 * goes through the §7 formatter and rows follow the plan's order (models by
 * id). An allocation failure sets the buffer's sticky oom flag.
 */
#ifndef TAPSCALE_IO_H
#define TAPSCALE_IO_H

#include "tapscale.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------- files and memory */

/* Reads the regular file path whole, as the inputs are read (no FIFO or
 * device, at most 4 GiB, no NUL byte), into *data (NUL-terminated; the
 * caller frees it with ts_mem_free) and *len. Returns TS_OK, TS_EINPUT
 * with "PATH: cannot read: REASON (expected a readable file)" or the NUL
 * byte's place in d, or TS_ENOMEM. */
ts_status ts_file_load(const char *path, char **data, size_t *len, ts_diags *d);

/* The library's allocator, for a caller that wants its allocations counted
 * with the library's (the allocation-failure test build fails the one it
 * is told to): NULL when out of memory. Free with ts_mem_free. */
void *ts_mem_alloc(size_t n, size_t size);
void ts_mem_free(void *p);

/* ----------------------------------------------------------- renderers */

/* The header line of the events file: the seed's nine columns (§5). */
#define TS_EVENTS_HEADER \
    "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct\n"
/* The header with the ready times (--ready-times): for a scale-up, when
 * its first and its last new replica serve. */
#define TS_EVENTS_READY_HEADER \
    "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct," \
    "ready_first,ready_last\n"

void ts_render_plan_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b);
void ts_render_gpu_choice_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b);
/* The events file (header and rows) from results kept with keep_events:
 * the seed's nine columns, and with ready_times the two ready times. */
void ts_render_events_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, int ready_times,
                          ts_buf *b);
/* The rows of pool i's events (no header): a ts_sim_options.events_format
 * whose ctx is a ts_event_rows_ctx. */
typedef struct ts_event_rows_ctx {
    const ts_inputs *in;
    const ts_plan *plan;
    int ready_times; /* the columns of TS_EVENTS_READY_HEADER */
} ts_event_rows_ctx;
ts_status ts_render_event_rows(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *b);
void ts_render_kpis_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b);
#define TS_TIMELINE_HEADER \
    "timestamp,t_s,demand_tokens_per_hour,ready_replicas,warming_replicas,effective_capacity,util_pct,smoothed_util_pct," \
    "warming_ready_first,warming_ready_last\n"
/* One row of a timeline: the step st of a pool whose demand starts at
 * start (unix seconds). */
void ts_render_timeline_row(int64_t start, const ts_step *st, ts_buf *b);
/* Pool i's timeline (header and one row per step) from results kept with
 * keep_steps. */
void ts_render_timeline_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i,
                            ts_buf *b);
/* A file name for a pool's timeline: "timeline_<model with / as _>.csv". */
void ts_timeline_name(const char *model, char *buf, size_t size);
/* Whether every pool of the plan has a --timeline file name of its own that
 * a file system accepts: two ids that differ only where the name has '_'
 * would write the same file. Returns TS_OK, or TS_EINPUT with a diagnostic
 * at each offending model's declaration. */
ts_status ts_timeline_names_check(const ts_inputs *in, const ts_plan *plan, ts_diags *d);
void ts_render_summary_json(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                            const ts_acceptance *a, ts_buf *b);
void ts_render_summary_md(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                          const ts_acceptance *a, ts_buf *b);
/* The table `tapscale run` prints: one line per pool, the reasons of the
 * verdict, and the verdict. */
void ts_render_run_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                         const ts_acceptance *a, ts_buf *b);
/* The policy comparison: one row per pool and compared setting (names[j]:
 * a policy or a variant), pools in plan order, settings in the given order:
 * model,gpu,policy,step_s, then the KPI columns of consolidated_kpis.csv. */
void ts_render_compare_csv(const ts_inputs *in, const ts_plan *p, const char *const *names,
                           const ts_sim_results *const *results, size_t n, ts_buf *b);
/* The same as a side-by-side text table for a terminal. */
void ts_render_compare_table(const ts_inputs *in, const ts_plan *p, const char *const *names,
                             const ts_sim_results *const *results, size_t n, ts_buf *b);

/* tune's files: every setting evaluated per pool (its axis values, whether
 * it meets the service level, its KPIs and cost), and the settings no other
 * beats on both cost (the objective) and violation-minutes. */
void ts_render_tune_candidates_csv(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t, ts_buf *b);
void ts_render_tune_pareto_csv(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t, ts_buf *b);
/* What `tapscale tune` prints: per pool the current setting, the winner
 * (or that none meets the service level, and the closest), the ideal and
 * the fixed fleet, per 30-day month. */
void ts_render_tune_table(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t,
                          const ts_tune_options *o, ts_buf *b);
/* public_tap.yaml (file, text) with its models: section rewritten: every
 * pool's winning setting as the model's own autoscaling (whole, so that
 * `run` with it reproduces tune's KPIs exactly), and the other models'
 * own settings kept. Returns TS_OK, TS_EINPUT (the text does not parse) or
 * TS_ENOMEM. */
ts_status ts_render_tuned_public_tap(const char *file, const char *text, size_t len, const ts_inputs *in,
                                     const ts_plan *p, const ts_tune_result *t, ts_buf *b, ts_diags *d);

/* advise's outputs. The table `tapscale advise` prints: per pool the
 * sentence saying what to rent and run (and why, when the fixed fleet
 * wins), then every way ranked with its cost and GPU-hours per month,
 * violation-minutes, share unserved, p99 wait, scale events and ratio to
 * the ideal, and the ideal with the floor it assumes. */
void ts_render_advice_table(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b);
/* The same as advice.md. */
void ts_render_advice_md(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b);
/* The same as advice.csv: a row per way and pool, the ideal last. */
void ts_render_advice_csv(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b);

/* The kind of object a fixed fleet or an HPA winner is written as. */
typedef enum ts_manifest_format { TS_MANIFEST_HPA = 0, TS_MANIFEST_KEDA = 1 } ts_manifest_format;
/* Pool i's way as the object a user deploys: the winner (or the closest),
 * or the best way a Kubernetes object can hold when the winner is a
 * policy of tapscale's own (threshold, predictive; the file says so). A
 * fixed fleet or an HPA winner is a HorizontalPodAutoscaler (autoscaling/
 * v2) or, with f TS_MANIFEST_KEDA, a KEDA ScaledObject; a KPA winner a
 * Knative Service. Its annotation tapscale.dev/autoscaling holds the whole
 * setting, so `--manifest` reads back the simulation the table shows. */
void ts_render_advice_manifest(const ts_inputs *in, const ts_plan *p, const ts_advice *a, size_t i,
                               ts_manifest_format f, ts_buf *b);
/* public_tap.yaml (file, text) with every pool's winner (or, named in a
 * comment as missing the level, its closest way) as its model's whole
 * autoscaling, each model under the sentence of its advice. Returns TS_OK,
 * TS_EINPUT (the text does not parse) or TS_ENOMEM. */
ts_status ts_render_advised_public_tap(const char *file, const char *text, size_t len, const ts_inputs *in,
                                       const ts_plan *p, const ts_advice *a, ts_buf *b, ts_diags *d);

/* Every setting of public_tap.yaml (autoscaling, each policy's section,
 * runtime) as Markdown tables: key, type and bounds, default, meaning. */
void ts_render_settings_md(ts_buf *b);

/* ---------------------------------------------------------------- report */

/* report.html: one self-contained page (scripts, styles and data inline)
 * that pictures a run, a comparison or a tuning, and the rollup file, per
 * pool and hour (or day), for people who read CSV.
 *
 * Use: ts_report_new; for each simulated setting ts_report_setting_add,
 * and pass ts_report_pool as the ts_sim_options.pool_done of its simulation
 * (pool_ctx: the value ts_report_setting_add gives); then ts_report_finish
 * with the results, which pictures the worst pools in detail (simulating
 * them once more), and ts_render_report_html. */
typedef struct ts_report ts_report;
typedef enum ts_report_kind { TS_REPORT_RUN = 0, TS_REPORT_COMPARE = 1, TS_REPORT_TUNE = 2 } ts_report_kind;

/* Pools drawn in detail (the worst first; the overview lists all), the
 * most time buckets of a detailed chart and of a sparkline. */
#define TS_REPORT_DETAIL_POOLS 50
#define TS_REPORT_BUCKETS 1500
#define TS_REPORT_SPARK 96
/* Pools with a what-if panel (the worst first): each carries its demand,
 * 460 KB of base64 for a minute month. */
#define TS_REPORT_WHATIF_POOLS 10

/* Returns TS_OK or TS_ENOMEM; free *out with ts_report_free. */
ts_status ts_report_new(const ts_inputs *in, const ts_plan *plan, ts_report_kind kind, ts_report **out);
void ts_report_free(ts_report *r);
/* Adds a simulated setting named name; *pool_ctx is what its pool_done
 * takes. Returns TS_OK or TS_ENOMEM. */
ts_status ts_report_setting_add(ts_report *r, const char *name, void **pool_ctx);
/* A ts_sim_options.pool_done: the pool's sparkline, and for a run its
 * rollup rows appended to rows (unless rows is NULL). Returns TS_OK, TS_EINPUT
 * (events not the pool's) or TS_ENOMEM. */
ts_status ts_report_pool(void *pool_ctx, size_t pool, const ts_sim_input *si, const ts_pool_result *res, ts_buf *rows);
/* The rollup file's name — "rollup_hourly.csv", or "rollup_daily.csv" when
 * a pool's horizon exceeds 92 days — and its header line. */
const char *ts_report_rollup_name(const ts_report *r);
void ts_report_rollup_header(const ts_report *r, ts_buf *b);
/* After the simulations: res[j] are setting j's results; acc the run's
 * verdicts (or NULL), tune the tuning (or NULL). Orders the pools worst
 * first and pictures the first TS_REPORT_DETAIL_POOLS in detail. Returns
 * TS_OK, TS_EINPUT or TS_ENOMEM. */
ts_status ts_report_finish(ts_report *r, const ts_sim_results *const *res, const ts_acceptance *acc,
                           const ts_tune_result *tune);
/* report.html, whole. */
void ts_render_report_html(const ts_report *r, ts_buf *b);

/* ------------------------------------------------------- output folder */

/* An output folder replaced whole or not at all: the files of a run go to
 * a new folder beside dir (with .tapscale-outputs, the list of them), which
 * ts_outdir_commit puts in dir's place with one rename; ts_outdir_free
 * without a commit removes it and leaves dir as it was. An existing dir is
 * replaced only when tapscale wrote everything in it (open fails with
 * TS_EINPUT naming each other file), and the old folder's files are
 * removed after the commit. Every function returns TS_OK, TS_EINPUT (a
 * name or folder that cannot be used), TS_ERUNTIME (an I/O failure, said
 * in d) or TS_ENOMEM. */
typedef struct ts_outdir ts_outdir;
ts_status ts_outdir_open(const char *dir, ts_outdir **out, ts_diags *d);
ts_status ts_outdir_put(ts_outdir *o, const char *name, const ts_buf *content, ts_diags *d);
/* A file written in pieces: begin, write any number of times, end. Only one
 * file is open at a time; its SHA-256 is computed as it is written. A failed
 * write is reported by ts_outdir_end. */
ts_status ts_outdir_begin(ts_outdir *o, const char *name, ts_diags *d);
/* (A name is one path component of at most NAME_MAX bytes, not starting
 * with a dot, and not used before in this run: otherwise TS_EINPUT.) */
ts_status ts_outdir_write(ts_outdir *o, const char *data, size_t len);
ts_status ts_outdir_end(ts_outdir *o, ts_diags *d);
/* A file written in parallel with others (one per thread, each its own
 * name): open, write, close. Open and close may be called from several
 * threads at once (they take the folder's lock, also around their
 * diagnostics in d); write only by the thread that holds the file. Close
 * frees f, also on failure. */
typedef struct ts_outdir_file ts_outdir_file;
ts_status ts_outdir_file_open(ts_outdir *o, const char *name, ts_outdir_file **f, ts_diags *d);
ts_status ts_outdir_file_write(ts_outdir_file *f, const char *data, size_t len);
ts_status ts_outdir_file_close(ts_outdir_file *f, ts_diags *d);
/* Appends "sha256  name" lines for every file closed so far, in byte order
 * of the names (the list of .tapscale-outputs is in the same order). */
void ts_outdir_sums(const ts_outdir *o, ts_buf *b);
ts_status ts_outdir_commit(ts_outdir *o, ts_diags *d);
void ts_outdir_free(ts_outdir *o);

/* The timelines streamed into an output folder, one file per pool, while
 * the pools are simulated: give ts_timeline_begin, _put and _end as
 * ts_sim_options.steps_begin, _put and _end, with steps_ctx a
 * ts_timeline_stream that outlives the run. Each pool's rows are written in
 * chunks of 64 KiB, so memory grows with threads, not steps. */
typedef struct ts_timeline_stream {
    const ts_inputs *in;
    const ts_plan *plan;
    ts_outdir *out;
    ts_diags *d;          /* written under the folder's lock */
} ts_timeline_stream;
ts_status ts_timeline_begin(void *stream, size_t pool, void **sink);
ts_status ts_timeline_put(void *sink, const ts_step *st);
ts_status ts_timeline_end(void *sink, ts_status st);

/* -------------------------------------------------------- trace import */

/* Parses an ISO 8601 UTC time ("2025-01-01T00:00:00Z", "2025-01-01 00:00",
 * "2025-01-01") into whole seconds since the epoch. Returns TS_OK, or
 * TS_EINPUT when s is not such a time. */
ts_status ts_parse_utc(const char *s, int64_t *secs);

typedef enum ts_trace_format {
    TS_TRACE_AZURE = 0,      /* Azure LLM inference trace: TIMESTAMP,ContextTokens,GeneratedTokens */
    TS_TRACE_SERVEGEN = 1,   /* ServeGen windows: model,hour_offset,...,input_tokens_est,output_tokens_est */
    TS_TRACE_CSV = 2,        /* any request log in CSV: the fields named in the options */
    TS_TRACE_JSONL = 3,      /* any request log in JSON Lines: likewise */
    TS_TRACE_MOONCAKE = 4,   /* Mooncake: JSONL timestamp (ms), input_length, output_length */
    TS_TRACE_BURSTGPT = 5,   /* BurstGPT: Timestamp (s), Model, Request tokens, Response tokens, Log Type */
    TS_TRACE_PROMETHEUS = 6  /* the JSON of a Prometheus query_range call */
} ts_trace_format;
typedef enum ts_token_kind { TS_TOKENS_OUTPUT = 0, TS_TOKENS_INPUT = 1, TS_TOKENS_TOTAL = 2 } ts_token_kind;
typedef enum ts_time_unit { TS_TIME_S = 0, TS_TIME_MS = 1, TS_TIME_US = 2, TS_TIME_ISO = 3 } ts_time_unit;

typedef struct ts_trace_options {
    ts_trace_format format;
    ts_token_kind tokens;
    int64_t interval_s;        /* bucket width of request logs */
    double scale;              /* multiplies every rate */
    const char *model;         /* model id of every row, when the trace names none (or renames --select's) */
    const char *select;        /* only this model of the trace, or NULL */
    int has_start;             /* times are offsets from start (Mooncake and BurstGPT always are) */
    int64_t start;             /* unix seconds of offset 0 (default 2025-01-01T00:00:00Z) */
    int header;                /* write the header line */
    /* csv, jsonl: the fields of a request */
    const char *time_field;
    ts_time_unit time_unit;
    const char *tokens_field;  /* the token count of a request */
    const char *model_field;   /* the model of a request, or NULL (then model) */
    /* prometheus */
    const char *label;         /* the label naming the model (default model_name) */
    int counter;               /* the values are a counter: turned into a rate */
} ts_trace_options;

/* The most buckets one model's series may span (a guard against a stray
 * timestamp far from the others). */
#define TS_TRACE_MAX_BUCKETS 10000000
/* Errors in one file after which reading it stops. */
#define TS_TRACE_MAX_ERRORS 20

/* Aggregates a trace into rows "timestamp,model,demand_tokens_per_hour"
 * appended to out: request logs counted in buckets of interval_s, windowed
 * and Prometheus series at their own step; one series per model, models by
 * id. Returns TS_OK, TS_EINPUT (problems in d, at most TS_TRACE_MAX_ERRORS
 * per file) or TS_ENOMEM; notes (gaps, NaN, counter resets) go to d as
 * warnings. */
ts_status ts_trace_import(const char *path, const ts_trace_options *opt, ts_buf *out, ts_diags *d);

/* The format of the trace at path, from its first line: a preset by the
 * columns or fields only it has (azure, burstgpt, servegen, mooncake as
 * CSV or JSON Lines, a Prometheus result), else csv or jsonl (a request
 * log whose fields the options name). Returns TS_OK with *out and in why
 * (size bytes) what decided it, or TS_EINPUT with why saying what is wrong
 * (unreadable, empty, a header two presets fit). */
ts_status ts_trace_sniff(const char *path, ts_trace_format *out, char *why, size_t size);
/* "azure (TIMESTAMP,ContextTokens,GeneratedTokens), ...": the presets a
 * CSV header is matched against, for messages. */
void ts_trace_presets_text(char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* TAPSCALE_IO_H */
