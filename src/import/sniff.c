/*
 * sniff.c — a trace's format from its first line (ts_trace_sniff in
 * tapscale_io.h): the presets by the columns or fields only they have.
 *
 *   a CSV header                     TIMESTAMP, ContextTokens, GeneratedTokens  azure
 *                                    Timestamp, Model, Request tokens,
 *                                    Response tokens                            burstgpt
 *                                    model, hour_offset | window_offset_s,
 *                                    input_tokens_est | input_tokens            servegen
 *                                    timestamp | timestamp_ms, input_length,
 *                                    output_length                              mooncake (CSV)
 *   JSON with "resultType"           a Prometheus query_range result            prometheus
 *   a JSON object a line             timestamp, input_length, output_length     mooncake
 * Anything else is a request log whose fields the user names (csv, jsonl).
 */
#include "tapscale_io.h"

#include <stdio.h>
#include <string.h>

/* The bytes read of a file's start: its first line, and enough of a
 * Prometheus result to see "resultType". */
#define HEAD_BYTES 65536

typedef struct preset {
    ts_trace_format format;
    const char *name;
    const char *const need[4][3]; /* every row: one of its names (NULL ends) */
    const char *shown;            /* the columns, for messages */
} preset;

static const preset csv_presets[] = {
    {TS_TRACE_AZURE, "azure", {{"TIMESTAMP"}, {"ContextTokens"}, {"GeneratedTokens"}}, "TIMESTAMP,ContextTokens,GeneratedTokens"},
    {TS_TRACE_BURSTGPT, "burstgpt", {{"Timestamp"}, {"Model"}, {"Request tokens"}, {"Response tokens"}},
     "Timestamp,Model,Request tokens,Response tokens"},
    {TS_TRACE_SERVEGEN, "servegen",
     {{"model"}, {"hour_offset", "window_offset_s", "offset_s"}, {"input_tokens_est", "input_tokens"},
      {"output_tokens_est", "output_tokens"}},
     "model,hour_offset,input_tokens_est,output_tokens_est"},
    {TS_TRACE_MOONCAKE, "mooncake", {{"timestamp", "timestamp_ms"}, {"input_length"}, {"output_length"}},
     "timestamp,input_length,output_length"},
};

/* Whether the header line (len bytes) has the column name, quotes and
 * spaces around a column aside. */
static bool has_column(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (size_t at = 0; at <= len;) {
        size_t end = at;
        while (end < len && line[end] != ',')
            end++;
        size_t a = at, b = end;
        while (a < b && (line[a] == ' ' || line[a] == '"'))
            a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '"' || line[b - 1] == '\r'))
            b--;
        if (b - a == n && !memcmp(line + a, name, n))
            return true;
        at = end + 1;
    }
    return false;
}

static bool matches(const preset *p, const char *line, size_t len)
{
    for (int r = 0; r < 4 && p->need[r][0]; r++) {
        bool any = false;
        for (int k = 0; k < 3 && p->need[r][k] && !any; k++)
            any = has_column(line, len, p->need[r][k]);
        if (!any)
            return false;
    }
    return true;
}

ts_status ts_trace_sniff(const char *path, ts_trace_format *out, char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, size, "cannot read the file (expected a readable trace file)");
        return TS_EINPUT;
    }
    char head[HEAD_BYTES + 1];
    size_t len = fread(head, 1, HEAD_BYTES, f);
    fclose(f);
    head[len] = '\0';
    size_t lead = 0;
    while (lead < len && (head[lead] == ' ' || head[lead] == '\t' || head[lead] == '\r' || head[lead] == '\n'))
        lead++;
    const char *line = head + lead;
    const char *eol = memchr(line, '\n', len - lead);
    size_t n = eol ? (size_t)(eol - line) : len - lead;
    if (n > 0 && line[n - 1] == '\r')
        n--;
    if (lead == len) {
        snprintf(why, size, "the file is empty (expected a trace)");
        return TS_EINPUT;
    }
    if (*line == '{') {
        if (strstr(head, "\"resultType\"")) {
            *out = TS_TRACE_PROMETHEUS;
            snprintf(why, size, "a Prometheus query_range result (\"resultType\")");
            return TS_OK;
        }
        if (strstr(line, "\"timestamp\"") && strstr(line, "\"input_length\"") && strstr(line, "\"output_length\"") &&
            (!eol || strstr(line, "\"timestamp\"") < eol)) {
            *out = TS_TRACE_MOONCAKE;
            snprintf(why, size, "JSON Lines with Mooncake's fields timestamp, input_length, output_length");
            return TS_OK;
        }
        *out = TS_TRACE_JSONL;
        snprintf(why, size, "JSON Lines of no preset's fields");
        return TS_OK;
    }
    int found = -1, count = 0;
    char names[200] = "";
    for (size_t i = 0; i < sizeof csv_presets / sizeof csv_presets[0]; i++)
        if (matches(&csv_presets[i], line, n)) {
            size_t at = strlen(names);
            snprintf(names + at, sizeof names - at, "%s%s", count ? ", " : "", csv_presets[i].name);
            found = (int)i;
            count++;
        }
    if (count > 1) {
        snprintf(why, size, "the header %.*s fits the presets %s (expected --format to say which)", (int)(n < 200 ? n : 200),
                 line, names);
        return TS_EINPUT;
    }
    if (count == 1) {
        *out = csv_presets[found].format;
        snprintf(why, size, "its header %.*s", (int)(n < 200 ? n : 200), line);
        return TS_OK;
    }
    *out = TS_TRACE_CSV;
    snprintf(why, size, "a CSV header of no preset's columns: %.*s", (int)(n < 200 ? n : 200), line);
    return TS_OK;
}

void ts_trace_presets_text(char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof csv_presets / sizeof csv_presets[0] && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s (%s)", i ? ", " : "", csv_presets[i].name, csv_presets[i].shown);
}
