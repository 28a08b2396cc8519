/*
 * latency.c — latency profiles read as functions of the load, the
 * throughput that meets an SLO, and a pool's latency KPIs
 * (ts_latency_column, ts_latency_at, ts_latency_slo_tps,
 * ts_simulate_latency in tapscale.h).
 *
 * The model, and what it cannot see. A replica serving x output tokens/s
 * has the TTFT and ITL its profile measured at x (linear between measured
 * loads). In step k the load per ready replica is what the replicas serve:
 * the demand when capacity covers it and nothing waits, their capacity
 * when tokens wait. Tokens that wait in the fluid queue (ts_simulate_queue)
 * add their wait to the TTFT of the step they arrived in (the longest wait
 * of the step's arrivals); ITL is the profile's alone. A step is over the
 * SLO when one of its values is above its target; the horizon's
 * percentiles are of the steps' values weighted by the tokens each step
 * brought. Batching effects within a step, prefix caching, and the spread
 * of request sizes beyond what the profile's own mix had are not modelled:
 * the profile stands for them as measured.
 */
#include "sim/simulate.h"
#include "sim/policy_type.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool ts_slo_any(const ts_slo *s)
{
    for (int i = 0; i < TS_PCT_COUNT; i++)
        if (s->ttft_ms[i] > 0 || s->itl_ms[i] > 0)
            return true;
    return false;
}

static double value(const ts_latency_point *p, int metric, int col)
{
    return metric ? p->itl_ms[col] : p->ttft_ms[col];
}

int ts_latency_column(const ts_latency_profile *pr, int metric, int pct)
{
    /* the asked percentile, then the nearest: higher ones first (they
     * overstate the latency, which keeps an SLO safe) */
    static const int order[TS_PCT_COUNT][TS_PCT_COUNT] = {{TS_P50, TS_P95, TS_P99},
                                                         {TS_P95, TS_P99, TS_P50},
                                                         {TS_P99, TS_P95, TS_P50}};
    for (int k = 0; pr->n && k < TS_PCT_COUNT; k++) {
        int col = order[pct][k];
        size_t i = 0;
        while (i < pr->n && !isnan(value(&pr->pts[i], metric, col)))
            i++;
        if (i == pr->n)
            return col;
    }
    return TS_NOT_FOUND;
}

double ts_latency_at(const ts_latency_profile *pr, int metric, int col, double x, int *beyond)
{
    if (beyond)
        *beyond = 0;
    const ts_latency_point *p = pr->pts;
    size_t n = pr->n;
    if (n == 0)
        return 0.0;
    if (x <= p[0].output_tps)
        return value(&p[0], metric, col);
    if (x > p[n - 1].output_tps) {
        if (beyond)
            *beyond = 1;
        return value(&p[n - 1], metric, col);
    }
    size_t lo = 0, hi = n - 1; /* p[lo].tps < x <= p[hi].tps */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].output_tps < x)
            lo = mid;
        else
            hi = mid;
    }
    double x0 = p[lo].output_tps, x1 = p[hi].output_tps;
    double v0 = value(&p[lo], metric, col), v1 = value(&p[hi], metric, col);
    return x1 > x0 ? v0 + (v1 - v0) * (x - x0) / (x1 - x0) : v1;
}

/* The requests in a replica at x tokens/s (Little's law), L its mean
 * output length (0: unknown, then the decode time alone). */
static double running(const ts_latency_profile *pr, double x, double L)
{
    int tc = ts_latency_column(pr, 0, TS_P50), ic = ts_latency_column(pr, 1, TS_P50);
    double ttft = tc == TS_NOT_FOUND ? 0.0 : ts_latency_at(pr, 0, tc, x, NULL);
    double itl = ic == TS_NOT_FOUND ? 0.0 : ts_latency_at(pr, 1, ic, x, NULL);
    return L > 0 ? x / L * (ttft + L * itl) / 1000.0 : x * itl / 1000.0;
}

double ts_latency_kv_used(const ts_latency_profile *pr, double x)
{
    if (pr->n == 0 || !(x > 0))
        return 0.0;
    double L = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < pr->n; i++)
        if (pr->pts[i].output_len > 0) {
            L += pr->pts[i].output_len;
            k++;
        }
    L = k ? L / (double)k : 0.0;
    double full = running(pr, pr->pts[pr->n - 1].output_tps, L);
    double used = full > 0 ? running(pr, x, L) / full : 1.0;
    return used < 0 ? 0.0 : used > 1 ? 1.0 : used;
}

typedef struct target {
    int metric, pct, col; /* the percentile asked, and the profile's column that answers it */
    double ms;
} target;

/* The targets of slo that pr can answer, in t[]; returns their count. */
static size_t targets_of(const ts_latency_profile *pr, const ts_slo *slo, target t[2 * TS_PCT_COUNT])
{
    size_t n = 0;
    for (int metric = 0; metric < 2; metric++)
        for (int pct = 0; pct < TS_PCT_COUNT; pct++) {
            double ms = metric ? slo->itl_ms[pct] : slo->ttft_ms[pct];
            int col = ms > 0 ? ts_latency_column(pr, metric, pct) : TS_NOT_FOUND;
            if (col != TS_NOT_FOUND)
                t[n++] = (target){metric, pct, col, ms};
        }
    return n;
}

static int meets(const ts_latency_profile *pr, const target *t, size_t nt, double x)
{
    for (size_t i = 0; i < nt; i++)
        if (ts_latency_at(pr, t[i].metric, t[i].col, x, NULL) > t[i].ms * (1 + 1e-12))
            return 0;
    return 1;
}

double ts_latency_slo_tps(const ts_latency_profile *pr, const ts_slo *slo)
{
    target t[2 * TS_PCT_COUNT];
    size_t nt = targets_of(pr, slo, t);
    if (nt == 0 || pr->n == 0)
        return 0.0;
    /* the feasible loads are intervals whose ends are points or crossings
     * of a target: the best is the highest such end that meets them all */
    double best = 0.0;
    for (size_t i = 0; i < pr->n; i++) {
        double x = pr->pts[i].output_tps;
        if (x > best && meets(pr, t, nt, x))
            best = x;
        for (size_t k = 0; i + 1 < pr->n && k < nt; k++) {
            double x0 = x, x1 = pr->pts[i + 1].output_tps;
            double v0 = value(&pr->pts[i], t[k].metric, t[k].col), v1 = value(&pr->pts[i + 1], t[k].metric, t[k].col);
            if (x1 <= x0 || (v0 - t[k].ms) * (v1 - t[k].ms) >= 0)
                continue;
            double xc = x0 + (t[k].ms - v0) / (v1 - v0) * (x1 - x0);
            if (xc > best && meets(pr, t, nt, xc))
                best = xc;
        }
    }
    return best;
}

/* ---------------------------------------------------------- the KPIs */

/* A run of steps alike: their values (ms) of each metric and percentile,
 * and the tokens they brought. */
typedef struct lpiece {
    double v[2][TS_PCT_COUNT];
    double w;
} lpiece;

typedef struct lat {
    const ts_latency_profile *pr;
    target t[2 * TS_PCT_COUNT];
    size_t nt;
    int col[2][TS_PCT_COUNT];     /* the profile's column of each metric and percentile */
    int64_t dt, K;
    double *wait;                 /* per step, the longest wait (s) of its arrivals; NULL: none waited */
    lpiece *pc;
    size_t n_pc, cap_pc;
    ts_latency_kpis *out;
    ts_status status;
} lat;

/* Arrivals over a0..a1 waited w0..w1: each step they fall in keeps the
 * longest. */
static ts_status on_wait(void *ctx, double a0, double a1, double w0, double w1)
{
    lat *l = ctx;
    if (!l->wait && !(l->wait = ts_calloc((size_t)(l->K ? l->K : 1), sizeof *l->wait)))
        return TS_ENOMEM;
    double dt = (double)l->dt, span = a1 - a0;
    int64_t first = (int64_t)floor(a0 / dt), last = span > 0 ? (int64_t)ceil(a1 / dt) - 1 : first;
    for (int64_t s = first < 0 ? 0 : first; s <= last && s < l->K; s++) {
        double u0 = fmax(a0, (double)s * dt), u1 = fmin(a1, (double)(s + 1) * dt);
        double wu0 = span > 0 ? w0 + (w1 - w0) * (u0 - a0) / span : w0;
        double wu1 = span > 0 ? w0 + (w1 - w0) * (u1 - a0) / span : w1;
        double w = fmax(wu0, wu1);
        if (w > l->wait[s])
            l->wait[s] = w;
    }
    return TS_OK;
}

/* A run of m steps with demand d (tokens/hour), r ready replicas of
 * capacity c in all (tokens/hour) and wait w (s). */
static void run_of(lat *l, double d, int64_t r, double c, double w, int64_t m)
{
    double served = w > 0 ? c : (d < c ? d : c);
    double x = r > 0 ? served / 3600.0 / (double)r : 0.0;
    lpiece pc = {.w = d * (double)(m * l->dt) / 3600.0};
    int beyond = 0;
    for (int metric = 0; metric < 2; metric++)
        for (int pct = 0; pct < TS_PCT_COUNT; pct++) {
            int b = 0, col = l->col[metric][pct];
            if (col != TS_NOT_FOUND)
                pc.v[metric][pct] = ts_latency_at(l->pr, metric, col, x, &b) + (metric == 0 ? w * 1000.0 : 0.0);
            beyond |= b;
        }
    if (!(d > 0))
        return; /* nobody asked: no latency to see */
    int over = 0;
    for (size_t i = 0; i < l->nt; i++)
        over |= pc.v[l->t[i].metric][l->t[i].pct] > l->t[i].ms * (1 + 1e-12);
    ts_latency_kpis *o = l->out;
    o->slo_steps += over ? m : 0;
    o->beyond_steps += beyond ? m : 0;
    o->worst_ttft_p95_ms = fmax(o->worst_ttft_p95_ms, pc.v[0][TS_P95]);
    o->worst_itl_p95_ms = fmax(o->worst_itl_p95_ms, pc.v[1][TS_P95]);
    lpiece *g = ts_grow(l->pc, l->n_pc, &l->cap_pc, sizeof *g, 256);
    if (!g) {
        l->status = TS_ENOMEM;
        return;
    }
    l->pc = g;
    l->pc[l->n_pc++] = pc;
}

/* A span of steps: runs of equal wait (all one run where nothing waited). */
static ts_status on_span(void *ctx, const ts_span *s)
{
    lat *l = ctx;
    int64_t k = s->k0;
    while (k < s->k1 && l->status == TS_OK) {
        double w = l->wait && k < l->K ? l->wait[k] : 0.0;
        int64_t e = k + 1;
        while (e < s->k1 && (l->wait && e < l->K ? l->wait[e] : 0.0) == w)
            e++;
        run_of(l, s->demand, s->ready, s->capacity, w, e - k);
        k = e;
    }
    return l->status;
}

typedef struct vw {
    double v, w;
} vw;

static int by_v(const void *a, const void *b)
{
    double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of the pieces' values of (metric, pct), weighted
 * by their tokens: the least value whose share of tokens at or below it
 * reaches q. scratch holds n_pc pairs. */
static double quantile(const lat *l, int metric, int pct, double q, vw *scratch)
{
    double total = 0.0;
    for (size_t i = 0; i < l->n_pc; i++) {
        scratch[i] = (vw){l->pc[i].v[metric][pct], l->pc[i].w};
        total += l->pc[i].w;
    }
    qsort(scratch, l->n_pc, sizeof *scratch, by_v);
    double run = 0.0;
    for (size_t i = 0; i < l->n_pc; i++) {
        run += scratch[i].w;
        if (run >= q * total * (1 - 1e-12))
            return scratch[i].v;
    }
    return l->n_pc ? scratch[l->n_pc - 1].v : 0.0;
}

ts_status ts_simulate_latency(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla,
                              const ts_slo *slo, ts_queue_kpis *queue, ts_latency_kpis *out)
{
    memset(out, 0, sizeof *out);
    ts_queue_kpis q;
    if (!queue)
        queue = &q;
    memset(queue, 0, sizeof *queue);
    if (!in->latency || ts_sim_input_invalid(in))
        return TS_EINPUT;
    lat l;
    memset(&l, 0, sizeof l);
    l.pr = in->latency;
    l.nt = targets_of(l.pr, slo, l.t);
    for (int metric = 0; metric < 2; metric++)
        for (int pct = 0; pct < TS_PCT_COUNT; pct++)
            l.col[metric][pct] = ts_latency_column(l.pr, metric, pct);
    l.dt = in->policy->type->interval_s(in->policy);
    l.K = ts_sim_steps(&in->demand, l.dt);
    l.out = out;
    ts_status st = ts_queue_walk(in, ev, n, sla, on_wait, &l, queue);
    if (st == TS_OK)
        st = ts_simulate_replay(in, ev, n, on_span, &l);
    vw *scratch = st == TS_OK ? ts_malloc((l.n_pc ? l.n_pc : 1) * sizeof *scratch) : NULL;
    if (st == TS_OK && !scratch)
        st = TS_ENOMEM;
    static const double q_of[TS_PCT_COUNT] = {0.50, 0.95, 0.99};
    for (int metric = 0; st == TS_OK && metric < 2; metric++)
        for (int pct = 0; pct < TS_PCT_COUNT; pct++) {
            double v = l.col[metric][pct] == TS_NOT_FOUND ? 0.0 : quantile(&l, metric, pct, q_of[pct], scratch);
            *(metric ? &out->itl_ms[pct] : &out->ttft_ms[pct]) = v;
        }
    free(scratch);
    free(l.wait);
    free(l.pc);
    if (st != TS_OK) {
        memset(out, 0, sizeof *out);
        memset(queue, 0, sizeof *queue);
        return st;
    }
    out->has = 1;
    out->slo_minutes = (double)out->slo_steps * (double)l.dt / 60.0;
    out->beyond_minutes = (double)out->beyond_steps * (double)l.dt / 60.0;
    return TS_OK;
}
