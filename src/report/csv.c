/*
 * csv.c — the CSV output files: the plan, the GPU choice, the events, the
 * KPIs, the policy comparison and the per-pool timeline, each a table of
 * columns (columns.h): one row per column, its name and its cell.
 */
#include "tapscale_io.h"
#include "report/columns.h"
#include "report/fields.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

/* A time as ISO 8601 UTC. */
static void put_time(ts_buf *b, int64_t t)
{
    char ts[32];
    ts_fmt_time(t, ts);
    ts_buf_puts(b, ts);
}

/* A number, or an empty cell when it does not exist. */
static void opt_double(ts_buf *b, int has, double v)
{
    if (has)
        ts_buf_double(b, v);
}

/* An integer, or an empty cell when it does not exist. */
static void opt_int(ts_buf *b, int has, int64_t v)
{
    if (has)
        ts_buf_int(b, v);
}

/* A cell of one row type from an expression of x, the row. */
#define CELL(fn, type, stmt)                                                                                    \
    static void fn(ts_buf *b, const void *row)                                                                  \
    {                                                                                                           \
        const type *x = row;                                                                                    \
        (void)x;                                                                                                \
        stmt;                                                                                                   \
    }

/* ------------------------------------------------------------------ plan */

typedef struct plan_row {
    const ts_inputs *in;
    const ts_plan_row *row;
} plan_row;

CELL(plan_model, plan_row, ts_buf_csv_field(b, x->in->demand[x->row->demand_index].model))
CELL(plan_gpu, plan_row, ts_buf_csv_field(b, x->in->cand[x->row->cand_index].gpu))
CELL(plan_avg, plan_row, ts_buf_double(b, x->row->r.avg_tokens_per_hour))
CELL(plan_peak, plan_row, ts_buf_double(b, x->row->r.peak_tokens_per_hour))
CELL(plan_tps, plan_row, ts_buf_double(b, x->row->r.tps))
CELL(plan_cap, plan_row, ts_buf_double(b, x->row->r.cap_tokens_per_hour_per_instance))
CELL(plan_needed, plan_row, ts_buf_int(b, x->row->r.instances_needed))
CELL(plan_target, plan_row, ts_buf_double(b, ts_inputs_policy(x->in, x->row->demand_index)->target_utilization_pct))
CELL(plan_violation, plan_row, ts_buf_puts(b, x->row->r.capacity_violation ? "true" : "false"))

static const ts_col plan_cols[] = {
    {"model", plan_model},
    {"gpu", plan_gpu},
    {"avg_tokens_per_hour", plan_avg},
    {"peak_tokens_per_hour", plan_peak},
    {"tps", plan_tps},
    {"cap_tokens_per_hour_per_instance", plan_cap},
    {"instances_needed", plan_needed},
    {"target_utilization_pct", plan_target},
    {"capacity_violation", plan_violation},
};

void ts_render_plan_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b)
{
    ts_cols_header(TS_COLS(plan_cols), b);
    ts_buf_putc(b, '\n');
    for (size_t i = 0; i < p->n; i++) {
        plan_row r = {in, &p->rows[i]};
        ts_cols_cells(TS_COLS(plan_cols), &r, b);
        ts_buf_putc(b, '\n');
    }
}

/* ------------------------------------------------------------ GPU choice */

typedef struct choice_row {
    const ts_inputs *in;
    const ts_candidate *c;
    const ts_gpu_choice *choice;
} choice_row;

CELL(ch_model, choice_row, ts_buf_csv_field(b, x->c->model))
CELL(ch_gpu, choice_row, ts_buf_csv_field(b, x->c->gpu))
CELL(ch_count, choice_row, ts_buf_int(b, x->c->gpu_count))
CELL(ch_tps, choice_row, ts_buf_double(b, x->c->tps_eff))
CELL(ch_source, choice_row, ts_buf_puts(b, x->c->heuristic ? "heuristic" : "measured"))
CELL(ch_basis, choice_row, ts_buf_csv_field(b, x->c->basis ? x->c->basis : ""))
CELL(ch_rows, choice_row, ts_buf_int(b, (int64_t)x->c->rows))
CELL(ch_price, choice_row, opt_double(b, x->c->has_price, x->c->instance_price_hr))
CELL(ch_currency, choice_row, if (x->c->has_price && x->in->currency) ts_buf_puts(b, x->in->currency))
CELL(ch_per_1m, choice_row, opt_double(b, x->c->has_price, x->c->cost_per_1m))
CELL(ch_chosen, choice_row, ts_buf_puts(b, x->choice->chosen ? "true" : "false"))
CELL(ch_reason, choice_row, ts_buf_csv_field(b, x->choice->reason ? x->choice->reason : ""))

CELL(ch_points, choice_row, opt_int(b, x->c->latency != NULL, x->c->latency ? (int64_t)x->c->latency->n : 0))
CELL(ch_slo_tps, choice_row, opt_double(b, x->c->has_slo_tps, x->c->slo_tps))
CELL(ch_slo_1m, choice_row,
     opt_double(b, x->c->has_slo_tps && x->c->has_price, x->c->instance_price_hr / (x->c->slo_tps * 3600.0 / 1e6)))

/* With latency profiles, the GPU choice ends with each candidate's
 * profile and its throughput and cost at the SLO. */
static const ts_col choice_slo_cols[] = {
    {"profile_points", ch_points},
    {"slo_tokens_per_sec", ch_slo_tps},
    {"slo_cost_per_1m_tokens", ch_slo_1m},
};

static const ts_col choice_cols[] = {
    {"model", ch_model},
    {"gpu", ch_gpu},
    {"gpu_count", ch_count},
    {"tps_eff", ch_tps},
    {"source", ch_source},
    {"basis", ch_basis},
    {"rows", ch_rows},
    {"instance_price_per_hour", ch_price},
    {"currency", ch_currency},
    {"cost_per_1m_tokens", ch_per_1m},
    {"chosen", ch_chosen},
    {"reason", ch_reason},
};

void ts_render_gpu_choice_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b)
{
    ts_cols_header(TS_COLS(choice_cols), b);
    if (in->n_profiles) {
        ts_buf_putc(b, ',');
        ts_cols_header(TS_COLS(choice_slo_cols), b);
    }
    ts_buf_putc(b, '\n');
    for (size_t i = 0; i < in->n_cand; i++) {
        choice_row r = {in, &in->cand[i], &p->choice[i]};
        ts_cols_cells(TS_COLS(choice_cols), &r, b);
        if (in->n_profiles) {
            ts_buf_putc(b, ',');
            ts_cols_cells(TS_COLS(choice_slo_cols), &r, b);
        }
        ts_buf_putc(b, '\n');
    }
}

/* ---------------------------------------------------------------- events */

typedef struct event_row {
    const char *model, *gpu;
    int64_t start;
    const ts_event *ev;
} event_row;

/* When replicas serve, the first or the last of them, as a time (seconds
 * after start); an empty cell when has is 0. */
static void ready_time(ts_buf *b, int has, int64_t start, int64_t t)
{
    if (has)
        put_time(b, start + t);
}

CELL(ev_time, event_row, put_time(b, x->start + (int64_t)x->ev->t_s))
CELL(ev_model, event_row, ts_buf_csv_field(b, x->model))
CELL(ev_gpu, event_row, ts_buf_csv_field(b, x->gpu))
CELL(ev_demand, event_row, ts_buf_double(b, x->ev->demand))
CELL(ev_capacity, event_row, ts_buf_double(b, x->ev->capacity))
CELL(ev_prev, event_row, ts_buf_int(b, x->ev->replicas_prev))
CELL(ev_new, event_row, ts_buf_int(b, x->ev->replicas_new))
CELL(ev_reason, event_row, ts_buf_puts(b, x->ev->reason == TS_SCALE_UP ? "scale_up" : "scale_down"))
CELL(ev_util, event_row, opt_double(b, x->ev->util_defined, x->ev->util_pct))
CELL(ev_first, event_row, ready_time(b, x->ev->reason == TS_SCALE_UP, x->start, x->ev->ready_first_s))
CELL(ev_last, event_row, ready_time(b, x->ev->reason == TS_SCALE_UP, x->start, x->ev->ready_last_s))

/* §5's nine columns, then the two of --ready-times (TS_EVENTS_HEADER and
 * TS_EVENTS_READY_HEADER, for a caller that streams the rows, are these
 * names: test_outputs holds them to it). */
static const ts_col event_cols[] = {
    {"timestamp", ev_time},
    {"model", ev_model},
    {"gpu", ev_gpu},
    {"demand_tokens_per_hour", ev_demand},
    {"effective_capacity", ev_capacity},
    {"replicas_prev", ev_prev},
    {"replicas_new", ev_new},
    {"reason", ev_reason},
    {"util_pct", ev_util},
    {"ready_first", ev_first},
    {"ready_last", ev_last},
};
#define SEED_EVENT_COLS 9

static void event_rows(const char *model, const char *gpu, int64_t start, const ts_event *ev, size_t n,
                       int ready_times, ts_buf *b)
{
    size_t cols = ready_times ? sizeof event_cols / sizeof event_cols[0] : SEED_EVENT_COLS;
    for (size_t e = 0; e < n; e++) {
        event_row r = {model, gpu, start, &ev[e]};
        ts_cols_cells(event_cols, cols, &r, b);
        ts_buf_putc(b, '\n');
    }
}

void ts_render_events_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, int ready_times,
                          ts_buf *b)
{
    ts_cols_header(event_cols, ready_times ? sizeof event_cols / sizeof event_cols[0] : SEED_EVENT_COLS, b);
    ts_buf_putc(b, '\n');
    for (size_t i = 0; i < p->n; i++) {
        const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
        const ts_pool_result *pr = &r->pools[i];
        event_rows(md->model, in->cand[p->rows[i].cand_index].gpu, md->start, pr->events, pr->n_events, ready_times,
                   b);
    }
}

ts_status ts_render_event_rows(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *b)
{
    const ts_event_rows_ctx *c = ctx;
    const ts_plan_row *row = &c->plan->rows[pool];
    const ts_model_demand *md = &c->in->demand[row->demand_index];
    event_rows(md->model, c->in->cand[row->cand_index].gpu, md->start, ev, n, c->ready_times, b);
    return b->oom ? TS_ENOMEM : TS_OK;
}

/* ------------------------------------------------------------------ KPIs */

/* A pool's KPI cells: in and r for the money and the queue, k for §6's
 * (the only part tune's candidates have). */
typedef struct kpi_row {
    const ts_inputs *in;
    const ts_pool_result *r;
    const ts_kpis *k;
} kpi_row;

#define K (x->k)
#define BD (&x->r->bounds)
#define Q (&x->k->queue)
CELL(k_events, kpi_row, ts_buf_int(b, K->scale_events))
CELL(k_avg, kpi_row, ts_buf_double(b, K->avg_util_pct))
CELL(k_p95, kpi_row, ts_buf_double(b, K->p95_util_pct))
CELL(k_viol, kpi_row, ts_buf_int(b, K->violations))
CELL(k_viol_min, kpi_row, ts_buf_double(b, K->violation_minutes))
CELL(k_unserved, kpi_row, ts_buf_double(b, K->unserved_tokens))
CELL(k_replica_h, kpi_row, ts_buf_double(b, K->replica_hours))
CELL(k_gpu_h, kpi_row, ts_buf_double(b, K->gpu_hours))
CELL(k_max, kpi_row, ts_buf_int(b, K->max_replicas))
CELL(k_cost, kpi_row, opt_double(b, x->r->has_cost, x->r->cost))
CELL(k_currency, kpi_row, if (x->r->has_cost && x->in->currency) ts_buf_puts(b, x->in->currency))
CELL(k_start, kpi_row, put_time(b, x->r->start))
CELL(k_end, kpi_row, put_time(b, x->r->end))
CELL(k_hours, kpi_row, ts_buf_double(b, x->r->hours))
CELL(k_month, kpi_row, opt_double(b, x->r->has_cost, ts_per_month(x->r, x->r->cost)))
CELL(k_floor, kpi_row, ts_buf_int(b, K->floor_replicas))
CELL(k_ideal_h, kpi_row, ts_buf_double(b, x->r->ideal_gpu_hours))
CELL(k_ideal_month, kpi_row, opt_double(b, x->r->has_cost, ts_per_month(x->r, x->r->ideal_cost)))
CELL(k_fixed, kpi_row, ts_buf_int(b, BD->fixed_replicas))
CELL(k_fixed_h, kpi_row, ts_buf_double(b, x->r->fixed_gpu_hours))
CELL(k_fixed_month, kpi_row, opt_double(b, x->r->has_cost, ts_per_month(x->r, x->r->fixed_cost)))
CELL(k_vs_ideal, kpi_row, opt_double(b, BD->ideal_replica_steps > 0, K->replica_hours / BD->ideal_replica_hours))
CELL(k_unservable, kpi_row, ts_buf_int(b, BD->unservable_steps))
CELL(q_p50, kpi_row, ts_buf_double(b, Q->delay_p50_s))
CELL(q_p95, kpi_row, ts_buf_double(b, Q->delay_p95_s))
CELL(q_p99, kpi_row, ts_buf_double(b, Q->delay_p99_s))
CELL(q_max, kpi_row, ts_buf_double(b, Q->delay_max_s))
CELL(q_backlog, kpi_row, ts_buf_double(b, Q->max_backlog_tokens))
CELL(q_delayed, kpi_row, opt_double(b, x->in->acceptance.sla.has_max_delay_s, Q->delayed_minutes))
CELL(q_dropped, kpi_row, ts_buf_double(b, Q->dropped_tokens))
CELL(q_left, kpi_row, ts_buf_double(b, Q->left_tokens))
CELL(f_mape, kpi_row, opt_double(b, K->has_forecast && K->forecast_hours > 0, K->forecast_mape_pct))
CELL(f_wape, kpi_row, opt_double(b, K->has_forecast && K->forecast_hours > 0, K->forecast_wape_pct))
#define L (&x->k->latency)
CELL(l_ttft95, kpi_row, opt_double(b, L->has, L->ttft_ms[TS_P95]))
CELL(l_ttft99, kpi_row, opt_double(b, L->has, L->ttft_ms[TS_P99]))
CELL(l_itl95, kpi_row, opt_double(b, L->has, L->itl_ms[TS_P95]))
CELL(l_itl99, kpi_row, opt_double(b, L->has, L->itl_ms[TS_P99]))
CELL(l_slo_min, kpi_row, opt_double(b, L->has, L->slo_minutes))
CELL(l_beyond_min, kpi_row, opt_double(b, L->has, L->beyond_minutes))
#undef L
#undef K
#undef BD
#undef Q

/* The latency columns the KPI files end with when a pool has a latency
 * profile and an SLO (README, "Latency service levels"); absent
 * otherwise, so files of inputs without one stay as they were. */
static const ts_col latency_cols[] = {
    {"ttft_p95_ms", l_ttft95},
    {"ttft_p99_ms", l_ttft99},
    {"itl_p95_ms", l_itl95},
    {"itl_p99_ms", l_itl99},
    {"slo_minutes", l_slo_min},
    {"beyond_profile_minutes", l_beyond_min},
};

/* Whether any pool of the results has latency KPIs. */
static int any_latency(const ts_sim_results *const *results, size_t n_settings)
{
    for (size_t j = 0; j < n_settings; j++)
        for (size_t i = 0; i < results[j]->n; i++)
            if (results[j]->pools[i].kpis.latency.has)
                return 1;
    return 0;
}

/* The KPI columns of consolidated_kpis.csv and policy_comparison.csv: §6's
 * (the first six also open tune's candidates), the money per month, the
 * always-on floor, the ideal and the fixed fleet, the fluid queue (README,
 * "Queueing delay"), a predictive policy's forecast error (empty for the
 * others and before a forecast was scored). */
static const ts_col kpi_cols[] = {
    {"scale_events", k_events},
    {"avg_util_pct", k_avg},
    {"p95_util_pct", k_p95},
    {"violations", k_viol},
    {"violation_minutes", k_viol_min},
    {"unserved_tokens", k_unserved},
    {"replica_hours", k_replica_h},
    {"gpu_hours", k_gpu_h},
    {"max_replicas", k_max},
    {"cost", k_cost},
    {"currency", k_currency},
    {"horizon_start", k_start},
    {"horizon_end", k_end},
    {"horizon_hours", k_hours},
    {"cost_per_month", k_month},
    {"floor_replicas", k_floor},
    {"ideal_gpu_hours", k_ideal_h},
    {"ideal_cost_per_month", k_ideal_month},
    {"fixed_replicas", k_fixed},
    {"fixed_gpu_hours", k_fixed_h},
    {"fixed_cost_per_month", k_fixed_month},
    {"gpu_hours_vs_ideal", k_vs_ideal},
    {"unservable_steps", k_unservable},
    {"queue_delay_p50_s", q_p50},
    {"queue_delay_p95_s", q_p95},
    {"queue_delay_p99_s", q_p99},
    {"queue_delay_max_s", q_max},
    {"max_backlog_tokens", q_backlog},
    {"delayed_minutes", q_delayed},
    {"dropped_tokens", q_dropped},
    {"left_tokens", q_left},
    {"forecast_mape_pct", f_mape},
    {"forecast_wape_pct", f_wape},
};
#define KPI_HEAD_COLS 6

void ts_render_kpi_head(const ts_kpis *k, ts_buf *b)
{
    kpi_row x = {NULL, NULL, k};
    ts_cols_cells(kpi_cols, KPI_HEAD_COLS, &x, b);
}

/* A pool's key in the KPI files: the model and the GPU, and in the
 * comparison the setting and its step. */
typedef struct pool_key {
    const ts_inputs *in;
    const ts_plan_row *row;
    const char *setting;
    const ts_pool_result *r;
} pool_key;

CELL(pk_model, pool_key, ts_buf_csv_field(b, x->in->demand[x->row->demand_index].model))
CELL(pk_gpu, pool_key, ts_buf_csv_field(b, x->in->cand[x->row->cand_index].gpu))
CELL(pk_setting, pool_key, ts_buf_csv_field(b, x->setting))
CELL(pk_step, pool_key, ts_buf_int(b, ts_policy_step_s(x->r->policy)))

static const ts_col pool_key_cols[] = {
    {"model", pk_model},
    {"gpu", pk_gpu},
    {"policy", pk_setting},
    {"step_s", pk_step},
};
#define KPIS_KEY_COLS 2 /* consolidated_kpis.csv: model, gpu */

/* The header and rows of a KPI file: the key's first n_key columns, then
 * the KPI columns, for each pool and setting. */
static void kpi_file(const ts_inputs *in, const ts_plan *p, const char *const *names,
                     const ts_sim_results *const *results, size_t n_settings, size_t n_key, ts_buf *b)
{
    int lat = any_latency(results, n_settings);
    ts_cols_header(pool_key_cols, n_key, b);
    ts_buf_putc(b, ',');
    ts_cols_header(TS_COLS(kpi_cols), b);
    if (lat) {
        ts_buf_putc(b, ',');
        ts_cols_header(TS_COLS(latency_cols), b);
    }
    ts_buf_putc(b, '\n');
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < n_settings; j++) {
            pool_key k = {in, &p->rows[i], names ? names[j] : NULL, &results[j]->pools[i]};
            kpi_row x = {in, &results[j]->pools[i], &results[j]->pools[i].kpis};
            ts_cols_cells(pool_key_cols, n_key, &k, b);
            ts_buf_putc(b, ',');
            ts_cols_cells(TS_COLS(kpi_cols), &x, b);
            if (lat) {
                ts_buf_putc(b, ',');
                ts_cols_cells(TS_COLS(latency_cols), &x, b);
            }
            ts_buf_putc(b, '\n');
        }
}

void ts_render_kpis_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    kpi_file(in, p, NULL, &r, 1, KPIS_KEY_COLS, b);
}

void ts_render_compare_csv(const ts_inputs *in, const ts_plan *p, const char *const *names,
                           const ts_sim_results *const *results, size_t n_policies, ts_buf *b)
{
    kpi_file(in, p, names, results, n_policies, sizeof pool_key_cols / sizeof pool_key_cols[0], b);
}

/* -------------------------------------------------------------- timeline */

typedef struct step_row {
    int64_t start;
    const ts_step *st;
} step_row;

CELL(st_time, step_row, put_time(b, x->start + (int64_t)x->st->t_s))
CELL(st_t, step_row, ts_buf_double(b, x->st->t_s))
CELL(st_demand, step_row, ts_buf_double(b, x->st->demand))
CELL(st_ready, step_row, ts_buf_int(b, x->st->ready))
CELL(st_warming, step_row, ts_buf_int(b, x->st->warming))
CELL(st_capacity, step_row, ts_buf_double(b, x->st->capacity))
CELL(st_util, step_row, opt_double(b, x->st->util_defined, x->st->util_pct))
CELL(st_smoothed, step_row, opt_double(b, x->st->smoothed_defined, x->st->smoothed_util_pct))
CELL(st_first, step_row, ready_time(b, x->st->warming > 0, x->start, x->st->warming_first_s))
CELL(st_last, step_row, ready_time(b, x->st->warming > 0, x->start, x->st->warming_last_s))

/* TS_TIMELINE_HEADER, for a caller that streams the rows, is these names
 * (test_outputs holds it to them). */
static const ts_col step_cols[] = {
    {"timestamp", st_time},
    {"t_s", st_t},
    {"demand_tokens_per_hour", st_demand},
    {"ready_replicas", st_ready},
    {"warming_replicas", st_warming},
    {"effective_capacity", st_capacity},
    {"util_pct", st_util},
    {"smoothed_util_pct", st_smoothed},
    {"warming_ready_first", st_first},
    {"warming_ready_last", st_last},
};

void ts_render_timeline_row(int64_t start, const ts_step *st, ts_buf *b)
{
    step_row r = {start, st};
    ts_cols_cells(TS_COLS(step_cols), &r, b);
    ts_buf_putc(b, '\n');
}

void ts_render_timeline_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i, ts_buf *b)
{
    int64_t start = in->demand[p->rows[i].demand_index].start;
    const ts_pool_result *pr = &r->pools[i];
    ts_cols_header(TS_COLS(step_cols), b);
    ts_buf_putc(b, '\n');
    for (size_t k = 0; k < pr->n_steps; k++)
        ts_render_timeline_row(start, &pr->steps[k], b);
}

void ts_timeline_name(const char *model, char *buf, size_t size)
{
    size_t k = 0;
    const char *prefix = "timeline_";
    for (const char *q = prefix; *q && k + 1 < size; q++)
        buf[k++] = *q;
    for (const char *q = model; *q && k + 5 < size; q++) {
        char c = *q;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        buf[k++] = ok ? c : '_';
    }
    snprintf(buf + k, size - k, ".csv");
}

ts_status ts_timeline_names_check(const ts_inputs *in, const ts_plan *plan, ts_diags *d)
{
    ts_status st = TS_OK;
    for (size_t i = 0; i < plan->n; i++) {
        const ts_model_demand *mi = &in->demand[plan->rows[i].demand_index];
        char ni[512], nj[512];
        ts_timeline_name(mi->model, ni, sizeof ni);
        if (strlen(mi->model) + strlen("timeline_.csv") > 255) {
            ts_err(d, mi->decl_file, mi->decl_line, mi->decl_col,
                   "model id is %zu bytes, too long for its --timeline file name (expected at most %zu bytes)",
                   strlen(mi->model), 255 - strlen("timeline_.csv"));
            st = TS_EINPUT;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const ts_model_demand *mj = &in->demand[plan->rows[j].demand_index];
            ts_timeline_name(mj->model, nj, sizeof nj);
            if (strcmp(ni, nj) != 0)
                continue;
            ts_err(d, mi->decl_file, mi->decl_line, mi->decl_col,
                   "model %s and model %s would both write %s with --timeline (expected ids that differ in a "
                   "letter, digit, '.' or '-')",
                   mj->model, mi->model, ni);
            st = TS_EINPUT;
            break;
        }
    }
    return st;
}
