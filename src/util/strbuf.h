/*
 * strbuf.h — appending text to a ts_buf: strings, numbers in the §7 format,
 * CSV fields and JSON strings. Appends never fail loudly: an allocation
 * failure sets the buffer's sticky oom flag, checked once by the caller.
 */
#ifndef TS_UTIL_STRBUF_H
#define TS_UTIL_STRBUF_H

#include "tapscale.h"
#include "util/diag.h"

void ts_buf_reserve(ts_buf *b, size_t extra);
void ts_buf_put(ts_buf *b, const char *s, size_t n);
void ts_buf_puts(ts_buf *b, const char *s);
void ts_buf_putc(ts_buf *b, char c);
void ts_buf_printf(ts_buf *b, const char *fmt, ...) TS_PRINTF(2, 3);
/* A double in the shortest form that reads back to the same value (§7). */
void ts_buf_double(ts_buf *b, double v);
/* Appends the n bytes at data in base64 (RFC 4648, with padding). */
void ts_buf_base64(ts_buf *b, const unsigned char *data, size_t n);
/* Appends the base64 of v[0..n-1] as little-endian IEEE 754 doubles, the
 * bytes of a JavaScript Float64Array on every machine. */
void ts_buf_base64_doubles(ts_buf *b, const double *v, size_t n);
void ts_buf_int(ts_buf *b, int64_t v);
/* A CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
void ts_buf_csv_field(ts_buf *b, const char *s);
/* A JSON string literal with escapes. */
void ts_buf_json_string(ts_buf *b, const char *s);
/* The same, safe inside an HTML <script>: <, > and & escaped as well, so
 * no text can end the script block. */
void ts_buf_json_string_in_script(ts_buf *b, const char *s);

#endif
