/*
 * timeline.c — the timeline files streamed into the output folder while
 * the pools are simulated (ts_timeline_* in tapscale_io.h).
 */
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/strbuf.h"

#include <stdlib.h>

/* Rows are handed to the file in chunks of this size. */
#define CHUNK ((size_t)1 << 16)

typedef struct sink {
    ts_outdir_file *file;
    ts_buf rows;
    int64_t start;
    ts_status failed;      /* TS_OK, or why put stopped */
    ts_diags *d;
} sink;

ts_status ts_timeline_begin(void *stream, size_t pool, void **out)
{
    const ts_timeline_stream *ts = stream;
    *out = NULL;
    const ts_model_demand *md = &ts->in->demand[ts->plan->rows[pool].demand_index];
    char name[512];
    ts_timeline_name(md->model, name, sizeof name);
    sink *s = ts_calloc(1, sizeof *s);
    if (!s)
        return TS_ENOMEM;
    ts_status st = ts_outdir_file_open(ts->out, name, &s->file, ts->d);
    if (st != TS_OK) {
        free(s);
        return st;
    }
    ts_buf_init(&s->rows);
    ts_buf_puts(&s->rows, TS_TIMELINE_HEADER);
    s->start = md->start;
    s->d = ts->d;
    *out = s;
    return TS_OK;
}

/* Hands the rows so far to the file. */
static void flush(sink *s)
{
    if (s->rows.oom)
        s->failed = TS_ENOMEM;
    else if (ts_outdir_file_write(s->file, s->rows.data ? s->rows.data : "", s->rows.len) != TS_OK)
        s->failed = TS_ERUNTIME; /* said by close */
    s->rows.len = 0;
}

ts_status ts_timeline_put(void *vs, const ts_step *st)
{
    sink *s = vs;
    ts_render_timeline_row(s->start, st, &s->rows);
    if (s->rows.len >= CHUNK || s->rows.oom)
        flush(s);
    return s->failed;
}

ts_status ts_timeline_end(void *vs, ts_status st)
{
    sink *s = vs;
    if (st == TS_OK && s->failed == TS_OK)
        flush(s);
    ts_status closed = ts_outdir_file_close(s->file, s->d);
    ts_buf_free(&s->rows);
    free(s);
    return st != TS_OK ? st : closed;
}
