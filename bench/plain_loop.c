/*
 * plain_loop.c — §5 for the threshold policy written plainly, the way a
 * reader of the specification would write it in C: the baseline the
 * benchmarks measure the library against (not the library's code). A ring
 * of warming groups, the EWMA, the scale-down guard, the cooldown, §5's
 * sums (utilization, violations, unserved tokens, replica time), one
 * utilization sample per step, each action recorded as §5's event, and
 * the p95 by a textbook quickselect (Hoare's partition, middle pivot). No
 * cold-start spread.
 */
#include "plain_loop.h"
#include "policy/threshold.h"

#include <math.h>
#include <stdlib.h>

/* §5's event: when, the demand and capacity, the counts before and
 * after, the direction and the smoothed utilization. */
typedef struct plain_event {
    double t, d, C;
    int64_t from, to;
    int dir;
    double e_pct;
} plain_event;

static double quickselect(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = a[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

static double p95(double *a, size_t n)
{
    if (n == 0)
        return 0;
    double h = (double)(n - 1) * 0.95;
    size_t lo = (size_t)floor(h), hi = lo + 1 < n ? lo + 1 : n - 1;
    double xlo = quickselect(a, n, lo), xhi = xlo;
    if (hi != lo) {
        xhi = a[lo + 1];
        for (size_t i = lo + 2; i < n; i++)
            if (a[i] < xhi)
                xhi = a[i];
    }
    return xlo + (h - (double)lo) * (xhi - xlo);
}

long ts_plain_loop(const double *D, size_t n, double tau, double tph, const ts_policy *p, double *util,
                   double *p95_out, double sums[4])
{
    int64_t violations = 0, replica_seconds = 0;
    plain_event *ev = malloc(1024 * sizeof *ev); /* the last 1024 events: a caller would write them out */
    double unserved = 0;
    const ts_threshold_config *c = ts_threshold_settings(p);
    const int64_t dt = c->evaluation_interval_s;
    const int64_t K = ((int64_t)n * (int64_t)tau + dt - 1) / dt;
    const int64_t L = (p->warmup_s + dt - 1) / dt + 2;
    int64_t *at = malloc((size_t)L * sizeof *at), *cnt = malloc((size_t)L * sizeof *cnt);
    int64_t head = 0, len = 0;
    double alpha = c->stabilization_window_s ? 1.0 - exp(-(double)dt / (double)c->stabilization_window_s) : 1.0;
    int64_t R = (int64_t)ceil(D[0] / (tph * p->target_utilization_pct / 100.0));
    R = R < p->min_instances ? p->min_instances : R > p->max_instances ? p->max_instances : R;
    int64_t N = R, t_last = 0;
    int has_e = 0, has_last = 0;
    double e = 0, sum = 0;
    size_t nu = 0;
    long events = 0;
    for (int64_t k = 0; k < K; k++) {
        int64_t t = k * dt;
        double d = D[(size_t)(t / (int64_t)tau)];
        while (len && at[head] <= t) {
            R += cnt[head];
            head = (head + 1) % L;
            len--;
        }
        double C = (double)R * tph;
        if (C > 0) {
            double u = d / C;
            util[nu++] = 100.0 * u;
            sum += 100.0 * u;
            e = has_e ? e + alpha * (u - e) : u;
            has_e = 1;
        }
        if (d > C) {
            violations++;
            unserved += (d - C) * (double)dt / 3600.0;
        }
        replica_seconds += N * dt;
        if (has_last && t - t_last < c->cooldown_s)
            continue;
        int64_t target = N;
        if (!(C > 0)) {
            if (d > 0 && N == R && N < p->max_instances)
                target = N + c->scale_up_step < p->max_instances ? N + c->scale_up_step : p->max_instances;
        } else if (100.0 * e > c->scale_up_threshold_pct && N < p->max_instances) {
            target = N + c->scale_up_step < p->max_instances ? N + c->scale_up_step : p->max_instances;
        } else if (100.0 * e < c->scale_down_threshold_pct && N > p->min_instances) {
            int64_t room = N - p->min_instances, smax = c->scale_down_step < room ? c->scale_down_step : room;
            for (int64_t sd = smax; sd >= 1; sd--) {
                int64_t R2 = R < N - sd ? R : N - sd;
                double proj = R2 > 0 ? e * (double)R / (double)R2 : (e == 0 && d == 0 ? 0 : INFINITY);
                if (100.0 * proj <= c->scale_up_threshold_pct) {
                    target = N - sd;
                    break;
                }
            }
        }
        if (target == N)
            continue;
        if (target > N) {
            at[(head + len) % L] = t + p->warmup_s;
            cnt[(head + len) % L] = target - N;
            len++;
        } else {
            int64_t c = N - target;
            while (c && len) {
                int64_t last = (head + len - 1) % L, take = cnt[last] < c ? cnt[last] : c;
                cnt[last] -= take;
                c -= take;
                if (cnt[last] == 0)
                    len--;
            }
            R -= c;
        }
        ev[events % 1024] = (plain_event){(double)t, d, C, N, target, target > N ? 1 : -1, 100.0 * e};
        N = target;
        has_last = 1;
        t_last = t;
        events++;
    }
    sums[0] = sum / (double)(nu ? nu : 1) + 0 * ev[events % 1024].e_pct;
    sums[1] = (double)violations;
    sums[2] = unserved;
    sums[3] = (double)replica_seconds;
    *p95_out = p95(util, nu);
    free(at);
    free(cnt);
    free(ev);
    return events;
}
