/*
 * keys.h — settings tables: one row per key of a YAML section, written as
 * data (in the manner of Redis' config.c), from which everything else is
 * derived: the defaults, the bounds check, the "(expected ...)" text of
 * every message, and the settings tables of the README (`tapscale
 * settings`). A bound is written once, in its row.
 *
 * A row reads at a glance with designated initializers and the bound
 * helpers below:
 *
 *   {.name = "cooldown_s", .type = TS_KEY_INT, .offset = offsetof(ts_threshold_config, cooldown_s),
 *    TS_FROM_TO(0, TS_MAX_SECONDS), .def = 120, .noun = TS_NOUN_INT_SECONDS,
 *    .doc = "seconds after an action before the next"}
 *
 * Sections nest (TS_KEY_SECTION: a sub-table for a struct at offset) and
 * repeat (TS_KEY_LIST: a sub-table per element of an array at offset, its
 * length at count_offset); TS_KEY_ENUM stores the index of the name given
 * in names (an int).
 */
#ifndef TS_UTIL_KEYS_H
#define TS_UTIL_KEYS_H

#include <stddef.h>

#include "tapscale.h"

typedef enum ts_key_type {
    TS_KEY_NUM,      /* double */
    TS_KEY_INT,      /* int64_t */
    TS_KEY_INT32,    /* int32_t */
    TS_KEY_BOOL,     /* int */
    TS_KEY_STR,      /* const char *, borrowed from the document */
    TS_KEY_ENUM,     /* int: index into names */
    TS_KEY_SECTION,  /* a nested mapping read by sub */
    TS_KEY_LIST,     /* a list of mappings, each read by sub */
    TS_KEY_SKIP      /* a known key the caller reads itself */
} ts_key_type;

/* Which bounds a number has (lo and hi), and whether they are excluded. */
enum { TS_LO = 1, TS_LO_OPEN = 2, TS_HI = 4, TS_HI_OPEN = 8 };

#define TS_FROM_TO(a, b) .bounds = TS_LO | TS_HI, .lo = (a), .hi = (b)
#define TS_FROM_BELOW(a, b) .bounds = TS_LO | TS_HI | TS_HI_OPEN, .lo = (a), .hi = (b)
#define TS_ABOVE_TO(a, b) .bounds = TS_LO | TS_LO_OPEN | TS_HI, .lo = (a), .hi = (b)
#define TS_AT_LEAST(a) .bounds = TS_LO, .lo = (a)

#define TS_NO_PRESENT ((size_t)-1)

/* Nouns of numbers with a unit: "an integer number of seconds from 1 to 60". */
#define TS_NOUN_INT_SECONDS "an integer number of seconds"
#define TS_NOUN_SECONDS "a number of seconds"

typedef struct ts_key {
    const char *name;
    ts_key_type type;
    size_t offset;             /* where the value goes in the section's struct */
    size_t present;            /* offset of an int set to 1 when given; 0 means none */
    int required;
    double def;                /* NUM, INT, INT32, BOOL, ENUM (index) */
    unsigned bounds;           /* TS_LO | TS_LO_OPEN | TS_HI | TS_HI_OPEN */
    double lo, hi;
    const char *noun;          /* "a fraction", TS_NOUN_SECONDS, ...; NULL: "a number", "an integer" */
    const char *expect;        /* the expected text when bounds cannot say it (bounds between keys) */
    const char *const *names;  /* ENUM: NULL-terminated */
    const struct ts_key *sub;  /* SECTION, LIST */
    size_t n_sub;
    size_t elem_size, max_elems, count_offset; /* LIST */
    /* SECTION: called after the section was read or took its defaults, to
     * derive what depends on several keys. */
    void (*finish)(void *obj);
    /* SECTION: bounds between keys; writes a sentence and returns 1 when
     * broken (reported at the section). */
    int (*check)(const void *obj, const char *section, char *msg, size_t size);
    const char *doc;
} ts_key;

/* A row's `present` is given with this, so that 0 (the default of an unset
 * designated initializer) means "no presence flag". */
#define TS_PRESENT(off) ((off) + 1)

/* Writes every key's default into obj (what an absent key reads as),
 * sections included (their finish run). */
void ts_keys_defaults(const ts_key *keys, size_t n, void *obj);
/* The number at path ("cooldown_s", "hpa.tolerance": sections by their
 * names) of obj read by keys: 1 and *out for a NUM, INT, INT32 or BOOL key,
 * 0 when path names no such key. */
int ts_keys_number(const ts_key *keys, size_t n, const void *obj, const char *path, double *out);

/* The "(expected ...)" text of a key: its own expect, or generated from its
 * type, noun and bounds ("an integer number of seconds from 1 to 60"). */
void ts_key_expect(const ts_key *k, char *buf, size_t size);

/* 1 when v is within k's bounds. */
int ts_key_in_bounds(const ts_key *k, double v);

/* Checks obj's values against every bound of the table (sections and
 * lists included, given or not: defaults are within bounds) and each
 * section's check, as a file would be held to;
 * section names the table in messages. Appends one error per violation to
 * d (no position). Returns TS_OK, TS_EINPUT or TS_ENOMEM. */
ts_status ts_keys_check(const ts_key *keys, size_t n, const void *obj, const char *section, ts_diags *d);

/* The Levenshtein distance of two short strings (99 past 63 bytes). */
size_t ts_edit_distance(const char *a, const char *b);
/* The edit distance below which another name is taken for a typo of name
 * (did you mean ...?): a third of its length, and never below 3. */
size_t ts_near_limit(const char *name);

/* The message of an unknown key in a section: "unknown key S.K (did you
 * mean S.C? expected one of: a, b, c)", the suggestion when a key is close
 * by edit distance. */
void ts_keys_unknown(const ts_key *keys, size_t n, const char *section, const char *key, char *buf, size_t size);

/* The hint of a percentage written as a fraction: for a key in percent
 * (its name ends in _pct or _percentile) whose range allows values above
 * 1, a value v with 0 < v <= 1 gets "looks like a fraction; did you mean
 * 100v?" in buf and 1 is returned; else 0. */
int ts_key_fraction_hint(const ts_key *k, double v, char *buf, size_t size);

/* "a, b or c": names[0..n-1] for an "(expected ...)" text. */
void ts_names_text(const char *const *names, size_t n, char *buf, size_t size);

/* Appends obj's values as YAML lines (block style, indent spaces deep) by
 * the table: every key with a value (an optional one only when given),
 * numbers in the shortest form that reads back exactly, so that reading
 * the text gives obj back. */
void ts_keys_yaml(const ts_key *keys, size_t n, const void *obj, int indent, ts_buf *b);

/* Appends a Markdown table of the keys (key, type and bounds, default,
 * meaning) to b, for the README; nested sections follow as key.sub rows. */
void ts_keys_markdown(const ts_key *keys, size_t n, const char *prefix, ts_buf *b);

#endif
