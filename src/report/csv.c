/*
 * csv.c — the CSV output files: the plan, the GPU choice, the events, the
 * KPIs, the policy comparison and the per-pool timeline.
 */
#include "tapscale_io.h"
#include "report/fields.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

static const char *bool_str(int b)
{
    return b ? "true" : "false";
}

#define SEP(b) ts_buf_putc((b), ',')

void ts_render_plan_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,avg_tokens_per_hour,peak_tokens_per_hour,tps,cap_tokens_per_hour_per_instance,instances_needed,target_utilization_pct,capacity_violation\n");
    for (size_t i = 0; i < p->n; i++) {
        const ts_plan_row *row = &p->rows[i];
        const ts_planner_result *r = &row->r;
        ts_buf_csv_field(b, in->demand[row->demand_index].model);
        SEP(b);
        ts_buf_csv_field(b, in->cand[row->cand_index].gpu);
        SEP(b);
        ts_buf_double(b, r->avg_tokens_per_hour);
        SEP(b);
        ts_buf_double(b, r->peak_tokens_per_hour);
        SEP(b);
        ts_buf_double(b, r->tps);
        SEP(b);
        ts_buf_double(b, r->cap_tokens_per_hour_per_instance);
        SEP(b);
        ts_buf_int(b, r->instances_needed);
        SEP(b);
        ts_buf_double(b, ts_inputs_policy(in, row->demand_index)->target_utilization_pct);
        SEP(b);
        ts_buf_puts(b, bool_str(r->capacity_violation));
        ts_buf_putc(b, '\n');
    }
}

void ts_render_gpu_choice_csv(const ts_inputs *in, const ts_plan *p, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,gpu_count,tps_eff,source,basis,rows,instance_price_per_hour,currency,cost_per_1m_tokens,chosen,reason\n");
    for (size_t i = 0; i < in->n_cand; i++) {
        const ts_candidate *c = &in->cand[i];
        ts_buf_csv_field(b, c->model);
        SEP(b);
        ts_buf_csv_field(b, c->gpu);
        SEP(b);
        ts_buf_int(b, c->gpu_count);
        SEP(b);
        ts_buf_double(b, c->tps_eff);
        SEP(b);
        ts_buf_puts(b, c->heuristic ? "heuristic" : "measured");
        SEP(b);
        ts_buf_csv_field(b, c->basis ? c->basis : "");
        SEP(b);
        ts_buf_int(b, (int64_t)c->rows);
        SEP(b);
        if (c->has_price)
            ts_buf_double(b, c->instance_price_hr);
        SEP(b);
        if (c->has_price && in->currency)
            ts_buf_puts(b, in->currency);
        SEP(b);
        if (c->has_price)
            ts_buf_double(b, c->cost_per_1m);
        SEP(b);
        ts_buf_puts(b, bool_str(p->choice[i].chosen));
        SEP(b);
        ts_buf_csv_field(b, p->choice[i].reason ? p->choice[i].reason : "");
        ts_buf_putc(b, '\n');
    }
}

/* "FIRST,LAST": when replicas serve, the first and the last of them, as
 * times (seconds after start); two empty fields when has is 0. */
static void ready_pair(ts_buf *b, int has, int64_t start, int64_t first, int64_t last)
{
    char ts[32];
    if (has) {
        ts_fmt_time(start + first, ts);
        ts_buf_puts(b, ts);
    }
    SEP(b);
    if (has) {
        ts_fmt_time(start + last, ts);
        ts_buf_puts(b, ts);
    }
}

/* One row of the events file (§5), with its newline; with ready_times
 * the ready times after the seed's columns. */
static void event_row(ts_buf *b, const char *model, const char *gpu, int64_t start, const ts_event *ev,
                      int ready_times)
{
    char ts[32];
    ts_fmt_time(start + (int64_t)ev->t_s, ts);
    ts_buf_puts(b, ts);
    SEP(b);
    ts_buf_csv_field(b, model);
    SEP(b);
    ts_buf_csv_field(b, gpu);
    SEP(b);
    ts_buf_double(b, ev->demand);
    SEP(b);
    ts_buf_double(b, ev->capacity);
    SEP(b);
    ts_buf_int(b, ev->replicas_prev);
    SEP(b);
    ts_buf_int(b, ev->replicas_new);
    SEP(b);
    ts_buf_puts(b, ev->reason == TS_SCALE_UP ? "scale_up" : "scale_down");
    SEP(b);
    if (ev->util_defined)
        ts_buf_double(b, ev->util_pct);
    if (ready_times) {
        SEP(b);
        ready_pair(b, ev->reason == TS_SCALE_UP, start, ev->ready_first_s, ev->ready_last_s);
    }
    ts_buf_putc(b, '\n');
}

void ts_render_events_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, int ready_times,
                          ts_buf *b)
{
    ts_buf_puts(b, ready_times ? TS_EVENTS_READY_HEADER : TS_EVENTS_HEADER);
    for (size_t i = 0; i < p->n; i++) {
        const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
        const ts_candidate *c = &in->cand[p->rows[i].cand_index];
        const ts_pool_result *pr = &r->pools[i];
        for (size_t e = 0; e < pr->n_events; e++)
            event_row(b, md->model, c->gpu, md->start, &pr->events[e], ready_times);
    }
}

ts_status ts_render_event_rows(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *b)
{
    const ts_event_rows_ctx *c = ctx;
    const ts_plan_row *row = &c->plan->rows[pool];
    const ts_model_demand *md = &c->in->demand[row->demand_index];
    const char *gpu = c->in->cand[row->cand_index].gpu;
    for (size_t e = 0; e < n; e++)
        event_row(b, md->model, gpu, md->start, &ev[e], c->ready_times);
    return b->oom ? TS_ENOMEM : TS_OK;
}

/* The columns after the seed's KPI columns: the horizon, the money per
 * month, the always-on floor, the ideal and the fixed fleet. */
#define MONEY_COLUMNS                                                                                            \
    "horizon_start,horizon_end,horizon_hours,cost_per_month,floor_replicas,ideal_gpu_hours,ideal_cost_per_month," \
    "fixed_replicas,fixed_gpu_hours,fixed_cost_per_month,gpu_hours_vs_ideal,unservable_steps"

/* The fluid queue's columns (README, "Queueing delay"). */
#define QUEUE_COLUMNS                                                                                            \
    "queue_delay_p50_s,queue_delay_p95_s,queue_delay_p99_s,queue_delay_max_s,max_backlog_tokens,delayed_minutes," \
    "dropped_tokens,left_tokens"

/* The forecast's error of a predictive policy: empty for the others, and
 * before a forecast was scored. */
#define FORECAST_COLUMNS "forecast_mape_pct,forecast_wape_pct"

/* A number, or an empty cell when it does not exist. */
static void opt_double(ts_buf *b, int has, double v)
{
    if (has)
        ts_buf_double(b, v);
}

static void money_fields(const ts_inputs *in, const ts_pool_result *r, ts_buf *b)
{
    (void)in;
    const ts_kpis *k = &r->kpis;
    const ts_bounds *bd = &r->bounds;
    char t[32];
    SEP(b);
    ts_fmt_time(r->start, t);
    ts_buf_puts(b, t);
    SEP(b);
    ts_fmt_time(r->end, t);
    ts_buf_puts(b, t);
    SEP(b);
    ts_buf_double(b, r->hours);
    SEP(b);
    opt_double(b, r->has_cost, ts_per_month(r, r->cost));
    SEP(b);
    ts_buf_int(b, k->floor_replicas);
    SEP(b);
    ts_buf_double(b, r->ideal_gpu_hours);
    SEP(b);
    opt_double(b, r->has_cost, ts_per_month(r, r->ideal_cost));
    SEP(b);
    ts_buf_int(b, bd->fixed_replicas);
    SEP(b);
    ts_buf_double(b, r->fixed_gpu_hours);
    SEP(b);
    opt_double(b, r->has_cost, ts_per_month(r, r->fixed_cost));
    SEP(b);
    opt_double(b, bd->ideal_replica_steps > 0, k->replica_hours / bd->ideal_replica_hours);
    SEP(b);
    ts_buf_int(b, bd->unservable_steps);
}

/* QUEUE_COLUMNS, each after a comma. */
static void queue_fields(const ts_inputs *in, const ts_queue_kpis *q, ts_buf *b)
{
    const double v[] = {q->delay_p50_s, q->delay_p95_s, q->delay_p99_s, q->delay_max_s, q->max_backlog_tokens};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        SEP(b);
        ts_buf_double(b, v[i]);
    }
    SEP(b);
    opt_double(b, in->acceptance.sla.has_max_delay_s, q->delayed_minutes);
    SEP(b);
    ts_buf_double(b, q->dropped_tokens);
    SEP(b);
    ts_buf_double(b, q->left_tokens);
}

void ts_render_kpi_head(const ts_kpis *k, ts_buf *b)
{
    ts_buf_int(b, k->scale_events);
    SEP(b);
    ts_buf_double(b, k->avg_util_pct);
    SEP(b);
    ts_buf_double(b, k->p95_util_pct);
    SEP(b);
    ts_buf_int(b, k->violations);
    SEP(b);
    ts_buf_double(b, k->violation_minutes);
    SEP(b);
    ts_buf_double(b, k->unserved_tokens);
}

static void kpi_fields(const ts_inputs *in, const ts_pool_result *r, ts_buf *b)
{
    const ts_kpis *k = &r->kpis;
    ts_render_kpi_head(k, b);
    SEP(b);
    ts_buf_double(b, k->replica_hours);
    SEP(b);
    ts_buf_double(b, k->gpu_hours);
    SEP(b);
    ts_buf_int(b, k->max_replicas);
    SEP(b);
    if (r->has_cost)
        ts_buf_double(b, r->cost);
    SEP(b);
    if (r->has_cost && in->currency)
        ts_buf_puts(b, in->currency);
    money_fields(in, r, b);
    queue_fields(in, &k->queue, b);
    int scored = k->has_forecast && k->forecast_hours > 0;
    SEP(b);
    opt_double(b, scored, k->forecast_mape_pct);
    SEP(b);
    opt_double(b, scored, k->forecast_wape_pct);
}

void ts_render_kpis_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency," MONEY_COLUMNS "," QUEUE_COLUMNS "," FORECAST_COLUMNS "\n");
    for (size_t i = 0; i < p->n; i++) {
        ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
        SEP(b);
        ts_buf_csv_field(b, in->cand[p->rows[i].cand_index].gpu);
        SEP(b);
        kpi_fields(in, &r->pools[i], b);
        ts_buf_putc(b, '\n');
    }
}

void ts_render_compare_csv(const ts_inputs *in, const ts_plan *p, const char *const *names,
                           const ts_sim_results *const *results, size_t n_policies, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,policy,step_s,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency," MONEY_COLUMNS "," QUEUE_COLUMNS "," FORECAST_COLUMNS "\n");
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < n_policies; j++) {
            ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
            SEP(b);
            ts_buf_csv_field(b, in->cand[p->rows[i].cand_index].gpu);
            SEP(b);
            ts_buf_csv_field(b, names[j]);
            SEP(b);
            ts_buf_int(b, ts_policy_step_s(results[j]->pools[i].policy));
            SEP(b);
            kpi_fields(in, &results[j]->pools[i], b);
            ts_buf_putc(b, '\n');
        }
}

void ts_render_timeline_row(int64_t start, const ts_step *st, ts_buf *b)
{
    char ts[32];
    ts_fmt_time(start + (int64_t)st->t_s, ts);
    ts_buf_puts(b, ts);
    SEP(b);
    ts_buf_double(b, st->t_s);
    SEP(b);
    ts_buf_double(b, st->demand);
    SEP(b);
    ts_buf_int(b, st->ready);
    SEP(b);
    ts_buf_int(b, st->warming);
    SEP(b);
    ts_buf_double(b, st->capacity);
    SEP(b);
    if (st->util_defined)
        ts_buf_double(b, st->util_pct);
    SEP(b);
    if (st->smoothed_defined)
        ts_buf_double(b, st->smoothed_util_pct);
    SEP(b);
    ready_pair(b, st->warming > 0, start, st->warming_first_s, st->warming_last_s);
    ts_buf_putc(b, '\n');
}

void ts_render_timeline_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i, ts_buf *b)
{
    int64_t start = in->demand[p->rows[i].demand_index].start;
    const ts_pool_result *pr = &r->pools[i];
    ts_buf_puts(b, TS_TIMELINE_HEADER);
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
