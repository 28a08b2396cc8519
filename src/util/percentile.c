/*
 * percentile.c — the percentile of §3 by selection, over samples and over
 * runs of equal samples; see percentile.h.
 */
#include "util/percentile.h"

#include <math.h>
#include <stddef.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Floyd and Rivest's SELECT (CACM 18(3), 1975, algorithm 489) on
 * x[left..right]: a range around k is selected first from a sample, so
 * the pivot t = x[k] of the pass over all of them is close to the k-th
 * value and the pass leaves few elements on k's side: about n + min(k,
 * n - k) comparisons in all, against 2n to 3n for a median-of-three
 * quickselect. The value found does not depend on the pivots. */
static void fr_select(double *x, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k)
{
    while (right > left) {
        if (right - left > 600) {
            double n = (double)(right - left + 1), i = (double)(k - left + 1);
            double z = log(n), s = 0.5 * exp(2.0 * z / 3.0);
            double sd = 0.5 * sqrt(z * s * (n - s) / n) * (i - n / 2.0 < 0 ? -1.0 : 1.0);
            ptrdiff_t nl = (ptrdiff_t)((double)k - i * s / n + sd), nr = (ptrdiff_t)((double)k + (n - i) * s / n + sd);
            fr_select(x, nl > left ? nl : left, nr < right ? nr : right, k);
        }
        const double t = x[k];
        ptrdiff_t i = left, j = right;
        swap(&x[left], &x[k]);
        if (x[right] > t)
            swap(&x[right], &x[left]);
        while (i < j) {
            swap(&x[i], &x[j]);
            i++;
            j--;
            while (x[i] < t)
                i++;
            while (x[j] > t)
                j--;
        }
        if (x[left] == t) {
            swap(&x[left], &x[j]);
        } else {
            j++;
            swap(&x[j], &x[right]);
        }
        if (j <= k)
            left = j + 1;
        if (k <= j)
            right = j - 1;
    }
}

double ts_select(double *x, size_t n, size_t k)
{
    fr_select(x, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k);
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

/* Runs sampled to bracket a rank, and the band the sample leaves. */
#define BAND_SAMPLE 512
#define BAND_MIN_RUNS 4096

/* The three-way weighted quickselect below, first narrowed to a band of
 * values around rank k of the multiset (Floyd and Rivest's idea, by
 * weight): BAND_SAMPLE runs taken at equal steps of cumulative weight
 * stand for the distribution; the values a little below and above k's
 * share of them bound the band; one pass moves the band's runs to the
 * front and weighs what lies below it. When k falls inside (nearly always)
 * the selection runs on the band alone, with k less what lies below;
 * otherwise *m is n and nothing is narrowed. Returns the rank within the
 * first *m runs (which hold the value of rank k). */
static int64_t narrow_to_band(ts_run *r, size_t n, int64_t k, size_t *m)
{
    *m = n;
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += r[i].count;
    double sample[BAND_SAMPLE];
    const double step = (double)total / BAND_SAMPLE;
    double next = 0.5 * step;
    int64_t cum = 0;
    size_t ns = 0;
    for (size_t i = 0; i < n && ns < BAND_SAMPLE; i++) {
        cum += r[i].count;
        while ((double)cum > next && ns < BAND_SAMPLE) {
            sample[ns++] = r[i].value;
            next += step;
        }
    }
    /* k's place among the samples, widened by about three standard
     * deviations of a sample's rank */
    const double at = (double)k / (double)total * (double)ns, spread = 3.0 * sqrt((double)ns) + 2.0;
    const double lo_at = at - spread, hi_at = at + spread;
    const size_t lo_i = lo_at > 0 ? (size_t)lo_at : 0, hi_i = hi_at < (double)(ns - 1) ? (size_t)hi_at : ns - 1;
    const double lo = ts_select(sample, ns, lo_i), hi = ts_select(sample, ns, hi_i);
    int64_t below = 0, inside = 0;
    size_t band = 0;
    for (size_t i = 0; i < n; i++) {
        const double v = r[i].value;
        if (v < lo) {
            below += r[i].count;
        } else if (!(v > hi)) {
            inside += r[i].count;
            swap_run(&r[band++], &r[i]);
        }
    }
    if (k < below || k >= below + inside)
        return k;
    *m = band;
    return k - below;
}

/* The value of rank k (0-based) of the multiset: weighted quickselect with
 * a three-way partition on the run values (narrowed to a band around k
 * first when there are many runs). */
double ts_select_runs(ts_run *r, size_t n, int64_t k)
{
    if (n >= BAND_MIN_RUNS) {
        size_t m;
        k = narrow_to_band(r, n, k, &m);
        n = m;
    }
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
