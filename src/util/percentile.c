/*
 * percentile.c — the percentile of §3 by selection, over samples and over
 * runs of equal samples; see percentile.h.
 */
#include "util/percentile.h"

#include <math.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

double ts_select(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        /* median of three as pivot, moved to x[hi] */
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < x[lo])
            swap(&x[mid], &x[lo]);
        if (x[hi] < x[lo])
            swap(&x[hi], &x[lo]);
        if (x[mid] < x[hi])
            swap(&x[mid], &x[hi]);
        double pivot = x[hi];
        /* three-way partition: < pivot | == pivot | > pivot */
        size_t lt = lo, i = lo, gt = hi;
        while (i <= gt) {
            if (x[i] < pivot)
                swap(&x[lt++], &x[i++]);
            else if (x[i] > pivot)
                swap(&x[i], &x[gt--]);
            else
                i++;
        }
        if (k < lt)
            hi = lt - 1;
        else if (k > gt)
            lo = gt + 1;
        else
            return x[k];
    }
    return x[k];
}

/* The ranks of the p-th percentile of n > 0 values (§3): the position h
 * and the order statistics lo <= h <= hi (0-based) between which it lies. */
static double ranks(int64_t n, double p, int64_t *lo, int64_t *hi)
{
    double h = (double)(n - 1) * p / 100.0;
    *lo = (int64_t)floor(h);
    if (*lo > n - 1)
        *lo = n - 1;
    *hi = *lo + 1 < n ? *lo + 1 : n - 1;
    return h;
}

double ts_percentile(double *x, size_t n, double p)
{
    if (n == 0)
        return 0.0;
    int64_t lo_r, hi_r;
    double h = ranks((int64_t)n, p, &lo_r, &hi_r);
    size_t lo = (size_t)lo_r, hi = (size_t)hi_r;
    double xlo = ts_select(x, n, lo);
    double xhi = xlo;
    if (hi != lo) {
        /* after selection everything past lo is >= x[lo]: the next order
         * statistic is the smallest of them */
        xhi = x[lo + 1];
        for (size_t i = lo + 2; i < n; i++)
            if (x[i] < xhi)
                xhi = x[i];
    }
    return xlo + (h - (double)lo) * (xhi - xlo);
}

static void swap_run(ts_run *a, ts_run *b)
{
    ts_run t = *a;
    *a = *b;
    *b = t;
}

/* The value of rank k (0-based) of the multiset: weighted quickselect with
 * a three-way partition on the run values. */
double ts_select_runs(ts_run *r, size_t n, int64_t k)
{
    size_t lo = 0, hi = n - 1;
    for (;;) {
        if (lo == hi)
            return r[lo].value;
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].value < r[lo].value)
            swap_run(&r[mid], &r[lo]);
        if (r[hi].value < r[lo].value)
            swap_run(&r[hi], &r[lo]);
        if (r[mid].value < r[hi].value)
            swap_run(&r[mid], &r[hi]);
        double pivot = r[hi].value;
        size_t lt = lo, i = lo, gt = hi;
        int64_t less = 0, equal = 0;
        while (i <= gt) {
            if (r[i].value < pivot) {
                less += r[i].count;
                swap_run(&r[lt++], &r[i++]);
            } else if (r[i].value > pivot) {
                swap_run(&r[i], &r[gt--]);
            } else {
                equal += r[i].count;
                i++;
            }
        }
        if (k < less)
            hi = lt - 1;
        else if (k < less + equal)
            return pivot;
        else {
            k -= less + equal;
            lo = gt + 1;
        }
    }
}

double ts_percentile_runs(ts_run *r, size_t n, double p)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += r[i].count;
    if (total == 0)
        return 0.0;
    int64_t lo, hi;
    double h = ranks(total, p, &lo, &hi);
    double xlo = ts_select_runs(r, n, lo);
    double xhi = xlo;
    if (hi != lo) {
        int64_t le = 0;
        int have_next = 0;
        double next = 0;
        for (size_t i = 0; i < n; i++) {
            if (r[i].value <= xlo)
                le += r[i].count;
            else if (!have_next || r[i].value < next) {
                next = r[i].value;
                have_next = 1;
            }
        }
        xhi = le > hi ? xlo : next;
    }
    return xlo + (h - (double)lo) * (xhi - xlo);
}
