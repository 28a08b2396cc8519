/*
 * prices.c — rental prices; see prices.h.
 */
#include "inputs/prices.h"
#include "inputs/files.h"
#include "inputs/gpus.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/numfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ts_status on_price_row(void *vctx, const ts_csv_row *row)
{
    ts_prices *c = vctx;
    ts_diags *d = c->d;
    if (!c->header_seen) {
        c->header_seen = 1;
        c->c_gpu = ts_csv_find(row, "gpu_model");
        c->c_num = ts_csv_find(row, "num_gpus");
        c->c_price = ts_csv_find(row, "price_eur_hr");
        c->currency = "EUR";
        if (c->c_price < 0) {
            c->c_price = ts_csv_find(row, "price_usd_hr");
            c->currency = "USD";
        }
        const char *missing[3] = {c->c_gpu < 0 ? "gpu_model" : NULL, c->c_num < 0 ? "num_gpus" : NULL,
                                  c->c_price < 0 ? "price_usd_hr" : NULL};
        for (int k = 0; k < 3; k++)
            if (missing[k]) {
                char hint[160];
                ts_csv_hint(row, missing[k], hint, sizeof hint);
                ts_err(d, c->file, row->line[0], 1,
                       "missing column %s (%sexpected a header with gpu_model,num_gpus,price_usd_hr or price_eur_hr)",
                       missing[k], hint);
            }
        c->header_fields = row->n;
        return (c->c_gpu < 0 || c->c_num < 0 || c->c_price < 0) ? TS_EINPUT : TS_OK;
    }
    if (row->n != c->header_fields) {
        /* as in the throughput facts: its cells are under the wrong columns */
        ts_warn(c->warnings, c->file, row->line[0], row->col[0],
                "row skipped: it has %zu fields but the header has %zu (expected one field per column; a missing empty cell shifts the rest)",
                row->n, c->header_fields);
        return TS_OK;
    }
    int cols[] = {c->c_gpu, c->c_num, c->c_price};
    for (int i = 0; i < 3; i++)
        if ((size_t)cols[i] >= row->n) {
            ts_err(d, c->file, row->line[0], row->col[0], "the row has %zu fields (expected %d or more as in the header)",
                   row->n, cols[i] + 1);
            return TS_OK;
        }
    int64_t num;
    double pr;
    int ok = 1;
    if (ts_parse_int64(row->field[c->c_num], &num) != 0 || num < 1) {
        ts_err(d, c->file, row->line[c->c_num], row->col[c->c_num], "num_gpus is \"%s\" (expected an integer of at least 1)",
               row->field[c->c_num]);
        ok = 0;
    }
    if (ts_parse_double(row->field[c->c_price], &pr) != 0 || pr < 0) {
        ts_err(d, c->file, row->line[c->c_price], row->col[c->c_price],
               "price is \"%s\" (expected a price per instance-hour of at least 0)", row->field[c->c_price]);
        ok = 0;
    }
    if (!row->field[c->c_gpu][0]) {
        ts_err(d, c->file, row->line[c->c_gpu], row->col[c->c_gpu], "gpu_model is empty (expected a GPU name)");
        ok = 0;
    }
    if (!ok)
        return TS_OK;
    char norm[64];
    ts_gpu_normalize(row->field[c->c_gpu], norm, sizeof norm);
    double per_gpu = pr / (double)num;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->p[i].norm, norm)) {
            if (per_gpu < c->p[i].per_gpu)
                c->p[i].per_gpu = per_gpu;
            return TS_OK;
        }
    ts_price *p = ts_grow(c->p, c->n, &c->cap, sizeof *p, 16);
    if (!p) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    c->p = p;
    snprintf(c->p[c->n].norm, sizeof c->p[c->n].norm, "%s", norm);
    c->p[c->n].per_gpu = per_gpu;
    c->n++;
    return TS_OK;
}

void ts_prices_read(ts_inputs *in, const char *path, ts_prices *pr, ts_diags *d)
{
    memset(pr, 0, sizeof *pr);
    pr->file = path;
    pr->d = d;
    pr->warnings = &in->warnings;
    ts_inputs_parse_csv(in, path, 1, on_price_row, pr, &pr->header_seen,
                        "a header with gpu_model,num_gpus,price_usd_hr", d);
}

const ts_price *ts_prices_find(const ts_prices *pr, const char *norm)
{
    for (size_t i = 0; i < pr->n; i++)
        if (!strcmp(pr->p[i].norm, norm))
            return &pr->p[i];
    return NULL;
}

void ts_prices_free(ts_prices *pr)
{
    free(pr->p);
    pr->p = NULL;
    pr->n = pr->cap = 0;
}
