/*
 * files.h — the input files of a run: each is read whole into memory (so it
 * is parsed and hashed from the same bytes) and recorded in in->files with
 * its SHA-256, for the summaries. Series files, which can be gigabytes, are
 * read in pieces instead (series.c, util/chunkread.h) and recorded here.
 */
#ifndef TS_INPUTS_FILES_H
#define TS_INPUTS_FILES_H

#include "tapscale.h"
#include "util/csvread.h"

/* Reads path and records it with its hash in in->files. Returns the text
 * (NUL-terminated, *len bytes), which the caller frees; or NULL: a missing
 * optional file silently, any other failure reported in d (d->oom set when
 * out of memory). */
char *ts_inputs_read_file(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d);

/* Records path, read by other means, with its SHA-256 (64 hex digits) in
 * in->files. Returns TS_OK, or TS_ENOMEM with d->oom set. */
ts_status ts_inputs_record(ts_inputs *in, const char *path, const char sha256[65], ts_diags *d);

/* Reads the CSV file at path (as ts_inputs_read_file) and feeds its rows to
 * fn; reports a stray quote, and an empty file (when *header_seen stays 0)
 * as "the file is empty (expected EXPECT)". */
void ts_inputs_parse_csv(ts_inputs *in, const char *path, int optional, ts_csv_row_fn fn, void *ctx,
                         int *header_seen, const char *expect, ts_diags *d);

#endif
