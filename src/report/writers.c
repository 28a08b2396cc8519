/*
 * writers.c — output files; see writers.h.
 */
#include "report/writers.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <math.h>
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
        ts_buf_double(b, in->policy.target_utilization_pct);
        SEP(b);
        ts_buf_puts(b, bool_str(r->capacity_violation));
        ts_buf_putc(b, '\n');
    }
}

void ts_render_gpu_choice_csv(const ts_inputs *in, ts_buf *b)
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
        ts_buf_puts(b, bool_str(c->chosen));
        SEP(b);
        ts_buf_csv_field(b, c->reason ? c->reason : "");
        ts_buf_putc(b, '\n');
    }
}

void ts_render_event_row(ts_buf *b, const char *model, const char *gpu, int64_t start, const ts_event *ev)
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
    ts_buf_putc(b, '\n');
}

void ts_render_events_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    ts_buf_puts(b, TS_EVENTS_HEADER);
    for (size_t i = 0; i < p->n; i++) {
        const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
        const ts_candidate *c = &in->cand[p->rows[i].cand_index];
        const ts_pool_result *pr = &r->pools[i];
        for (size_t e = 0; e < pr->n_events; e++)
            ts_render_event_row(b, md->model, c->gpu, md->start, &pr->events[e]);
    }
}

static void kpi_fields(const ts_inputs *in, const ts_pool_result *r, ts_buf *b)
{
    const ts_kpis *k = &r->kpis;
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
}

void ts_render_kpis_csv(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency\n");
    for (size_t i = 0; i < p->n; i++) {
        ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
        SEP(b);
        ts_buf_csv_field(b, in->cand[p->rows[i].cand_index].gpu);
        SEP(b);
        kpi_fields(in, &r->pools[i], b);
        ts_buf_putc(b, '\n');
    }
}

void ts_compute_totals(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_totals *t)
{
    memset(t, 0, sizeof *t);
    double wsum = 0, tokens_sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        const ts_kpis *k = &r->pools[i].kpis;
        const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
        t->scale_events += k->scale_events;
        t->violations += k->violations;
        t->unserved_tokens += k->unserved_tokens;
        t->replica_hours += k->replica_hours;
        t->gpu_hours += k->gpu_hours;
        if (r->pools[i].has_cost) {
            t->cost += r->pools[i].cost;
            t->priced_pools++;
        }
        double tokens = p->rows[i].r.avg_tokens_per_hour * ((double)md->n * (double)md->tau_s / 3600.0);
        wsum += k->avg_util_pct * tokens;
        tokens_sum += tokens;
        if (i == 0 || k->p95_util_pct > t->max_p95_util_pct)
            t->max_p95_util_pct = k->p95_util_pct;
    }
    t->weighted_avg_util_pct = tokens_sum > 0 ? wsum / tokens_sum : 0.0;
}

/* ------------------------------------------------------------- reasons */

static void reason_line(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i,
                        ts_rule rule, ts_buf *b)
{
    const char *model = in->demand[p->rows[i].demand_index].model;
    const ts_planner_result *pl = &p->rows[i].r;
    const ts_kpis *k = &r->pools[i].kpis;
    switch (rule) {
    case TS_RULE_CAPACITY:
        ts_buf_printf(b, "model %s needs %lld instances at peak, above max_instances_per_model %lld", model,
                      (long long)pl->needed, (long long)in->policy.max_instances);
        break;
    case TS_RULE_P95:
        ts_buf_printf(b, "model %s: p95 utilization ", model);
        ts_buf_double(b, round(k->p95_util_pct * 10) / 10);
        ts_buf_puts(b, "% is ");
        ts_buf_double(b, round(fabs(k->p95_util_pct - in->policy.target_utilization_pct) * 10) / 10);
        ts_buf_puts(b, " points from the target ");
        ts_buf_double(b, in->policy.target_utilization_pct);
        ts_buf_puts(b, "% (tolerance ");
        ts_buf_double(b, in->acceptance.util_tolerance_pct);
        ts_buf_puts(b, ")");
        break;
    case TS_RULE_SLA:
        ts_buf_printf(b, "model %s: %lld steps with demand above ready capacity (", model, (long long)k->violations);
        ts_buf_double(b, k->violation_minutes);
        ts_buf_puts(b, " minutes, ");
        ts_buf_double(b, round(k->unserved_tokens));
        ts_buf_puts(b, " tokens unserved) although the plan has enough instances");
        break;
    default:
        break;
    }
}

void ts_render_reasons(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                       const ts_acceptance *a, ts_buf *b)
{
    for (int rule = 0; rule < TS_RULE_COUNT; rule++)
        for (size_t i = 0; i < p->n; i++) {
            ts_verdict v = a->pool_rule[i][rule];
            if (v == TS_PASS)
                continue;
            ts_buf_printf(b, "%s %s: ", ts_verdict_name(v), ts_rule_name((ts_rule)rule));
            reason_line(in, p, r, i, (ts_rule)rule, b);
            ts_buf_putc(b, '\n');
        }
}

/* ---------------------------------------------------------------- JSON */

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
    ts_buf_puts(b, bool_str(v));
}

void ts_render_summary_json(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                            const ts_acceptance *a, ts_buf *b)
{
    ts_totals t;
    ts_compute_totals(in, p, r, &t);
    const ts_policy *po = &in->policy;
    ts_buf_puts(b, "{\n  \"tool\": \"tapscale\",\n  \"version\": ");
    ts_buf_json_string(b, ts_version());
    ts_buf_puts(b, ",\n  \"seed\": ");
    ts_buf_printf(b, "%llu", (unsigned long long)in->seed);
    ts_buf_puts(b, ",\n  \"noise_pct\": ");
    ts_buf_double(b, in->noise_pct);
    ts_buf_puts(b, ",\n  \"currency\": ");
    if (in->currency)
        ts_buf_json_string(b, in->currency);
    else
        ts_buf_puts(b, "null");
    ts_buf_puts(b, ",\n  \"policy\": {");
    int f = 1;
    jstr(b, "policy", ts_policy_kind_name(po->kind), &f);
    jint(b, "step_s", ts_scaler_for(po->kind)->interval_s(po), &f);
    jnum(b, "target_utilization_pct", po->target_utilization_pct, &f);
    jnum(b, "peak_factor", po->peak_factor, &f);
    jint(b, "min_instances_per_model", po->min_instances, &f);
    jint(b, "max_instances_per_model", po->max_instances, &f);
    jint(b, "evaluation_interval_s", po->evaluation_interval_s, &f);
    jnum(b, "scale_up_threshold_pct", po->scale_up_threshold_pct, &f);
    jnum(b, "scale_down_threshold_pct", po->scale_down_threshold_pct, &f);
    jint(b, "scale_up_step_replicas", po->scale_up_step, &f);
    jint(b, "scale_down_step_replicas", po->scale_down_step, &f);
    jint(b, "stabilization_window_s", po->stabilization_window_s, &f);
    jint(b, "warmup_s", po->warmup_s, &f);
    jint(b, "cooldown_s", po->cooldown_s, &f);
    if (po->has_peak_percentile)
        jnum(b, "capacity_peak_percentile", po->capacity_peak_percentile, &f);
    ts_buf_puts(b, "\n  },\n  \"pools\": [");
    for (size_t i = 0; i < p->n; i++) {
        const ts_plan_row *row = &p->rows[i];
        const ts_candidate *c = &in->cand[row->cand_index];
        const ts_kpis *k = &r->pools[i].kpis;
        ts_buf_puts(b, i ? ",\n  {" : "\n  {");
        f = 1;
        jstr(b, "model", in->demand[row->demand_index].model, &f);
        jstr(b, "gpu", c->gpu, &f);
        jint(b, "gpu_count", c->gpu_count, &f);
        jnum(b, "tps_eff", c->tps_eff, &f);
        jbool(b, "tps_heuristic", c->heuristic, &f);
        jkey(b, "instance_price_per_hour", &f);
        if (c->has_price)
            ts_buf_double(b, c->instance_price_hr);
        else
            ts_buf_puts(b, "null");
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
        jkey(b, "cost", &f);
        if (r->pools[i].has_cost)
            ts_buf_double(b, r->pools[i].cost);
        else
            ts_buf_puts(b, "null");
        jkey(b, "acceptance", &f);
        ts_buf_puts(b, "{");
        for (int rule = 0; rule < TS_RULE_COUNT; rule++) {
            ts_buf_puts(b, rule ? ", " : "");
            ts_buf_json_string(b, ts_rule_name((ts_rule)rule));
            ts_buf_puts(b, ": ");
            ts_buf_json_string(b, ts_verdict_name(a->pool_rule[i][rule]));
        }
        ts_buf_puts(b, "}");
        jstr(b, "verdict", ts_verdict_name(a->pool[i]), &f);
        ts_buf_puts(b, "\n  }");
    }
    ts_buf_puts(b, "\n  ],\n  \"totals\": {");
    f = 1;
    jint(b, "pools", (int64_t)p->n, &f);
    jint(b, "scale_events", t.scale_events, &f);
    jint(b, "violations", t.violations, &f);
    jnum(b, "unserved_tokens", t.unserved_tokens, &f);
    jnum(b, "replica_hours", t.replica_hours, &f);
    jnum(b, "gpu_hours", t.gpu_hours, &f);
    jkey(b, "cost", &f);
    if (t.priced_pools)
        ts_buf_double(b, t.cost);
    else
        ts_buf_puts(b, "null");
    jint(b, "priced_pools", (int64_t)t.priced_pools, &f);
    jnum(b, "demand_weighted_avg_util_pct", t.weighted_avg_util_pct, &f);
    jnum(b, "max_p95_util_pct", t.max_p95_util_pct, &f);
    ts_buf_puts(b, "\n  },\n  \"acceptance\": {");
    f = 1;
    jnum(b, "util_tolerance_pct", in->acceptance.util_tolerance_pct, &f);
    jbool(b, "fail_on_warning", in->acceptance.fail_on_warning, &f);
    jkey(b, "severity", &f);
    ts_buf_puts(b, "{");
    for (int rule = 0; rule < TS_RULE_COUNT; rule++) {
        ts_buf_puts(b, rule ? ", " : "");
        ts_buf_json_string(b, ts_rule_name((ts_rule)rule));
        ts_buf_puts(b, ": ");
        ts_buf_json_string(b, ts_verdict_name(in->acceptance.severity[rule]));
    }
    ts_buf_puts(b, "}");
    jkey(b, "rules", &f);
    ts_buf_puts(b, "{");
    for (int rule = 0; rule < TS_RULE_COUNT; rule++) {
        ts_buf_puts(b, rule ? ", " : "");
        ts_buf_json_string(b, ts_rule_name((ts_rule)rule));
        ts_buf_puts(b, ": ");
        ts_buf_json_string(b, ts_verdict_name(a->rule[rule]));
    }
    ts_buf_puts(b, "}");
    jstr(b, "verdict", ts_verdict_name(a->overall), &f);
    jkey(b, "reasons", &f);
    ts_buf rb;
    ts_buf_init(&rb);
    ts_render_reasons(in, p, r, a, &rb);
    ts_buf_puts(b, "[");
    int firstr = 1;
    for (char *line = rb.data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ts_buf_puts(b, firstr ? "\n      " : ",\n      ");
        firstr = 0;
        ts_buf_json_string(b, line);
        line = nl ? nl + 1 : NULL;
    }
    ts_buf_puts(b, firstr ? "]" : "\n    ]");
    if (rb.oom)
        b->oom = 1;
    ts_buf_free(&rb);
    ts_buf_puts(b, "\n  },\n  \"warnings\": [");
    for (size_t i = 0; i < in->warnings.n; i++) {
        ts_buf_puts(b, i ? ",\n    " : "\n    ");
        ts_buf_json_string(b, in->warnings.items[i].msg);
    }
    ts_buf_puts(b, in->warnings.n ? "\n  ],\n  \"inputs\": [" : "],\n  \"inputs\": [");
    for (size_t i = 0; i < in->n_files; i++) {
        ts_buf_puts(b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        ts_buf_json_string(b, in->files[i].path);
        ts_buf_puts(b, ", \"sha256\": ");
        ts_buf_json_string(b, in->files[i].sha256);
        ts_buf_puts(b, "}");
    }
    ts_buf_puts(b, "\n  ]\n}\n");
}

/* ------------------------------------------------------------ Markdown */

static void md_num(ts_buf *b, double v, int decimals)
{
    ts_buf_printf(b, "%.*f", decimals, v);
}

void ts_render_summary_md(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                          const ts_acceptance *a, ts_buf *b)
{
    ts_totals t;
    ts_compute_totals(in, p, r, &t);
    ts_buf_printf(b, "# tapscale run summary\n\nVerdict: **%s** (tapscale %s, seed %llu, %s autoscaler every %lld s)\n\n",
                  ts_verdict_name(a->overall), ts_version(), (unsigned long long)in->seed,
                  ts_policy_kind_name(in->policy.kind), (long long)ts_scaler_for(in->policy.kind)->interval_s(&in->policy));
    ts_buf_puts(b, "## Pools\n\n| model | GPU | instances planned | max replicas | scale events | avg util % | p95 util % | violations | GPU-hours | cost | verdict |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < p->n; i++) {
        const ts_plan_row *row = &p->rows[i];
        const ts_candidate *c = &in->cand[row->cand_index];
        const ts_kpis *k = &r->pools[i].kpis;
        ts_buf_printf(b, "| %s | %s x%lld | %lld | %lld | %lld | ", in->demand[row->demand_index].model, c->gpu,
                      (long long)c->gpu_count, (long long)row->r.instances_needed, (long long)k->max_replicas,
                      (long long)k->scale_events);
        md_num(b, k->avg_util_pct, 1);
        ts_buf_puts(b, " | ");
        md_num(b, k->p95_util_pct, 1);
        ts_buf_printf(b, " | %lld | ", (long long)k->violations);
        md_num(b, k->gpu_hours, 1);
        ts_buf_puts(b, " | ");
        if (r->pools[i].has_cost) {
            md_num(b, r->pools[i].cost, 2);
            ts_buf_printf(b, " %s", in->currency ? in->currency : "");
        } else {
            ts_buf_puts(b, "n/a");
        }
        ts_buf_printf(b, " | %s |\n", ts_verdict_name(a->pool[i]));
    }
    ts_buf_printf(b, "\nTotals: %zu pools, %lld scale events, %lld violations, ", p->n, (long long)t.scale_events,
                  (long long)t.violations);
    md_num(b, t.gpu_hours, 1);
    ts_buf_puts(b, " GPU-hours, demand-weighted mean utilization ");
    md_num(b, t.weighted_avg_util_pct, 1);
    ts_buf_puts(b, " %, highest p95 ");
    md_num(b, t.max_p95_util_pct, 1);
    ts_buf_puts(b, " %");
    if (t.priced_pools) {
        ts_buf_puts(b, ", cost ");
        md_num(b, t.cost, 2);
        ts_buf_printf(b, " %s (%zu priced pools)", in->currency ? in->currency : "", t.priced_pools);
    }
    ts_buf_puts(b, ".\n\n## Acceptance\n\n| rule | severity when broken | outcome |\n|---|---|---|\n");
    for (int rule = 0; rule < TS_RULE_COUNT; rule++)
        ts_buf_printf(b, "| %s | %s | %s |\n", ts_rule_name((ts_rule)rule), ts_verdict_name(in->acceptance.severity[rule]),
                      ts_verdict_name(a->rule[rule]));
    ts_buf_puts(b, "\nTolerance for p95 utilization: ");
    ts_buf_double(b, in->acceptance.util_tolerance_pct);
    ts_buf_printf(b, " points; fail on warning: %s.\n", in->acceptance.fail_on_warning ? "yes" : "no");
    ts_buf rb;
    ts_buf_init(&rb);
    ts_render_reasons(in, p, r, a, &rb);
    if (rb.len) {
        ts_buf_puts(b, "\n### Reasons\n\n");
        for (char *line = rb.data; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            ts_buf_printf(b, "- %s\n", line);
            line = nl ? nl + 1 : NULL;
        }
    }
    if (rb.oom)
        b->oom = 1;
    ts_buf_free(&rb);
    if (in->warnings.n) {
        ts_buf_puts(b, "\n## Warnings\n\n");
        for (size_t i = 0; i < in->warnings.n; i++)
            ts_buf_printf(b, "- %s\n", in->warnings.items[i].msg);
    }
    ts_buf_puts(b, "\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    for (size_t i = 0; i < in->n_files; i++)
        ts_buf_printf(b, "| %s | `%s` |\n", in->files[i].path, in->files[i].sha256);
}

void ts_render_run_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                         const ts_acceptance *a, ts_buf *b)
{
    ts_buf_printf(b, "%-40s %-14s %5s %5s %6s %6s %6s %6s %10s %12s %s\n", "model", "gpu", "plan", "max",
                  "events", "avg%", "p95%", "viol", "gpu_h", "cost", "verdict");
    for (size_t i = 0; i < p->n; i++) {
        const ts_plan_row *row = &p->rows[i];
        const ts_candidate *c = &in->cand[row->cand_index];
        const ts_kpis *k = &r->pools[i].kpis;
        char gpu[64], cost[32];
        snprintf(gpu, sizeof gpu, "%s x%lld", c->gpu, (long long)c->gpu_count);
        if (r->pools[i].has_cost)
            snprintf(cost, sizeof cost, "%.2f %s", r->pools[i].cost, in->currency ? in->currency : "");
        else
            snprintf(cost, sizeof cost, "n/a");
        ts_buf_printf(b, "%-40s %-14s %5lld %5lld %6lld %6.1f %6.1f %6lld %10.1f %12s %s\n",
                      in->demand[row->demand_index].model, gpu, (long long)row->r.instances_needed,
                      (long long)k->max_replicas, (long long)k->scale_events, k->avg_util_pct, k->p95_util_pct,
                      (long long)k->violations, k->gpu_hours, cost, ts_verdict_name(a->pool[i]));
    }
    ts_render_reasons(in, p, r, a, b);
    ts_buf_printf(b, "verdict: %s\n", ts_verdict_name(a->overall));
}

void ts_render_compare_csv(const ts_inputs *in, const ts_plan *p, const ts_policy *policies,
                           const ts_sim_results *const *results, size_t n_policies, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,policy,step_s,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency\n");
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < n_policies; j++) {
            ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
            SEP(b);
            ts_buf_csv_field(b, in->cand[p->rows[i].cand_index].gpu);
            SEP(b);
            ts_buf_puts(b, ts_policy_kind_name(policies[j].kind));
            SEP(b);
            ts_buf_int(b, ts_scaler_for(policies[j].kind)->interval_s(&policies[j]));
            SEP(b);
            kpi_fields(in, &results[j]->pools[i], b);
            ts_buf_putc(b, '\n');
        }
}

void ts_render_compare_table(const ts_inputs *in, const ts_plan *p, const ts_policy *policies,
                             const ts_sim_results *const *results, size_t n_policies, ts_buf *b)
{
    ts_buf_printf(b, "%-40s %-10s %7s %6s %6s %6s %8s %14s %10s %5s\n", "model", "policy", "events", "avg%", "p95%",
                  "viol", "viol_min", "unserved_tok", "gpu_h", "max");
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < n_policies; j++) {
            const ts_kpis *k = &results[j]->pools[i].kpis;
            ts_buf_printf(b, "%-40s %-10s %7lld %6.1f %6.1f %6lld %8.1f %14.0f %10.1f %5lld\n",
                          j ? "" : in->demand[p->rows[i].demand_index].model, ts_policy_kind_name(policies[j].kind),
                          (long long)k->scale_events, k->avg_util_pct, k->p95_util_pct, (long long)k->violations,
                          k->violation_minutes, k->unserved_tokens, k->gpu_hours, (long long)k->max_replicas);
        }
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
