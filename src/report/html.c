/*
 * html.c — report.html (ts_render_report_html in tapscale_io.h): one page
 * with everything inline — uPlot and the report's script and style, and
 * the data as one JSON block the script draws from. No request leaves the
 * page: its Content-Security-Policy allows inline code and data only.
 */
#include "report/report.h"
#include "sim/policy_type.h"
#include "report/assets.h"
#include "report/tune.h"
#include "policy/settings.h"
#include "util/numfmt.h"
#include "util/rng.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdlib.h>

#include <stddef.h>
#include <string.h>

/* A compact JSON writer: sep says whether a comma is due. */
typedef struct jw {
    ts_buf *b;
    int sep;
} jw;


static void key(jw *w, const char *k)
{
    if (w->sep)
        ts_buf_putc(w->b, ',');
    w->sep = 1;
    ts_buf_json_string_in_script(w->b, k);
    ts_buf_putc(w->b, ':');
}

static void open_obj(jw *w, const char *k)
{
    if (k)
        key(w, k);
    else if (w->sep)
        ts_buf_putc(w->b, ',');
    ts_buf_putc(w->b, '{');
    w->sep = 0;
}

static void close_obj(jw *w)
{
    ts_buf_putc(w->b, '}');
    w->sep = 1;
}

static void num(jw *w, const char *k, double v)
{
    key(w, k);
    ts_buf_double(w->b, v);
}

static void integer(jw *w, const char *k, int64_t v)
{
    key(w, k);
    ts_buf_int(w->b, v);
}

static void text(jw *w, const char *k, const char *v)
{
    key(w, k);
    if (v)
        ts_buf_json_string_in_script(w->b, v);
    else
        ts_buf_puts(w->b, "null");
}

/* The arrays of a picture: one field of every bucket, a double or an
 * int64_t at its offset. */
static const struct {
    const char *name;
    size_t offset;
    int is_double;
} picture_fields[] = {
    {"dmin", offsetof(ts_bucket, d_min), 1},         {"dmax", offsetof(ts_bucket, d_max), 1},
    {"rmin", offsetof(ts_bucket, r_min), 0},         {"rmax", offsetof(ts_bucket, r_max), 0},
    {"nmin", offsetof(ts_bucket, n_min), 0},         {"nmax", offsetof(ts_bucket, n_max), 0},
    {"viol", offsetof(ts_bucket, viol_steps), 0},    {"up", offsetof(ts_bucket, ups), 0},
    {"down", offsetof(ts_bucket, downs), 0},
};

static void field(ts_buf *b, const ts_bucket *bk, size_t f)
{
    const char *at = (const char *)bk + picture_fields[f].offset;
    if (picture_fields[f].is_double) {
        double v;
        memcpy(&v, at, sizeof v);
        ts_buf_double(b, v);
    } else {
        int64_t v;
        memcpy(&v, at, sizeof v);
        ts_buf_int(b, v);
    }
}

static void picture(jw *w, const ts_picture *p)
{
    open_obj(w, "detail");
    integer(w, "t0", p->origin);
    integer(w, "w", p->width);
    integer(w, "steps_per_bucket", (p->width + p->dt - 1) / p->dt);
    for (size_t f = 0; f < sizeof picture_fields / sizeof *picture_fields; f++) {
        key(w, picture_fields[f].name);
        ts_buf_putc(w->b, '[');
        for (size_t k = 0; k < p->n; k++) {
            if (k)
                ts_buf_putc(w->b, ',');
            field(w->b, &p->b[k], f);
        }
        ts_buf_putc(w->b, ']');
    }
    key(w, "util");
    ts_buf_putc(w->b, '[');
    for (size_t k = 0; k < TS_UTIL_BINS; k++) {
        if (k)
            ts_buf_putc(w->b, ',');
        ts_buf_int(w->b, p->util[k]);
    }
    ts_buf_putc(w->b, ']');
    integer(w, "util_undefined", p->util_undefined);
    close_obj(w);
}

/* A sparkline: demand and ready capacity in thousandths of the larger of
 * their maxima (a picture needs no more), and the buckets with a
 * violation. */
static void spark(jw *w, const ts_report_pool_view *v)
{
    open_obj(w, "spark");
    integer(w, "w", v->spark_width);
    double max = 0;
    for (size_t k = 0; k < v->spark_n; k++) {
        max = v->spark_d[k] > max ? v->spark_d[k] : max;
        max = v->spark_c[k] > max ? v->spark_c[k] : max;
    }
    num(w, "max", max);
    const double *series[2] = {v->spark_d, v->spark_c};
    static const char *const names[2] = {"d", "c"};
    for (int s = 0; s < 2; s++) {
        key(w, names[s]);
        ts_buf_putc(w->b, '[');
        for (size_t k = 0; k < v->spark_n; k++) {
            if (k)
                ts_buf_putc(w->b, ',');
            ts_buf_int(w->b, max > 0 ? (int64_t)(series[s][k] / max * 1000.0 + 0.5) : 0);
        }
        ts_buf_putc(w->b, ']');
    }
    key(w, "v");
    ts_buf_putc(w->b, '[');
    for (size_t k = 0; k < v->spark_n; k++) {
        if (k)
            ts_buf_putc(w->b, ',');
        ts_buf_putc(w->b, (char)('0' + v->spark_v[k]));
    }
    ts_buf_putc(w->b, ']');
    close_obj(w);
}

/* One setting's results for a pool: KPIs, money, sparkline, detail. */
static void pool_run(jw *w, const ts_report_setting *s, size_t i)
{
    const ts_pool_result *r = &s->res->pools[i];
    const ts_kpis *k = &r->kpis;
    open_obj(w, NULL);
    text(w, "setting", s->name);
    text(w, "policy", r->policy->type->name);
    integer(w, "step_s", ts_policy_step_s(r->policy));
    num(w, "target_pct", r->policy->target_utilization_pct);
    const ts_policy_type *t = r->policy->type;
    for (size_t j = 0; j < t->n_report_fields; j++) { /* by index: most policies have none (NULL) */
        double v;
        if (ts_policy_number(r->policy, t->report_fields[j].key, &v))
            num(w, t->report_fields[j].name, v);
    }
    integer(w, "warmup_s", r->policy->warmup_s);
    integer(w, "steps", k->steps);
    integer(w, "scale_events", k->scale_events);
    num(w, "avg_util_pct", k->avg_util_pct);
    num(w, "p95_util_pct", k->p95_util_pct);
    num(w, "violation_minutes", k->violation_minutes);
    num(w, "unserved_tokens", k->unserved_tokens);
    integer(w, "max_replicas", k->max_replicas);
    integer(w, "floor_replicas", k->floor_replicas);
    num(w, "gpu_hours", k->gpu_hours);
    num(w, "queue_delay_p50_s", k->queue.delay_p50_s);
    num(w, "queue_delay_p99_s", k->queue.delay_p99_s);
    num(w, "queue_delay_max_s", k->queue.delay_max_s);
    num(w, "max_backlog_tokens", k->queue.max_backlog_tokens);
    num(w, "dropped_tokens", k->queue.dropped_tokens);
    if (k->has_forecast && k->forecast_hours > 0) {
        num(w, "forecast_mape_pct", k->forecast_mape_pct);
        num(w, "forecast_wape_pct", k->forecast_wape_pct);
    }
    num(w, "ideal_gpu_hours", r->ideal_gpu_hours);
    num(w, "fixed_gpu_hours", r->fixed_gpu_hours);
    integer(w, "fixed_replicas", r->bounds.fixed_replicas);
    num(w, "hours", r->hours);
    if (r->has_cost) {
        open_obj(w, "cost");
        num(w, "horizon", r->cost);
        num(w, "month", ts_per_month(r, r->cost));
        num(w, "ideal", r->ideal_cost);
        num(w, "ideal_month", ts_per_month(r, r->ideal_cost));
        num(w, "fixed", r->fixed_cost);
        num(w, "fixed_month", ts_per_month(r, r->fixed_cost));
        close_obj(w);
    } else {
        text(w, "cost", NULL);
    }
    const ts_report_pool_view *v = &s->pools[i];
    spark(w, v);
    if (v->detail.b)
        picture(w, &v->detail);
    close_obj(w);
}

static const char *const objective_names[] = {"cost", "gpu_hours", "events"};

/* A setting's point: [violation-minutes, objective per month (events: over
 * the horizon)]. */
static void point(jw *w, const ts_tune_result *t, const ts_tune_pool *tp, const ts_tune_candidate *c)
{
    double obj = c->objective;
    if (t->minimize != TS_MINIMIZE_EVENTS && tp->hours > 0)
        obj = obj * TS_MONTH_HOURS / tp->hours;
    ts_buf_putc(w->b, '[');
    ts_buf_double(w->b, c->kpis.violation_minutes);
    ts_buf_putc(w->b, ',');
    ts_buf_double(w->b, obj);
    ts_buf_putc(w->b, ']');
}

/* A candidate named: its point, its settings, whether it meets the service
 * level. */
static void named(jw *w, const char *k, const ts_tune_result *t, const ts_tune_pool *tp, const ts_tune_candidate *c)
{
    open_obj(w, k);
    key(w, "at");
    point(w, t, tp, c);
    if (c->at) {
        char set[1024];
        ts_tune_setting_text(t, c, set, sizeof set);
        text(w, "setting", set);
    }
    key(w, "feasible");
    ts_buf_puts(w->b, c->feasible > 0 ? "true" : "false");
    close_obj(w);
}

/* Pool i's tuning: every valid setting tried, the current one, the winner
 * (or the closest). */
static void tune_pool(jw *w, const ts_tune_result *t, size_t i)
{
    const ts_tune_pool *tp = &t->pools[i];
    open_obj(w, "tune");
    text(w, "objective", objective_names[t->minimize]);
    key(w, "points");
    ts_buf_putc(w->b, '[');
    int first = 1;
    for (size_t c = 0; c < tp->n; c++) {
        if (tp->cand[c].feasible < 0)
            continue;
        if (!first)
            ts_buf_putc(w->b, ',');
        first = 0;
        point(w, t, tp, &tp->cand[c]);
    }
    ts_buf_putc(w->b, ']');
    named(w, "current", t, tp, &tp->current_result);
    if (tp->winner >= 0)
        named(w, "winner", t, tp, &tp->cand[tp->winner]);
    else if (tp->closest >= 0)
        named(w, "closest", t, tp, &tp->cand[tp->closest]);
    close_obj(w);
}

/* The values a what-if knob offers, num[0..n-1] sorted, the current one
 * among them (at most 64). */
typedef struct knob {
    double num[64];
    size_t n;
    size_t at; /* the current value's index */
} knob;

static void knob_add(knob *k, double v)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->num[i] == v)
            return;
    if (k->n >= sizeof k->num / sizeof k->num[0])
        return;
    size_t at = k->n++;
    while (at > 0 && k->num[at - 1] > v) {
        k->num[at] = k->num[at - 1];
        at--;
    }
    k->num[at] = v;
}

/* Writes knob name of policy p: its values from `from` to `to` by `by`
 * (by 0: none), the values of the tune grid's axis of key (grid may be
 * NULL) and p's own value. */
static void knob_write(jw *w, const ts_policy *p, const char *name, double from, double to, double by,
                       const ts_tune_axis *grid)
{
    knob k;
    memset(&k, 0, sizeof k);
    double cur = 0;
    if (!ts_policy_number(p, name, &cur))
        return;
    for (double v = from; by > 0 && v <= to && k.n < 48; v += by)
        knob_add(&k, v);
    for (size_t i = 0; grid && i < grid->n; i++) {
        char *end;
        double v = strtod(grid->values[i], &end);
        if (*end || end == grid->values[i])
            return; /* a list or a name: no slider */
        knob_add(&k, v);
    }
    knob_add(&k, cur);
    open_obj(w, NULL);
    text(w, "key", name);
    key(w, "values");
    ts_buf_putc(w->b, '[');
    for (size_t i = 0; i < k.n; i++) {
        if (i)
            ts_buf_putc(w->b, ',');
        char buf[40];
        ts_fmt_double(k.num[i], buf);
        ts_buf_json_string_in_script(w->b, buf);
        if (k.num[i] == cur)
            k.at = i;
    }
    ts_buf_putc(w->b, ']');
    integer(w, "at", (int64_t)k.at);
    close_obj(w);
}

/* Pool i as the report's what-if re-simulates it (src/whatif/whatif.c):
 * its policy as YAML, its demand, the scalars of its simulation input (in
 * whatif_run's order) and the knobs: floor, ceiling and the policy's tune
 * grid. Out of memory sets the buffer's oom flag, as every append does. */
static void whatif(jw *w, const ts_report *r, size_t i)
{
    const ts_plan_row *row = &r->plan->rows[i];
    const ts_model_demand *md = &r->in->demand[row->demand_index];
    const ts_candidate *c = &r->in->cand[row->cand_index];
    const ts_policy *p = r->set[0].res->pools[i].policy;
    const ts_sla *sla = &r->in->acceptance.sla;
    open_obj(w, "whatif");
    ts_buf y;
    ts_buf_init(&y);
    ts_buf_puts(&y, "autoscaling:\n");
    ts_policy_yaml(p, 2, &y);
    key(w, "policy");
    if (y.oom)
        w->b->oom = 1;
    else
        ts_buf_json_string_in_script(w->b, y.data);
    ts_buf_free(&y);
    key(w, "rate");
    ts_buf_putc(w->b, '"');
    ts_buf_base64_doubles(w->b, md->rate, md->n);
    ts_buf_putc(w->b, '"');
    uint64_t seed = r->in->seed ^ ts_hash_str(md->model);
    const double scalars[] = {(double)md->tau_s, (double)md->start, c->tps_eff, (double)c->gpu_count,
                              md->has_initial_replicas, (double)md->initial_replicas, md->has_params,
                              md->params_b * md->bytes_per_param, (double)(uint32_t)seed, (double)(seed >> 32),
                              sla->has_max_queue_s, sla->max_queue_s, sla->has_max_delay_s, sla->max_delay_s};
    key(w, "pool");
    ts_buf_putc(w->b, '[');
    for (size_t k = 0; k < sizeof scalars / sizeof scalars[0]; k++) {
        if (k)
            ts_buf_putc(w->b, ',');
        ts_buf_double(w->b, scalars[k]);
    }
    ts_buf_putc(w->b, ']');
    if (c->has_price)
        num(w, "price", c->instance_price_hr);
    if (c->latency && c->latency->n) { /* for an HPA on the KV cache, which reads it */
        key(w, "profile");
        ts_buf_putc(w->b, '[');
        for (size_t i = 0; i < c->latency->n; i++) {
            const ts_latency_point *pt = &c->latency->pts[i];
            const double v[8] = {pt->output_tps, pt->ttft_ms[0], pt->ttft_ms[1], pt->ttft_ms[2],
                                 pt->itl_ms[0],  pt->itl_ms[1],  pt->itl_ms[2],  pt->output_len};
            for (int k = 0; k < 8; k++) {
                if (i || k)
                    ts_buf_putc(w->b, ',');
                if (isnan(v[k]))
                    ts_buf_puts(w->b, "null");
                else
                    ts_buf_double(w->b, v[k]);
            }
        }
        ts_buf_putc(w->b, ']');
    }
    key(w, "knobs");
    ts_buf_putc(w->b, '[');
    w->sep = 0;
    double need = (double)row->r.instances_needed;
    knob_write(w, p, "min_instances_per_model", 0, 2 * need, 1, NULL);
    knob_write(w, p, "max_instances_per_model", 1, 3 * need, 1, NULL);
    ts_tune_space *sp = NULL;
    ts_diags d;
    ts_diags_init(&d);
    ts_status st = ts_tune_space_default(p->type, &sp, &d); /* TS_EINPUT: no grid (the schedule) */
    for (size_t a = 0; st == TS_OK && a < sp->n; a++)
        if (strcmp(sp->axes[a].key, "min_instances_per_model") && strcmp(sp->axes[a].key, "max_instances_per_model"))
            knob_write(w, p, sp->axes[a].key, 0, 0, 0, &sp->axes[a]);
    if (st == TS_ENOMEM || d.oom)
        w->b->oom = 1;
    ts_diags_free(&d);
    ts_tune_space_free(sp);
    ts_buf_putc(w->b, ']');
    w->sep = 1;
    close_obj(w);
}

static void pool(jw *w, const ts_report *r, size_t i, int detailed, int with_whatif)
{
    const ts_plan_row *row = &r->plan->rows[i];
    const ts_model_demand *md = &r->in->demand[row->demand_index];
    const ts_candidate *c = &r->in->cand[row->cand_index];
    open_obj(w, NULL);
    integer(w, "id", (int64_t)i);
    text(w, "model", md->model);
    text(w, "gpu", c->gpu);
    integer(w, "gpu_count", c->gpu_count);
    num(w, "tokens_per_hour_per_replica", c->tps_eff * 3600.0);
    integer(w, "instances_needed", row->r.instances_needed);
    integer(w, "start", r->set[0].res->pools[i].start);
    integer(w, "end", r->set[0].res->pools[i].end);
    key(w, "detailed");
    ts_buf_puts(w->b, detailed ? "true" : "false");
    if (r->acc) {
        text(w, "verdict", ts_verdict_name(r->acc->pool[i]));
        key(w, "reasons");
        ts_buf_putc(w->b, '[');
        int first = 1;
        for (size_t k = 0; k < r->acc->n_reasons; k++)
            if (r->acc->reasons[k].pool == i) {
                if (!first)
                    ts_buf_putc(w->b, ',');
                first = 0;
                ts_buf_json_string_in_script(w->b, r->acc->reasons[k].text);
            }
        ts_buf_putc(w->b, ']');
    }
    if (r->tune && detailed)
        tune_pool(w, r->tune, i);
    if (with_whatif)
        whatif(w, r, i);
    key(w, "runs");
    ts_buf_putc(w->b, '[');
    w->sep = 0;
    for (size_t j = 0; j < r->n_set; j++)
        pool_run(w, &r->set[j], i);
    ts_buf_putc(w->b, ']');
    w->sep = 1;
    close_obj(w);
}

static const char *const kind_names[] = {"run", "compare", "tune"};

static void data(const ts_report *r, ts_buf *b)
{
    jw w = {b, 0};
    open_obj(&w, NULL);
    text(&w, "kind", kind_names[r->kind]);
    text(&w, "version", ts_version());
    text(&w, "inputs", r->in->dir);
    integer(&w, "seed", (int64_t)r->in->seed);
    text(&w, "currency", r->in->currency);
    integer(&w, "pools_total", (int64_t)r->plan->n);
    integer(&w, "detail_max", TS_REPORT_DETAIL_POOLS);
    integer(&w, "buckets_max", TS_REPORT_BUCKETS);
    if (r->acc)
        text(&w, "verdict", ts_verdict_name(r->acc->overall));
    key(&w, "settings");
    ts_buf_putc(b, '[');
    for (size_t j = 0; j < r->n_set; j++) {
        if (j)
            ts_buf_putc(b, ',');
        ts_buf_json_string_in_script(b, r->set[j].name);
    }
    ts_buf_putc(b, ']');
    key(&w, "pools");
    ts_buf_putc(b, '[');
    w.sep = 0;
    for (size_t o = 0; o < r->plan->n && r->n_set; o++)
        pool(&w, r, r->order[o], o < r->n_detail, o < r->n_detail && o < TS_REPORT_WHATIF_POOLS);
    ts_buf_putc(b, ']');
    w.sep = 1;
    close_obj(&w);
}

void ts_render_report_html(const ts_report *r, ts_buf *b)
{
    ts_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    ts_buf_printf(b, "<title>tapscale %s report</title>\n<style>\n", kind_names[r->kind]);
    ts_buf_put(b, ts_asset_uplot_css, ts_asset_uplot_css_len);
    ts_buf_putc(b, '\n');
    ts_buf_put(b, ts_asset_report_css, ts_asset_report_css_len);
    ts_buf_puts(b, "</style>\n</head>\n<body>\n<main id=\"app\"><noscript>This report draws its tables and charts "
                   "with JavaScript. The same numbers are in consolidated_kpis.csv and the rollup file."
                   "</noscript></main>\n<script type=\"application/json\" id=\"tapscale-data\">");
    data(r, b);
    ts_buf_puts(b, "</script>\n");
    if (ts_asset_whatif_wasm_len) {
        ts_buf_puts(b, "<script type=\"application/octet-stream\" id=\"tapscale-wasm\">");
        ts_buf_base64(b, (const unsigned char *)ts_asset_whatif_wasm, ts_asset_whatif_wasm_len);
        ts_buf_puts(b, "</script>\n");
    }
    ts_buf_puts(b, "<script>\n");
    ts_buf_put(b, ts_asset_uplot_js, ts_asset_uplot_js_len);
    ts_buf_puts(b, "\n</script>\n<script>\n");
    ts_buf_put(b, ts_asset_report_js, ts_asset_report_js_len);
    ts_buf_puts(b, "</script>\n</body>\n</html>\n");
}
