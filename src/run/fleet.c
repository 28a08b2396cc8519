/*
 * fleet.c — the run: the simulation of every pool of a plan
 * (ts_simulate_plan in tapscale.h), above plan and sim, which know nothing
 * of it. Pools are independent, so they are simulated in parallel,
 * each worker with its own workspace; results land in plan order, and
 * streamed events are handed over in plan order, so nothing depends on the
 * thread count.
 */
#include "sim/coldstart.h"
#include "sim/kpis.h"
#include "util/alloc.h"
#include "util/rng.h"
#include "util/limits.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one pool's callbacks collect. */
typedef struct pool_ctx {
    ts_pool_result *res;
    size_t ev_cap, st_cap;
    const ts_sim_options *opt;
    void *sink;              /* the pool's step stream, when streamed */
} pool_ctx;

static ts_status collect_event(void *vctx, const ts_event *ev)
{
    pool_ctx *c = vctx;
    ts_event *e = ts_grow(c->res->events, c->res->n_events, &c->ev_cap, sizeof *e, 64);
    if (!e)
        return TS_ENOMEM; /* the simulation stops and returns it */
    c->res->events = e;
    c->res->events[c->res->n_events++] = *ev;
    return TS_OK;
}

static ts_status collect_step(void *vctx, const ts_step *st)
{
    pool_ctx *c = vctx;
    if (c->sink)
        return c->opt->steps_put(c->sink, st);
    ts_step *s = ts_grow(c->res->steps, c->res->n_steps, &c->st_cap, sizeof *s, 1024);
    if (!s)
        return TS_ENOMEM;
    c->res->steps = s;
    c->res->steps[c->res->n_steps++] = *st;
    return TS_OK;
}

typedef struct fleet {
    const ts_inputs *in;
    const ts_plan *plan;
    const ts_sim_options *opt;
    ts_sim_results *res;
    atomic_size_t next;
    atomic_int failed;       /* a ts_status, TS_OK while none */
    pthread_mutex_t lock;    /* progress and the hand-over of events */
    size_t done;
    ts_buf *rows;            /* per pool: formatted events awaiting their turn */
    ts_buf *pool_rows;       /* per pool: pool_done's bytes awaiting their turn */
    unsigned char *ready;
    size_t next_flush;
} fleet;

static void fail(fleet *f, ts_status st)
{
    int ok = TS_OK;
    atomic_compare_exchange_strong(&f->failed, &ok, (int)st);
}

/* Simulates pool i; its events are formatted for the stream when asked. */
static ts_status run_pool(fleet *f, ts_sim_workspace *ws, size_t i)
{
    const ts_plan_row *row = &f->plan->rows[i];
    const ts_model_demand *md = &f->in->demand[row->demand_index];
    const ts_candidate *c = &f->in->cand[row->cand_index];
    const ts_sim_options *o = f->opt;
    ts_pool_result *r = &f->res->pools[i];
    pool_ctx ctx = {r, 0, 0, o, NULL};
    ts_sim_input si;
    ts_plan_sim_input(f->in, f->plan, i, o->policies ? o->policies[i] : NULL, &si);
    r->policy = si.policy;
    ts_status st = o->steps_begin ? o->steps_begin(o->steps_ctx, i, &ctx.sink) : TS_OK;
    if (st != TS_OK)
        return st;
    int want_steps = o->keep_steps || ctx.sink;
    /* the events are always collected: the queue is computed from them */
    st = ts_simulate_autoscaler(&si, ws, collect_event, want_steps ? collect_step : NULL, &ctx, &r->kpis);
    if (ctx.sink) {
        ts_status end = o->steps_end(ctx.sink, st);
        if (st == TS_OK)
            st = end;
    }
    if (st != TS_OK)
        return st;
    if ((st = ts_simulate_bounds(&si, ws, &r->bounds)) != TS_OK)
        return st;
    st = si.latency ? ts_simulate_latency(&si, r->events, r->n_events, &f->in->acceptance.sla,
                                          ts_inputs_slo(f->in, md->model), &r->kpis.queue, &r->kpis.latency)
                    : ts_simulate_queue(&si, r->events, r->n_events, &f->in->acceptance.sla, &r->kpis.queue);
    if (st != TS_OK)
        return st;
    int64_t span = r->kpis.steps * ts_policy_step_s(si.policy);
    r->start = md->start;
    r->end = md->start + span;
    r->hours = (double)span / 3600.0;
    r->ideal_gpu_hours = r->bounds.ideal_replica_hours * (double)c->gpu_count;
    r->fixed_gpu_hours = r->bounds.fixed_replica_hours * (double)c->gpu_count;
    r->has_cost = c->has_price;
    r->cost = c->has_price ? r->kpis.replica_hours * c->instance_price_hr : 0.0;
    r->ideal_cost = c->has_price ? r->bounds.ideal_replica_hours * c->instance_price_hr : 0.0;
    r->fixed_cost = c->has_price ? r->bounds.fixed_replica_hours * c->instance_price_hr : 0.0;
    if (o->events_write && o->events_format) {
        st = o->events_format(o->events_ctx, i, r->events, r->n_events, &f->rows[i]);
        if (st == TS_OK && f->rows[i].oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK && o->pool_done) {
        ts_buf *out = f->pool_rows ? &f->pool_rows[i] : NULL;
        st = o->pool_done(o->pool_ctx, i, &si, r, out);
        if (st == TS_OK && out && out->oom)
            st = TS_ENOMEM;
    }
    if (!o->keep_events) {
        free(r->events);
        r->events = NULL;
        r->n_events = 0;
    }
    return st;
}

/* Hands one pool's bytes to a writer, unless the run failed. */
static void hand_over(fleet *f, ts_buf *b, ts_status (*write)(void *, const char *, size_t), void *ctx)
{
    if (atomic_load(&f->failed) == TS_OK && b->len) {
        ts_status st = write(ctx, b->data, b->len);
        if (st != TS_OK)
            fail(f, st);
    }
    ts_buf_free(b);
}

/* Hands the formatted events and pool_done's bytes of finished pools to
 * their writers, in plan order. Called with the lock held. */
static void flush_events(fleet *f)
{
    const ts_sim_options *o = f->opt;
    while (f->next_flush < f->plan->n && f->ready[f->next_flush]) {
        if (f->rows)
            hand_over(f, &f->rows[f->next_flush], o->events_write, o->events_ctx);
        if (f->pool_rows)
            hand_over(f, &f->pool_rows[f->next_flush], o->pool_write, o->pool_write_ctx);
        f->next_flush++;
    }
}

static void *worker(void *arg)
{
    fleet *f = arg;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    if (!ws) {
        fail(f, TS_ENOMEM);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&f->next, 1);
        if (i >= f->plan->n || atomic_load(&f->failed) != TS_OK)
            break;
        ts_status st = run_pool(f, ws, i);
        if (st != TS_OK)
            fail(f, st);
        pthread_mutex_lock(&f->lock);
        f->done++;
        if (f->ready) {
            f->ready[i] = 1;
            flush_events(f);
        }
        if (f->opt->progress)
            f->opt->progress(f->opt->progress_ctx, f->done, f->plan->n);
        pthread_mutex_unlock(&f->lock);
    }
    ts_sim_workspace_free(ws);
    return NULL;
}

/* The worker threads to start beside the caller's: all cores by default,
 * at most one per pool. */
static long thread_count(const ts_sim_options *opt, size_t pools)
{
    long threads = opt->threads;
    if (threads <= 0) {
        threads = sysconf(_SC_NPROCESSORS_ONLN);
        if (threads < 1)
            threads = 1;
    }
    if ((size_t)threads > pools)
        threads = pools ? (long)pools : 1;
    return threads > TS_MAX_THREADS ? TS_MAX_THREADS : threads;
}

/* The cold start of a pool (README, "Cold starts"): the median is the
 * policy's warmup_s, or container_start_s + weights / (bandwidth × GPUs)
 * with weights_load_gb_per_s and the model's params_b (load checks both);
 * warmup_p95_factor f gives the spread σ = ln f / 1.6449; the stream is
 * the run's seed and the model's id. */
void ts_plan_sim_input(const ts_inputs *in, const ts_plan *plan, size_t i, const ts_policy *p, ts_sim_input *out)
{
    const ts_plan_row *row = &plan->rows[i];
    const ts_model_demand *md = &in->demand[row->demand_index];
    const ts_candidate *c = &in->cand[row->cand_index];
    memset(out, 0, sizeof *out);
    out->demand.rate = md->rate;
    out->demand.n = md->n;
    out->demand.tau_s = (double)md->tau_s;
    out->tps_eff = c->tps_eff;
    out->gpu_count = c->gpu_count;
    out->start_s = md->start;
    out->policy = p ? p : ts_inputs_policy(in, row->demand_index);
    out->has_initial_replicas = md->has_initial_replicas;
    out->initial_replicas = md->initial_replicas;
    out->latency = c->latency && c->latency->n ? c->latency : NULL;
    ts_sim_input_cold_start(out, md->has_params, md->params_b * md->bytes_per_param, in->seed ^ ts_hash_str(md->model));
}

ts_status ts_simulate_plan(const ts_inputs *in, const ts_plan *plan, const ts_sim_options *opt,
                           ts_sim_results **out)
{
    *out = NULL;
    ts_sim_results *res = ts_calloc(1, sizeof *res);
    if (!res || !(res->pools = ts_calloc(plan->n ? plan->n : 1, sizeof *res->pools))) {
        free(res);
        return TS_ENOMEM;
    }
    res->n = plan->n;
    fleet f;
    memset(&f, 0, sizeof f);
    f.in = in;
    f.plan = plan;
    f.opt = opt;
    f.res = res;
    atomic_init(&f.next, 0);
    atomic_init(&f.failed, TS_OK);
    size_t slots = plan->n ? plan->n : 1;
    int oom = 0;
    if (opt->events_write && !(f.rows = ts_calloc(slots, sizeof *f.rows)))
        oom = 1;
    if (opt->pool_done && opt->pool_write && !(f.pool_rows = ts_calloc(slots, sizeof *f.pool_rows)))
        oom = 1;
    if ((f.rows || f.pool_rows) && !(f.ready = ts_calloc(slots, 1)))
        oom = 1;
    if (oom) {
        free(f.rows);
        free(f.pool_rows);
        free(f.ready);
        ts_sim_results_free(res);
        return TS_ENOMEM;
    }
    pthread_mutex_init(&f.lock, NULL);
    long threads = thread_count(opt, plan->n);
    pthread_t tid[TS_MAX_THREADS];
    long started = 0;
    for (long t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, worker, &f) != 0)
            break;
        started++;
    }
    worker(&f);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&f.lock);
    for (size_t i = 0; i < plan->n; i++) {
        if (f.rows)
            ts_buf_free(&f.rows[i]);
        if (f.pool_rows)
            ts_buf_free(&f.pool_rows[i]);
    }
    free(f.rows);
    free(f.pool_rows);
    free(f.ready);
    ts_status st = (ts_status)atomic_load(&f.failed);
    if (st != TS_OK) {
        ts_sim_results_free(res);
        return st;
    }
    *out = res;
    return TS_OK;
}

void ts_sim_results_free(ts_sim_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->pools[i].events);
        free(r->pools[i].steps);
    }
    free(r->pools);
    free(r);
}
