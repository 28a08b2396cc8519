/*
 * keys.c — defaults, bounds, expected texts and Markdown of settings
 * tables; see keys.h.
 */
#include "util/keys.h"
#include "util/diag.h"
#include "util/numfmt.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *at(void *obj, size_t off)
{
    return (char *)obj + off;
}

static const void *cat(const void *obj, size_t off)
{
    return (const char *)obj + off;
}

void ts_keys_defaults(const ts_key *keys, size_t n, void *obj)
{
    for (size_t i = 0; i < n; i++) {
        const ts_key *k = &keys[i];
        switch (k->type) {
        case TS_KEY_NUM: *(double *)at(obj, k->offset) = k->def; break;
        case TS_KEY_INT: *(int64_t *)at(obj, k->offset) = (int64_t)k->def; break;
        case TS_KEY_INT32: *(int32_t *)at(obj, k->offset) = (int32_t)k->def; break;
        case TS_KEY_BOOL: *(int *)at(obj, k->offset) = k->def != 0.0; break;
        case TS_KEY_ENUM: *(int *)at(obj, k->offset) = (int)k->def; break;
        case TS_KEY_STR: *(const char **)at(obj, k->offset) = NULL; break;
        case TS_KEY_SECTION:
            ts_keys_defaults(k->sub, k->n_sub, at(obj, k->offset));
            if (k->finish)
                k->finish(at(obj, k->offset));
            break;
        case TS_KEY_LIST: *(int *)at(obj, k->count_offset) = 0; break;
        case TS_KEY_SKIP: break;
        }
        if (k->present)
            *(int *)at(obj, k->present - 1) = 0;
    }
}

int ts_key_in_bounds(const ts_key *k, double v)
{
    if ((k->bounds & TS_LO) && ((k->bounds & TS_LO_OPEN) ? !(v > k->lo) : !(v >= k->lo)))
        return 0;
    if ((k->bounds & TS_HI) && ((k->bounds & TS_HI_OPEN) ? !(v < k->hi) : !(v <= k->hi)))
        return 0;
    return 1;
}

void ts_names_text(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
}

void ts_key_expect(const ts_key *k, char *buf, size_t size)
{
    if (k->expect) {
        snprintf(buf, size, "%s", k->expect);
        return;
    }
    if (k->type == TS_KEY_BOOL) {
        snprintf(buf, size, "true or false");
        return;
    }
    if (k->type == TS_KEY_ENUM) {
        size_t n = 0;
        while (k->names[n])
            n++;
        ts_names_text(k->names, n, buf, size);
        return;
    }
    if (k->type == TS_KEY_SECTION || k->type == TS_KEY_LIST || k->type == TS_KEY_STR || k->type == TS_KEY_SKIP) {
        snprintf(buf, size, "%s", k->type == TS_KEY_LIST ? "a list of mappings" : "a mapping");
        return;
    }
    const char *noun = k->noun ? k->noun : k->type == TS_KEY_NUM ? "a number" : "an integer";
    char lo[32], hi[32];
    ts_fmt_double(k->lo, lo);
    ts_fmt_double(k->hi, hi);
    unsigned b = k->bounds;
    int has_lo = b & TS_LO, has_hi = b & TS_HI, lo_open = b & TS_LO_OPEN, hi_open = b & TS_HI_OPEN;
    if (has_lo && has_hi && !lo_open && !hi_open)
        snprintf(buf, size, "%s from %s to %s", noun, lo, hi);
    else if (has_lo && has_hi && !lo_open)
        snprintf(buf, size, "%s from %s to below %s", noun, lo, hi);
    else if (has_lo && has_hi && !hi_open)
        snprintf(buf, size, "%s above %s and at most %s", noun, lo, hi);
    else if (has_lo && has_hi)
        snprintf(buf, size, "%s above %s and below %s", noun, lo, hi);
    else if (has_lo)
        snprintf(buf, size, "%s %s %s", noun, lo_open ? "above" : "of at least", lo);
    else if (has_hi)
        snprintf(buf, size, "%s %s %s", noun, hi_open ? "below" : "of at most", hi);
    else
        snprintf(buf, size, "%s", noun);
}

static double value_of(const ts_key *k, const void *obj)
{
    switch (k->type) {
    case TS_KEY_NUM: return *(const double *)cat(obj, k->offset);
    case TS_KEY_INT: return (double)*(const int64_t *)cat(obj, k->offset);
    case TS_KEY_INT32: return (double)*(const int32_t *)cat(obj, k->offset);
    default: return 0.0;
    }
}

/* The walk of ts_keys_check: the number of violations appended. */
static int check_count(const ts_key *keys, size_t n, const void *obj, const char *section, ts_diags *d)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_key *k = &keys[i];
        char what[200], expect[160];
        snprintf(what, sizeof what, "%s.%s", section, k->name);
        if (k->type == TS_KEY_NUM || k->type == TS_KEY_INT || k->type == TS_KEY_INT32) {
            double v = value_of(k, obj);
            if (!ts_key_in_bounds(k, v)) {
                char vs[32];
                ts_fmt_double(v, vs);
                ts_key_expect(k, expect, sizeof expect);
                ts_err(d, NULL, 0, 0, "%s is %s (expected %s)", what, vs, expect);
                bad++;
            }
        } else if (k->type == TS_KEY_SECTION) {
            const void *sub = cat(obj, k->offset);
            bad += check_count(k->sub, k->n_sub, sub, what, d);
            char msg[400];
            if (k->check && k->check(sub, what, msg, sizeof msg)) {
                ts_err(d, NULL, 0, 0, "%s", msg);
                bad++;
            }
        } else if (k->type == TS_KEY_LIST) {
            int count = *(const int *)cat(obj, k->count_offset);
            for (int e = 0; e < count; e++) {
                char item[220];
                snprintf(item, sizeof item, "%s[%d]", what, e);
                bad += check_count(k->sub, k->n_sub, cat(obj, k->offset + (size_t)e * k->elem_size), item, d);
            }
        }
    }
    return bad;
}

ts_status ts_keys_check(const ts_key *keys, size_t n, const void *obj, const char *section, ts_diags *d)
{
    int bad = check_count(keys, n, obj, section, d);
    return d->oom ? TS_ENOMEM : bad ? TS_EINPUT : TS_OK;
}

static void default_text(const ts_key *k, char *buf, size_t size)
{
    char v[32];
    if (k->required) {
        snprintf(buf, size, "required");
        return;
    }
    switch (k->type) {
    case TS_KEY_NUM:
    case TS_KEY_INT:
    case TS_KEY_INT32:
        if (k->present)
            snprintf(buf, size, "absent");
        else {
            ts_fmt_double(k->def, v);
            snprintf(buf, size, "%s", v);
        }
        break;
    case TS_KEY_BOOL: snprintf(buf, size, "%s", k->def != 0.0 ? "true" : "false"); break;
    case TS_KEY_ENUM: snprintf(buf, size, "%s", k->names[(int)k->def]); break;
    default: snprintf(buf, size, "%s", "see below"); break;
    }
}

void ts_keys_markdown(const ts_key *keys, size_t n, const char *prefix, ts_buf *b)
{
    if (!prefix || !*prefix)
        ts_buf_puts(b, "| key | type and bounds | default | meaning |\n|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const ts_key *k = &keys[i];
        if (k->type == TS_KEY_SKIP)
            continue;
        char name[200], expect[160], def[64];
        snprintf(name, sizeof name, "%s%s", prefix ? prefix : "", k->name);
        ts_key_expect(k, expect, sizeof expect);
        default_text(k, def, sizeof def);
        if (k->type == TS_KEY_SECTION || k->type == TS_KEY_LIST) {
            char sub[220];
            snprintf(sub, sizeof sub, "%s%s.", name, k->type == TS_KEY_LIST ? "[]" : "");
            ts_buf_printf(b, "| `%s` | %s | %s | %s |\n", name, expect, "", k->doc ? k->doc : "");
            ts_keys_markdown(k->sub, k->n_sub, sub, b);
            continue;
        }
        ts_buf_printf(b, "| `%s` | %s | %s | %s |\n", name, expect, def, k->doc ? k->doc : "");
    }
}

void ts_keys_yaml(const ts_key *keys, size_t n, const void *obj, int indent, ts_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        const ts_key *k = &keys[i];
        if (k->type == TS_KEY_SKIP || k->type == TS_KEY_STR)
            continue;
        if (k->present && !*(const int *)cat(obj, k->present - 1))
            continue;
        ts_buf_printf(b, "%*s%s:", indent, "", k->name);
        switch (k->type) {
        case TS_KEY_NUM:
        case TS_KEY_INT:
        case TS_KEY_INT32:
            ts_buf_putc(b, ' ');
            if (k->type == TS_KEY_NUM)
                ts_buf_double(b, *(const double *)cat(obj, k->offset));
            else
                ts_buf_int(b, (int64_t)value_of(k, obj));
            ts_buf_putc(b, '\n');
            break;
        case TS_KEY_BOOL: ts_buf_printf(b, " %s\n", *(const int *)cat(obj, k->offset) ? "true" : "false"); break;
        case TS_KEY_ENUM: ts_buf_printf(b, " %s\n", k->names[*(const int *)cat(obj, k->offset)]); break;
        case TS_KEY_SECTION:
            ts_buf_putc(b, '\n');
            ts_keys_yaml(k->sub, k->n_sub, cat(obj, k->offset), indent + 2, b);
            break;
        case TS_KEY_LIST: {
            int count = *(const int *)cat(obj, k->count_offset);
            ts_buf_puts(b, count ? "\n" : " []\n");
            for (int e = 0; e < count; e++) {
                ts_buf_printf(b, "%*s-\n", indent + 2, "");
                ts_keys_yaml(k->sub, k->n_sub, cat(obj, k->offset + (size_t)e * k->elem_size), indent + 4, b);
            }
            break;
        }
        default: break;
        }
    }
}

/* Levenshtein distance of a and b (short strings), capped at 99. */
size_t ts_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

size_t ts_near_limit(const char *name)
{
    size_t len = strlen(name);
    return (len / 3 > 2 ? len / 3 : 2) + 1;
}

void ts_keys_unknown(const ts_key *keys, size_t n, const char *section, const char *key, char *buf, size_t size)
{
    const char *best = NULL;
    size_t best_d = 99;
    for (size_t i = 0; i < n; i++) {
        size_t dist = ts_edit_distance(key, keys[i].name);
        if (dist < best_d) {
            best_d = dist;
            best = keys[i].name;
        }
    }
    size_t close = ts_near_limit(key) - 1;
    size_t at = (size_t)snprintf(buf, size, "unknown key %s.%s (", section, key);
    if (best && best_d <= close && at < size)
        at += (size_t)snprintf(buf + at, size - at, "did you mean %s.%s? ", section, best);
    if (at < size)
        at += (size_t)snprintf(buf + at, size - at, "expected one of: ");
    for (size_t i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", keys[i].name);
    if (at < size)
        snprintf(buf + at, size - at, ")");
}

int ts_key_fraction_hint(const ts_key *k, double v, char *buf, size_t size)
{
    size_t len = strlen(k->name);
    int percent = (len > 4 && !strcmp(k->name + len - 4, "_pct")) ||
                  (len > 11 && !strcmp(k->name + len - 11, "_percentile"));
    if (!percent || k->type != TS_KEY_NUM || !((k->bounds & TS_HI) && k->hi > 1) || !(v > 0 && v <= 1))
        return 0;
    snprintf(buf, size, "looks like a fraction; did you mean %.12g?", v * 100);
    return 1;
}

int ts_keys_number(const ts_key *keys, size_t n, const void *obj, const char *path, double *out)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    for (size_t i = 0; i < n; i++) {
        const ts_key *k = &keys[i];
        if (strlen(k->name) != len || strncmp(k->name, path, len) != 0)
            continue;
        const char *at = (const char *)obj + k->offset;
        if (dot)
            return k->type == TS_KEY_SECTION && ts_keys_number(k->sub, k->n_sub, at, dot + 1, out);
        switch (k->type) {
        case TS_KEY_NUM: memcpy(out, at, sizeof(double)); return 1;
        case TS_KEY_INT: { int64_t v; memcpy(&v, at, sizeof v); *out = (double)v; return 1; }
        case TS_KEY_INT32: { int32_t v; memcpy(&v, at, sizeof v); *out = (double)v; return 1; }
        case TS_KEY_BOOL: { int v; memcpy(&v, at, sizeof v); *out = (double)v; return 1; }
        default: return 0;
        }
    }
    return 0;
}
