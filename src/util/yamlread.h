/*
 * yamlread.h — reading YAML documents (libyaml's document API) with typed,
 * table-driven access and positions for every complaint.
 *
 * A section of keys is described by a settings table (keys.h);
 * ts_yaml_read_table checks the types (a quoted "70" is not a number, 1.5 is
 * not an integer), the bounds, unknown and duplicate keys, and reports every
 * problem with its line and column (libyaml's 0-based marks, reported
 * 1-based).
 */
#ifndef TS_UTIL_YAMLREAD_H
#define TS_UTIL_YAMLREAD_H

#include <stddef.h>
#include <yaml.h>

#include "tapscale.h"
#include "util/keys.h"

typedef struct ts_yaml {
    yaml_document_t doc;
    int loaded;
    const char *file; /* borrowed: used in diagnostics */
    ts_diags *diags;  /* borrowed: where ts_yaml_err appends */
    int overlay;      /* tables change only the keys given: no defaults, nothing required */
    int no_positions; /* messages name the file only (a value given on the command line) */
} ts_yaml;

/* Parses data as one YAML document. On a syntax error appends it to d and
 * returns TS_EINPUT (TS_ENOMEM when out of memory); TS_OK otherwise (an
 * empty document has a NULL root). */
ts_status ts_yaml_load(ts_yaml *y, const char *file, const char *data, size_t len, ts_diags *d);
void ts_yaml_free(ts_yaml *y);

/* The documents of a multi-document YAML text ("---" between them), one at
 * a time. */
typedef struct ts_yaml_stream {
    yaml_parser_t parser;
    const char *file;
    ts_diags *diags;
} ts_yaml_stream;
/* Returns TS_OK, or TS_ENOMEM (d->oom set). */
ts_status ts_yaml_stream_open(ts_yaml_stream *s, const char *file, const char *data, size_t len, ts_diags *d);
/* Loads the next document into y (free it with ts_yaml_free) and sets
 * *more (1: a document, 0: none left). Returns TS_OK, or TS_EINPUT on a
 * syntax error (reported; the stream ends). */
ts_status ts_yaml_stream_next(ts_yaml_stream *s, ts_yaml *y, int *more);
void ts_yaml_stream_close(ts_yaml_stream *s);
yaml_node_t *ts_yaml_root(ts_yaml *y);
/* The value node of key in mapping map, or NULL (the first, when the
 * key is there twice: ts_yaml_unique_keys reports that). */
yaml_node_t *ts_yaml_get(ts_yaml *y, yaml_node_t *map, const char *key);
/* Reports every key of mapping map that an earlier key of it repeats,
 * "duplicate key PATH.KEY (expected each key once)" at the repeat (PATH
 * left out when path is ""), and with deep the same in every mapping
 * below it. Returns the number of duplicates; nothing when map is not a
 * mapping. */
int ts_yaml_unique_keys(ts_yaml *y, yaml_node_t *map, const char *path, int deep);
int ts_yaml_line(const yaml_node_t *n);
int ts_yaml_col(const yaml_node_t *n);
/* 1 when n is a scalar null (~, null, empty plain). */
int ts_yaml_is_null(const yaml_node_t *n);
/* The scalar's text, or NULL when n is not a scalar. */
const char *ts_yaml_scalar(const yaml_node_t *n);

/* Reads map's keys into obj by the table (keys.h): absent keys take their
 * default (required ones are errors); a type error, a value out of bounds,
 * a duplicate and (when strict) an unknown key are errors at their
 * position. Nested sections and lists are read by their sub-tables, their
 * names joined with dots ("autoscaling.hpa.behavior.scale_up"); a section
 * read without error is then finished and checked (keys.h). section names
 * the mapping in messages. Returns TS_OK, TS_EINPUT (the errors appended
 * to d) or TS_ENOMEM. */
ts_status ts_yaml_read_table(ts_yaml *y, yaml_node_t *map, const ts_key *keys, size_t n, void *obj, int strict,
                       const char *section, ts_diags *d);

/* Applies one "path = value" (path relative to the table, "hpa.tolerance";
 * value YAML text: a scalar, or a flow list or mapping) to obj, read and
 * checked as the key would be in a file, changing nothing else; the
 * sections on the path are finished and checked again. source names the
 * value in messages ("--set"), which carry no line or column. Returns
 * TS_OK, TS_EINPUT (the errors appended to d) or TS_ENOMEM. */
ts_status ts_yaml_apply(const ts_key *keys, size_t n, void *obj, const char *section, const char *path,
                  const char *value, const char *source, ts_diags *d);

/* Reads one section row k (TS_KEY_SECTION) from node vn (NULL or null:
 * its defaults) into obj, strictly; what names it in messages. Returns
 * TS_OK, TS_EINPUT (the errors appended to d) or TS_ENOMEM. */
ts_status ts_yaml_read_section(ts_yaml *y, yaml_node_t *vn, const ts_key *k, void *obj, const char *what, ts_diags *d);

/* Checks one scalar as a number / an integer; on a type error appends
 * "<what> is <text> (expected <expect>)" and returns TS_EINPUT, else
 * TS_OK. */
ts_status ts_yaml_number(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, double *out,
                   ts_diags *d);
ts_status ts_yaml_int(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, int64_t *out,
                ts_diags *d);

/* Appends an error located at node n. */
void ts_yaml_err(ts_yaml *y, const yaml_node_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
