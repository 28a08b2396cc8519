/*
 * advise.c — every way to serve a pool, ranked (ts_advise in tapscale.h):
 * the fixed fleet that meets the service level, and each policy tuned with
 * floors and ceilings searched too, each scored as `run` simulates it.
 *
 * The fixed fleet. A fleet held at N replicas from t = 0 serves every step
 * whose demand N can serve, so its violation-minutes and unserved tokens
 * never grow with N: the fewest replicas meeting the level are found by a
 * binary search over [max(1, min), max]. It is simulated as an HPA held at
 * min = max (the manifest a Kubernetes user deploys for it).
 *
 * The policies. Each is searched by ts_tune over its default grid, widened
 * by a floor axis (the pool's min and 1/4, 1/2 and 3/4 of the fixed fleet,
 * within the pool's bounds) and a ceiling axis (the pool's max and the
 * fixed fleet): the floor is what a diurnal pool saves on, the ceiling what
 * stops an overshoot. The best setting found (the winner, or the closest)
 * is then simulated as `run` would, with its cold starts and its queue, so
 * a row is what `tapscale run` with that setting prints.
 *
 * The schedule. It is built from the demand (advise/schedule.c): every
 * hour of the day holds a quantile of the replicas its steps need, the
 * same for every day or weekdays apart from weekends, asked for one or two
 * cold starts (their p95) ahead; each of these twelve is simulated and the
 * best kept, as a policy's best setting is.
 */
#include "tapscale.h"
#include "tune/level.h"
#include "advise/schedule.h"
#include "policy/registry.h"
#include "policy/schedule.h"
#include "util/alloc.h"
#include "util/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADVISE_BUDGET 2000

/* One pool's work. */
typedef struct pool_ctx {
    const ts_inputs *in;
    const ts_plan *plan;
    size_t i;
    const ts_tune_options *opt;
    ts_advice_pool *out;
    double total_tokens;
    ts_sim_workspace *ws;
    int latency;          /* the pool is held to its latency SLO, slo */
    const ts_slo *slo;
} pool_ctx;

/* Simulates p on the pool as `run` does (with the queue when queue is
 * set) into row's KPIs, cost, share unserved, objective and verdict.
 * Returns TS_OK, TS_EINPUT (p out of the simulator's bounds) or TS_ENOMEM. */
static ts_status score(pool_ctx *c, const ts_policy *p, int queue, ts_advice_row *row)
{
    ts_sim_input si;
    ts_plan_sim_input(c->in, c->plan, c->i, p, &si);
    if (!c->latency)
        si.latency = NULL;
    ts_status st = ts_tune_simulate(&si, c->ws, queue, &c->in->acceptance.sla, c->slo, &row->kpis);
    if (st != TS_OK)
        return st;
    const ts_kpis *k = &row->kpis;
    const ts_advice_pool *ap = c->out;
    row->cost = ap->has_price ? k->replica_hours * ap->price : 0.0;
    row->unserved_pct = c->total_tokens > 0 ? 100.0 * k->unserved_tokens / c->total_tokens : 0.0;
    row->objective = c->opt->minimize == TS_MINIMIZE_EVENTS                   ? (double)k->scale_events
                     : c->opt->minimize == TS_MINIMIZE_COST && ap->has_price ? row->cost
                                                                             : k->gpu_hours;
    row->feasible = ts_tune_meets(c->opt, k, row->unserved_pct);
    return TS_OK;
}

/* p with min = max = n (set as the keys are, so what derives from them
 * follows). Returns TS_OK, TS_EINPUT (n outside the keys' bounds) or
 * TS_ENOMEM. */
static ts_status hold_at(ts_policy *p, int64_t n)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)n);
    ts_diags d;
    ts_diags_init(&d);
    ts_status st = ts_policy_set(p, "max_instances_per_model", v, "advise", &d);
    if (st == TS_OK)
        st = ts_policy_set(p, "min_instances_per_model", v, "advise", &d);
    if (st == TS_OK)
        st = ts_policy_check(p, &d);
    ts_diags_free(&d);
    return st;
}

/* The fixed fleet: the fewest replicas meeting the level, or the pool's
 * max (not meeting it) when none does. Returns TS_OK or TS_ENOMEM. */
static ts_status fixed_fleet(pool_ctx *c, const ts_policy *cur, ts_advice_row *row)
{
    int64_t lo = cur->min_instances > 1 ? cur->min_instances : 1, hi = cur->max_instances;
    if (hi < lo)
        hi = lo;
    ts_policy *p = ts_malloc(sizeof *p);
    if (!p)
        return TS_ENOMEM;
    *p = *cur;
    /* held by an HPA at min = max: what a Kubernetes user deploys as a fixed
     * fleet (any policy holds the same count; the HPA's is the manifest) */
    ts_status st = TS_OK;
    if (ts_policy_type_find("hpa")) {
        ts_diags d;
        ts_diags_init(&d);
        st = ts_policy_set(p, "policy", "hpa", "advise", &d);
        ts_diags_free(&d);
    }
    ts_advice_row r;
    size_t evaluated = 0;
    if (st == TS_OK)
        st = hold_at(p, hi);
    if (st == TS_OK)
        st = score(c, p, 0, &r);
    evaluated++;
    int64_t best = hi;
    /* the smallest n in [lo, hi) that meets the level, when hi does */
    for (int searching = st == TS_OK && r.feasible; searching && lo < best;) {
        int64_t mid = lo + (best - lo) / 2;
        if ((st = hold_at(p, mid)) != TS_OK || (st = score(c, p, 0, &r)) != TS_OK)
            break;
        evaluated++;
        if (r.feasible)
            best = mid;
        else
            lo = mid + 1;
    }
    if (st == TS_OK && (st = hold_at(p, best)) == TS_OK) {
        memset(row, 0, sizeof *row);
        row->policy = *p;
        st = score(c, &row->policy, 1, row);
        row->count = best;
        row->evaluated = evaluated;
        row->exhaustive = 1;
    }
    free(p);
    return st == TS_EINPUT ? TS_OK : st; /* a count the keys refuse: no fixed row */
}

/* The policy type t searched on the pool, widened by floors and ceilings
 * around the fixed fleet of fixed replicas. Sets *found when t has a grid
 * and a valid setting. Returns TS_OK or TS_ENOMEM. */
static ts_status tuned(pool_ctx *c, const ts_policy_type *t, const ts_policy *cur, int64_t fixed, ts_advice_row *row,
                       int *found)
{
    *found = 0;
    ts_diags d;
    ts_diags_init(&d);
    ts_tune_space *sp = NULL;
    ts_status st = ts_tune_space_deployable(t, &sp, &d);
    ts_diags_free(&d);
    if (st == TS_EINPUT)
        return TS_OK; /* no grid: nothing to search */
    const int64_t lo = cur->min_instances, hi = cur->max_instances;
    const int64_t floors[4] = {lo, (fixed + 3) / 4, (fixed + 1) / 2, (3 * fixed + 3) / 4};
    const int64_t ceilings[2] = {hi, fixed};
    char v[32];
    for (int k = 0; st == TS_OK && k < 4; k++)
        if (floors[k] >= lo && floors[k] <= hi) {
            snprintf(v, sizeof v, "%lld", (long long)floors[k]);
            st = ts_tune_space_add(sp, "min_instances_per_model", v);
        }
    for (int k = 0; st == TS_OK && k < 2; k++)
        if (ceilings[k] >= lo && ceilings[k] <= hi && ceilings[k] >= 1) {
            snprintf(v, sizeof v, "%lld", (long long)ceilings[k]);
            st = ts_tune_space_add(sp, "max_instances_per_model", v);
        }
    ts_plan one = *c->plan;
    one.rows = &c->plan->rows[c->i];
    one.n = 1;
    ts_tune_options o = *c->opt;
    o.budget = o.budget ? o.budget : ADVISE_BUDGET;
    ts_tune_result *tr = NULL;
    if (st == TS_OK)
        st = ts_tune(c->in, &one, sp, &o, &tr);
    if (st == TS_OK && tr->pools[0].closest >= 0) {
        const ts_tune_pool *tp = &tr->pools[0];
        memset(row, 0, sizeof *row);
        row->type = t;
        row->policy = tp->best;
        row->evaluated = tp->n;
        row->exhaustive = tp->exhaustive;
        size_t at = 0;
        for (size_t k = 0; k < sp->n && at < sizeof row->setting; k++) {
            const ts_tune_axis *ax = &sp->axes[k];
            int w = snprintf(row->setting + at, sizeof row->setting - at, "%s%s=%s", k ? " " : "", ax->key,
                             ax->values[tp->cand[tp->closest].at[k]]);
            at += w > 0 ? (size_t)w : 0;
        }
        st = score(c, &row->policy, 1, row);
        *found = st == TS_OK;
        if (st == TS_EINPUT)
            st = TS_OK;
    }
    ts_tune_result_free(tr);
    ts_tune_space_free(sp);
    return st;
}

/* < 0 when row a ranks before row b: meeting the level first, then the
 * objective, violation-minutes and events; the others by violation-
 * minutes, minutes over the latency SLO, the share unserved and the
 * objective. Ties keep the order the
 * rows were made in (the fixed fleet first). */
static int rank_rows(const ts_advice_row *a, const ts_advice_row *b)
{
#define CMP(x, y)                                                                                               \
    do {                                                                                                        \
        if ((x) != (y))                                                                                         \
            return (x) < (y) ? -1 : 1;                                                                          \
    } while (0)
    if (a->feasible != b->feasible)
        return a->feasible ? -1 : 1;
    if (a->feasible) {
        CMP(a->objective, b->objective);
        CMP(a->kpis.violation_minutes, b->kpis.violation_minutes);
        CMP(a->kpis.scale_events, b->kpis.scale_events);
    } else {
        CMP(a->kpis.violation_minutes, b->kpis.violation_minutes);
        CMP(a->kpis.latency.slo_minutes, b->kpis.latency.slo_minutes);
        CMP(a->unserved_pct, b->unserved_pct);
        CMP(a->objective, b->objective);
    }
    return 0;
#undef CMP
}

/* The p95 of a new replica's cold start on the pool, s. */
static double cold_p95(const ts_sim_input *si, const ts_policy *p)
{
    if (si->has_cold)
        return (double)si->cold_median_s * (si->cold_sigma > 0 ? exp(1.6448536269514722 * si->cold_sigma) : 1.0);
    return (double)p->warmup_s;
}

/* The schedule built from the pool's demand: the best of its candidates
 * (weekdays apart or not, the hour's peak or its 99th or 95th percentile,
 * one or two cold starts ahead). Sets *found when one could be built.
 * Returns TS_OK or TS_ENOMEM. */
static ts_status scheduled(pool_ctx *c, const ts_policy *cur, ts_advice_row *row, int *found)
{
    static const double quantiles[] = {1.0, 0.99, 0.95};
    static const char *const quantile_text[] = {"peak", "99th percentile", "95th percentile"};
    *found = 0;
    ts_sim_input si;
    ts_plan_sim_input(c->in, c->plan, c->i, cur, &si);
    const double p95 = cold_p95(&si, cur);
    int64_t leads[2];
    for (int k = 0; k < 2; k++) {
        double l = ceil((k + 1) * p95 / 60.0) * 60.0;
        leads[k] = l < 86400 ? (int64_t)l : 86400;
    }
    ts_advice_row *best = ts_malloc(2 * sizeof *best);
    if (!best)
        return TS_ENOMEM;
    ts_advice_row *r = best + 1;
    ts_status st = TS_OK;
    size_t evaluated = 0;
    int best_split = 0, best_q = 0;
    for (int split = 0; st == TS_OK && split < 2; split++)
        for (int q = 0; st == TS_OK && q < 3; q++) {
            /* the windows depend on split and q; the lead only shifts them */
            memset(r, 0, sizeof *r);
            st = ts_schedule_from_demand(&si, cur, split, quantiles[q], leads[0], &r->policy);
            if (st == TS_OK) {
                ts_diags d;
                ts_diags_init(&d);
                st = ts_policy_check(&r->policy, &d);
                ts_diags_free(&d);
            }
            const ts_policy built = r->policy;
            for (int l = 0; st == TS_OK && l < 2; l++) {
                memset(r, 0, sizeof *r);
                r->policy = built;
                ((ts_schedule_config *)ts_policy_settings_of(&r->policy, &ts_policy_schedule))->lead_s = leads[l];
                st = score(c, &r->policy, 0, r);
                if (st != TS_OK)
                    break;
                evaluated++;
                if (!*found || rank_rows(r, best) < 0) {
                    *best = *r;
                    best_split = split;
                    best_q = q;
                    *found = 1;
                }
            }
            if (st == TS_EINPUT)
                st = TS_OK; /* no schedule of these (no steps, too many windows): the next */
        }
    if (st == TS_OK && *found) {
        *row = *best;
        row->type = &ts_policy_schedule;
        row->evaluated = evaluated;
        row->exhaustive = 1;
        const ts_schedule_config *sc = ts_policy_settings_get(&row->policy, &ts_policy_schedule);
        snprintf(row->setting, sizeof row->setting, "%d window%s (%s; each hour's %s) lead_s=%lld", sc->n_windows,
                 sc->n_windows == 1 ? "" : "s",
                 best_split ? "weekdays apart from weekends" : "every day alike", quantile_text[best_q],
                 (long long)sc->lead_s);
        st = score(c, &row->policy, 1, row);
        if (st == TS_EINPUT) {
            *found = 0;
            st = TS_OK;
        }
    }
    free(best);
    return st;
}

/* Sorts the rows by rank_rows, stably (insertion: a handful of rows). */
static void sort_rows(ts_advice_pool *ap)
{
    for (size_t i = 1; i < ap->n_rows; i++) {
        ts_advice_row moved = ap->rows[i];
        size_t j = i;
        for (; j > 0 && rank_rows(&moved, &ap->rows[j - 1]) < 0; j--)
            ap->rows[j] = ap->rows[j - 1];
        ap->rows[j] = moved;
    }
}

static ts_status advise_pool(pool_ctx *c, const ts_policy_type *const *types, size_t n_types)
{
    const ts_plan_row *row = &c->plan->rows[c->i];
    const ts_model_demand *md = &c->in->demand[row->demand_index];
    const ts_candidate *cd = &c->in->cand[row->cand_index];
    ts_advice_pool *ap = c->out;
    const ts_policy *cur = ts_inputs_policy(c->in, row->demand_index);
    ap->has_price = cd->has_price;
    ap->price = cd->instance_price_hr;
    ap->floor = cur->min_instances;
    ap->ceiling = cur->max_instances;
    ap->winner = TS_NOT_FOUND;
    double sum = 0, peak = 0;
    for (size_t k = 0; k < md->n; k++) {
        sum += md->rate[k];
        peak = md->rate[k] > peak ? md->rate[k] : peak;
    }
    ap->demand_peak_to_mean = sum > 0 ? peak / (sum / (double)md->n) : 0.0;
    c->total_tokens = row->r.avg_tokens_per_hour * ((double)md->n * (double)md->tau_s / 3600.0);
    ts_sim_input si;
    ts_plan_sim_input(c->in, c->plan, c->i, cur, &si);
    ts_status st = ts_simulate_bounds(&si, c->ws, &ap->bounds);
    if (st == TS_EINPUT)
        st = TS_OK; /* a policy out of the simulator's bounds: no bounds, and no rows below */
    ts_advice_row *r = &ap->rows[0];
    int64_t fixed = cur->max_instances;
    if (st == TS_OK && (st = fixed_fleet(c, cur, r)) == TS_OK && r->count > 0) {
        fixed = r->count;
        ap->hours = (double)r->kpis.steps * (double)ts_policy_step_s(&r->policy) / 3600.0;
        ap->n_rows++;
    }
    for (size_t t = 0; st == TS_OK && t < n_types && ap->n_rows < TS_ADVICE_MAX_ROWS; t++) {
        int found = 0;
        if (types[t] == &ts_policy_schedule)
            st = scheduled(c, cur, &ap->rows[ap->n_rows], &found);
        else
            st = tuned(c, types[t], cur, fixed, &ap->rows[ap->n_rows], &found);
        ap->n_rows += (size_t)found;
    }
    if (st != TS_OK)
        return st;
    sort_rows(ap);
    for (size_t k = 0; k < ap->n_rows && ap->winner < 0; k++)
        if (ap->rows[k].feasible)
            ap->winner = (long)k;
    return TS_OK;
}

ts_status ts_advise(const ts_inputs *in, const ts_plan *plan, const ts_tune_options *opt,
                    const ts_policy_type *const *types, size_t n_types, ts_advice **out)
{
    *out = NULL;
    if (!types)
        types = ts_policy_types(&n_types);
    ts_advice *a = ts_calloc(1, sizeof *a);
    if (!a || !(a->pools = ts_calloc(plan->n ? plan->n : 1, sizeof *a->pools))) {
        free(a);
        return TS_ENOMEM;
    }
    a->opt = *opt;
    a->n = plan->n;
    pool_ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.plan = plan;
    c.opt = opt;
    c.ws = ts_sim_workspace_new();
    ts_status st = c.ws ? TS_OK : TS_ENOMEM;
    for (size_t i = 0; st == TS_OK && i < plan->n; i++) {
        c.i = i;
        c.out = &a->pools[i];
        c.latency = ts_tune_latency_pool(in, plan, i);
        c.slo = ts_inputs_slo(in, in->demand[plan->rows[i].demand_index].model);
        st = advise_pool(&c, types, n_types);
    }
    ts_sim_workspace_free(c.ws);
    if (st != TS_OK) {
        ts_advice_free(a);
        return st;
    }
    *out = a;
    return TS_OK;
}

void ts_advice_free(ts_advice *a)
{
    if (!a)
        return;
    free(a->pools);
    free(a);
}
