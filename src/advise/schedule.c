/*
 * schedule.c — a schedule built from a pool's own demand (see schedule.h):
 * each hour of the day (of weekdays and of weekend days apart, or of every
 * day alike) holds the replicas that serve a share of that hour's steps,
 * asked for a lead ahead of the hour.
 *
 * A step's need is the fewest replicas whose capacity is not below its
 * demand (§5: a violation is d > R x tph), ceil(d / tph) corrected for
 * rounding. An hour's count is the nearest-rank quantile of the needs of
 * every simulated step in it (the quantile 1 is the hour's peak). An hour
 * the demand never reaches (a weekend in a weekday trace) takes the count
 * of the same hour over every day. Hours of equal count in a row make one
 * window; an hour at the pool's min needs none.
 */
#include "advise/schedule.h"
#include "policy/registry.h"
#include "policy/schedule.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The fewest replicas of tph tokens/hour each serving d. */
static int64_t need(double d, double tph)
{
    if (!(d > 0))
        return 0;
    double r = ceil(d / tph);
    int64_t n = r < 1e9 ? (int64_t)r : 1000000000;
    while ((double)n * tph < d && n < 1000000000)
        n++;
    return n;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The slot of hour of the week h: its hour of the day, weekend days
 * after weekdays when split. */
static int slot_of(int h, int split)
{
    int dow = h / 24;
    return (split && (dow == 0 || dow == 6) ? 24 : 0) + h % 24;
}

/* counts[slot] for the slots of split (48) or not (24): the quantile q of
 * the needs of the steps in each, -1 where no step falls. keys is scratch
 * of K entries. */
static void slot_counts(const ts_sim_input *si, int64_t dt, int64_t K, double tph, int split, double q, uint64_t *keys,
                        int64_t counts[48])
{
    const int64_t tau = (int64_t)si->demand.tau_s;
    for (int64_t k = 0; k < K; k++) {
        const int64_t t = k * dt;
        const int64_t n = need(si->demand.rate[t / tau], tph);
        const int s = slot_of(ts_schedule_hour_of_week(si->start_s + t), split);
        keys[k] = (uint64_t)s << 32 | (uint64_t)n;
    }
    qsort(keys, (size_t)K, sizeof *keys, by_value);
    for (int s = 0; s < 48; s++)
        counts[s] = -1;
    for (int64_t a = 0; a < K;) {
        const int s = (int)(keys[a] >> 32);
        int64_t b = a;
        while (b < K && (int)(keys[b] >> 32) == s)
            b++;
        int64_t rank = (int64_t)ceil(q * (double)(b - a)); /* nearest rank, 1-based */
        rank = rank < 1 ? 1 : rank > b - a ? b - a : rank;
        counts[s] = (int64_t)(keys[a + rank - 1] & 0xffffffffu);
        a = b;
    }
}

/* Appends the windows of days (a ts_schedule_day_names index) over hours
 * 0..23 of counts above floor. Returns false when they do not fit. */
static bool add_windows(ts_schedule_config *c, int days, const int64_t *counts, int64_t floor)
{
    for (int h = 0; h < 24;) {
        int e = h + 1;
        while (e < 24 && counts[e] == counts[h])
            e++;
        if (counts[h] > floor) {
            if (c->n_windows == TS_SCHEDULE_MAX_WINDOWS)
                return false;
            c->windows[c->n_windows++] = (ts_schedule_window){days, h, e, (int32_t)counts[h]};
        }
        h = e;
    }
    return true;
}

ts_status ts_schedule_from_demand(const ts_sim_input *si, const ts_policy *cur, int split, double q, int64_t lead_s,
                                  ts_policy *out)
{
    *out = *cur;
    out->type = &ts_policy_schedule;
    ts_schedule_config *c = ts_policy_settings_of(out, &ts_policy_schedule);
    const int64_t dt = c->interval_s;
    const int64_t K = ts_sim_steps(&si->demand, dt);
    const double tph = si->tps_eff * 3600.0;
    if (K <= 0 || !(tph > 0))
        return TS_EINPUT;
    uint64_t *keys = ts_malloc((size_t)K * sizeof *keys);
    if (!keys)
        return TS_ENOMEM;
    int64_t daily[48], counts[48];
    slot_counts(si, dt, K, tph, 0, q, keys, daily);
    if (split)
        slot_counts(si, dt, K, tph, 1, q, keys, counts);
    else
        memcpy(counts, daily, sizeof counts);
    free(keys);
    const int64_t lo = cur->min_instances, hi = cur->max_instances;
    for (int s = 0; s < 48; s++) {
        int64_t v = counts[s] >= 0 ? counts[s] : daily[s % 24] >= 0 ? daily[s % 24] : lo;
        counts[s] = v < lo ? lo : v > hi ? hi : v;
    }
    c->given = 1;
    c->lead_s = lead_s;
    c->n_windows = 0;
    bool fit = split ? add_windows(c, TS_DAYS_WEEKDAYS, counts, lo) && add_windows(c, TS_DAYS_WEEKENDS, counts + 24, lo)
                     : add_windows(c, TS_DAYS_DAILY, counts, lo);
    return fit ? TS_OK : TS_EINPUT;
}
