/*
 * cmd_settings.c — `tapscale settings`: every setting with its bounds,
 * default and meaning, as Markdown.
 */
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"

#include <stdio.h>

int cmd_settings(const cli_args *a)
{
    (void)a;
    ts_buf b;
    ts_buf_init(&b);
    ts_render_settings_md(&b);
    int rc = 0;
    if (b.oom) {
        cli_msg("out of memory");
        rc = cli_exit_code(TS_ENOMEM);
    } else {
        fputs(b.data ? b.data : "", stdout);
    }
    ts_buf_free(&b);
    return rc;
}
