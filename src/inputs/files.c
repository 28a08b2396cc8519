/*
 * files.c — reading and recording the input files of a run; see files.h.
 */
#include "inputs/files.h"
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/sha256.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Reads the text file path whole: TS_OK with *data (the caller frees it);
 * TS_OK with *data NULL when optional and the file does not exist; else
 * TS_EINPUT (said in d: why it cannot be read, or its first NUL byte) or
 * TS_ENOMEM (d->oom set). */
static ts_status load_text(const char *path, int optional, char **data, size_t *len, ts_diags *d)
{
    *data = NULL;
    *len = 0;
    char *text = NULL;
    ts_read_failure why;
    ts_status e = ts_read_file(path, &text, len, &why);
    if (e == TS_ENOMEM) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (e != TS_OK) {
        if (optional && why.missing)
            return TS_OK;
        ts_err(d, path, 0, 0, "cannot read: %s (expected a readable file)", why.why);
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    int nl, nc;
    if (ts_find_nul(text, *len, &nl, &nc)) {
        ts_err(d, path, nl, nc, "a NUL byte (expected a text file)");
        free(text);
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    *data = text;
    return TS_OK;
}

char *ts_inputs_read_file(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d)
{
    char *data;
    if (load_text(path, optional, &data, len, d) != TS_OK || !data)
        return NULL;
    char hex[65];
    if (ts_sha256_hex(data, *len, hex) != TS_OK || ts_inputs_record(in, path, hex, d) != TS_OK) {
        d->oom = 1;
        free(data);
        return NULL;
    }
    return data;
}

ts_status ts_inputs_record(ts_inputs *in, const char *path, const char sha256[65], ts_diags *d)
{
    ts_input_file *f = ts_grow(in->files, in->n_files, &in->cap_files, sizeof *f, 16);
    if (!f) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    in->files = f;
    f = &in->files[in->n_files];
    if (!(f->path = ts_strdup(path))) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    memcpy(f->sha256, sha256, 65);
    in->n_files++;
    return TS_OK;
}

void ts_inputs_parse_csv(ts_inputs *in, const char *path, int optional, ts_csv_row_fn fn, void *ctx,
                           int *header_seen, const char *expect, ts_diags *d)
{
    size_t len;
    char *data = ts_inputs_read_file(in, path, &len, optional, d);
    if (!data)
        return;
    ts_csv_error err;
    ts_status st = ts_csv_parse(data, len, fn, ctx, &err);
    if (ts_csv_report(st, &err, path, d) == TS_OK && !*header_seen)
        ts_err(d, path, 1, 1, "the file is empty (expected %s)", expect);
    free(data);
}

ts_status ts_file_load(const char *path, char **data, size_t *len, ts_diags *d)
{
    return load_text(path, 0, data, len, d);
}
