/*
 * test_alloc_failure.c — every allocation of a whole command fails cleanly
 * (SQLite's way). Built only with TAPSCALE_FAULT_INJECTION (the sanitizer
 * build of scripts/setup.sh --tests): the tool then counts the library's
 * allocations and fails the one TAPSCALE_FAIL_ALLOC=n names.
 *
 * For n = 1, 2, ... each test runs a command on the bundled example with
 * the n-th allocation failing, until a run needs fewer than n allocations
 * and succeeds. Every failing run must exit 3 with "out of memory" on
 * stderr, leave the output folder exactly as it was (a complete earlier
 * output), leave no temporary folder behind, and leak nothing
 * (LeakSanitizer would end the run with another exit code).
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef TAPSCALE_CLI
#define TAPSCALE_CLI "tapscale"
#endif
#ifndef EXAMPLES_DIR
#define EXAMPLES_DIR "examples"
#endif

/* Runs the tool with argv and the n-th allocation failing (0: none);
 * stderr goes to err_path. Returns the exit code, or 128 + signal. */
static int run_tool(char *const *argv, long n, const char *err_path)
{
    char fail[64];
    snprintf(fail, sizeof fail, "TAPSCALE_FAIL_ALLOC=%ld", n);
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = calloc(ne + 3, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "TAPSCALE_FAIL_ALLOC=", 20) != 0 && strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0)
            env[k++] = environ[i];
    env[k++] = fail;
    env[k++] = "ASAN_OPTIONS=detect_leaks=1:exitcode=86";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, TAPSCALE_CLI, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    assert_int_equal(rc, 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The folder's file names and contents, as one string (caller frees). */
static char *snapshot(const char *dir)
{
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.' || strlen(names[i]->d_name) > 2) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            fprintf(m, "== %s\n", names[i]->d_name);
            FILE *f = fopen(path, "rb");
            if (f) {
                int c;
                while ((c = fgetc(f)) != EOF)
                    fputc(c, m);
                fclose(f);
            }
        }
        free(names[i]);
    }
    free(names);
    fclose(m);
    return out;
}

static int file_contains(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

/* Fails allocation 1, 2, ... of the command until it succeeds; the output
 * folder out holds a complete earlier output all along. */
static void every_allocation_fails_cleanly(char *const *argv, const char *out)
{
    char err_path[4200];
    snprintf(err_path, sizeof err_path, "%s.stderr", out);
    assert_int_equal(run_tool(argv, 0, err_path), 0); /* the earlier output */
    char *before = snapshot(out);
    long n = 1;
    for (;; n++) {
        int code = run_tool(argv, n, err_path);
        if (code == 0)
            break;
        if (code != 3 || !file_contains(err_path, "tapscale: out of memory")) {
            char cmd[4300];
            snprintf(cmd, sizeof cmd, "cat %s >&2", err_path);
            fprintf(stderr, "allocation %ld failed: exit %d, stderr:\n", n, code);
            (void)system(cmd);
            fail();
        }
        char *now = snapshot(out);
        if (strcmp(before, now) != 0) {
            fprintf(stderr, "allocation %ld failed: the output folder changed\n", n);
            fail();
        }
        free(now);
    }
    fprintf(stderr, "  %ld allocations failed one by one, each cleanly\n", n - 1);
    assert_true(n > 20); /* the hook is live: a run allocates */
    free(before);
    unlink(err_path);
}

/* Runs one command (its words after "tapscale", NULL-terminated) with the
 * output folder in a fresh temporary folder. */
static void command_fails_cleanly(const char *const *words)
{
    char *dir = tu_tmpdir();
    char out[4096];
    snprintf(out, sizeof out, "%s/out", dir);
    char *argv[16] = {"tapscale"};
    int n = 1;
    for (; *words; words++)
        argv[n++] = (char *)*words;
    char *tail[] = {"--out", out, "--threads", "1", "--quiet"};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
        argv[n++] = tail[i];
    argv[n] = NULL;
    every_allocation_fails_cleanly(argv, out);
    tu_rmrf(dir);
    free(dir);
}

static void test_run(void **state)
{
    (void)state;
    const char *words[] = {"run", "--inputs", EXAMPLES_DIR "/origin", NULL};
    command_fails_cleanly(words);
}

static void test_compare(void **state)
{
    (void)state;
    const char *words[] = {"compare", "--inputs", EXAMPLES_DIR "/azure", NULL};
    command_fails_cleanly(words);
}

static void test_simulate_timeline(void **state)
{
    (void)state;
    const char *words[] = {"simulate", "--inputs", EXAMPLES_DIR "/azure", "--timeline", NULL};
    command_fails_cleanly(words);
}

static void test_tune(void **state)
{
    (void)state;
    const char *words[] = {"tune", "--inputs", EXAMPLES_DIR "/azure", "--policy", "hpa", "--max-violation-minutes", "3",
                           NULL};
    command_fails_cleanly(words);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tune),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_simulate_timeline),
    };
    return cmocka_run_group_tests_name("alloc_failure", tests, NULL, NULL);
}
