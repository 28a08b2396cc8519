/*
 * summary_md.c — consolidated_summary.md: the verdict, a table of pools,
 * the totals, the acceptance with its reasons, the warnings and the inputs
 * with their SHA-256, for a person to read. Numbers are rounded for reading
 * (one decimal, two for money); the JSON keeps them exact.
 */
#include "tapscale_io.h"
#include "sim/policy_type.h"
#include "run/totals.h"
#include "sim/kpis.h"
#include "report/warnings.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

static void md_num(ts_buf *b, double v, int decimals)
{
    ts_buf_printf(b, "%.*f", decimals, v);
}

static void md_pools(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, const ts_acceptance *a,
                     ts_buf *b)
{
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
}

/* The rental answer: per pool the horizon, the always-on floor and the
 * burst ceiling, and per 30-day month the policy against the fixed fleet
 * and the ideal. */
static void md_money(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    ts_buf_puts(b, "\n## Money\n\nCosts over the horizon simulated, and per 30-day month (720 hours). The floor is "
                   "what the pool held during at least 95 % of the horizon (rent it), the ceiling the most it held "
                   "(burst); the fixed fleet rents the peak step's need all along; the ideal is the least any "
                   "autoscaler could pay, knowing the future, with the same warm-up.\n\n"
                   "| model | horizon | hours | floor | ceiling | cost | per month | fixed per month | ideal per month | "
                   "GPU-hours vs ideal |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    const char *cur = in->currency ? in->currency : "";
    for (size_t i = 0; i < p->n; i++) {
        const ts_pool_result *pr = &r->pools[i];
        char t0[32], t1[32];
        ts_fmt_time(pr->start, t0);
        ts_fmt_time(pr->end, t1);
        ts_buf_printf(b, "| %s | %s to %s | ", in->demand[p->rows[i].demand_index].model, t0, t1);
        md_num(b, pr->hours, 1);
        ts_buf_printf(b, " | %lld | %lld | ", (long long)pr->kpis.floor_replicas, (long long)pr->kpis.max_replicas);
        if (pr->has_cost) {
            const double v[] = {pr->cost, ts_per_month(pr, pr->cost), ts_per_month(pr, pr->fixed_cost),
                                ts_per_month(pr, pr->ideal_cost)};
            for (int j = 0; j < 4; j++) {
                md_num(b, v[j], 2);
                ts_buf_printf(b, " %s | ", cur);
            }
        } else {
            ts_buf_puts(b, "n/a | n/a | n/a | n/a | ");
        }
        if (pr->bounds.ideal_replica_steps > 0)
            md_num(b, pr->kpis.replica_hours / pr->bounds.ideal_replica_hours, 2);
        else
            ts_buf_puts(b, "n/a");
        ts_buf_puts(b, " |\n");
    }
}

/* How long tokens waited: the fluid queue per pool. */
static void md_queue(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    const ts_sla *sla = &in->acceptance.sla;
    ts_buf_puts(b, "\n## Queueing delay\n\nTokens that find no ready capacity wait, first in first out, and are "
                   "served later (a fluid queue); delays in seconds over the tokens served.");
    if (sla->has_max_delay_s) {
        ts_buf_puts(b, " Delayed minutes: steps in which a token waited more than sla.max_delay_s = ");
        md_num(b, sla->max_delay_s, 1);
        ts_buf_puts(b, " s.");
    }
    if (sla->has_max_queue_s) {
        ts_buf_puts(b, " Dropped: tokens refused by the timeout sla.max_queue_s = ");
        md_num(b, sla->max_queue_s, 1);
        ts_buf_puts(b, " s.");
    }
    ts_buf_puts(b, "\n\n| model | p50 s | p95 s | p99 s | max s | max backlog tokens | delayed minutes | dropped tokens "
                   "| left at the end |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < p->n; i++) {
        const ts_queue_kpis *q = &r->pools[i].kpis.queue;
        ts_buf_printf(b, "| %s | ", in->demand[p->rows[i].demand_index].model);
        const double v[] = {q->delay_p50_s, q->delay_p95_s, q->delay_p99_s, q->delay_max_s};
        for (int j = 0; j < 4; j++) {
            md_num(b, v[j], 1);
            ts_buf_puts(b, " | ");
        }
        md_num(b, q->max_backlog_tokens, 0);
        ts_buf_puts(b, " | ");
        if (sla->has_max_delay_s)
            md_num(b, q->delayed_minutes, 1);
        else
            ts_buf_puts(b, "n/a");
        ts_buf_puts(b, " | ");
        md_num(b, q->dropped_tokens, 0);
        ts_buf_puts(b, " | ");
        md_num(b, q->left_tokens, 0);
        ts_buf_puts(b, " |\n");
    }
}

/* The forecast's error of each pool whose policy forecasts, after the
 * queue (the text it always had). */
static void md_forecast(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    for (size_t i = 0; i < p->n; i++) {
        const ts_kpis *k = &r->pools[i].kpis;
        if (!k->has_forecast)
            continue;
        ts_buf_printf(b, "\nForecast of %s: ", in->demand[p->rows[i].demand_index].model);
        if (k->forecast_hours > 0) {
            ts_buf_puts(b, "MAPE ");
            md_num(b, k->forecast_mape_pct, 1);
            ts_buf_puts(b, " %, WAPE ");
            md_num(b, k->forecast_wape_pct, 1);
            ts_buf_printf(b, " %% over %lld hours.\n", (long long)k->forecast_hours);
        } else {
            ts_buf_puts(b, "no hour had a forecast (less than a week of history).\n");
        }
    }
}

static void md_totals(const ts_inputs *in, const ts_totals *t, size_t pools, ts_buf *b)
{
    ts_buf_printf(b, "\nTotals: %zu pools, %lld scale events, %lld violations, ", pools, (long long)t->scale_events,
                  (long long)t->violations);
    md_num(b, t->gpu_hours, 1);
    ts_buf_puts(b, " GPU-hours, demand-weighted mean utilization ");
    md_num(b, t->weighted_avg_util_pct, 1);
    ts_buf_puts(b, " %, highest p95 ");
    md_num(b, t->max_p95_util_pct, 1);
    ts_buf_puts(b, " %");
    if (t->priced_pools) {
        ts_buf_puts(b, ", cost ");
        md_num(b, t->cost, 2);
        ts_buf_printf(b, " %s (%zu priced pools)", in->currency ? in->currency : "", t->priced_pools);
        ts_buf_puts(b, "; per month ");
        md_num(b, t->cost_per_month, 2);
        ts_buf_puts(b, " against ");
        md_num(b, t->fixed_cost_per_month, 2);
        ts_buf_puts(b, " for the fixed fleet and ");
        md_num(b, t->ideal_cost_per_month, 2);
        ts_buf_printf(b, " %s for the ideal", in->currency ? in->currency : "");
    }
    ts_buf_puts(b, ".\n");
}

static void md_acceptance(const ts_inputs *in, const ts_acceptance *a, ts_buf *b)
{
    ts_buf_puts(b, "\n## Acceptance\n\n| rule | severity when broken | outcome |\n|---|---|---|\n");
    for (int rule = 0; rule < TS_RULE_COUNT; rule++)
        ts_buf_printf(b, "| %s | %s | %s |\n", ts_rule_name((ts_rule)rule),
                      ts_verdict_name(in->acceptance.severity[rule]), ts_verdict_name(a->rule[rule]));
    ts_buf_puts(b, "\nTolerance for p95 utilization: ");
    ts_buf_double(b, in->acceptance.util_tolerance_pct);
    ts_buf_printf(b, " points; fail on warning: %s.\n", in->acceptance.fail_on_warning ? "yes" : "no");
    if (a->n_reasons)
        ts_buf_puts(b, "\n### Reasons\n\n");
    for (size_t i = 0; i < a->n_reasons; i++)
        ts_buf_printf(b, "- %s %s: %s\n", ts_verdict_name(a->reasons[i].verdict), ts_rule_name(a->reasons[i].rule),
                      a->reasons[i].text);
}

void ts_render_summary_md(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                          const ts_acceptance *a, ts_buf *b)
{
    ts_totals t;
    ts_kpis_totals(in, p, r, &t);
    ts_buf_printf(b, "# tapscale run summary\n\nVerdict: **%s** (tapscale %s, seed %llu, %s autoscaler every %lld s)\n\n",
                  ts_verdict_name(a->overall), ts_version(), (unsigned long long)in->seed, in->policy.type->name,
                  (long long)ts_policy_step_s(&in->policy));
    md_pools(in, p, r, a, b);
    md_totals(in, &t, p->n, b);
    md_money(in, p, r, b);
    md_queue(in, p, r, b);
    md_forecast(in, p, r, b);
    md_acceptance(in, a, b);
    if (in->warnings.n || p->warnings.n) {
        ts_buf_puts(b, "\n## Warnings\n\n");
        ts_report_warnings(in, p, "- ", "- ", 0, b);
    }
    ts_buf_puts(b, "\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    for (size_t i = 0; i < in->n_files; i++)
        ts_buf_printf(b, "| %s | `%s` |\n", in->files[i].path, in->files[i].sha256);
}
