/*
 * summary_json.c — consolidated_summary.json: the tool and seed, the policy,
 * one object per pool (plan, KPIs, cost, acceptance), the totals, the
 * acceptance with its reasons, the warnings and every input file with its
 * SHA-256. Keys in a fixed order, numbers in the §7 format.
 */
#include "tapscale_io.h"
#include "sim/policy_type.h"
#include "policy/settings.h"
#include "run/totals.h"
#include "sim/kpis.h"
#include "report/warnings.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* Writers of one "key": value member; *first says whether a comma is due. */
static void jkey(ts_buf *b, const char *k, int *first)
{
    if (!*first)
        ts_buf_putc(b, ',');
    *first = 0;
    ts_buf_puts(b, "\n    ");
    ts_buf_json_string(b, k);
    ts_buf_puts(b, ": ");
}

static void jnum(ts_buf *b, const char *k, double v, int *first)
{
    jkey(b, k, first);
    ts_buf_double(b, v);
}

static void jint(ts_buf *b, const char *k, int64_t v, int *first)
{
    jkey(b, k, first);
    ts_buf_int(b, v);
}

static void jstr(ts_buf *b, const char *k, const char *v, int *first)
{
    jkey(b, k, first);
    if (v)
        ts_buf_json_string(b, v);
    else
        ts_buf_puts(b, "null");
}

static void jbool(ts_buf *b, const char *k, int v, int *first)
{
    jkey(b, k, first);
    ts_buf_puts(b, v ? "true" : "false");
}

/* A number, or null when it does not exist. */
static void jnum_or_null(ts_buf *b, const char *k, int has, double v, int *first)
{
    jkey(b, k, first);
    if (has)
        ts_buf_double(b, v);
    else
        ts_buf_puts(b, "null");
}

/* {"rule": "VERDICT", ...} over the rules. */
static void jrules(ts_buf *b, const ts_verdict *v)
{
    ts_buf_puts(b, "{");
    for (int rule = 0; rule < TS_RULE_COUNT; rule++) {
        ts_buf_puts(b, rule ? ", " : "");
        ts_buf_json_string(b, ts_rule_name((ts_rule)rule));
        ts_buf_puts(b, ": ");
        ts_buf_json_string(b, ts_verdict_name(v[rule]));
    }
    ts_buf_puts(b, "}");
}

/* §2's keys the summary shows of the run's policy, as the seed's
 * summary has them: a number, or an integer. */
static const struct {
    const char *key;
    int integer;
} summary_keys[] = {
    {"target_utilization_pct", 0}, {"peak_factor", 0},           {"min_instances_per_model", 1},
    {"max_instances_per_model", 1}, {"evaluation_interval_s", 1}, {"scale_up_threshold_pct", 0},
    {"scale_down_threshold_pct", 0}, {"scale_up_step_replicas", 1}, {"scale_down_step_replicas", 1},
    {"stabilization_window_s", 1},  {"warmup_s", 1},              {"cooldown_s", 1},
};

static void json_policy(const ts_policy *po, ts_buf *b)
{
    int f = 1;
    ts_buf_puts(b, ",\n  \"policy\": {");
    jstr(b, "policy", po->type->name, &f);
    jint(b, "step_s", ts_policy_step_s(po), &f);
    for (size_t i = 0; i < sizeof summary_keys / sizeof summary_keys[0]; i++) {
        double v = 0;
        ts_policy_number(po, summary_keys[i].key, &v);
        if (summary_keys[i].integer)
            jint(b, summary_keys[i].key, (int64_t)v, &f);
        else
            jnum(b, summary_keys[i].key, v, &f);
    }
    if (po->has_peak_percentile)
        jnum(b, "capacity_peak_percentile", po->capacity_peak_percentile, &f);
    ts_buf_puts(b, "\n  }");
}

/* The latency KPIs of a pool with a profile (nothing without one, so the
 * summaries of folders without profiles stay as they were). */
static void json_latency(const ts_latency_kpis *l, ts_buf *b, int *f)
{
    if (!l->has)
        return;
    jkey(b, "latency", f);
    ts_buf_puts(b, "{\"ttft_p95_ms\": ");
    ts_buf_double(b, l->ttft_ms[TS_P95]);
    ts_buf_puts(b, ", \"ttft_p99_ms\": ");
    ts_buf_double(b, l->ttft_ms[TS_P99]);
    ts_buf_puts(b, ", \"itl_p95_ms\": ");
    ts_buf_double(b, l->itl_ms[TS_P95]);
    ts_buf_puts(b, ", \"itl_p99_ms\": ");
    ts_buf_double(b, l->itl_ms[TS_P99]);
    ts_buf_puts(b, ", \"slo_minutes\": ");
    ts_buf_double(b, l->slo_minutes);
    ts_buf_puts(b, ", \"beyond_profile_minutes\": ");
    ts_buf_double(b, l->beyond_minutes);
    ts_buf_puts(b, "}");
}

/* The horizon, the money per month, the floor, the ideal and the fixed
 * fleet of pool i. */
static void json_money(const ts_sim_results *r, size_t i, ts_buf *b, int *f)
{
    const ts_pool_result *pr = &r->pools[i];
    const ts_bounds *bd = &pr->bounds;
    char t[32];
    jnum_or_null(b, "cost_per_month", pr->has_cost, ts_per_month(pr, pr->cost), f);
    jkey(b, "horizon", f);
    ts_fmt_time(pr->start, t);
    ts_buf_printf(b, "{\"start\": \"%s\", ", t);
    ts_fmt_time(pr->end, t);
    ts_buf_printf(b, "\"end\": \"%s\", \"hours\": ", t);
    ts_buf_double(b, pr->hours);
    ts_buf_puts(b, "}");
    jint(b, "floor_replicas", pr->kpis.floor_replicas, f);
    jkey(b, "ideal", f);
    ts_buf_puts(b, "{\"gpu_hours\": ");
    ts_buf_double(b, pr->ideal_gpu_hours);
    ts_buf_puts(b, ", \"cost_per_month\": ");
    if (pr->has_cost)
        ts_buf_double(b, ts_per_month(pr, pr->ideal_cost));
    else
        ts_buf_puts(b, "null");
    ts_buf_printf(b, ", \"starts\": %lld, \"unservable_steps\": %lld}", (long long)bd->ideal_starts,
                  (long long)bd->unservable_steps);
    jkey(b, "fixed", f);
    ts_buf_printf(b, "{\"replicas\": %lld, \"gpu_hours\": ", (long long)bd->fixed_replicas);
    ts_buf_double(b, pr->fixed_gpu_hours);
    ts_buf_puts(b, ", \"cost_per_month\": ");
    if (pr->has_cost)
        ts_buf_double(b, ts_per_month(pr, pr->fixed_cost));
    else
        ts_buf_puts(b, "null");
    ts_buf_puts(b, "}");
    jnum_or_null(b, "gpu_hours_vs_ideal", bd->ideal_replica_steps > 0,
                 bd->ideal_replica_steps > 0 ? pr->kpis.replica_hours / bd->ideal_replica_hours : 0.0, f);
}

/* The fluid queue's KPIs of a pool. */
static void json_queue(const ts_inputs *in, const ts_queue_kpis *q, ts_buf *b, int *f)
{
    jnum(b, "queue_delay_p50_s", q->delay_p50_s, f);
    jnum(b, "queue_delay_p95_s", q->delay_p95_s, f);
    jnum(b, "queue_delay_p99_s", q->delay_p99_s, f);
    jnum(b, "queue_delay_max_s", q->delay_max_s, f);
    jnum(b, "max_backlog_tokens", q->max_backlog_tokens, f);
    jnum_or_null(b, "delayed_minutes", in->acceptance.sla.has_max_delay_s, q->delayed_minutes, f);
    jnum(b, "arrived_tokens", q->arrived_tokens, f);
    jnum(b, "served_tokens", q->served_tokens, f);
    jnum(b, "dropped_tokens", q->dropped_tokens, f);
    jnum(b, "left_tokens", q->left_tokens, f);
}

static void json_pool(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, const ts_acceptance *a,
                      size_t i, ts_buf *b)
{
    const ts_plan_row *row = &p->rows[i];
    const ts_candidate *c = &in->cand[row->cand_index];
    const ts_kpis *k = &r->pools[i].kpis;
    int f = 1;
    ts_buf_puts(b, i ? ",\n  {" : "\n  {");
    jstr(b, "model", in->demand[row->demand_index].model, &f);
    jstr(b, "gpu", c->gpu, &f);
    jint(b, "gpu_count", c->gpu_count, &f);
    jnum(b, "tps_eff", c->tps_eff, &f);
    jbool(b, "tps_heuristic", c->heuristic, &f);
    jstr(b, "policy", r->pools[i].policy->type->name, &f);
    jint(b, "step_s", ts_policy_step_s(r->pools[i].policy), &f);
    jnum_or_null(b, "instance_price_per_hour", c->has_price, c->instance_price_hr, &f);
    jnum(b, "avg_tokens_per_hour", row->r.avg_tokens_per_hour, &f);
    jnum(b, "peak_tokens_per_hour", row->r.peak_tokens_per_hour, &f);
    jint(b, "instances_needed", row->r.instances_needed, &f);
    jbool(b, "capacity_violation", row->r.capacity_violation, &f);
    jint(b, "steps", k->steps, &f);
    jint(b, "scale_events", k->scale_events, &f);
    jnum(b, "avg_util_pct", k->avg_util_pct, &f);
    jnum(b, "p95_util_pct", k->p95_util_pct, &f);
    jint(b, "violations", k->violations, &f);
    jnum(b, "violation_minutes", k->violation_minutes, &f);
    jnum(b, "unserved_tokens", k->unserved_tokens, &f);
    jnum(b, "replica_hours", k->replica_hours, &f);
    jnum(b, "gpu_hours", k->gpu_hours, &f);
    jint(b, "max_replicas", k->max_replicas, &f);
    jnum_or_null(b, "cost", r->pools[i].has_cost, r->pools[i].cost, &f);
    json_money(r, i, b, &f);
    json_latency(&r->pools[i].kpis.latency, b, &f);
    json_queue(in, &k->queue, b, &f);
    jnum_or_null(b, "forecast_mape_pct", k->has_forecast && k->forecast_hours > 0, k->forecast_mape_pct, &f);
    jnum_or_null(b, "forecast_wape_pct", k->has_forecast && k->forecast_hours > 0, k->forecast_wape_pct, &f);
    jkey(b, "acceptance", &f);
    jrules(b, a->pool_rule[i]);
    jstr(b, "verdict", ts_verdict_name(a->pool[i]), &f);
    ts_buf_puts(b, "\n  }");
}

static void json_totals(const ts_totals *t, size_t pools, ts_buf *b)
{
    int f = 1;
    ts_buf_puts(b, "\n  ],\n  \"totals\": {");
    jint(b, "pools", (int64_t)pools, &f);
    jint(b, "scale_events", t->scale_events, &f);
    jint(b, "violations", t->violations, &f);
    jnum(b, "unserved_tokens", t->unserved_tokens, &f);
    jnum(b, "replica_hours", t->replica_hours, &f);
    jnum(b, "gpu_hours", t->gpu_hours, &f);
    jnum_or_null(b, "cost", t->priced_pools > 0, t->cost, &f);
    jint(b, "priced_pools", (int64_t)t->priced_pools, &f);
    jnum(b, "demand_weighted_avg_util_pct", t->weighted_avg_util_pct, &f);
    jnum(b, "max_p95_util_pct", t->max_p95_util_pct, &f);
    jnum_or_null(b, "cost_per_month", t->priced_pools > 0, t->cost_per_month, &f);
    jnum(b, "ideal_gpu_hours", t->ideal_gpu_hours, &f);
    jnum_or_null(b, "ideal_cost_per_month", t->priced_pools > 0, t->ideal_cost_per_month, &f);
    jnum(b, "fixed_gpu_hours", t->fixed_gpu_hours, &f);
    jnum_or_null(b, "fixed_cost_per_month", t->priced_pools > 0, t->fixed_cost_per_month, &f);
    jnum_or_null(b, "gpu_hours_vs_ideal", t->ideal_gpu_hours > 0,
                 t->ideal_gpu_hours > 0 ? t->gpu_hours / t->ideal_gpu_hours : 0.0, &f);
    ts_buf_puts(b, "\n  }");
}

static void json_acceptance(const ts_inputs *in, const ts_acceptance *a, ts_buf *b)
{
    int f = 1;
    ts_buf_puts(b, ",\n  \"acceptance\": {");
    jnum(b, "util_tolerance_pct", in->acceptance.util_tolerance_pct, &f);
    jbool(b, "fail_on_warning", in->acceptance.fail_on_warning, &f);
    jkey(b, "severity", &f);
    jrules(b, in->acceptance.severity);
    jkey(b, "rules", &f);
    jrules(b, a->rule);
    jstr(b, "verdict", ts_verdict_name(a->overall), &f);
    jkey(b, "reasons", &f);
    ts_buf_puts(b, "[");
    for (size_t i = 0; i < a->n_reasons; i++) {
        const ts_acceptance_reason *rs = &a->reasons[i];
        ts_buf_puts(b, i ? ",\n      " : "\n      ");
        ts_buf line;
        ts_buf_init(&line);
        ts_buf_printf(&line, "%s %s: %s", ts_verdict_name(rs->verdict), ts_rule_name(rs->rule), rs->text);
        ts_buf_json_string(b, line.oom ? "" : line.data);
        if (line.oom)
            b->oom = 1;
        ts_buf_free(&line);
    }
    ts_buf_puts(b, a->n_reasons ? "\n    ]" : "]");
    ts_buf_puts(b, "\n  }");
}

/* The warnings of the inputs, then of the plan, with their file:line:col,
 * each once. */
static void json_warnings(const ts_inputs *in, const ts_plan *p, ts_buf *b)
{
    ts_buf_puts(b, ",\n  \"warnings\": [");
    size_t k = ts_report_warnings(in, p, "\n    ", ",\n    ", 1, b);
    ts_buf_puts(b, k ? "\n  ]" : "]");
}

void ts_render_summary_json(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                            const ts_acceptance *a, ts_buf *b)
{
    ts_totals t;
    ts_kpis_totals(in, p, r, &t);
    ts_buf_puts(b, "{\n  \"tool\": \"tapscale\",\n  \"version\": ");
    ts_buf_json_string(b, ts_version());
    ts_buf_printf(b, ",\n  \"seed\": %llu", (unsigned long long)in->seed);
    ts_buf_puts(b, ",\n  \"noise_pct\": ");
    ts_buf_double(b, in->noise_pct);
    ts_buf_puts(b, ",\n  \"currency\": ");
    if (in->currency)
        ts_buf_json_string(b, in->currency);
    else
        ts_buf_puts(b, "null");
    json_policy(&in->policy, b);
    ts_buf_puts(b, ",\n  \"pools\": [");
    for (size_t i = 0; i < p->n; i++)
        json_pool(in, p, r, a, i, b);
    json_totals(&t, p->n, b);
    json_acceptance(in, a, b);
    json_warnings(in, p, b);
    ts_buf_puts(b, ",\n  \"inputs\": [");
    for (size_t i = 0; i < in->n_files; i++) {
        ts_buf_puts(b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        ts_buf_json_string(b, in->files[i].path);
        ts_buf_puts(b, ", \"sha256\": ");
        ts_buf_json_string(b, in->files[i].sha256);
        ts_buf_puts(b, "}");
    }
    ts_buf_puts(b, "\n  ]\n}\n");
}
