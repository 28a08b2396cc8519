/*
 * test_report.c — a pool's steps summed per time bucket (report/picture):
 * buckets worked by hand on the step grid and on the clock's hours, and
 * the width that cuts a horizon into at most so many buckets.
 */
#include "testutil.h"
#include "report/picture.h"

#include <math.h>

static void test_buckets_by_hand(void **state)
{
    (void)state;
    /* ten steps of 60 s, buckets of 180 s (3 steps) from step 0; one
     * replica serves 3600 tokens/hour. Spans: steps 0..3 at 100 with R = N
     * = 1; steps 4..6 at 5000 with R = 1, N = 2 (short by 1400 tokens/hour,
     * 1400·60/3600 = 23.33 tokens a step); steps 7..9 at 1800 with R = N =
     * 2. */
    ts_picture p;
    assert_int_equal(ts_picture_init(&p, 0, 60, 10, 0, 180), TS_OK);
    assert_int_equal(p.n, 4);
    p.want_util = 1;
    const ts_span s[3] = {{0, 4, 100, 1, 1, 3600}, {4, 7, 5000, 1, 2, 3600}, {7, 10, 1800, 2, 2, 7200}};
    for (int i = 0; i < 3; i++)
        assert_int_equal(ts_picture_span(&p, &s[i]), 0);
    ts_event up = {240, 5000, 3600, 1, 2, TS_SCALE_UP, 1, 138.9};
    ts_picture_event(&p, &up);
    const double short_step = 1400.0 * 60.0 / 3600.0;
    /* bucket 0: steps 0-2 */
    assert_int_equal(p.b[0].steps, 3);
    assert_true(p.b[0].d_min == 100 && p.b[0].d_max == 100 && p.b[0].d_sum == 300);
    assert_int_equal(p.b[0].viol_steps, 0);
    assert_int_equal(p.b[0].replica_steps, 3);
    /* bucket 1: step 3 (100, N 1), steps 4-5 (5000, N 2), the scale-up */
    assert_int_equal(p.b[1].steps, 3);
    assert_true(p.b[1].d_min == 100 && p.b[1].d_max == 5000 && p.b[1].d_sum == 10100);
    assert_int_equal(p.b[1].r_min, 1);
    assert_int_equal(p.b[1].r_max, 1);
    assert_int_equal(p.b[1].n_min, 1);
    assert_int_equal(p.b[1].n_max, 2);
    assert_int_equal(p.b[1].viol_steps, 2);
    assert_true(fabs(p.b[1].unserved - 2 * short_step) < 1e-9);
    assert_int_equal(p.b[1].replica_steps, 5);
    assert_int_equal(p.b[1].ups, 1);
    /* bucket 2: step 6 (5000, R 1), steps 7-8 (1800, R 2) */
    assert_true(p.b[2].d_min == 1800 && p.b[2].d_max == 5000);
    assert_int_equal(p.b[2].r_min, 1);
    assert_int_equal(p.b[2].r_max, 2);
    assert_int_equal(p.b[2].viol_steps, 1);
    assert_int_equal(p.b[2].replica_steps, 6);
    assert_int_equal(p.b[2].ups, 0);
    /* bucket 3: step 9 alone */
    assert_int_equal(p.b[3].steps, 1);
    assert_int_equal(p.b[3].replica_steps, 2);
    /* utilization: 100·(100/3600) = 2.8 % for 4 steps, 138.9 % for 3, 25 %
     * for 3 */
    assert_int_equal(p.util[2], 4);
    assert_int_equal(p.util[138], 3);
    assert_int_equal(p.util[25], 3);
    assert_int_equal(p.util_undefined, 0);
    ts_picture_free(&p);
}

static void test_clock_hours(void **state)
{
    (void)state;
    /* a pool starting at 01:30 with steps of 15 min, by the clock's hours:
     * 01:30 and 01:45 fall in 01:00, 02:00 and 02:15 in 02:00 */
    ts_picture p;
    assert_int_equal(ts_picture_init(&p, 5400, 900, 4, 3600, 3600), TS_OK);
    assert_int_equal(p.n, 2);
    const ts_span s = {0, 4, 7200, 2, 3, 7200};
    ts_picture_span(&p, &s);
    assert_int_equal(p.b[0].steps, 2);
    assert_int_equal(p.b[1].steps, 2);
    assert_int_equal(p.b[0].replica_steps, 6);
    /* steps of 25 min from 01:30 (01:30, 01:55 | 02:20, 02:45 | 03:10):
     * buckets of the hour hold 2, 2 and 1 */
    ts_picture q;
    assert_int_equal(ts_picture_init(&q, 5400, 1500, 5, 3600, 3600), TS_OK);
    assert_int_equal(q.n, 3);
    const ts_span a = {0, 3, 100, 1, 1, 3600}, b = {3, 5, 9000, 1, 1, 3600};
    ts_picture_span(&q, &a);
    ts_picture_span(&q, &b);
    assert_int_equal(q.b[0].steps, 2);
    assert_int_equal(q.b[1].steps, 2);
    assert_int_equal(q.b[2].steps, 1);
    assert_true(q.b[1].d_min == 100 && q.b[1].d_max == 9000);
    assert_int_equal(q.b[1].viol_steps, 1);
    assert_int_equal(q.b[2].viol_steps, 1);
    ts_picture_free(&p);
    ts_picture_free(&q);
}

static void test_width(void **state)
{
    (void)state;
    /* a month of minutes in at most 1,500 buckets: ceil(43200/1500) = 29
     * steps each; a short horizon keeps one step per bucket */
    assert_int_equal(ts_picture_width(60, 43200, 1500), 29 * 60);
    assert_int_equal(ts_picture_width(60, 60, 1500), 60);
    assert_int_equal(ts_picture_width(15, 1500, 1500), 15);
    assert_int_equal(ts_picture_width(15, 1501, 1500), 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets_by_hand),
        cmocka_unit_test(test_clock_hours),
        cmocka_unit_test(test_width),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
