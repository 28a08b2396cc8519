/*
 * test_csv.c — CSV records and the positions of their fields.
 */
#include "testutil.h"
#include "util/csvread.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
    char text[16][64];
    int line[16], col[16];
    size_t n;
    size_t records;
} seen;

static ts_status collect(void *ctx, const ts_csv_row *row)
{
    seen *s = ctx;
    s->records++;
    for (size_t i = 0; i < row->n && s->n < 16; i++) {
        snprintf(s->text[s->n], 64, "%s", row->field[i]);
        s->line[s->n] = row->line[i];
        s->col[s->n] = row->col[i];
        s->n++;
    }
    return TS_OK;
}

static void test_positions(void **state)
{
    (void)state;
    const char *data = "a,bb,c\n\n1,\"x, y\",3\n";
    seen s = {0};
    ts_csv_error err;
    assert_int_equal(ts_csv_parse(data, strlen(data), collect, &s, &err), TS_OK);
    assert_int_equal(s.records, 2); /* the blank line is no record */
    assert_string_equal(s.text[4], "x, y");
    int want_line[] = {1, 1, 1, 3, 3, 3};
    int want_col[] = {1, 3, 6, 1, 3, 10};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(s.line[i], want_line[i]);
        assert_int_equal(s.col[i], want_col[i]);
    }
}

static void test_quotes_newlines_crlf(void **state)
{
    (void)state;
    const char *data = "h1,h2\r\n\"two\nlines\",\"say \"\"hi\"\"\"\r\nlast,\r\n";
    seen s = {0};
    ts_csv_error err;
    assert_int_equal(ts_csv_parse(data, strlen(data), collect, &s, &err), TS_OK);
    assert_int_equal(s.records, 3);
    assert_string_equal(s.text[2], "two\nlines");
    assert_string_equal(s.text[3], "say \"hi\"");
    assert_int_equal(s.line[4], 4); /* "last" starts on line 4 */
    assert_string_equal(s.text[5], "");
}

static void test_stray_quote(void **state)
{
    (void)state;
    const char *data = "a,b\n1,2\"x\n";
    seen s = {0};
    ts_csv_error err;
    assert_int_equal(ts_csv_parse(data, strlen(data), collect, &s, &err), TS_EINPUT);
    assert_int_equal(err.problem, TS_CSV_STRAY_QUOTE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 4);
}

static void test_field_bound(void **state)
{
    (void)state;
    /* a field of exactly 1 MiB is read; one byte more is an error at the
     * field's start (line 2, column 3), not a 1 GB allocation */
    size_t n = TS_CSV_MAX_FIELD_BYTES;
    char *data = malloc(n + 32);
    for (int extra = 0; extra <= 1; extra++) {
        size_t k = 0;
        memcpy(data, "a,b\n1,", 6);
        k = 6;
        memset(data + k, 'x', n + (size_t)extra);
        k += n + (size_t)extra;
        data[k++] = '\n';
        seen s = {0};
        ts_csv_error err;
        assert_int_equal(ts_csv_parse(data, k, collect, &s, &err), extra ? TS_EINPUT : TS_OK);
        if (extra) {
            assert_int_equal(err.problem, TS_CSV_LONG_FIELD);
            assert_int_equal(err.line, 2);
            assert_int_equal(err.col, 3);
        } else
            assert_int_equal(s.records, 2);
    }
    free(data);
}

/* Every record as text "line:col=field|..." appended to a buffer. */
static ts_status record_all(void *ctx, const ts_csv_row *row)
{
    ts_buf *b = ctx;
    for (size_t i = 0; i < row->n; i++)
        ts_buf_printf(b, "%d:%d=%s|", row->line[i], row->col[i], row->field[i]);
    ts_buf_putc(b, '\n');
    return TS_OK;
}

static void test_fast_lines_as_libcsv(void **state)
{
    (void)state;
    /* Plain lines are split without libcsv; on 20,000 random inputs from
     * an alphabet with quotes, both line ends, spaces and tabs, the records,
     * positions, results and error places are libcsv's exactly. */
    static const char alphabet[] = "ab1,,, \t\"\n\n\r.";
    uint64_t x = 88172645463325252ull;
    char data[64];
    for (int t = 0; t < 20000; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t len = (size_t)(x % sizeof data);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            data[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        ts_buf a, b;
        ts_buf_init(&a);
        ts_buf_init(&b);
        ts_csv_error ea, eb;
        ts_status ra = ts_csv_parse(data, len, record_all, &a, &ea);
        ts_status rb = ts_csv_parse_libcsv(data, len, record_all, &b, &eb);
        int la = ea.line, ca = ea.col, lb = eb.line, cb = eb.col;
        if (ra != rb || ea.problem != eb.problem || (ra != TS_OK && (la != lb || ca != cb)) || a.len != b.len ||
            (a.len && memcmp(a.data, b.data, a.len) != 0)) {
            fprintf(stderr, "input %d: \"%.*s\"\nfast %d (%d:%d):\n%s\nlibcsv %d (%d:%d):\n%s\n", t, (int)len, data, ra,
                    la, ca, a.data ? a.data : "", rb, lb, cb, b.data ? b.data : "");
            fail();
        }
        ts_buf_free(&a);
        ts_buf_free(&b);
    }
}

/* A line hook that takes lines starting with '#' (as a record of one
 * field, the rest of the line) and leaves the others to the splitter; a
 * line "#stop" stops the parse with TS_ENOMEM (as a hook that lost it). */
static ts_status take_hash_lines(void *ctx, const char *s, const char *e, int line, int *took)
{
    *took = 0;
    if (s == e || *s != '#')
        return TS_OK;
    *took = 1;
    if ((size_t)(e - s) == 5 && !memcmp(s, "#stop", 5))
        return TS_ENOMEM;
    ts_buf_printf(ctx, "%d:1=%.*s|\n", line, (int)(e - s), s);
    return TS_OK;
}

static void test_stream_in_pieces(void **state)
{
    (void)state;
    /* The text fed to a stream in random pieces (cut anywhere: inside a
     * quoted field, between "\r" and "\n", inside the byte order mark)
     * gives libcsv's records, positions, results and error places, on
     * 20,000 random inputs. */
    static const char alphabet[] = "ab1,,, \t\"\n\n\r.";
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char data[96];
    for (int t = 0; t < 20000; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t len = (size_t)(x % 64), at = 0;
        if (t % 5 == 0) {
            memcpy(data, "\xEF\xBB\xBF", 3);
            at = 3;
        }
        for (size_t i = at; i < at + len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            data[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        len += at;
        ts_buf a, b;
        ts_buf_init(&a);
        ts_buf_init(&b);
        ts_csv_stream *st = ts_csv_stream_new(record_all, NULL, &a);
        assert_non_null(st);
        for (size_t i = 0; i < len;) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t piece = 1 + (size_t)(x % 7);
            if (piece > len - i)
                piece = len - i;
            ts_csv_stream_feed(st, data + i, piece);
            i += piece;
        }
        ts_csv_error ea, eb;
        ts_status ra = ts_csv_stream_finish(st, &ea);
        ts_status rb = ts_csv_parse_libcsv(data, len, record_all, &b, &eb);
        int la = ea.line, ca = ea.col, lb = eb.line, cb = eb.col;
        if (ra != rb || ea.problem != eb.problem || (ra != TS_OK && (la != lb || ca != cb)) || a.len != b.len ||
            (a.len && memcmp(a.data, b.data, a.len) != 0)) {
            fprintf(stderr, "input %d: \"%.*s\"\nstream %d (%d:%d):\n%s\nlibcsv %d (%d:%d):\n%s\n", t, (int)len, data,
                    ra, la, ca, a.data ? a.data : "", rb, lb, cb, b.data ? b.data : "");
            fail();
        }
        ts_buf_free(&a);
        ts_buf_free(&b);
    }
}

static void test_line_hook(void **state)
{
    (void)state;
    /* The hook sees plain lines at a record boundary only: not the second
     * line of a quoted field, which starts with '#' too. */
    const char *data = "k,v\n#one\n\"a\n#b\",2\n#two";
    ts_buf b;
    ts_buf_init(&b);
    ts_csv_stream *st = ts_csv_stream_new(record_all, take_hash_lines, &b);
    assert_non_null(st);
    for (size_t i = 0; data[i]; i++)
        ts_csv_stream_feed(st, data + i, 1);
    ts_csv_error err;
    assert_int_equal(ts_csv_stream_finish(st, &err), TS_OK);
    assert_string_equal(b.data, "1:1=k|1:3=v|\n2:1=#one|\n3:1=a\n#b|4:5=2|\n5:1=#two|\n");
    ts_buf_free(&b);
    /* a hook's status stops the parse, which ends in it: no line after */
    ts_buf_init(&b);
    st = ts_csv_stream_new(record_all, take_hash_lines, &b);
    assert_non_null(st);
    const char *stop = "k,v\n#stop\nx,y\n";
    ts_csv_stream_feed(st, stop, strlen(stop));
    assert_int_equal(ts_csv_stream_finish(st, &err), TS_ENOMEM);
    assert_string_equal(b.data, "1:1=k|1:3=v|\n");
    ts_buf_free(&b);
}

static void test_bom_and_no_final_newline(void **state)
{
    (void)state;
    const char *data = "\xEF\xBB\xBFk,v\nx,1";
    seen s = {0};
    ts_csv_error err;
    assert_int_equal(ts_csv_parse(data, strlen(data), collect, &s, &err), TS_OK);
    assert_int_equal(s.records, 2);
    assert_string_equal(s.text[0], "k");
    assert_int_equal(s.col[0], 1);
    assert_string_equal(s.text[3], "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_quotes_newlines_crlf),
        cmocka_unit_test(test_stray_quote),
        cmocka_unit_test(test_bom_and_no_final_newline),
        cmocka_unit_test(test_field_bound),
        cmocka_unit_test(test_fast_lines_as_libcsv),
        cmocka_unit_test(test_stream_in_pieces),
        cmocka_unit_test(test_line_hook),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
