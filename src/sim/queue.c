/*
 * queue.c — the fluid queue of a pool (ts_simulate_queue in tapscale.h).
 *
 * Time runs continuously; during step k demand arrives at d_k and ready
 * capacity serves at C_k (both constant over the step, as in §5), in
 * tokens per second here. The backlog B(t) of tokens waiting obeys
 *   B' = d − C  while B > 0 or d > C,   B' = 0 otherwise,
 * so it is piecewise linear, and so are the cumulative arrivals A(t) and
 * departures D(t) = A(t) − B(t). Tokens are served first in, first out:
 * token x (the x-th token to arrive) arrives at A⁻¹(x) and leaves at
 * D⁻¹(x), and waits w(x) = D⁻¹(x) − A⁻¹(x). Between breakpoints of both
 * curves w is linear in x, so the tokens of such a stretch have delays
 * spread evenly between its two ends: the delay distribution over tokens
 * is a sum of such pieces (and a mass at 0 for tokens that never wait),
 * and its percentiles are read off exactly (percentiles()).
 *
 * The timeout (sla.max_queue_s = τ): a token is admitted when the work
 * ahead of it, B, can be served within τ at the capacity C then ready
 * (B < C·τ); otherwise it is dropped. So while demand exceeds capacity the
 * backlog grows to C·τ and then holds there, admitting what is served.
 *
 * The walk follows the spans of ts_simulate_replay, in phases within which
 * the admitted and the served rates are constant: its cost is the number
 * of changes, not of steps. Admitted arrivals wait in a queue of pieces
 * until departures consume them.
 */
#include "sim/simulate.h"
#include "sim/policy_type.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tokens x0..x1 that arrived evenly over t0..t1 seconds. */
typedef struct piece {
    double x0, x1, t0, t1;
} piece;

/* Tokens of mass m whose delays are spread evenly over [lo, hi] s. */
typedef struct dpiece {
    double m, lo, hi;
} dpiece;

typedef struct queue {
    const ts_sla *sla;
    int64_t dt;
    double xa, xd;            /* tokens admitted so far, and served */
    piece *arr;               /* admitted, not all served: arr[head..n) */
    size_t head, n, cap;
    dpiece *del;              /* delays of served tokens that waited */
    size_t n_del, cap_del;
    double zero;              /* tokens served without waiting */
    int64_t last_delayed;     /* the last step counted as delayed, or -1 */
    ts_queue_kpis *out;
    ts_status status;         /* TS_OK, or TS_ENOMEM once a piece could not be stored */
    ts_wait_fn on_wait;       /* told of every stretch of arrivals that waited, or NULL */
    void *wait_ctx;
    double c_last, t_end;     /* the last span's capacity (tokens/s) and end (s) */
} queue;

/* Delays below this (s) are rounding, not waiting. */
#define NO_WAIT 1e-9

static void push_arrival(queue *q, double x0, double x1, double t0, double t1)
{
    if (q->head > 0 && q->head * 2 >= q->n) {
        memmove(q->arr, q->arr + q->head, (q->n - q->head) * sizeof *q->arr);
        q->n -= q->head;
        q->head = 0;
    }
    piece *a = ts_grow(q->arr, q->n, &q->cap, sizeof *a, 64);
    if (!a)
        q->status = TS_ENOMEM;
    if (a) {
        q->arr = a;
        q->arr[q->n++] = (piece){x0, x1, t0, t1};
    }
}

/* The steps in which a token of this stretch arrived and waited more than
 * sla.max_delay_s: arrivals over a0..a1 waited w0..w1 (linear). */
static void count_delayed(queue *q, double a0, double a1, double w0, double w1)
{
    double thr = q->sla->max_delay_s;
    if (!q->sla->has_max_delay_s || (w0 <= thr && w1 <= thr))
        return;
    double lo = a0, hi = a1;
    if (w0 <= thr)
        lo = a0 + (a1 - a0) * (thr - w0) / (w1 - w0);
    else if (w1 <= thr)
        hi = a0 + (a1 - a0) * (w0 - thr) / (w0 - w1);
    int64_t first = (int64_t)floor(lo / (double)q->dt);
    int64_t last = (int64_t)ceil(hi / (double)q->dt) - 1;
    if (last < first)
        last = first; /* an instant: the step it falls in */
    if (first <= q->last_delayed)
        first = q->last_delayed + 1;
    if (last >= first) {
        q->out->delayed_steps += last - first + 1;
        q->last_delayed = last;
    }
}

/* m tokens that arrived over a0..a1 and waited w0..w1. */
static void record(queue *q, double m, double a0, double a1, double w0, double w1)
{
    w0 = w0 > 0 ? w0 : 0;
    w1 = w1 > 0 ? w1 : 0;
    if (w0 <= NO_WAIT && w1 <= NO_WAIT) {
        q->zero += m;
        return;
    }
    count_delayed(q, a0, a1, w0, w1);
    if (q->on_wait && q->on_wait(q->wait_ctx, a0, a1, w0, w1) != TS_OK)
        q->status = TS_ENOMEM;
    double hi = w0 > w1 ? w0 : w1;
    if (hi > q->out->delay_max_s)
        q->out->delay_max_s = hi;
    dpiece *p = ts_grow(q->del, q->n_del, &q->cap_del, sizeof *p, 64);
    if (!p)
        q->status = TS_ENOMEM;
    if (p) {
        q->del = p;
        q->del[q->n_del++] = (dpiece){m, w0 < w1 ? w0 : w1, hi};
    }
}

/* Departures of tokens y0..y1, evenly over s0..s1: each meets the pieces
 * of arrivals it serves, first in first out. A sliver of a piece left
 * behind by rounding (ending before y0) is passed over. */
static void depart(queue *q, double y0, double y1, double s0, double s1)
{
    const double ys = y0, rate = (s1 - s0) / (y1 - y0); /* seconds per token */
    while (y1 > y0 && q->head < q->n && q->status == TS_OK) {
        piece *a = &q->arr[q->head];
        if (a->x1 <= y0) {
            q->head++;
            continue;
        }
        double per = (a->t1 - a->t0) / (a->x1 - a->x0);
        double u0 = a->x0 > y0 ? a->x0 : y0, u1 = a->x1 < y1 ? a->x1 : y1;
        double a0 = a->t0 + (u0 - a->x0) * per, a1 = a->t0 + (u1 - a->x0) * per;
        double d0 = s0 + (u0 - ys) * rate, d1 = s0 + (u1 - ys) * rate;
        record(q, u1 - u0, a0, a1, d0 - a0, d1 - a1);
        if (u1 >= a->x1) {
            q->head++;
        } else {
            a->x0 = u1;
            a->t0 = a1;
        }
        y0 = u1;
    }
}

/* The backlog at which arrivals are refused: C·τ, or none. */
static double refuse_at(const queue *q, double c)
{
    return q->sla->has_max_queue_s ? c * q->sla->max_queue_s : INFINITY;
}

/* One phase from *t within a span ending at end, with arrival rate d and
 * capacity c (tokens/s): constant admitted and served rates until the
 * span ends, the backlog empties or it reaches the timeout's bound. */
static void phase(queue *q, double d, double c, double *t, double end)
{
    double B = q->xa - q->xd, cap = refuse_at(q, c), len = end - *t;
    double eps = 1e-9 * (cap < INFINITY && cap > 1 ? cap : 1);
    double alpha, sigma;
    int empties = 0;
    if (B > cap + eps) { /* more waiting than the timeout allows: admit none */
        alpha = 0;
        sigma = c;
        if (c > 0 && (B - cap) / c < len)
            len = (B - cap) / c;
    } else if (B >= cap - eps && d >= c) { /* at the bound: admit what is served */
        alpha = c;
        sigma = c;
    } else if (d > c) { /* growing */
        alpha = d;
        sigma = c;
        if (cap < INFINITY && (cap - B) / (d - c) < len)
            len = (cap - B) / (d - c);
    } else if (B > eps) { /* draining, or holding when d = c */
        alpha = d;
        sigma = c;
        if (d < c && B / (c - d) <= len) {
            len = B / (c - d);
            empties = 1;
        }
    } else { /* no backlog and enough capacity: served on arrival */
        q->xd = q->xa;
        if (q->head == q->n) {
            /* nothing waits: the tokens leave as they come, with what
             * push_arrival and depart would record (a zero wait) */
            double m = d * len;
            q->out->arrived_tokens += m;
            if (m > 0) {
                double x1 = q->xa + m;
                q->zero += x1 - q->xa;
                q->xa = q->xd = x1;
            }
            *t += len;
            return;
        }
        alpha = d;
        sigma = d;
    }
    if (len <= 0) /* the bound reached at the start: the next phase */
        len = 0;
    double t0 = *t, t1 = *t + len;
    q->out->arrived_tokens += d * len;
    q->out->dropped_tokens += (d - alpha) * len;
    if (alpha * len > 0) {
        push_arrival(q, q->xa, q->xa + alpha * len, t0, t1);
        q->xa += alpha * len;
    }
    if (sigma * len > 0) {
        depart(q, q->xd, q->xd + sigma * len, t0, t1);
        q->xd += sigma * len;
    }
    if (empties)
        q->xd = q->xa;
    if (q->xd > q->xa)
        q->xd = q->xa;
    if (q->xa - q->xd > q->out->max_backlog_tokens)
        q->out->max_backlog_tokens = q->xa - q->xd;
    *t = len > 0 ? t1 : *t;
}

static ts_status on_span(void *ctx, const ts_span *s)
{
    queue *q = ctx;
    double d = s->demand / 3600.0, c = s->capacity / 3600.0;
    double t = (double)(s->k0 * q->dt), end = (double)(s->k1 * q->dt);
    q->c_last = c;
    q->t_end = end;
    /* a phase ends the span, empties the backlog or meets the bound; three
     * phases cover a span (drain to the bound, hold, or grow, hold, or
     * drain, serve on arrival); the guard only stops rounding from
     * looping */
    for (int guard = 0; t < end && q->status == TS_OK && guard < 16; guard++)
        phase(q, d, c, &t, end);
    return q->status;
}

typedef struct edge {
    double at, slope, jump;
} edge;

static int by_at(const void *pa, const void *pb)
{
    double a = ((const edge *)pa)->at, b = ((const edge *)pb)->at;
    return (a > b) - (a < b);
}

/* p50, p95 and p99 of the delays over the tokens served: the CDF is the
 * mass at 0 plus, per piece, a ramp of its mass from lo to hi (a jump when
 * lo = hi); the p-quantile is the least w with CDF(w) >= p × served. */
static ts_status percentiles(queue *q)
{
    ts_queue_kpis *o = q->out;
    double total = q->zero;
    for (size_t i = 0; i < q->n_del; i++)
        total += q->del[i].m;
    if (q->n_del == 0 || !(total > 0))
        return TS_OK;
    edge *e = ts_malloc(2 * q->n_del * sizeof *e);
    if (!e)
        return TS_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < q->n_del; i++) {
        const dpiece *p = &q->del[i];
        if (p->hi - p->lo > NO_WAIT) {
            e[n++] = (edge){p->lo, p->m / (p->hi - p->lo), 0};
            e[n++] = (edge){p->hi, -p->m / (p->hi - p->lo), 0};
        } else {
            e[n++] = (edge){p->lo, 0, p->m};
        }
    }
    qsort(e, n, sizeof *e, by_at);
    double *res[3] = {&o->delay_p50_s, &o->delay_p95_s, &o->delay_p99_s};
    const double p[3] = {0.50, 0.95, 0.99};
    size_t r = 0;
    double F = q->zero, slope = 0, at = 0;
    while (r < 3 && F >= p[r] * total)
        *res[r++] = 0;
    for (size_t i = 0; i < n && r < 3; i++) {
        double rise = slope * (e[i].at - at);
        while (r < 3 && slope > 0 && F + rise >= p[r] * total)
            *res[r] = at + (p[r] * total - F) / slope, r++;
        F += rise;
        at = e[i].at;
        slope += e[i].slope;
        F += e[i].jump;
        while (r < 3 && F >= p[r] * total * (1 - 1e-12))
            *res[r++] = at;
    }
    while (r < 3)
        *res[r++] = o->delay_max_s; /* rounding left a sliver */
    free(e);
    return TS_OK;
}

/* Tokens still waiting at the end of the horizon, told to on_wait with
 * the waits the last capacity would give them (at none: the wait until
 * the end, which they have had at least). */
static ts_status tell_left(queue *q)
{
    for (size_t i = q->head; i < q->n; i++) {
        const piece *a = &q->arr[i];
        double x0 = a->x0 > q->xd ? a->x0 : q->xd;
        if (a->x1 <= x0)
            continue;
        double per = (a->t1 - a->t0) / (a->x1 - a->x0);
        double a0 = a->t0 + (x0 - a->x0) * per, a1 = a->t1;
        double d0 = q->c_last > 0 ? q->t_end + (x0 - q->xd) / q->c_last : q->t_end;
        double d1 = q->c_last > 0 ? q->t_end + (a->x1 - q->xd) / q->c_last : q->t_end;
        if (q->on_wait(q->wait_ctx, a0, a1, d0 - a0, d1 - a1) != TS_OK)
            return TS_ENOMEM;
    }
    return TS_OK;
}

ts_status ts_queue_walk(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla, ts_wait_fn on_wait,
                        void *ctx, ts_queue_kpis *out)
{
    memset(out, 0, sizeof *out);
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    queue q;
    memset(&q, 0, sizeof q);
    q.sla = sla;
    q.dt = in->policy->type->interval_s(in->policy);
    q.last_delayed = -1;
    q.out = out;
    q.on_wait = on_wait;
    q.wait_ctx = ctx;
    ts_status st = ts_simulate_replay(in, ev, n, on_span, &q);
    if (st == TS_OK && q.status != TS_OK)
        st = q.status;
    if (st == TS_OK && on_wait)
        st = tell_left(&q);
    if (st == TS_OK) {
        out->served_tokens = q.xd;
        out->left_tokens = q.xa - q.xd;
        out->delayed_minutes = (double)out->delayed_steps * (double)q.dt / 60.0;
        st = percentiles(&q);
    }
    free(q.arr);
    free(q.del);
    if (st != TS_OK)
        memset(out, 0, sizeof *out);
    return st;
}

ts_status ts_simulate_queue(const ts_sim_input *in, const ts_event *ev, size_t n, const ts_sla *sla,
                            ts_queue_kpis *out)
{
    return ts_queue_walk(in, ev, n, sla, NULL, NULL, out);
}
