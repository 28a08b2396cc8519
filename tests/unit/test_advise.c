/*
 * test_advise.c — the schedule: the policy by the clock (its hours of the
 * week, its events, the quiet stretches the simulator skips) and the
 * schedule advise builds from a pool's demand, every number worked out by
 * hand in the comments. One replica serves tph = 3600 tokens/hour
 * (tps_eff 1).
 */
#include "testutil.h"
#include "advise/schedule.h"
#include "policy/schedule.h"
#include "sim/simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUNDAY_2025_01_05 1736035200 /* 00:00 UTC */
#define MONDAY_2025_01_06 1736121600

static void set(ts_policy *p, const char *key, const char *value)
{
    ts_diags d;
    ts_diags_init(&d);
    if (ts_policy_set(p, key, value, "test", &d) != TS_OK) {
        tu_dump(&d);
        fail();
    }
    ts_diags_free(&d);
}

static void test_hour_of_week(void **state)
{
    (void)state;
    assert_int_equal(ts_schedule_hour_of_week(0), 4 * 24);           /* 1970-01-01 was a Thursday */
    assert_int_equal(ts_schedule_hour_of_week(SUNDAY_2025_01_05), 0);
    assert_int_equal(ts_schedule_hour_of_week(SUNDAY_2025_01_05 - 1), 167); /* Saturday 23:59:59 */
    assert_int_equal(ts_schedule_hour_of_week(1735738200), 3 * 24 + 13);    /* Wednesday 2025-01-01 13:30 */
    assert_int_equal(ts_schedule_hour_of_week(-1), 3 * 24 + 23);            /* Wednesday 1969-12-31 23:59:59 */
}

/* Windows overlap (the larger holds), a count above max is held at max,
 * the hours outside every window hold min. */
static void test_hours_of_the_week(void **state)
{
    (void)state;
    ts_policy p;
    ts_policy_defaults(&p);
    set(&p, "policy", "schedule");
    set(&p, "min_instances_per_model", "1");
    set(&p, "max_instances_per_model", "4");
    set(&p, "schedule.windows",
        "[{days: daily, from_hour: 8, to_hour: 20, replicas: 3}, {days: weekdays, from_hour: 9, to_hour: 17, replicas: 5},"
        " {days: sun, from_hour: 0, to_hour: 1, replicas: 2}]");
    int64_t h[TS_SCHEDULE_HOURS];
    ts_schedule_hours(&p, h);
    assert_int_equal(h[0], 2);            /* Sunday 00:00 */
    assert_int_equal(h[1], 1);
    assert_int_equal(h[8], 3);            /* Sunday 08:00: the daily window */
    assert_int_equal(h[9], 3);            /* weekdays only for the 5 */
    assert_int_equal(h[24 + 9], 4);       /* Monday 09:00: 5 within max 4 */
    assert_int_equal(h[24 + 16], 4);
    assert_int_equal(h[24 + 17], 3);
    assert_int_equal(h[24 + 20], 1);
    assert_int_equal(h[6 * 24 + 12], 3);  /* Saturday noon */
    assert_int_equal(h[5 * 24 + 12], 4);  /* Friday noon */
}

typedef struct events {
    ts_event ev[64];
    size_t n;
} events;

static ts_status keep(void *ctx, const ts_event *e)
{
    events *l = ctx;
    if (l->n < 64)
        l->ev[l->n++] = *e;
    return TS_OK;
}

static ts_status each_step(void *ctx, const ts_step *s)
{
    (void)ctx;
    (void)s;
    return TS_OK;
}

/* A Monday of constant demand, 1 replica's worth: the start formula's 2
 * (ceil(3600 / (3600 x 0.75))), then the clock: 1 at the first step, 3
 * asked for at 07:50 (the daily 08:00 window, lead 600 s), 4 at 08:50
 * (the weekday window's 5 within max 4), 3 at 17:00 when it closes, 1 at
 * 20:00. Replica-minutes, step by step (a step pays the N it starts
 * with): 2 + 469 x 1 + 1 + 59 x 3 + 3 + 489 x 4 + 4 + 179 x 3 + 3 + 239 x 1
 * = 3391. The plain loop and the one that skips quiet stretches agree. */
static void test_a_day_by_the_clock(void **state)
{
    (void)state;
    ts_policy p;
    ts_policy_defaults(&p);
    set(&p, "policy", "schedule");
    set(&p, "min_instances_per_model", "1");
    set(&p, "max_instances_per_model", "4");
    set(&p, "schedule.lead_s", "600");
    set(&p, "schedule.windows",
        "[{days: daily, from_hour: 8, to_hour: 20, replicas: 3}, {days: weekdays, from_hour: 9, to_hour: 17, replicas: 5}]");
    double rate[24];
    for (int h = 0; h < 24; h++)
        rate[h] = 3600.0;
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand = (ts_series){rate, 24, 3600.0};
    in.tps_eff = 1.0;
    in.gpu_count = 1;
    in.policy = &p;
    in.start_s = MONDAY_2025_01_06;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    const double at[5] = {0, 28200, 31800, 61200, 72000};
    const int64_t from[5] = {2, 1, 3, 4, 3}, to[5] = {1, 3, 4, 3, 1};
    for (int pass = 0; pass < 2; pass++) {
        events l;
        memset(&l, 0, sizeof l);
        ts_kpis k;
        assert_int_equal(ts_simulate_autoscaler(&in, ws, keep, pass ? each_step : NULL, &l, &k), TS_OK);
        assert_int_equal(l.n, 5);
        for (int e = 0; e < 5; e++) {
            assert_true(l.ev[e].t_s == at[e]);
            assert_int_equal(l.ev[e].replicas_prev, from[e]);
            assert_int_equal(l.ev[e].replicas_new, to[e]);
        }
        assert_int_equal(k.steps, 1440);
        assert_true(fabs(k.replica_hours - 3391.0 / 60.0) < 1e-9);
        assert_int_equal(k.max_replicas, 4);
    }
    ts_sim_workspace_free(ws);
}

/* A week from Sunday 00:00, hourly: 2 replicas' worth, 10 on weekdays
 * from 09:00 to 17:00, and 15 on Wednesday at noon. Each hour has 60
 * steps of a minute. Min 1, max 12. */
static void week(double rate[168])
{
    for (int h = 0; h < 168; h++) {
        int dow = h / 24, hour = h % 24;
        rate[h] = 3600.0 * (dow >= 1 && dow <= 5 && hour >= 9 && hour < 17 ? 10 : 2);
    }
    rate[3 * 24 + 12] = 3600.0 * 15;
}

/* Hourly demand rate[0..n-1] from unix time start, on replicas of one
 * token a second. */
static ts_sim_input hourly(const double *rate, size_t n, int64_t start)
{
    ts_sim_input si;
    memset(&si, 0, sizeof si);
    si.demand = (ts_series){rate, n, 3600.0};
    si.tps_eff = 1.0;
    si.gpu_count = 1;
    si.start_s = start;
    return si;
}

static void expect_windows(const ts_policy *p, const int (*want)[4], int n)
{
    const ts_schedule_config *c = ts_policy_settings_get(p, &ts_policy_schedule);
    assert_int_equal(c->n_windows, n);
    for (int k = 0; k < n; k++) {
        assert_int_equal(c->windows[k].days, want[k][0]);
        assert_int_equal(c->windows[k].from_hour, want[k][1]);
        assert_int_equal(c->windows[k].to_hour, want[k][2]);
        assert_int_equal(c->windows[k].replicas, want[k][3]);
    }
}

static void test_schedule_from_demand(void **state)
{
    (void)state;
    double rate[168];
    week(rate);
    ts_policy cur;
    ts_policy_defaults(&cur);
    set(&cur, "min_instances_per_model", "1");
    set(&cur, "max_instances_per_model", "12");
    ts_sim_input si = hourly(rate, 168, SUNDAY_2025_01_05);
    ts_policy out;
    /* weekdays apart, each hour's peak: Wednesday's 15 at noon is held at
     * max 12 on every weekday; weekends 2 all day */
    assert_int_equal(ts_schedule_from_demand(&si, &cur, 1, 1.0, 600, &out), TS_OK);
    assert_ptr_equal(out.type, &ts_policy_schedule);
    assert_int_equal(((const ts_schedule_config *)ts_policy_settings_get(&out, &ts_policy_schedule))->lead_s, 600);
    const int split_peak[6][4] = {{TS_DAYS_WEEKDAYS, 0, 9, 2},   {TS_DAYS_WEEKDAYS, 9, 12, 10},
                                  {TS_DAYS_WEEKDAYS, 12, 13, 12}, {TS_DAYS_WEEKDAYS, 13, 17, 10},
                                  {TS_DAYS_WEEKDAYS, 17, 24, 2},  {TS_DAYS_WEEKENDS, 0, 24, 2}};
    expect_windows(&out, split_peak, 6);
    /* the median instead: noon's 300 weekday steps are 240 of 10 and 60
     * of 15; the 150th is 10 */
    assert_int_equal(ts_schedule_from_demand(&si, &cur, 1, 0.5, 600, &out), TS_OK);
    const int split_median[4][4] = {{TS_DAYS_WEEKDAYS, 0, 9, 2}, {TS_DAYS_WEEKDAYS, 9, 17, 10},
                                    {TS_DAYS_WEEKDAYS, 17, 24, 2}, {TS_DAYS_WEEKENDS, 0, 24, 2}};
    expect_windows(&out, split_median, 4);
    /* every day alike: the weekdays' hours are the peaks */
    assert_int_equal(ts_schedule_from_demand(&si, &cur, 0, 1.0, 0, &out), TS_OK);
    const int daily[5][4] = {{TS_DAYS_DAILY, 0, 9, 2},   {TS_DAYS_DAILY, 9, 12, 10}, {TS_DAYS_DAILY, 12, 13, 12},
                             {TS_DAYS_DAILY, 13, 17, 10}, {TS_DAYS_DAILY, 17, 24, 2}};
    expect_windows(&out, daily, 5);
    /* the median of every day alike: 9:00-17:00 is 10 on 5 days of 7 */
    assert_int_equal(ts_schedule_from_demand(&si, &cur, 0, 0.5, 0, &out), TS_OK);
    const int daily_median[3][4] = {{TS_DAYS_DAILY, 0, 9, 2}, {TS_DAYS_DAILY, 9, 17, 10}, {TS_DAYS_DAILY, 17, 24, 2}};
    expect_windows(&out, daily_median, 3);
}

/* Two days from Monday: a weekend hour was never seen, and takes the same
 * hour over every day seen. */
static void test_unseen_hours(void **state)
{
    (void)state;
    double rate[48];
    for (int h = 0; h < 48; h++)
        rate[h] = 3600.0 * (h % 24 >= 12 ? 6 : 1);
    ts_policy cur;
    ts_policy_defaults(&cur);
    set(&cur, "min_instances_per_model", "0");
    set(&cur, "max_instances_per_model", "12");
    ts_sim_input si = hourly(rate, 48, MONDAY_2025_01_06);
    ts_policy out;
    assert_int_equal(ts_schedule_from_demand(&si, &cur, 1, 1.0, 0, &out), TS_OK);
    const int want[4][4] = {{TS_DAYS_WEEKDAYS, 0, 12, 1}, {TS_DAYS_WEEKDAYS, 12, 24, 6},
                            {TS_DAYS_WEEKENDS, 0, 12, 1}, {TS_DAYS_WEEKENDS, 12, 24, 6}};
    expect_windows(&out, want, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hour_of_week),         cmocka_unit_test(test_hours_of_the_week),
        cmocka_unit_test(test_a_day_by_the_clock),   cmocka_unit_test(test_schedule_from_demand),
        cmocka_unit_test(test_unseen_hours),
    };
    return cmocka_run_group_tests_name("advise", tests, NULL, NULL);
}
