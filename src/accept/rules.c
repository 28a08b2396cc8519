/*
 * rules.c — §8; see rules.h.
 */
#include "accept/rules.h"
#include "accept/reasons.h"
#include "util/alloc.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdlib.h>

static int capacity_broken(const ts_acceptance_cfg *c, const ts_policy *p, const ts_planner_result *pl,
                           const ts_kpis *k)
{
    (void)c, (void)p, (void)k;
    return pl->capacity_violation;
}

static int p95_broken(const ts_acceptance_cfg *c, const ts_policy *p, const ts_planner_result *pl,
                      const ts_kpis *k)
{
    (void)pl;
    return !(fabs(k->p95_util_pct - p->target_utilization_pct) <= c->util_tolerance_pct);
}

static int sla_broken(const ts_acceptance_cfg *c, const ts_policy *p, const ts_planner_result *pl,
                      const ts_kpis *k)
{
    (void)c, (void)p, (void)pl;
    /* a ceiling the user set that causes them too; and minutes over the
     * latency SLO, with a profile */
    return k->violations > 0 || (k->latency.has && k->latency.slo_steps > 0);
}

static int queue_broken(const ts_acceptance_cfg *c, const ts_policy *p, const ts_planner_result *pl,
                        const ts_kpis *k)
{
    (void)p, (void)pl;
    return c->sla.has_max_delay_s && !(k->queue.delay_p99_s <= c->sla.max_delay_s);
}

static const struct {
    const char *name;
    int (*broken)(const ts_acceptance_cfg *, const ts_policy *, const ts_planner_result *, const ts_kpis *);
} rules[TS_RULE_COUNT] = {
    {"capacity_violation", capacity_broken},
    {"p95_util", p95_broken},
    {"sla_violations", sla_broken},
    {"queue_delay", queue_broken},
};

const char *ts_rule_name(ts_rule r)
{
    return r < TS_RULE_COUNT ? rules[r].name : "?";
}

const char *ts_verdict_name(ts_verdict v)
{
    static const char *const names[] = {"PASS", "WARN", "FAIL"};
    return v <= TS_FAIL ? names[v] : "?";
}

int ts_rule_broken(ts_rule r, const ts_acceptance_cfg *cfg, const ts_policy *p,
                   const ts_planner_result *plan, const ts_kpis *k)
{
    return rules[r].broken(cfg, p, plan, k);
}

/* Adds the reason of every broken rule, by rule then pool. */
static ts_status add_reasons(const ts_inputs *in, const ts_plan *plan, const ts_sim_results *res, ts_acceptance *a)
{
    size_t broken = 0;
    for (size_t i = 0; i < plan->n; i++)
        for (int r = 0; r < TS_RULE_COUNT; r++)
            broken += a->pool_rule[i][r] != TS_PASS;
    a->reasons = ts_calloc(broken ? broken : 1, sizeof *a->reasons);
    if (!a->reasons)
        return TS_ENOMEM;
    for (int r = 0; r < TS_RULE_COUNT; r++)
        for (size_t i = 0; i < plan->n; i++) {
            if (a->pool_rule[i][r] == TS_PASS)
                continue;
            ts_buf b;
            ts_buf_init(&b);
            ts_reason_text(in, plan, res, i, (ts_rule)r, &b);
            ts_buf_putc(&b, '\0');
            if (b.oom) {
                ts_buf_free(&b);
                return TS_ENOMEM;
            }
            a->reasons[a->n_reasons++] = (ts_acceptance_reason){(ts_rule)r, i, a->pool_rule[i][r], b.data};
        }
    return TS_OK;
}

ts_status ts_accept(const ts_inputs *in, const ts_plan *plan, const ts_sim_results *res, ts_acceptance **out)
{
    *out = NULL;
    ts_acceptance *a = ts_calloc(1, sizeof *a);
    size_t n = plan->n ? plan->n : 1;
    if (!a || !(a->pool_rule = ts_calloc(n, sizeof *a->pool_rule)) || !(a->pool = ts_calloc(n, sizeof *a->pool))) {
        ts_acceptance_free(a);
        return TS_ENOMEM;
    }
    a->n = plan->n;
    const ts_acceptance_cfg *cfg = &in->acceptance;
    for (size_t i = 0; i < plan->n; i++) {
        for (int r = 0; r < TS_RULE_COUNT; r++) {
            ts_verdict v = TS_PASS;
            if (ts_rule_broken((ts_rule)r, cfg, res->pools[i].policy, &plan->rows[i].r, &res->pools[i].kpis)) {
                v = cfg->severity[r];
                if (v == TS_WARN && cfg->fail_on_warning)
                    v = TS_FAIL;
            }
            a->pool_rule[i][r] = v;
            if (v > a->rule[r])
                a->rule[r] = v;
            if (v > a->pool[i])
                a->pool[i] = v;
            if (v > a->overall)
                a->overall = v;
        }
    }
    if (add_reasons(in, plan, res, a) != TS_OK) {
        ts_acceptance_free(a);
        return TS_ENOMEM;
    }
    *out = a;
    return TS_OK;
}

void ts_acceptance_free(ts_acceptance *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_reasons; i++)
        free(a->reasons[i].text);
    free(a->reasons);
    free(a->pool_rule);
    free(a->pool);
    free(a);
}
