/*
 * fuzz_trace.c — libFuzzer target of `tapscale trace`: the first byte of
 * an input picks the format (and --counter for Prometheus), the rest is
 * the trace file. Memory errors, undefined behaviour and leaks are the
 * findings.
 */
#include "tapscale.h"
#include "tapscale_io.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(path, sizeof path, "/tmp/tapscale-fuzz-trace-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    return 0;
}

static const ts_trace_format formats[] = {
    TS_TRACE_AZURE, TS_TRACE_SERVEGEN, TS_TRACE_MOONCAKE, TS_TRACE_BURSTGPT,
    TS_TRACE_CSV,   TS_TRACE_JSONL,    TS_TRACE_PROMETHEUS,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
        abort();
    fclose(f);
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    size_t nf = sizeof formats / sizeof formats[0];
    o.format = formats[data[0] % nf];
    o.counter = (data[0] / nf) & 1;
    o.tokens = TS_TOKENS_OUTPUT;
    o.interval_s = (data[0] & 0x80) ? 1 : 60;
    o.scale = 1.0;
    o.model = "m";
    o.has_start = (data[0] & 0x40) != 0;
    o.start = 1735689600;
    o.header = 1;
    o.time_field = "t";
    o.time_unit = TS_TIME_S;
    o.tokens_field = "tokens";
    o.model_field = (data[0] & 0x20) ? "model" : NULL;
    o.label = "model_name";
    ts_buf out;
    ts_buf_init(&out);
    ts_diags d;
    ts_diags_init(&d);
    ts_trace_import(path, &o, &out, &d);
    ts_buf_free(&out);
    ts_diags_free(&d);
    return 0;
}
