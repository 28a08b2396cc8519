/*
 * man.c — the manual page tapscale(1), in roff, from the help texts the
 * tool prints (cli_help): --help and the man page have one source.
 */
#include "args.h"

#include "tapscale.h"

#include <stdio.h>
#include <string.h>

/* Writes text as lines of a no-fill block: a roff request character at
 * a line's start is made text (\&), backslashes and hyphens escaped. */
static void roff_block(FILE *f, const char *text)
{
    fputs(".nf\n", f);
    int at_start = 1;
    for (const char *p = text; *p; p++) {
        if (at_start && (*p == '.' || *p == '\''))
            fputs("\\&", f);
        if (*p == '\\')
            fputs("\\e", f);
        else if (*p == '-')
            fputs("\\-", f);
        else
            fputc(*p, f);
        at_start = *p == '\n';
    }
    if (!at_start)
        fputc('\n', f);
    fputs(".fi\n", f);
}

void cli_man(FILE *f)
{
    fprintf(f, ".TH TAPSCALE 1 \"\" \"tapscale %s\" \"User Commands\"\n", ts_version());
    fputs(".SH NAME\ntapscale \\- capacity planner and autoscaler simulator for LLM inference GPU pools\n"
          ".SH SYNOPSIS\n.B tapscale\n.I COMMAND\n.RI [ OPTIONS ]\n.br\n.B tapscale\n.I COMMAND\n.B \\-\\-help\n"
          ".SH DESCRIPTION\n",
          f);
    const char *top = cli_help(CMD_NONE);
    const char *body = strchr(top, '\n'); /* past its Usage: line, which SYNOPSIS gives */
    body = body ? body + 1 : top;
    while (*body == '\n')
        body++;
    roff_block(f, body);
    fputs(".SH COMMANDS\n", f);
    for (int c = CMD_NONE + 1; cli_command_name((cli_command)c); c++) {
        fprintf(f, ".SS %s\n", cli_command_name((cli_command)c));
        roff_block(f, cli_help((cli_command)c));
    }
    fputs(".SH EXIT STATUS\n.TP\n0\nsuccess; for run: accepted (every rule PASS or WARN)\n.TP\n1\nrun: acceptance "
          "failed (some rule FAIL); tune, advise: some pool has no setting or way that meets the service level\n.TP\n2\n"
          "invalid input or usage; nothing was written\n.TP\n3\nruntime error (I/O, memory); the output folder is left "
          "as it was\n"
          ".SH SEE ALSO\nThe project's README.md (the two commands, the quick start) and the settings tables of "
          "\\fBtapscale settings\\fR.\n",
          f);
}
