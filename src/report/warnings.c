/*
 * warnings.c — the warnings of a run for the summaries; see warnings.h.
 */
#include "report/warnings.h"
#include "util/strbuf.h"

#include <string.h>

size_t ts_report_warnings(const ts_inputs *in, const ts_plan *p, const char *first, const char *sep, int json,
                          ts_buf *b)
{
    const ts_diags *lists[] = {&in->warnings, &p->warnings};
    size_t written = 0;
    char line[2048], earlier[2048];
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            ts_diag_format(&lists[l]->items[i], line, sizeof line);
            int seen = 0;
            for (int m = 0; m <= l && !seen; m++)
                for (size_t j = 0; j < (m < l ? lists[m]->n : i) && !seen; j++)
                    seen = !strcmp(ts_diag_format(&lists[m]->items[j], earlier, sizeof earlier), line);
            if (seen)
                continue;
            ts_buf_puts(b, written ? sep : first);
            if (json) {
                ts_buf_json_string(b, line);
            } else {
                ts_buf_puts(b, line);
                ts_buf_putc(b, '\n');
            }
            written++;
        }
    return written;
}
