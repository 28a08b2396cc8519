/*
 * reasons.c — why a pool breaks a rule; see reasons.h.
 */
#include "accept/reasons.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void capacity_reason(const ts_inputs *in, const ts_policy *po, const char *model,
                            const ts_planner_result *pl, const ts_kpis *k, ts_buf *b)
{
    (void)in, (void)k;
    ts_buf_printf(b, "model %s needs %lld instances at peak, above max_instances_per_model %lld", model,
                  (long long)pl->needed, (long long)po->max_instances);
}

static void p95_reason(const ts_inputs *in, const ts_policy *po, const char *model, const ts_planner_result *pl,
                       const ts_kpis *k, ts_buf *b)
{
    (void)pl;
    ts_buf_printf(b, "model %s: p95 utilization ", model);
    ts_buf_double(b, round(k->p95_util_pct * 10) / 10);
    ts_buf_puts(b, "% is ");
    ts_buf_double(b, round(fabs(k->p95_util_pct - po->target_utilization_pct) * 10) / 10);
    ts_buf_puts(b, " points from the target ");
    ts_buf_double(b, po->target_utilization_pct);
    ts_buf_puts(b, "% (tolerance ");
    ts_buf_double(b, in->acceptance.util_tolerance_pct);
    ts_buf_puts(b, ")");
}

/* Where model's ceiling was set: its manifest field, or public_tap.yaml. */
static const char *ceiling_place(const ts_inputs *in, const char *model)
{
    for (size_t i = 0; i < in->n_model_policies; i++)
        if (!strcmp(in->model_policies[i].model, model) && in->model_policies[i].ceiling_source)
            return in->model_policies[i].ceiling_source;
    return "operator/public_tap.yaml";
}

/* "TTFT p95 125.2 ms against slo.ttft_p95_ms 100, ..." for each target. */
static void slo_targets(const ts_slo *slo, const char *prefix, const ts_latency_kpis *l, ts_buf *b)
{
    static const char *const metric[2] = {"TTFT", "ITL"}, *const key[2] = {"ttft", "itl"};
    static const char *const pct[TS_PCT_COUNT] = {"p50", "p95", "p99"};
    int first = 1;
    for (int m = 0; m < 2; m++)
        for (int q = 0; q < TS_PCT_COUNT; q++) {
            double target = m ? slo->itl_ms[q] : slo->ttft_ms[q];
            if (!(target > 0))
                continue;
            ts_buf_printf(b, "%s%s %s ", first ? "" : ", ", metric[m], pct[q]);
            ts_buf_double(b, round((m ? l->itl_ms[q] : l->ttft_ms[q]) * 10) / 10);
            ts_buf_printf(b, " ms against %s.%s_%s_ms ", prefix, key[m], pct[q]);
            ts_buf_double(b, target);
            first = 0;
        }
}

/* Minutes over the latency SLO, for sla_reason. */
static void latency_reason(const ts_inputs *in, const char *model, const ts_kpis *k, ts_buf *b)
{
    const ts_latency_kpis *l = &k->latency;
    if (k->violations == 0)
        ts_buf_printf(b, "model %s: ", model);
    else
        ts_buf_puts(b, "; and ");
    ts_buf_double(b, l->slo_minutes);
    ts_buf_puts(b, " minutes over the latency SLO (");
    const ts_slo *slo = ts_inputs_slo(in, model);
    char prefix[300];
    if (slo == &in->acceptance.slo)
        snprintf(prefix, sizeof prefix, "slo");
    else
        snprintf(prefix, sizeof prefix, "models.%s.slo", model);
    slo_targets(slo, prefix, l, b);
    ts_buf_puts(b, k->violations == 0 ? ") although demand never exceeded ready capacity" : ")");
    if (l->beyond_minutes > 0) {
        ts_buf_puts(b, "; ");
        ts_buf_double(b, l->beyond_minutes);
        ts_buf_puts(b, " of its minutes load a replica beyond its profile's last point");
    }
}

static void sla_reason(const ts_inputs *in, const ts_policy *po, const char *model, const ts_planner_result *pl,
                       const ts_kpis *k, ts_buf *b)
{
    if (k->violations == 0) {
        latency_reason(in, model, k, b);
        return;
    }
    ts_buf_printf(b, "model %s: %lld steps with demand above ready capacity (", model, (long long)k->violations);
    ts_buf_double(b, k->violation_minutes);
    ts_buf_puts(b, " minutes, ");
    ts_buf_double(b, round(k->unserved_tokens));
    if (!pl->capacity_violation)
        ts_buf_puts(b, " tokens unserved) although the plan has enough instances");
    else
        ts_buf_printf(b, " tokens unserved): the ceiling max_instances_per_model %lld set at %s holds the pool below "
                         "the %lld instances its peak needs (expected a ceiling of at least %lld)",
                      (long long)po->max_instances, ceiling_place(in, model), (long long)pl->needed,
                      (long long)pl->needed);
    if (k->latency.has && k->latency.slo_steps > 0)
        latency_reason(in, model, k, b);
}

static void queue_reason(const ts_inputs *in, const ts_policy *po, const char *model, const ts_planner_result *pl,
                         const ts_kpis *k, ts_buf *b)
{
    (void)po, (void)pl;
    ts_buf_printf(b, "model %s: p99 queue delay ", model);
    ts_buf_double(b, round(k->queue.delay_p99_s * 10) / 10);
    ts_buf_puts(b, " s is above sla.max_delay_s ");
    ts_buf_double(b, in->acceptance.sla.max_delay_s);
    ts_buf_puts(b, " s (");
    ts_buf_double(b, k->queue.delayed_minutes);
    ts_buf_puts(b, " minutes with a longer wait, ");
    ts_buf_double(b, round(k->queue.max_backlog_tokens));
    ts_buf_puts(b, " tokens waiting at most)");
}

/* By rule, in the order of ts_rule. */
static void (*const reasons[TS_RULE_COUNT])(const ts_inputs *, const ts_policy *, const char *,
                                            const ts_planner_result *, const ts_kpis *,
                                            ts_buf *) = {capacity_reason, p95_reason, sla_reason,
                                                         queue_reason};

void ts_reason_text(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i, ts_rule rule,
                    ts_buf *b)
{
    if ((unsigned)rule < TS_RULE_COUNT)
        reasons[rule](in, r->pools[i].policy, in->demand[p->rows[i].demand_index].model, &p->rows[i].r,
                      &r->pools[i].kpis, b);
}
