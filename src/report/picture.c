/*
 * picture.c — a pool's steps per time bucket; see picture.h.
 */
#include "report/picture.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

ts_status ts_picture_init(ts_picture *p, int64_t start, int64_t dt, int64_t steps, int64_t origin, int64_t width)
{
    memset(p, 0, sizeof *p);
    p->start = start;
    p->dt = dt;
    p->steps = steps;
    p->origin = origin;
    p->width = width;
    int64_t end = start + steps * dt; /* the last step starts before end */
    p->n = steps > 0 ? (size_t)((end - 1 - origin) / width + 1) : 0;
    p->per_bucket = origin == start && width % dt == 0 ? width / dt : 0;
    p->b = ts_calloc(p->n ? p->n : 1, sizeof *p->b);
    return p->b ? TS_OK : TS_ENOMEM;
}

int64_t ts_picture_width(int64_t dt, int64_t steps, size_t max)
{
    int64_t per = max ? (steps + (int64_t)max - 1) / (int64_t)max : steps;
    return (per < 1 ? 1 : per) * dt;
}

/* The first step whose start is at or after unix time t. */
static int64_t first_step_at(const ts_picture *p, int64_t t)
{
    int64_t rel = t - p->start;
    return rel <= 0 ? 0 : (rel + p->dt - 1) / p->dt;
}

static size_t bucket_of(const ts_picture *p, int64_t k)
{
    return (size_t)((p->start + k * p->dt - p->origin) / p->width);
}

/* Adds c steps of span s to bucket b. */
static void add(ts_bucket *b, const ts_span *s, int64_t c, double unserved_per_step)
{
    if (b->steps == 0) {
        b->d_min = b->d_max = s->demand;
        b->r_min = b->r_max = s->ready;
        b->n_min = b->n_max = s->provisioned;
    } else {
        b->d_min = s->demand < b->d_min ? s->demand : b->d_min;
        b->d_max = s->demand > b->d_max ? s->demand : b->d_max;
        b->r_min = s->ready < b->r_min ? s->ready : b->r_min;
        b->r_max = s->ready > b->r_max ? s->ready : b->r_max;
        b->n_min = s->provisioned < b->n_min ? s->provisioned : b->n_min;
        b->n_max = s->provisioned > b->n_max ? s->provisioned : b->n_max;
    }
    b->steps += c;
    b->d_sum += s->demand * (double)c;
    b->replica_steps += s->provisioned * c;
    if (s->demand > s->capacity) {
        b->viol_steps += c;
        b->unserved += unserved_per_step * (double)c;
    }
}

ts_status ts_picture_span(void *ctx, const ts_span *s)
{
    ts_picture *p = ctx;
    double unserved = (s->demand - s->capacity) * (double)p->dt / 3600.0;
    if (p->per_bucket) {
        /* buckets of whole steps from step 0: no clock arithmetic */
        for (int64_t k = s->k0; k < s->k1;) {
            int64_t bi = k / p->per_bucket, next = (bi + 1) * p->per_bucket;
            int64_t k1 = next < s->k1 ? next : s->k1;
            add(&p->b[bi], s, k1 - k, unserved);
            k = k1;
        }
    }
    for (int64_t k = p->per_bucket ? s->k1 : s->k0; k < s->k1;) {
        size_t bi = bucket_of(p, k);
        int64_t next = first_step_at(p, p->origin + (int64_t)(bi + 1) * p->width);
        int64_t k1 = next < s->k1 ? next : s->k1;
        add(&p->b[bi], s, k1 - k, unserved);
        k = k1;
    }
    if (p->want_util) {
        int64_t c = s->k1 - s->k0;
        if (!(s->capacity > 0)) {
            p->util_undefined += c;
        } else {
            double u = 100.0 * (s->demand / s->capacity); /* as the simulator reports it */
            size_t bin = u >= (double)(TS_UTIL_BINS - 1) ? TS_UTIL_BINS - 1 : (size_t)u;
            p->util[bin] += c;
        }
    }
    return TS_OK;
}

void ts_picture_event(ts_picture *p, const ts_event *ev)
{
    int64_t k = (int64_t)(ev->t_s / (double)p->dt);
    if (k < 0 || k >= p->steps)
        return;
    ts_bucket *b = &p->b[bucket_of(p, k)];
    if (ev->reason == TS_SCALE_UP)
        b->ups++;
    else
        b->downs++;
}

void ts_picture_free(ts_picture *p)
{
    free(p->b);
    p->b = NULL;
    p->n = 0;
}

ts_status ts_picture_draw(ts_picture *p, const ts_sim_input *si, const ts_event *ev, size_t n)
{
    ts_status st = ts_simulate_replay(si, ev, n, ts_picture_span, p);
    for (size_t i = 0; st == TS_OK && i < n; i++)
        ts_picture_event(p, &ev[i]);
    return st;
}
