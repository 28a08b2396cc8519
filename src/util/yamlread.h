/*
 * yamlread.h — reading YAML documents (libyaml's document API) with typed,
 * table-driven access and positions for every complaint.
 *
 * A section of keys is described by a table of ts_key_spec rows (name, type,
 * bounds, default, where it goes in a struct); ts_yaml_read_table checks the
 * types (a quoted "70" is not a number, 1.5 is not an integer), the bounds,
 * unknown and duplicate keys, and reports every problem with its line and
 * column (libyaml's 0-based marks, reported 1-based).
 */
#ifndef TS_UTIL_YAMLREAD_H
#define TS_UTIL_YAMLREAD_H

#include <stddef.h>
#include <yaml.h>

#include "tapscale.h"

typedef struct ts_yaml {
    yaml_document_t doc;
    int loaded;
    const char *file; /* borrowed: used in diagnostics */
    ts_diags *diags;  /* borrowed: where ts_yaml_err appends */
} ts_yaml;

/* Parses data as one YAML document. On a syntax error appends it to d and
 * returns -1; 0 otherwise (an empty document has a NULL root). */
int ts_yaml_load(ts_yaml *y, const char *file, const char *data, size_t len, ts_diags *d);
void ts_yaml_free(ts_yaml *y);
yaml_node_t *ts_yaml_root(ts_yaml *y);
/* The value node of key in mapping map, or NULL. */
yaml_node_t *ts_yaml_get(ts_yaml *y, yaml_node_t *map, const char *key);
int ts_yaml_line(const yaml_node_t *n);
int ts_yaml_col(const yaml_node_t *n);
/* 1 when n is a scalar null (~, null, empty plain). */
int ts_yaml_is_null(const yaml_node_t *n);
/* The scalar's text, or NULL when n is not a scalar. */
const char *ts_yaml_scalar(const yaml_node_t *n);

/* TS_KEY_SKIP: a known key whose value the caller reads itself. */
typedef enum ts_key_type { TS_KEY_NUM, TS_KEY_INT, TS_KEY_BOOL, TS_KEY_STR, TS_KEY_SKIP } ts_key_type;

/* One key of a section. Numbers are bounded by lo/hi (open or closed);
 * TS_KEY_INT lands in an int64_t, TS_KEY_NUM in a double, TS_KEY_BOOL in an
 * int, TS_KEY_STR in a const char * borrowed from the document. present, when
 * not (size_t)-1, is the offset of an int set to 1 when the key was given. */
typedef struct ts_key_spec {
    const char *name;
    ts_key_type type;
    size_t offset;
    size_t present;
    int required;
    double def;
    int has_lo, lo_open;
    double lo;
    int has_hi, hi_open;
    double hi;
    const char *expect; /* "a number from 1 to 100" */
} ts_key_spec;

#define TS_NO_PRESENT ((size_t)-1)

/* Writes every key's default into obj (what an absent key reads as). */
void ts_yaml_defaults(const ts_key_spec *spec, size_t nspec, void *obj);

/* Reads map's keys into obj by the table. Keys absent take their default
 * (required ones are errors). Unknown keys are errors when strict, else
 * ignored. section names the mapping in messages ("autoscaling").
 * Returns the number of errors appended. */
int ts_yaml_read_table(ts_yaml *y, yaml_node_t *map, const ts_key_spec *spec, size_t nspec,
                       void *obj, int strict, const char *section, ts_diags *d);

/* Checks one scalar as a number / an integer / a boolean; on a type error
 * appends "<what> is <text> (expected <expect>)" and returns -1. */
int ts_yaml_number(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, double *out,
                   ts_diags *d);
int ts_yaml_int(ts_yaml *y, yaml_node_t *n, const char *what, const char *expect, int64_t *out,
                ts_diags *d);

/* Appends an error located at node n. */
void ts_yaml_err(ts_yaml *y, const yaml_node_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
