/*
 * tables.c — the text tables the tool prints on a terminal: the run table
 * (one line per pool, the reasons, the verdict) and the policy comparison
 * side by side. Fixed-width columns, numbers rounded for reading.
 */
#include "tapscale_io.h"
#include "util/strbuf.h"

#include <stdio.h>

/* A cost per month for a table cell, or without a price the GPU-hours
 * per month gpu_h (what the ratio to the ideal is then of). */
static void month_cell(const ts_pool_result *pr, double v, double gpu_h, char *buf, size_t size)
{
    if (pr->has_cost)
        snprintf(buf, size, "%.2f", ts_per_month(pr, v));
    else
        snprintf(buf, size, "%.1f GPU-h", ts_per_month(pr, gpu_h));
}

/* The rental answer per pool: rent the floor, burst to the ceiling, and the
 * month's cost against the fixed fleet and the ideal (for a GPU without a
 * price, its GPU-hours, so that the ratio beside them says of what). */
static void rental_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    ts_buf_printf(b, "\nper 30-day month (%s):\n%-40s %6s %8s %14s %14s %14s %9s\n", in->currency ? in->currency : "no prices",
                  "model", "floor", "ceiling", "policy", "fixed fleet", "ideal", "vs ideal");
    for (size_t i = 0; i < p->n; i++) {
        const ts_pool_result *pr = &r->pools[i];
        char c[3][32], ratio[32];
        month_cell(pr, pr->cost, pr->kpis.gpu_hours, c[0], sizeof c[0]);
        month_cell(pr, pr->fixed_cost, pr->fixed_gpu_hours, c[1], sizeof c[1]);
        month_cell(pr, pr->ideal_cost, pr->ideal_gpu_hours, c[2], sizeof c[2]);
        if (pr->bounds.ideal_replica_steps > 0)
            snprintf(ratio, sizeof ratio, "%.2fx", pr->kpis.replica_hours / pr->bounds.ideal_replica_hours);
        else
            snprintf(ratio, sizeof ratio, "n/a");
        ts_buf_printf(b, "%-40s %6lld %8lld %14s %14s %14s %9s\n", in->demand[p->rows[i].demand_index].model,
                      (long long)pr->kpis.floor_replicas, (long long)pr->kpis.max_replicas, c[0], c[1], c[2], ratio);
    }
    /* three counts of one pool that differ, each for its reason */
    ts_buf_puts(b, "(plan: the instances the peak needs at the target utilization and peak factor; ceiling: the most "
                   "the policy held; fixed fleet: the fewest that serve the peak step at 100 %, held all month; floor: "
                   "held 95 % of the time)\n");
}

/* " TTFT p95 100, ITL p95 40": the targets of slo; returns 1 when it has
 * none (nothing written). */
static int slo_text(const ts_slo *slo, ts_buf *b)
{
    static const char *const name[2][TS_PCT_COUNT] = {{"TTFT p50", "TTFT p95", "TTFT p99"},
                                                      {"ITL p50", "ITL p95", "ITL p99"}};
    int first = 1;
    for (int m = 0; m < 2; m++)
        for (int q = 0; q < TS_PCT_COUNT; q++) {
            double t = m ? slo->itl_ms[q] : slo->ttft_ms[q];
            if (t > 0) {
                ts_buf_printf(b, "%s %s ", first ? "" : ",", name[m][q]);
                ts_buf_double(b, t);
                first = 0;
            }
        }
    return first;
}

/* With latency profiles: per pool, what its users saw against the SLO,
 * and the replicas the SLO's throughput plans (a pool without a profile
 * is listed as such). */
static void latency_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, ts_buf *b)
{
    int any = 0;
    for (size_t i = 0; i < p->n; i++)
        any |= r->pools[i].kpis.latency.has;
    if (!any)
        return;
    ts_buf_puts(b, "\nlatency (ms; SLO");
    int first = slo_text(&in->acceptance.slo, b);
    ts_buf_printf(b, "%s):\n%-40s %10s %10s %8s %8s %12s %14s %10s\n", first ? " none" : "", "model", "ttft_p95",
                  "ttft_p99", "itl_p95", "itl_p99", "slo_minutes", "beyond_minutes", "slo_tps");
    for (size_t i = 0; i < p->n; i++) {
        const ts_latency_kpis *l = &r->pools[i].kpis.latency;
        const ts_candidate *c = &in->cand[p->rows[i].cand_index];
        const char *model = in->demand[p->rows[i].demand_index].model;
        if (!l->has) {
            ts_buf_printf(b, "%-40s (no latency profile of %s x%lld)\n", model, c->gpu, (long long)c->gpu_count);
            continue;
        }
        char tps[32];
        if (c->has_slo_tps)
            snprintf(tps, sizeof tps, "%.1f", c->slo_tps);
        else
            snprintf(tps, sizeof tps, "-");
        ts_buf_printf(b, "%-40s %10.1f %10.1f %8.1f %8.1f %12.1f %14.1f %10s\n", model, l->ttft_ms[TS_P95],
                      l->ttft_ms[TS_P99], l->itl_ms[TS_P95], l->itl_ms[TS_P99], l->slo_minutes, l->beyond_minutes, tps);
    }
    ts_buf_puts(b, "(over the horizon, weighted by tokens: the profile at the load per ready replica, TTFT with the "
                   "queue's wait; slo_tps: the output tokens/s a replica can serve within the SLO, which the plan "
                   "uses)\n");
    for (size_t i = 0; i < in->n_model_policies; i++)
        if (in->model_policies[i].has_slo) {
            ts_buf_printf(b, "(%s's own SLO:", in->model_policies[i].model);
            if (slo_text(&in->model_policies[i].slo, b))
                ts_buf_puts(b, " none");
            ts_buf_puts(b, ")\n");
        }
}

void ts_render_run_table(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r,
                         const ts_acceptance *a, ts_buf *b)
{
    ts_buf_printf(b, "%-40s %-14s %5s %5s %6s %6s %6s %6s %8s %10s %12s %s\n", "model", "gpu", "plan", "max",
                  "events", "avg%", "p95%", "viol", "wait99_s", "gpu_h", "cost", "verdict");
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
        ts_buf_printf(b, "%-40s %-14s %5lld %5lld %6lld %6.1f %6.1f %6lld %8.1f %10.1f %12s %s\n",
                      in->demand[row->demand_index].model, gpu, (long long)row->r.instances_needed,
                      (long long)k->max_replicas, (long long)k->scale_events, k->avg_util_pct, k->p95_util_pct,
                      (long long)k->violations, k->queue.delay_p99_s, k->gpu_hours, cost,
                      ts_verdict_name(a->pool[i]));
    }
    rental_table(in, p, r, b);
    latency_table(in, p, r, b);
    for (size_t i = 0; i < a->n_reasons; i++)
        ts_buf_printf(b, "%s %s: %s\n", ts_verdict_name(a->reasons[i].verdict), ts_rule_name(a->reasons[i].rule),
                      a->reasons[i].text);
    ts_buf_printf(b, "verdict: %s\n", ts_verdict_name(a->overall));
}

void ts_render_compare_table(const ts_inputs *in, const ts_plan *p, const char *const *names,
                             const ts_sim_results *const *results, size_t n_policies, ts_buf *b)
{
    ts_buf_printf(b, "%-40s %-10s %7s %6s %6s %6s %8s %14s %10s %5s %12s %9s\n", "model", "policy", "events", "avg%",
                  "p95%", "viol", "viol_min", "unserved_tok", "gpu_h", "max", "cost/month", "vs ideal");
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < n_policies; j++) {
            const ts_pool_result *pr = &results[j]->pools[i];
            const ts_kpis *k = &pr->kpis;
            char cost[32], ratio[32];
            if (pr->has_cost) /* the GPU-hours have a column of their own here */
                snprintf(cost, sizeof cost, "%.2f", ts_per_month(pr, pr->cost));
            else
                snprintf(cost, sizeof cost, "n/a");
            if (pr->bounds.ideal_replica_steps > 0)
                snprintf(ratio, sizeof ratio, "%.2fx", k->replica_hours / pr->bounds.ideal_replica_hours);
            else
                snprintf(ratio, sizeof ratio, "n/a");
            ts_buf_printf(b, "%-40s %-10s %7lld %6.1f %6.1f %6lld %8.1f %14.0f %10.1f %5lld %12s %9s\n",
                          j ? "" : in->demand[p->rows[i].demand_index].model, names[j],
                          (long long)k->scale_events, k->avg_util_pct, k->p95_util_pct, (long long)k->violations,
                          k->violation_minutes, k->unserved_tokens, k->gpu_hours, (long long)k->max_replicas, cost,
                          ratio);
        }
}
