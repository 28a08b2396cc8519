/*
 * test_numfmt.c — §7 number format, checked parsing, UTC times, the RNG.
 */
#include "testutil.h"
#include "util/numfmt.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <math.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fmt_is(double v, const char *want)
{
    char buf[40];
    ts_fmt_double(v, buf);
    assert_string_equal(buf, want);
}

static void test_shortest_round_trip(void **state)
{
    (void)state;
    fmt_is(75.0, "75");               /* integral doubles print without a point */
    fmt_is(0.1, "0.1");               /* %.15g suffices */
    fmt_is(0.1 + 0.2, "0.30000000000000004"); /* needs 17 digits */
    fmt_is(1.0 / 3.0, "0.3333333333333333");  /* 16 digits */
    fmt_is(2582496.0, "2582496");
    fmt_is(1e21, "1e+21");
    fmt_is(-0.0, "0");
    fmt_is(-2.5, "-2.5");
    /* every printed value reads back to the same bits */
    double vals[] = {27777777.77777775, 3035907.0000000005, 1.0 / 7.0, 6.02214076e23, 5e-324};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char buf[40];
        ts_fmt_double(vals[i], buf);
        assert_true(strtod(buf, NULL) == vals[i]);
    }
}

static uint64_t xs = 88172645463325252ULL;
static uint64_t next64(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return xs;
}

static void same_as_reference(double v)
{
    char a[40], b[40];
    ts_fmt_double(v, a);
    ts_fmt_double_reference(v, b);
    if (strcmp(a, b) != 0)
        fail_msg("%.17g: fast \"%s\", reference \"%s\"", v, a, b);
}

static void test_fast_format_matches_reference(void **state)
{
    (void)state;
    /* every bit pattern class: random bits (all exponents, subnormals),
     * the magnitudes tapscale writes, integers, x.5 and x.25 near 2^52 where
     * 16- and 17-digit ties live, powers of ten and their neighbours */
    for (int i = 0; i < 200000; i++) {
        uint64_t b = next64();
        double v;
        memcpy(&v, &b, sizeof v);
        if (isfinite(v))
            same_as_reference(v);
        same_as_reference((double)(next64() % 1000000000) / 1000.0 * 1.37);
        same_as_reference((double)(next64() % 70000) / 100.0 / 3.0);
        same_as_reference((double)(next64() >> 11) * 0x1p-53 * 1e9);
        same_as_reference((double)(int64_t)(next64() >> 12));
        same_as_reference(0x1p52 - (double)(next64() % 100000) - 0.5);
        same_as_reference(0x1p51 + (double)(next64() % 100000) + 0.25);
        /* whole numbers on both sides of the integer writer's 1e15 bound */
        same_as_reference((double)(int64_t)(next64() % 4000000000000000ULL) - 2e15);
        same_as_reference((double)(int64_t)(next64() % 100000));
    }
    same_as_reference(999999999999999.0);
    same_as_reference(-999999999999999.0);
    same_as_reference(1e15);
    same_as_reference(1e15 + 2);
    same_as_reference(-1e15);
    double p = 1e-30;
    for (int i = 0; i < 60; i++, p *= 10) {
        same_as_reference(p);
        same_as_reference(nextafter(p, 0));
        same_as_reference(nextafter(p, INFINITY));
        same_as_reference(-p);
    }
    same_as_reference(5e-324);
    same_as_reference(1.7976931348623157e308);
    same_as_reference(0.0001);
    same_as_reference(0.00001);
    same_as_reference(123456789012345.0);
    same_as_reference(1234567890123456.0);
    same_as_reference(12345678901234567.0);
}

static void test_parse_matches_strtod(void **state)
{
    (void)state;
    /* ts_parse_double reads simple decimals by Clinger's fast path: it must
     * give strtod's double to the bit on every kind of decimal a file
     * holds — integers, fixed point, exponents, long mantissas and large or
     * tiny exponents that take strtod's way, signs and zeros */
    char buf[80];
    for (int i = 0; i < 300000; i++) {
        uint64_t r = next64();
        int intd = (int)(r % 18), fracd = (int)((r >> 8) % 18), form = (int)((r >> 16) % 6);
        size_t k = 0;
        if ((r >> 24) % 5 == 0)
            buf[k++] = (r >> 28) % 2 ? '-' : '+';
        uint64_t d = next64();
        for (int j = 0; j < intd || j == 0; j++, d /= 10)
            buf[k++] = (char)('0' + (j == 0 && intd > 1 && (d % 10) == 0 ? 1 : d % 10));
        if (form != 0) {
            buf[k++] = '.';
            d = next64();
            for (int j = 0; j < fracd; j++, d /= 10)
                buf[k++] = (char)('0' + d % 10);
        }
        if (form >= 4)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "e%d", (int)(next64() % 61) - 30);
        buf[k] = '\0';
        double a, b = strtod(buf, NULL);
        if (ts_parse_double(buf, &a) != TS_OK)
            fail_msg("%s: refused", buf);
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("%s: %.17g, strtod %.17g", buf, a, b);
    }
    static const char *const edge[] = {"0", "-0", "0.0", "1e22", "1e-22", "123456789012345", "1234567890123456",
                                       "0.000000000000000000000001", "9007199254740993", "4.35", "2.675",
                                       "1.7976931348623157e308", "0.1e23", "100e-24"};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        double a, b = strtod(edge[i], NULL);
        assert_int_equal(ts_parse_double(edge[i], &a), TS_OK);
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("%s: %.17g, strtod %.17g", edge[i], a, b);
    }
}

/* The grammar ts_parse_double accepts, written apart from it:
 * [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, whole. */
static int grammar(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int d = 0;
    while (*p >= '0' && *p <= '9')
        p++, d++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            d++;
    if (!d)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static void test_parse_refuses_what_is_not_a_decimal(void **state)
{
    (void)state;
    /* On 200,000 random strings of digits, signs, points, exponents and
     * other bytes, a number is read exactly when it is a decimal of that
     * grammar with a finite value, and then as strtod reads it: the fast
     * path checks the grammar in the same pass and never takes more; and
     * the same by length, with other bytes after them */
    static const char alphabet[] = "0123456789012345.eE+-x i";
    char buf[16];
    for (int i = 0; i < 200000; i++) {
        uint64_t r = next64();
        size_t len = (size_t)(r % 9);
        for (size_t k = 0; k < len; k++) {
            r = next64();
            buf[k] = alphabet[r % (sizeof alphabet - 1)];
        }
        buf[len] = '\0';
        errno = 0;
        double b = strtod(buf, NULL);
        int want = grammar(buf) && isfinite(b) && errno != ERANGE;
        double a = 0;
        int got = ts_parse_double(buf, &a) == TS_OK;
        if (got != want)
            fail_msg("\"%s\": %s, expected %s", buf, got ? "read" : "refused", want ? "read" : "refused");
        if (got && memcmp(&a, &b, sizeof a) != 0)
            fail_msg("\"%s\": %.17g, strtod %.17g", buf, a, b);
        /* the same bytes with more after them that belong to the next
         * field: ts_parse_double_n reads only its n bytes */
        char wide[32];
        memcpy(wide, buf, len);
        memcpy(wide + len, "7e5,", 5);
        double c = 0;
        int got_n = ts_parse_double_n(wide, len, &c) == TS_OK;
        if (got_n != got || (got && memcmp(&a, &c, sizeof a) != 0))
            fail_msg("\"%s\" by length: %s %.17g", buf, got_n ? "read" : "refused", c);
    }
}

static void test_int_format(void **state)
{
    (void)state;
    char buf[24];
    ts_fmt_int(0, buf);
    assert_string_equal(buf, "0");
    ts_fmt_int(-42, buf);
    assert_string_equal(buf, "-42");
    ts_fmt_int(INT64_MIN, buf);
    assert_string_equal(buf, "-9223372036854775808");
}

static void test_parse_double(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int ok;
        double v;
    } rows[] = {
        {"62.5", 1, 62.5}, {"1.5e9", 1, 1.5e9}, {"-3", 1, -3}, {".5", 1, 0.5}, {"7.", 1, 7},
        {"~45000", 0, 0}, {"", 0, 0}, {"nan", 0, 0}, {"inf", 0, 0}, {"0x10", 0, 0},
        {"1e", 0, 0}, {"12 ", 0, 0}, {"1e999", 0, 0}, {"~batch for RPS", 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double v = -1;
        ts_status rc = ts_parse_double(rows[i].in, &v);
        assert_int_equal(rc == TS_OK, rows[i].ok);
        if (rows[i].ok)
            assert_true(v == rows[i].v);
    }
}

static void test_parse_int(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(ts_parse_int64("8", &v), TS_OK);
    assert_int_equal(v, 8);
    assert_int_equal(ts_parse_int64("8.0", &v), TS_OK); /* integral value in a CSV */
    assert_int_equal(v, 8);
    assert_int_equal(ts_parse_int64("1.5", &v), TS_EINPUT);
    assert_int_equal(ts_parse_int64("99999999999999999999", &v), TS_EINPUT);
    assert_int_equal(ts_parse_int64("", &v), TS_EINPUT);
}

static void test_times(void **state)
{
    (void)state;
    int64_t s;
    double f;
    assert_int_equal(ts_parse_time("2025-01-01T00:00:00Z", &s, &f), TS_OK);
    assert_int_equal(s, 1735689600); /* known epoch value */
    assert_int_equal(ts_parse_time("2023-11-16 18:17:03.9799600", &s, &f), TS_OK);
    assert_int_equal(s, 1700158623);
    assert_true(fabs(f - 0.97996) < 1e-9);
    assert_int_equal(ts_parse_time("2024-02-29T12:00", &s, &f), TS_OK); /* leap day */
    assert_int_equal(ts_parse_time("2023-02-29T12:00", &s, &f), TS_EINPUT);
    assert_int_equal(ts_parse_time("2025-13-01", &s, &f), TS_EINPUT);
    assert_int_equal(ts_parse_time("yesterday", &s, &f), TS_EINPUT);
    char buf[32];
    ts_fmt_time(1735689600 + 120, buf);
    assert_string_equal(buf, "2025-01-01T00:02:00Z");
    ts_fmt_time(951782400, buf); /* 2000-02-29 */
    assert_string_equal(buf, "2000-02-29T00:00:00Z");
}

static void test_rng_reproducible(void **state)
{
    (void)state;
    ts_rng a, b, c;
    ts_rng_seed(&a, 424242);
    ts_rng_seed(&b, 424242);
    ts_rng_seed(&c, 424243);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = ts_rng_next(&a), y = ts_rng_next(&b), z = ts_rng_next(&c);
        assert_true(x == y);
        differ |= x != z;
    }
    assert_true(differ);
    /* normal deviates: mean near 0 and variance near 1 over many draws */
    double s = 0, s2 = 0;
    for (int i = 0; i < 100000; i++) {
        double z = ts_rng_normal(&a);
        s += z;
        s2 += z * z;
    }
    assert_true(fabs(s / 100000) < 0.02);
    assert_true(fabs(s2 / 100000 - 1) < 0.02);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shortest_round_trip), cmocka_unit_test(test_int_format),
        cmocka_unit_test(test_fast_format_matches_reference),
        cmocka_unit_test(test_parse_double),        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_matches_strtod),
        cmocka_unit_test(test_parse_refuses_what_is_not_a_decimal),
        cmocka_unit_test(test_times),               cmocka_unit_test(test_rng_reproducible),
    };
    return cmocka_run_group_tests_name("numfmt", tests, NULL, NULL);
}
