/*
 * report.c — gathering what report.html and the rollup file show
 * (ts_report_* in tapscale_io.h). While the pools are simulated, each
 * pool's events are replayed (ts_simulate_replay: O(changes), not O(steps))
 * into its sparkline and its rollup rows; after the run, the worst pools
 * are simulated once more and pictured in detail, so that memory holds the
 * detail of TS_REPORT_DETAIL_POOLS pools, never of the whole fleet.
 */
#include "report/report.h"
#include "sim/eventlist.h"
#include "util/alloc.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A pool's horizon above which the rollup is per day, not per hour. */
#define DAILY_ABOVE_S (92 * 86400LL)

/* What ts_report_pool's context is: a setting of a report. */
typedef struct setting_ctx {
    ts_report *r;
    size_t j;
} setting_ctx;

ts_status ts_report_new(const ts_inputs *in, const ts_plan *plan, ts_report_kind kind, ts_report **out)
{
    ts_report *r = ts_calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return TS_ENOMEM;
    r->in = in;
    r->plan = plan;
    r->kind = kind;
    r->rollup_width = 3600;
    for (size_t i = 0; i < plan->n; i++) {
        const ts_model_demand *md = &in->demand[plan->rows[i].demand_index];
        if ((int64_t)md->n * md->tau_s > DAILY_ABOVE_S)
            r->rollup_width = 86400;
    }
    *out = r;
    return TS_OK;
}

void ts_report_free(ts_report *r)
{
    if (!r)
        return;
    for (size_t j = 0; j < r->n_set; j++) {
        ts_report_setting *s = &r->set[j];
        for (size_t i = 0; s->pools && i < r->plan->n; i++)
            ts_picture_free(&s->pools[i].detail);
        free(s->pools);
        free(s->name);
        free(s->ctx);
    }
    free(r->set);
    free(r->order);
    free(r);
}

ts_status ts_report_setting_add(ts_report *r, const char *name, void **pool_ctx)
{
    ts_report_setting *set = ts_grow(r->set, r->n_set, &r->cap_set, sizeof *set, 4);
    if (!set)
        return TS_ENOMEM;
    r->set = set;
    ts_report_setting *s = &set[r->n_set];
    memset(s, 0, sizeof *s);
    s->name = ts_strdup(name);
    s->pools = ts_calloc(r->plan->n ? r->plan->n : 1, sizeof *s->pools);
    setting_ctx *c = ts_malloc(sizeof *c);
    s->ctx = c;
    if (!s->name || !s->pools || !c) {
        free(s->name);
        free(s->pools);
        free(c);
        return TS_ENOMEM;
    }
    c->r = r;
    c->j = r->n_set++;
    *pool_ctx = c;
    return TS_OK;
}

const char *ts_report_rollup_name(const ts_report *r)
{
    return r->rollup_width == 3600 ? "rollup_hourly.csv" : "rollup_daily.csv";
}

void ts_report_rollup_header(const ts_report *r, ts_buf *b)
{
    (void)r;
    ts_buf_puts(b, "model,gpu,period_start,steps,demand_mean_tokens_per_hour,demand_max_tokens_per_hour,"
                   "ready_min,ready_max,provisioned_min,provisioned_max,scale_ups,scale_downs,"
                   "violation_minutes,unserved_tokens,gpu_hours,cost,currency\n");
}

/* "YYYY-MM-DDTHH:MM:SSZ" of t into out, the date part reused from *day
 * (the day's text in day_text) while t stays in that day. */
static void period_text(int64_t t, int64_t *day, char day_text[32], char out[32])
{
    int64_t d = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    if (d != *day) {
        ts_fmt_time(d * 86400, day_text);
        *day = d;
    }
    int64_t s = t - d * 86400;
    memcpy(out, day_text, 32);
    out[11] = (char)('0' + s / 36000);
    out[12] = (char)('0' + s / 3600 % 10);
    out[14] = (char)('0' + s % 3600 / 600);
    out[15] = (char)('0' + s % 600 / 60);
    out[17] = (char)('0' + s % 60 / 10);
    out[18] = (char)('0' + s % 10);
}

/* One rollup row per bucket of p. */
static void rollup_rows(const ts_report *r, size_t pool, const ts_picture *p, ts_buf *b)
{
    const ts_plan_row *row = &r->plan->rows[pool];
    const ts_candidate *c = &r->in->cand[row->cand_index];
    const char *model = r->in->demand[row->demand_index].model;
    double step_h = (double)p->dt / 3600.0;
    int64_t day = INT64_MIN;
    char day_text[32], when[32];
    ts_buf lead; /* "model,gpu," */
    ts_buf_init(&lead);
    ts_buf_csv_field(&lead, model);
    ts_buf_putc(&lead, ',');
    ts_buf_csv_field(&lead, c->gpu);
    ts_buf_putc(&lead, ',');
    if (lead.oom)
        b->oom = 1;
    for (size_t k = 0; k < p->n && !lead.oom; k++) {
        const ts_bucket *bk = &p->b[k];
        if (bk->steps == 0)
            continue;
        period_text(p->origin + (int64_t)k * p->width, &day, day_text, when);
        ts_buf_put(b, lead.data, lead.len);
        ts_buf_puts(b, when);
        const int64_t ints[] = {bk->steps, bk->r_min, bk->r_max, bk->n_min, bk->n_max, bk->ups, bk->downs};
        ts_buf_putc(b, ',');
        ts_buf_int(b, ints[0]);
        ts_buf_putc(b, ',');
        ts_buf_double(b, bk->d_sum / (double)bk->steps);
        ts_buf_putc(b, ',');
        ts_buf_double(b, bk->d_max);
        for (size_t i = 1; i < sizeof ints / sizeof *ints; i++) {
            ts_buf_putc(b, ',');
            ts_buf_int(b, ints[i]);
        }
        ts_buf_putc(b, ',');
        ts_buf_double(b, (double)bk->viol_steps * (double)p->dt / 60.0);
        ts_buf_putc(b, ',');
        ts_buf_double(b, bk->unserved);
        ts_buf_putc(b, ',');
        double replica_h = (double)bk->replica_steps * step_h;
        ts_buf_double(b, replica_h * (double)c->gpu_count);
        ts_buf_putc(b, ',');
        if (c->has_price) {
            ts_buf_double(b, replica_h * c->instance_price_hr);
            ts_buf_putc(b, ',');
            ts_buf_puts(b, r->in->currency ? r->in->currency : "");
        } else {
            ts_buf_putc(b, ',');
        }
        ts_buf_putc(b, '\n');
    }
    ts_buf_free(&lead);
}

/* Both pictures of a pool from one replay. */
typedef struct two {
    ts_picture *a, *b;
} two;

static ts_status span_both(void *ctx, const ts_span *s)
{
    two *t = ctx;
    ts_picture_span(t->a, s);
    if (t->b)
        ts_picture_span(t->b, s);
    return TS_OK;
}

/* The sparkline of a pool from its picture. */
static void spark(ts_report_pool_view *v, const ts_picture *p, double tph)
{
    v->spark_n = p->n < TS_REPORT_SPARK ? p->n : TS_REPORT_SPARK;
    v->spark_width = p->width;
    for (size_t k = 0; k < v->spark_n; k++) {
        v->spark_d[k] = p->b[k].d_max;
        v->spark_c[k] = (double)p->b[k].r_min * tph;
        v->spark_v[k] = p->b[k].viol_steps > 0;
    }
}

ts_status ts_report_pool(void *pool_ctx, size_t pool, const ts_sim_input *si, const ts_pool_result *res, ts_buf *rows)
{
    setting_ctx *c = pool_ctx;
    ts_report *r = c->r;
    ts_report_pool_view *v = &r->set[c->j].pools[pool];
    v->si = *si;
    int64_t dt = ts_policy_step_s(si->policy), K = res->kpis.steps;
    ts_picture sp, roll;
    ts_status st = ts_picture_init(&sp, res->start, dt, K, res->start, ts_picture_width(dt, K, TS_REPORT_SPARK));
    if (st != TS_OK)
        return st;
    int with_rollup = rows != NULL && c->j == 0 && r->kind == TS_REPORT_RUN;
    int64_t origin = res->start - ((res->start % r->rollup_width) + r->rollup_width) % r->rollup_width;
    if (with_rollup && (st = ts_picture_init(&roll, res->start, dt, K, origin, r->rollup_width)) != TS_OK) {
        ts_picture_free(&sp);
        return st;
    }
    two t = {&sp, with_rollup ? &roll : NULL};
    st = ts_simulate_replay(si, res->events, res->n_events, span_both, &t);
    for (size_t e = 0; st == TS_OK && with_rollup && e < res->n_events; e++)
        ts_picture_event(&roll, &res->events[e]);
    if (st == TS_OK) {
        spark(v, &sp, si->tps_eff * 3600.0);
        if (with_rollup)
            rollup_rows(r, pool, &roll, rows);
        v->done = 1;
    }
    ts_picture_free(&sp);
    if (with_rollup)
        ts_picture_free(&roll);
    return st;
}

/* A pool's place in the report's order: worst verdict, then most
 * violation-minutes, then most cost (GPU-hours without a price) per month,
 * then plan order. */
typedef struct rank {
    int verdict;
    double violation_minutes;
    double spend;
    size_t pool;
} rank;

static int by_rank(const void *pa, const void *pb)
{
    const rank *a = pa, *b = pb;
    if (a->verdict != b->verdict)
        return a->verdict > b->verdict ? -1 : 1;
    if (a->violation_minutes != b->violation_minutes)
        return a->violation_minutes > b->violation_minutes ? -1 : 1;
    if (a->spend != b->spend)
        return a->spend > b->spend ? -1 : 1;
    return a->pool < b->pool ? -1 : a->pool > b->pool;
}

static ts_status order_pools(ts_report *r)
{
    size_t n = r->plan->n;
    rank *k = ts_malloc((n ? n : 1) * sizeof *k);
    r->order = ts_malloc((n ? n : 1) * sizeof *r->order);
    if (!k || !r->order) {
        free(k);
        return TS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        k[i].pool = i;
        k[i].verdict = r->acc ? (int)r->acc->pool[i] : 0;
        k[i].violation_minutes = 0;
        k[i].spend = 0;
        for (size_t j = 0; j < r->n_set; j++) {
            const ts_pool_result *p = &r->set[j].res->pools[i];
            double spend = ts_per_month(p, p->has_cost ? p->cost : p->kpis.gpu_hours);
            if (p->kpis.violation_minutes > k[i].violation_minutes)
                k[i].violation_minutes = p->kpis.violation_minutes;
            if (spend > k[i].spend)
                k[i].spend = spend;
        }
    }
    qsort(k, n, sizeof *k, by_rank);
    for (size_t i = 0; i < n; i++)
        r->order[i] = k[i].pool;
    free(k);
    return TS_OK;
}


/* Simulates pool view v once more and pictures it in detail, in buckets
 * of width seconds. */
static ts_status detail(ts_report_pool_view *v, const ts_pool_result *res, int64_t width, ts_sim_workspace *ws)
{
    ts_event_list l = {NULL, 0, 0};
    ts_kpis k;
    ts_status st = ts_simulate_autoscaler(&v->si, ws, ts_event_list_keep, NULL, &l, &k);
    if (st == TS_ERUNTIME)
        st = TS_ENOMEM; /* the event list could not grow */
    int64_t dt = ts_policy_step_s(v->si.policy);
    if (st == TS_OK)
        st = ts_picture_init(&v->detail, res->start, dt, k.steps, res->start, width);
    if (st == TS_OK) {
        v->detail.want_util = 1;
        st = ts_picture_draw(&v->detail, &v->si, l.ev, l.n);
    }
    free(l.ev);
    return st;
}

ts_status ts_report_finish(ts_report *r, const ts_sim_results *const *res, const ts_acceptance *acc,
                           const ts_tune_result *tune)
{
    r->acc = acc;
    r->tune = tune;
    for (size_t j = 0; j < r->n_set; j++)
        r->set[j].res = res[j];
    ts_status st = order_pools(r);
    if (st != TS_OK)
        return st;
    r->n_detail = r->plan->n < TS_REPORT_DETAIL_POOLS ? r->plan->n : TS_REPORT_DETAIL_POOLS;
    if (r->n_set == 0)
        return TS_OK;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    if (!ws)
        return TS_ENOMEM;
    for (size_t d = 0; d < r->n_detail && st == TS_OK; d++) {
        /* one time grid for the settings of a pool, whose steps may differ:
         * the widest any of them needs to stay within the bucket limit */
        size_t i = r->order[d];
        int64_t width = 1;
        for (size_t j = 0; j < r->n_set; j++) {
            const ts_pool_result *p = &res[j]->pools[i];
            int64_t w = ts_picture_width(ts_policy_step_s(p->policy), p->kpis.steps, TS_REPORT_BUCKETS);
            width = w > width ? w : width;
        }
        for (size_t j = 0; j < r->n_set && st == TS_OK; j++) {
            ts_report_pool_view *v = &r->set[j].pools[i];
            if (v->done)
                st = detail(v, &res[j]->pools[i], width, ws);
        }
    }
    ts_sim_workspace_free(ws);
    return st;
}
