/*
 * main.c — the tapscale command-line tool: a client of tapscale.h and
 * tapscale_io.h only. It owns everything the user sees: messages go through
 * messages.c ("tapscale: ..."), results to stdout, exit codes per status.
 */
#include "tapscale.h"
#include "args.h"
#include "commands.h"
#include "messages.h"

#include <stdio.h>

/* The command of each cli_command. */
static int (*const run[])(const cli_args *) = {
    [CMD_PLAN] = cmd_pipeline, [CMD_SIMULATE] = cmd_pipeline, [CMD_RUN] = cmd_pipeline,
    [CMD_TRACE] = cmd_trace,   [CMD_COMPARE] = cmd_compare,   [CMD_SETTINGS] = cmd_settings,
    [CMD_TUNE] = cmd_tune,     [CMD_ADVISE] = cmd_advise,
};

int main(int argc, char **argv)
{
    cli_args a;
    if (cli_parse(argc, argv, &a) != TS_OK)
        return cli_exit_code(TS_EINPUT);
    if (a.version) {
        printf("tapscale %s\n", ts_version());
        return 0;
    }
    if (a.man) {
        cli_man(stdout);
        return 0;
    }
    if (a.help) {
        fputs(cli_help(a.cmd), stdout);
        return 0;
    }
    if (a.cmd == CMD_NONE || !run[a.cmd]) {
        fputs(cli_help(CMD_NONE), stderr);
        return cli_exit_code(TS_EINPUT);
    }
    return run[a.cmd](&a);
}
