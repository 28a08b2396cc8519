/*
 * dense.h — §5's steps 1 to 5 for a kernel whose demand moves at nearly
 * every step (minute data): the demand interval followed without a
 * division, the warming groups looked at only when one is due, capacity,
 * utilization and the unserved increment computed once per demand value
 * and ready count, the utilization samples kept as runs (value, count),
 * the sums added one by one in step order (so every bit is the plain
 * loop's). The policy's step, steps 6 and 7, is the caller's, inlined.
 * Header-only so that the step loops keep it all in registers.
 */
#ifndef TS_SIM_DENSE_H
#define TS_SIM_DENSE_H

#include "tapscale.h"
#include "sim/kpis.h"
#include "sim/replicas.h"

#include <math.h>
#include <stdint.h>

typedef struct ts_dense {
    const double *D;
    int64_t tau, dt;
    double tph;
    int64_t di, t_next;   /* the demand interval of t, and where the next begins */
    int64_t due;          /* the next warming group's ready time */
    /* kept while the demand value and the ready count hold */
    double d, C, up, vinc;
    int64_t R_seen;
    /* the statistics of §5 steps 3-5 */
    ts_run *runs;
    size_t n_runs;
    double util_sum, unserved;
    int64_t n_util, violations, replica_seconds;
} ts_dense;

/* A loop over D (intervals of tau s) in steps of dt s at tph tokens/hour
 * per ready replica, keeping its utilization runs in runs (room for one
 * per step); g: the pool's warming groups. */
static inline ts_dense ts_dense_begin(const double *D, int64_t tau, int64_t dt, double tph, ts_run *runs,
                                      const ts_warm_groups *g)
{
    ts_dense s = {0};
    s.D = D;
    s.tau = tau;
    s.dt = dt;
    s.tph = tph;
    s.t_next = tau;
    s.due = g->len ? g->at[g->head] : INT64_MAX;
    s.d = D[0];
    s.R_seen = -1;
    s.runs = runs;
    return s;
}

/* Steps 1-5 at time t (the step after the last one observed) with N
 * provisioned replicas: *R becomes the ready count. Returns 1 when the
 * demand value or the ready count differ from the last step's (then s->C,
 * s->up and s->vinc are new), else 0. */
static inline int ts_dense_observe(ts_dense *s, ts_warm_groups *g, int64_t t, int64_t *R, int64_t N)
{
    int changed = 0;
    if (t >= s->t_next) {
        if (t < s->t_next + s->tau) {
            s->di++;
            s->t_next += s->tau;
        } else {
            s->di = t / s->tau;
            s->t_next = (s->di + 1) * s->tau;
        }
        const double d = s->D[s->di];
        changed = !(d == s->d && signbit(d) == signbit(s->d));
        s->d = d;
    }
    if (t >= s->due) {
        ts_warm_promote(g, t, R);
        s->due = g->len ? g->at[g->head] : INT64_MAX;
    }
    if (changed || *R != s->R_seen) {
        changed = 1;
        s->R_seen = *R;
        s->C = (double)*R * s->tph;
        s->up = s->C > 0 ? 100.0 * (s->d / s->C) : 0.0;
        s->vinc = s->d > s->C ? (s->d - s->C) * (double)s->dt / 3600.0 : 0.0;
    }
    if (s->C > 0) {
        if (s->n_runs && s->runs[s->n_runs - 1].value == s->up) {
            s->runs[s->n_runs - 1].count++;
        } else {
            s->runs[s->n_runs].value = s->up;
            s->runs[s->n_runs].count = 1;
            s->n_runs++;
        }
        s->n_util++;
        s->util_sum += s->up;
    }
    if (s->d > s->C) {
        s->violations++;
        s->unserved += s->vinc;
    }
    s->replica_seconds += N * s->dt;
    return changed;
}

/* After an action changed the warming groups. */
static inline void ts_dense_acted(ts_dense *s, const ts_warm_groups *g)
{
    s->due = g->len ? g->at[g->head] : INT64_MAX;
}

/* The statistics into acc, for ts_kpis_finish_runs over K steps. */
static inline void ts_dense_finish(const ts_dense *s, int64_t K, ts_kpi_acc *acc)
{
    acc->steps = K;
    acc->n_util = s->n_util;
    acc->util_sum = s->util_sum;
    acc->unserved = s->unserved;
    acc->violations = s->violations;
    acc->replica_seconds = s->replica_seconds;
}

#endif
