/*
 * search.c — the tuner (ts_tune in tapscale.h): per pool, the cheapest
 * setting of the space that meets the service level.
 *
 * Method and guarantee. When the grid has at most `budget` settings every
 * one is evaluated: the winner is the optimum over the grid. Otherwise a
 * sample of budget/2 distinct settings is drawn (xoshiro256** seeded by the
 * seed and the model id, so a run is reproducible), then a descent starts
 * from the best of them: all settings one step away on one axis are
 * evaluated, the best of them taken if it is better, until none is or the
 * budget is spent; then again from the next best sampled setting (three
 * starts at most). The result is then a local optimum for one-axis moves,
 * not a guaranteed global one, and the output says which method ran.
 *
 * Order. Settings are ranked: meeting the service level first; among those
 * the objective, then violation-minutes, events, and the grid index; among
 * the others violation-minutes, then the share unserved, the objective and
 * the index. Batches of settings are evaluated on all cores into slots by
 * position, and ranked in order after each batch, so the result is the same
 * for any thread count.
 */
#include "tapscale.h"
#include "tune/level.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/rng.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BUDGET 5000
#define DESCENT_STARTS 3

/* One pool's search. */
typedef struct search {
    const ts_inputs *in;
    const ts_plan *plan;
    const ts_tune_space *sp;
    const ts_tune_options *opt;
    size_t pool;
    ts_tune_pool *tp;
    size_t budget;
    double total_tokens;          /* over the horizon: for the share unserved */
    int has_price;
    double price;
    int latency;                  /* the pool is held to its latency SLO, slo */
    const ts_slo *slo;
    uint64_t *seen;               /* open addressing of linear grid indexes + 1 */
    size_t seen_cap;
    /* the batch being evaluated */
    ts_tune_candidate *batch;
    size_t m;
    atomic_size_t next;
    atomic_int failed;
} search;

static uint64_t linear_index(const ts_tune_space *sp, const uint32_t *at)
{
    uint64_t v = 0;
    for (size_t i = 0; i < sp->n; i++)
        v = v * sp->axes[i].n + at[i];
    return v;
}

/* 1 when the grid point was already taken (and takes it otherwise). */
static int seen_take(search *s, uint64_t v)
{
    size_t mask = s->seen_cap - 1;
    for (size_t h = (size_t)((v * 0x9E3779B97F4A7C15ULL) >> 20) & mask;; h = (h + 1) & mask) {
        if (s->seen[h] == v + 1)
            return 1;
        if (!s->seen[h]) {
            s->seen[h] = v + 1;
            return 0;
        }
    }
}

/* Evaluates one setting on the pool: its policy, then the simulation. p
 * is the worker's policy, the pool's current one with some candidate's
 * values laid over it: each candidate sets every axis, so laying its
 * values over p gives the current policy with them (no copy of the policy
 * per candidate). */
static ts_status evaluate(search *s, ts_sim_workspace *ws, ts_policy *p, ts_tune_candidate *c)
{
    ts_diags d;
    ts_diags_init(&d);
    int ok = 1;
    for (size_t i = 0; c->at && i < s->sp->n && ok; i++)
        ok = ts_policy_set(p, s->sp->axes[i].key, s->sp->axes[i].values[c->at[i]], "space", &d) == TS_OK;
    ok = ok && ts_policy_check(p, &d) == TS_OK;
    int oom = d.oom;
    ts_diags_free(&d);
    if (oom)
        return TS_ENOMEM;
    if (!ok) {
        c->feasible = -1; /* invalid: bounds between keys */
        return TS_OK;
    }
    const ts_plan_row *row = &s->plan->rows[s->pool];
    const ts_model_demand *md = &s->in->demand[row->demand_index];
    const ts_candidate *cd = &s->in->cand[row->cand_index];
    ts_sim_input si;
    memset(&si, 0, sizeof si);
    si.demand = (ts_series){md->rate, md->n, (double)md->tau_s};
    si.tps_eff = cd->tps_eff;
    si.gpu_count = cd->gpu_count;
    si.start_s = md->start;
    si.policy = p;
    si.has_initial_replicas = md->has_initial_replicas;
    si.initial_replicas = md->initial_replicas;
    si.latency = s->latency ? cd->latency : NULL;
    ts_status st = ts_tune_simulate(&si, ws, 0, &s->in->acceptance.sla, s->slo, &c->kpis);
    if (st != TS_OK)
        return st;
    const ts_kpis *k = &c->kpis;
    c->cost = s->has_price ? k->replica_hours * s->price : 0.0;
    c->unserved_pct = s->total_tokens > 0 ? 100.0 * k->unserved_tokens / s->total_tokens : 0.0;
    const ts_tune_options *o = s->opt;
    c->objective = o->minimize == TS_MINIMIZE_EVENTS                      ? (double)k->scale_events
                   : o->minimize == TS_MINIMIZE_COST && s->has_price ? c->cost
                                                                          : k->gpu_hours;
    c->feasible = ts_tune_meets(o, k, c->unserved_pct);
    return TS_OK;
}

/* < 0 when a ranks before b (see the top of this file). */
static int rank(const search *s, const ts_tune_candidate *a, const ts_tune_candidate *b)
{
#define CMP(x, y)                                                                                               \
    do {                                                                                                        \
        if ((x) != (y))                                                                                         \
            return (x) < (y) ? -1 : 1;                                                                          \
    } while (0)
    if (a->feasible != b->feasible)
        return a->feasible > b->feasible ? -1 : 1; /* 1 before 0 before -1 (invalid) */
    if (a->feasible == 1) {
        CMP(a->objective, b->objective);
        CMP(a->kpis.violation_minutes, b->kpis.violation_minutes);
        CMP(a->kpis.scale_events, b->kpis.scale_events);
    } else {
        CMP(a->kpis.violation_minutes, b->kpis.violation_minutes);
        CMP(a->kpis.latency.slo_minutes, b->kpis.latency.slo_minutes);
        CMP(a->unserved_pct, b->unserved_pct);
        CMP(a->objective, b->objective);
    }
    CMP(linear_index(s->sp, a->at), linear_index(s->sp, b->at));
    return 0;
#undef CMP
}

static void *worker(void *arg)
{
    search *s = arg;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    ts_policy *p = ts_malloc(sizeof *p); /* the worker's policy, copied once */
    if (!ws || !p) {
        atomic_store(&s->failed, TS_ENOMEM);
        ts_sim_workspace_free(ws);
        free(p);
        return NULL;
    }
    *p = s->tp->current;
    for (;;) {
        size_t i = atomic_fetch_add(&s->next, 1);
        if (i >= s->m || atomic_load(&s->failed) != TS_OK)
            break;
        ts_status st = evaluate(s, ws, p, &s->batch[i]);
        if (st != TS_OK)
            atomic_store(&s->failed, (int)st);
    }
    free(p);
    ts_sim_workspace_free(ws);
    return NULL;
}

/* Evaluates s->batch[0..m-1] on all cores. */
static ts_status run_batch(search *s, ts_tune_candidate *batch, size_t m)
{
    s->batch = batch;
    s->m = m;
    atomic_store(&s->next, 0);
    atomic_store(&s->failed, TS_OK);
    long threads = s->opt->threads > 0 ? s->opt->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > m)
        threads = m ? (long)m : 1;
    if (threads > TS_MAX_THREADS)
        threads = TS_MAX_THREADS;
    pthread_t tid[TS_MAX_THREADS];
    long started = 0;
    for (long t = 1; t < threads; t++)
        if (pthread_create(&tid[started], NULL, worker, s) == 0)
            started++;
    worker(s);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    return (ts_status)atomic_load(&s->failed);
}

/* Appends the grid points of at[0..m-1] (n_axes each, already taken in
 * seen) to the pool's candidates and evaluates them. */
static ts_status evaluate_points(search *s, uint32_t *points, size_t m)
{
    ts_tune_pool *tp = s->tp;
    ts_tune_candidate *c = ts_reserve(tp->cand, tp->n + m + 1, &tp->cap, sizeof *c, 64);
    if (!c)
        return TS_ENOMEM;
    tp->cand = c;
    for (size_t i = 0; i < m; i++) {
        ts_tune_candidate *x = &tp->cand[tp->n + i];
        memset(x, 0, sizeof *x);
        x->at = ts_malloc((s->sp->n ? s->sp->n : 1) * sizeof *x->at);
        if (!x->at) {
            for (size_t j = 0; j < i; j++)
                free(tp->cand[tp->n + j].at);
            return TS_ENOMEM;
        }
        memcpy(x->at, points + i * s->sp->n, s->sp->n * sizeof *x->at);
    }
    ts_status st = run_batch(s, &tp->cand[tp->n], m);
    tp->n += m;
    return st;
}

/* The grid point of linear index v. */
static void point_of(const ts_tune_space *sp, uint64_t v, uint32_t *at)
{
    for (size_t i = sp->n; i-- > 0;) {
        at[i] = (uint32_t)(v % sp->axes[i].n);
        v /= sp->axes[i].n;
    }
}

/* The index of the best candidate among cand[0..n-1], or -1. */
static long best_of(const search *s, int feasible_only)
{
    long best = TS_NOT_FOUND;
    for (size_t i = 0; i < s->tp->n; i++) {
        const ts_tune_candidate *c = &s->tp->cand[i];
        if (c->feasible < 0 || (feasible_only && c->feasible != 1))
            continue;
        if (best < 0 || rank(s, c, &s->tp->cand[best]) < 0)
            best = (long)i;
    }
    return best;
}

/* From candidate `from`, moves to the best better neighbour (one step on
 * one axis) until none is better or the budget is spent. */
static ts_status descend(search *s, long from, uint32_t *points)
{
    const ts_tune_space *sp = s->sp;
    long here = from;
    while (s->tp->n < s->budget) {
        size_t m = 0;
        for (size_t ax = 0; ax < sp->n; ax++)
            for (int dir = -1; dir <= 1; dir += 2) {
                uint32_t *q = points + m * sp->n;
                memcpy(q, s->tp->cand[here].at, sp->n * sizeof *q);
                if ((dir < 0 && q[ax] == 0) || (dir > 0 && q[ax] + 1 >= sp->axes[ax].n))
                    continue;
                q[ax] = (uint32_t)((int64_t)q[ax] + dir);
                if (s->tp->n + m < s->budget && !seen_take(s, linear_index(sp, q)))
                    m++;
            }
        if (m == 0)
            return TS_OK;
        size_t first = s->tp->n;
        ts_status st = evaluate_points(s, points, m);
        if (st != TS_OK)
            return st;
        long next = here;
        for (size_t i = first; i < s->tp->n; i++)
            if (s->tp->cand[i].feasible >= 0 && rank(s, &s->tp->cand[i], &s->tp->cand[next]) < 0)
                next = (long)i;
        if (next == here)
            return TS_OK;
        here = next;
    }
    return TS_OK;
}

/* The whole search of one pool. */
static ts_status search_pool(search *s)
{
    const ts_tune_space *sp = s->sp;
    ts_tune_pool *tp = s->tp;
    size_t size = ts_tune_space_size(sp);
    size_t want = size <= s->budget ? size : s->budget / 2;
    s->seen_cap = 16;
    while (s->seen_cap < 2 * (s->budget + 2 * sp->n + 1))
        s->seen_cap *= 2;
    s->seen = ts_calloc(s->seen_cap, sizeof *s->seen);
    size_t pts_cap = (want > 2 * sp->n ? want : 2 * sp->n) + 1;
    uint32_t *points = ts_malloc(pts_cap * (sp->n ? sp->n : 1) * sizeof *points);
    if (!s->seen || !points) {
        free(points);
        return TS_ENOMEM;
    }
    tp->exhaustive = size <= s->budget;
    size_t m = 0;
    if (tp->exhaustive) {
        for (uint64_t v = 0; v < size; v++) {
            point_of(sp, v, points + m * sp->n);
            seen_take(s, v);
            m++;
        }
    } else {
        ts_rng r;
        const char *model = s->in->demand[s->plan->rows[s->pool].demand_index].model;
        ts_rng_seed(&r, s->opt->seed ^ ts_hash_str(model));
        while (m < want) {
            uint64_t v = ts_rng_next(&r) % size;
            if (seen_take(s, v))
                continue;
            point_of(sp, v, points + m * sp->n);
            m++;
        }
    }
    ts_status st = evaluate_points(s, points, m);
    /* the best few of the sample start a descent each */
    long tops[DESCENT_STARTS];
    int n_tops = 0;
    for (size_t i = 0; st == TS_OK && !tp->exhaustive && i < tp->n; i++) {
        if (tp->cand[i].feasible < 0)
            continue;
        int at = n_tops;
        while (at > 0 && rank(s, &tp->cand[i], &tp->cand[tops[at - 1]]) < 0)
            at--;
        if (at >= DESCENT_STARTS)
            continue;
        for (int j = (n_tops < DESCENT_STARTS ? n_tops : DESCENT_STARTS - 1); j > at; j--)
            tops[j] = tops[j - 1];
        tops[at] = (long)i;
        if (n_tops < DESCENT_STARTS)
            n_tops++;
    }
    for (int t = 0; st == TS_OK && t < n_tops && tp->n < s->budget; t++)
        st = descend(s, tops[t], points);
    free(points);
    return st;
}

ts_status ts_tune(const ts_inputs *in, const ts_plan *plan, const ts_tune_space *space, const ts_tune_options *opt,
                  ts_tune_result **out)
{
    *out = NULL;
    ts_tune_result *r = ts_calloc(1, sizeof *r);
    if (!r || !(r->pools = ts_calloc(plan->n ? plan->n : 1, sizeof *r->pools))) {
        free(r);
        return TS_ENOMEM;
    }
    r->space = space;
    r->minimize = opt->minimize;
    r->n = plan->n;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    ts_status st = ws ? TS_OK : TS_ENOMEM;
    for (size_t i = 0; st == TS_OK && i < plan->n; i++) {
        const ts_plan_row *row = &plan->rows[i];
        const ts_model_demand *md = &in->demand[row->demand_index];
        const ts_candidate *cd = &in->cand[row->cand_index];
        ts_tune_pool *tp = &r->pools[i];
        tp->current = *ts_inputs_policy(in, row->demand_index);
        tp->current.type = space->type;
        search s;
        memset(&s, 0, sizeof s);
        s.in = in;
        s.plan = plan;
        s.sp = space;
        s.opt = opt;
        s.pool = i;
        s.tp = tp;
        s.budget = opt->budget ? opt->budget : DEFAULT_BUDGET;
        s.total_tokens = row->r.avg_tokens_per_hour * ((double)md->n * (double)md->tau_s / 3600.0);
        s.has_price = cd->has_price;
        s.price = cd->instance_price_hr;
        s.latency = ts_tune_latency_pool(in, plan, i);
        s.slo = ts_inputs_slo(in, md->model);
        atomic_init(&s.next, 0);
        atomic_init(&s.failed, TS_OK);
        st = evaluate(&s, ws, &tp->current, &tp->current_result); /* no axes: current stays as it is */
        tp->hours = (double)tp->current_result.kpis.steps * (double)ts_policy_step_s(&tp->current) / 3600.0;
        if (st == TS_OK) {
            ts_sim_input si;
            memset(&si, 0, sizeof si);
            si.demand = (ts_series){md->rate, md->n, (double)md->tau_s};
            si.tps_eff = cd->tps_eff;
            si.gpu_count = cd->gpu_count;
            si.start_s = md->start;
            si.policy = &tp->current;
            st = ts_simulate_bounds(&si, ws, &tp->bounds);
        }
        if (st == TS_OK)
            st = search_pool(&s);
        free(s.seen);
        if (st != TS_OK)
            break;
        tp->winner = best_of(&s, 1);
        tp->closest = tp->winner >= 0 ? tp->winner : best_of(&s, 0);
        tp->best = tp->current;
        for (size_t k = 0; tp->closest >= 0 && k < space->n; k++) {
            ts_diags d;
            ts_diags_init(&d);
            const ts_tune_axis *a = &space->axes[k];
            if (ts_policy_set(&tp->best, a->key, a->values[tp->cand[tp->closest].at[k]], "space", &d) != TS_OK)
                st = d.oom ? TS_ENOMEM : TS_EINPUT; /* cannot happen: it was evaluated */
            ts_diags_free(&d);
        }
        for (size_t k = 0; k < tp->n; k++)
            tp->invalid += tp->cand[k].feasible < 0;
    }
    ts_sim_workspace_free(ws);
    if (st != TS_OK) {
        ts_tune_result_free(r);
        return st;
    }
    *out = r;
    return TS_OK;
}

void ts_tune_result_free(ts_tune_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        for (size_t k = 0; k < r->pools[i].n; k++)
            free(r->pools[i].cand[k].at);
        free(r->pools[i].cand);
    }
    free(r->pools);
    free(r);
}
