/*
 * capacity.c — g*, the plan and the fleet simulation; see capacity.h.
 */
#include "pipelines/public/capacity.h"
#include "report/writers.h"
#include "models/facts.h"
#include "util/diag.h"
#include "util/numfmt.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 when candidate a is a better g* than b (both of one model). */
static int better(const ts_candidate *a, const ts_candidate *b, int by_price)
{
    if (by_price) {
        if (a->cost_per_1m != b->cost_per_1m)
            return a->cost_per_1m < b->cost_per_1m;
        if (a->instance_price_hr != b->instance_price_hr)
            return a->instance_price_hr < b->instance_price_hr;
    } else {
        double pa = a->tps_eff / (double)a->gpu_count, pb = b->tps_eff / (double)b->gpu_count;
        if (pa != pb)
            return pa > pb;
    }
    int c = strcmp(a->gpu, b->gpu);
    if (c)
        return c < 0;
    return a->gpu_count < b->gpu_count;
}

int ts_choose_gpu(const ts_inputs *in, const char *model)
{
    size_t lb = ts_cand_lower_bound(in->cand, in->n_cand, model);
    int any_price = 0;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++)
        any_price |= in->cand[i].has_price;
    int best = -1;
    for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, model); i++) {
        const ts_candidate *c = &in->cand[i];
        if (any_price && !c->has_price)
            continue;
        if (best < 0 || better(c, &in->cand[best], any_price))
            best = (int)i;
    }
    return best;
}

ts_status ts_plan_build(ts_inputs *in, ts_plan **out, ts_diags *d)
{
    *out = NULL;
    ts_plan *pl = calloc(1, sizeof *pl);
    double *scratch = NULL;
    size_t maxn = 0;
    for (size_t m = 0; m < in->n_demand; m++)
        if (in->demand[m].n > maxn)
            maxn = in->demand[m].n;
    if (!pl || !(pl->rows = calloc(in->n_demand ? in->n_demand : 1, sizeof *pl->rows)) ||
        !(scratch = malloc((maxn ? maxn : 1) * sizeof *scratch))) {
        free(scratch);
        ts_plan_free(pl);
        return TS_ERUNTIME;
    }
    for (size_t i = 0; i < in->n_cand; i++) {
        ts_candidate *c = &in->cand[i];
        c->chosen = 0;
        c->reason = "no demand for this model";
    }
    for (size_t m = 0; m < in->n_demand; m++) {
        const ts_model_demand *md = &in->demand[m];
        int g = ts_choose_gpu(in, md->model);
        if (g < 0)
            continue; /* the loader has reported it */
        int by_price = in->cand[g].has_price;
        size_t lb = ts_cand_lower_bound(in->cand, in->n_cand, md->model);
        for (size_t i = lb; i < in->n_cand && !strcmp(in->cand[i].model, md->model); i++) {
            ts_candidate *c = &in->cand[i];
            if ((int)i == g)
                c->reason = by_price ? "lowest cost per 1M tokens" : "highest tps_eff per GPU (no price for this model)";
            else if (by_price && !c->has_price)
                c->reason = "no price";
            else
                c->reason = by_price ? "higher cost per 1M tokens" : "lower tps_eff per GPU";
        }
        ts_candidate *c = &in->cand[g];
        c->chosen = 1;
        if (c->heuristic) {
            char tps[32];
            ts_fmt_double(c->tps_eff, tps);
            ts_warn(&in->warnings, NULL, 0, 0,
                    "model %s on %s x%lld: no throughput figure; tps_eff %s tokens/s estimated as gpu_count*bandwidth/(params_b*bytes_per_param)*slots_total_default*batching_efficiency_pct/100",
                    md->model, c->gpu, (long long)c->gpu_count, tps);
        }
        ts_plan_row *row = &pl->rows[pl->n];
        row->demand_index = m;
        row->cand_index = (size_t)g;
        ts_series s = {md->rate, md->n, (double)md->tau_s};
        if (planner_instances_needed(&s, c->tps_eff, &in->policy, scratch, &row->r) != 0)
            continue; /* tps_eff > 0 and n > 0 are guaranteed by the loader */
        pl->n++;
    }
    free(scratch);
    if (in->warnings.oom)
        d->oom = 1;
    *out = pl;
    return TS_OK;
}

void ts_plan_free(ts_plan *p)
{
    if (!p)
        return;
    free(p->rows);
    free(p);
}

/* ------------------------------------------------------------ simulation */

typedef struct pool_ctx {
    ts_pool_result *res;
    size_t cap;
    int keep_events;
    int timeline;
    int64_t start;
    const char *model;
    const char *gpu;
    ts_buf *rows;        /* events rendered for the sink, or NULL */
    int oom;
} pool_ctx;

static int collect_event(void *vctx, const ts_event *ev)
{
    pool_ctx *c = vctx;
    if (c->rows) {
        ts_render_event_row(c->rows, c->model, c->gpu, c->start, ev);
        if (c->rows->oom) {
            c->oom = 1;
            return 1;
        }
    }
    if (!c->keep_events)
        return 0;
    if (c->res->n_events == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        ts_event *e = realloc(c->res->events, cap * sizeof *e);
        if (!e) {
            c->oom = 1;
            return 1;
        }
        c->res->events = e;
        c->cap = cap;
    }
    c->res->events[c->res->n_events++] = *ev;
    return 0;
}

static int timeline_step(void *vctx, const ts_step *st)
{
    pool_ctx *c = vctx;
    ts_buf *b = &c->res->timeline;
    char ts[32];
    ts_fmt_time(c->start + (int64_t)st->t_s, ts);
    ts_buf_puts(b, ts);
    ts_buf_putc(b, ',');
    ts_buf_double(b, st->t_s);
    ts_buf_putc(b, ',');
    ts_buf_double(b, st->demand);
    ts_buf_putc(b, ',');
    ts_buf_int(b, st->ready);
    ts_buf_putc(b, ',');
    ts_buf_int(b, st->warming);
    ts_buf_putc(b, ',');
    ts_buf_double(b, st->capacity);
    ts_buf_putc(b, ',');
    if (st->util_defined)
        ts_buf_double(b, st->util_pct);
    ts_buf_putc(b, ',');
    if (st->smoothed_defined)
        ts_buf_double(b, st->smoothed_util_pct);
    ts_buf_putc(b, '\n');
    if (b->oom) {
        c->oom = 1;
        return 1;
    }
    return 0;
}

typedef struct fleet {
    const ts_inputs *in;
    const ts_plan *plan;
    const ts_sim_options *opt;
    ts_sim_results *res;
    atomic_size_t next;
    atomic_int failed;
    pthread_mutex_t progress_lock;
    size_t done;
    ts_buf *rows;        /* per pool: rendered events awaiting their turn */
    unsigned char *ready;
    size_t next_flush;
    int sink_failed;
} fleet;

static int run_pool(fleet *f, ts_sim_workspace *ws, size_t i)
{
    const ts_plan_row *row = &f->plan->rows[i];
    const ts_model_demand *md = &f->in->demand[row->demand_index];
    const ts_candidate *c = &f->in->cand[row->cand_index];
    ts_pool_result *r = &f->res->pools[i];
    pool_ctx ctx = {r, 0, f->opt->keep_events, f->opt->timeline, md->start, md->model, c->gpu,
                    f->rows ? &f->rows[i] : NULL, 0};
    ts_sim_input si;
    memset(&si, 0, sizeof si);
    si.demand.rate = md->rate;
    si.demand.n = md->n;
    si.demand.tau_s = (double)md->tau_s;
    si.tps_eff = c->tps_eff;
    si.gpu_count = c->gpu_count;
    si.policy = f->opt->policy ? f->opt->policy : &f->in->policy;
    si.scaler = ts_scaler_for(si.policy->kind);
    si.has_initial_replicas = md->has_initial_replicas;
    si.initial_replicas = md->initial_replicas;
    if (f->opt->timeline)
        ts_buf_puts(&r->timeline, "timestamp,t_s,demand_tokens_per_hour,ready_replicas,warming_replicas,effective_capacity,util_pct,smoothed_util_pct\n");
    int rc = simulate_autoscaler(&si, ws, f->opt->keep_events || f->rows ? collect_event : NULL,
                                 f->opt->timeline ? timeline_step : NULL, &ctx, &r->kpis);
    if (rc != 0 || ctx.oom)
        return -1;
    r->has_cost = c->has_price;
    r->cost = c->has_price ? r->kpis.replica_hours * c->instance_price_hr : 0.0;
    return 0;
}

static void *worker(void *arg)
{
    fleet *f = arg;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    if (!ws) {
        atomic_store(&f->failed, 1);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&f->next, 1);
        if (i >= f->plan->n || atomic_load(&f->failed))
            break;
        if (run_pool(f, ws, i) != 0)
            atomic_store(&f->failed, 1);
        pthread_mutex_lock(&f->progress_lock);
        f->done++;
        if (f->rows) {
            /* hand finished pools to the sink in plan order */
            f->ready[i] = 1;
            while (f->next_flush < f->plan->n && f->ready[f->next_flush]) {
                ts_buf *b = &f->rows[f->next_flush];
                if (!f->sink_failed && b->len &&
                    f->opt->events_sink(f->opt->events_sink_ctx, b->data, b->len) != 0) {
                    f->sink_failed = 1;
                    atomic_store(&f->failed, 1);
                }
                ts_buf_free(b);
                f->next_flush++;
            }
        }
        if (f->opt->progress)
            f->opt->progress(f->opt->progress_ctx, f->done, f->plan->n);
        pthread_mutex_unlock(&f->progress_lock);
    }
    ts_sim_workspace_free(ws);
    return NULL;
}

ts_status ts_simulate_plan(const ts_inputs *in, const ts_plan *plan, const ts_sim_options *opt,
                           ts_sim_results **out, ts_diags *d)
{
    *out = NULL;
    ts_sim_results *res = calloc(1, sizeof *res);
    if (!res || !(res->pools = calloc(plan->n ? plan->n : 1, sizeof *res->pools))) {
        free(res);
        d->oom = 1;
        return TS_ERUNTIME;
    }
    res->n = plan->n;
    fleet f;
    f.in = in;
    f.plan = plan;
    f.opt = opt;
    f.res = res;
    atomic_init(&f.next, 0);
    atomic_init(&f.failed, 0);
    pthread_mutex_init(&f.progress_lock, NULL);
    f.done = 0;
    f.rows = NULL;
    f.ready = NULL;
    f.next_flush = 0;
    f.sink_failed = 0;
    if (opt->events_sink) {
        f.rows = calloc(plan->n ? plan->n : 1, sizeof *f.rows);
        f.ready = calloc(plan->n ? plan->n : 1, 1);
        if (!f.rows || !f.ready) {
            free(f.rows);
            free(f.ready);
            pthread_mutex_destroy(&f.progress_lock);
            ts_sim_results_free(res);
            d->oom = 1;
            return TS_ERUNTIME;
        }
    }
    long threads = opt->threads;
    if (threads <= 0) {
        threads = sysconf(_SC_NPROCESSORS_ONLN);
        if (threads < 1)
            threads = 1;
    }
    if ((size_t)threads > plan->n)
        threads = plan->n ? (long)plan->n : 1;
    pthread_t tid[256];
    if (threads > 256)
        threads = 256;
    long started = 0;
    for (long t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, worker, &f) != 0)
            break;
        started++;
    }
    worker(&f);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&f.progress_lock);
    if (f.rows) {
        for (size_t i = 0; i < plan->n; i++)
            ts_buf_free(&f.rows[i]);
        free(f.rows);
        free(f.ready);
    }
    if (atomic_load(&f.failed)) {
        ts_sim_results_free(res);
        if (!f.sink_failed)
            d->oom = 1;
        return TS_ERUNTIME;
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
        ts_buf_free(&r->pools[i].timeline);
    }
    free(r->pools);
    free(r);
}
