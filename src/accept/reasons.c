/*
 * reasons.c — why a pool breaks a rule; see reasons.h.
 */
#include "accept/reasons.h"
#include "util/strbuf.h"

#include <math.h>
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

static void sla_reason(const ts_inputs *in, const ts_policy *po, const char *model, const ts_planner_result *pl,
                       const ts_kpis *k, ts_buf *b)
{
    ts_buf_printf(b, "model %s: %lld steps with demand above ready capacity (", model, (long long)k->violations);
    ts_buf_double(b, k->violation_minutes);
    ts_buf_puts(b, " minutes, ");
    ts_buf_double(b, round(k->unserved_tokens));
    if (!pl->capacity_violation) {
        ts_buf_puts(b, " tokens unserved) although the plan has enough instances");
        return;
    }
    ts_buf_printf(b, " tokens unserved): the ceiling max_instances_per_model %lld set at %s holds the pool below the "
                     "%lld instances its peak needs (expected a ceiling of at least %lld)",
                  (long long)po->max_instances, ceiling_place(in, model), (long long)pl->needed,
                  (long long)pl->needed);
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
