/*
 * test_alloc_failure.c — every allocation of a whole command fails cleanly
 * (SQLite's way). Built only with TAPSCALE_FAULT_INJECTION (the sanitizer
 * build of scripts/setup.sh --tests): the tool then counts the library's
 * allocations and fails the one TAPSCALE_FAIL_ALLOC=n names.
 *
 * Each test runs a command on a bundled example once to list where each of
 * its allocations comes from (its call stack), then again with allocation
 * n failing, for the first two allocations of every call stack by default
 * (a new array and its first growth) and for every n with
 * TAPSCALE_ALLOC_FULL=1 (scripts/test.sh --full), SLOTS (four) runs at a time.
 * Every failing run must exit 3 with "out of memory" on stderr, leave the
 * output folder exactly as it was (a complete earlier output), leave no
 * temporary folder behind, and leak nothing (LeakSanitizer would end the
 * run with another exit code); one allocation past the last, the run
 * completes.
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
#ifndef MANIFEST
#define MANIFEST "tests/fixtures/manifests/hpa.yaml"
#endif

/* Starts the tool with argv and the n-th allocation failing (0: none);
 * with sites, it lists every allocation's site there
 * (TAPSCALE_ALLOC_SITES); stderr goes to err_path. Returns its pid. */
static pid_t start_tool(char *const *argv, long n, const char *sites, const char *err_path)
{
    char fail[64], site_var[4200];
    snprintf(fail, sizeof fail, "TAPSCALE_FAIL_ALLOC=%ld", n);
    snprintf(site_var, sizeof site_var, "TAPSCALE_ALLOC_SITES=%s", sites ? sites : "");
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = calloc(ne + 4, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "TAPSCALE_FAIL_ALLOC=", 20) != 0 && strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0 &&
            strncmp(environ[i], "TAPSCALE_ALLOC_SITES=", 21) != 0)
            env[k++] = environ[i];
    env[k++] = fail;
    env[k++] = "ASAN_OPTIONS=detect_leaks=1:exitcode=86";
    if (sites)
        env[k++] = site_var;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, TAPSCALE_CLI, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    assert_int_equal(rc, 0);
    return pid;
}

/* Waits for pid. Returns its exit code, or 128 + signal. */
static int wait_tool(pid_t pid)
{
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

/* How many times a site's allocations are failed by default: its first
 * (a new array) and its second (the first growth of a filled one). */
#define CALLS_PER_SITE 2
#define MAX_CALLS 100000

/* The allocations to fail, from a run that listed every allocation's site
 * in the file sites: all of them with TAPSCALE_ALLOC_FULL, else the first
 * per_site of each site. Returns their count (into pick, ascending)
 * and the run's total in *total. */
static size_t choose(const char *sites, int full, int per_site, long *pick, long *total)
{
    FILE *f = fopen(sites, "r");
    assert_non_null(f);
    static char seen_site[MAX_CALLS][17];
    long n;
    char site[32];
    size_t k = 0, n_sites = 0;
    *total = 0;
    while (fscanf(f, "%ld %31s", &n, site) == 2) {
        assert_true(n == *total + 1 && n < MAX_CALLS);
        *total = n;
        int times = 0;
        for (size_t i = 0; i < n_sites; i++)
            times += strcmp(seen_site[i], site) == 0;
        if (full || times < per_site)
            pick[k++] = n;
        if (times < per_site)
            snprintf(seen_site[n_sites++], sizeof seen_site[0], "%.16s", site);
    }
    fclose(f);
    return k;
}

/* One of the two runs under way at once: its output folder (a complete
 * earlier output, compared after every failed run) and stderr. */
typedef struct slot {
    char out[4096];
    char err[4200];
    char *argv[20];
    char *before;
    pid_t pid;
    long n;
} slot;

/* Runs under way at once: four on two cores, as a run of the sanitizer
 * build spends much of its time starting and in the kernel (mapping its
 * shadow memory), which the others fill. */
#define SLOTS 4

static int any_running(const slot *s)
{
    for (int i = 0; i < SLOTS; i++)
        if (s[i].pid)
            return 1;
    return 0;
}

/* Checks the ended run of s: exit 3, "out of memory", folder unchanged. */
static void check_failed_run(slot *s, int code)
{
    if (code != 3 || !file_contains(s->err, "tapscale: out of memory")) {
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "cat %s >&2", s->err);
        fprintf(stderr, "allocation %ld failed: exit %d, stderr:\n", s->n, code);
        (void)system(cmd);
        fail();
    }
    char *now = snapshot(s->out);
    if (strcmp(s->before, now) != 0) {
        fprintf(stderr, "allocation %ld failed: the output folder changed\n", s->n);
        fail();
    }
    free(now);
}

/* Fails the chosen allocations of the command argv (its --out is each
 * slot's folder), SLOTS runs at a time: each must fail cleanly up to the
 * first whose run completes (its output committed, what follows may fail
 * quietly); a later one may complete or fail cleanly. A run with one
 * allocation more than the command makes must succeed. SLOTS runs at a
 * time. */
static void every_allocation_fails_cleanly(char *const *argv, const char *dir, int per_site)
{
    slot s[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
        snprintf(s[i].out, sizeof s[i].out, "%s/out%d", dir, i);
        snprintf(s[i].err, sizeof s[i].err, "%s/err%d", dir, i);
        int k = 0;
        for (; argv[k]; k++)
            s[i].argv[k] = strcmp(argv[k], "OUT") == 0 ? s[i].out : argv[k];
        s[i].argv[k] = NULL;
        assert_int_equal(wait_tool(start_tool(s[i].argv, 0, NULL, s[i].err)), 0); /* the earlier output */
        s[i].before = snapshot(s[i].out);
        s[i].pid = 0;
    }
    char sites[4200];
    snprintf(sites, sizeof sites, "%s/sites", dir);
    assert_int_equal(wait_tool(start_tool(s[0].argv, 0, sites, s[0].err)), 0);
    static long pick[MAX_CALLS];
    long total;
    size_t n_pick = choose(sites, getenv("TAPSCALE_ALLOC_FULL") != NULL, per_site, pick, &total);
    assert_true(total > 20); /* the hook is live: a run allocates */
    long end = total + 1; /* the first allocation whose failure the run survives */
    for (size_t next = 0; next < n_pick || any_running(s);) {
        for (int i = 0; i < SLOTS; i++)
            if (!s[i].pid && next < n_pick) {
                s[i].n = pick[next++];
                s[i].pid = start_tool(s[i].argv, s[i].n, NULL, s[i].err);
            }
        for (int i = 0; i < SLOTS; i++)
            if (s[i].pid) {
                int code = wait_tool(s[i].pid);
                s[i].pid = 0;
                if (code != 0) {
                    check_failed_run(&s[i], code);
                    continue;
                }
                /* it completed: its output is the command's, whole */
                char *now = snapshot(s[i].out);
                if (strcmp(s[i].before, now) != 0) {
                    fprintf(stderr, "allocation %ld failed, the run completed with another output\n", s[i].n);
                    fail();
                }
                free(now);
                if (s[i].n < end)
                    end = s[i].n; /* committed: later allocations may fail quietly */
            }
    }
    /* past the last allocation nothing fails: the run completes */
    assert_int_equal(wait_tool(start_tool(s[0].argv, total + 1, NULL, s[0].err)), 0);
    size_t failed = 0;
    while (failed < n_pick && pick[failed] < end)
        failed++;
    fprintf(stderr, "  %zu of %ld allocations failed one by one, each cleanly\n", failed, end < total ? end - 1 : total);
    for (int i = 0; i < SLOTS; i++)
        free(s[i].before);
}

/* Runs one command (its words after "tapscale") with its output folders
 * in a fresh temporary folder, failing the first per_site calls of each
 * site (TAPSCALE_ALLOC_FULL: every call). */
static void command_fails_cleanly_per_site(const char *const *words, int per_site)
{
    char *dir = tu_tmpdir();
    char *argv[20] = {"tapscale"};
    int n = 1;
    for (; *words; words++)
        argv[n++] = (char *)*words;
    char *tail[] = {"--out", "OUT", "--threads", "1", "--quiet"};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
        argv[n++] = tail[i];
    argv[n] = NULL;
    every_allocation_fails_cleanly(argv, dir, per_site);
    tu_rmrf(dir);
    free(dir);
}

static void command_fails_cleanly(const char *const *words)
{
    command_fails_cleanly_per_site(words, CALLS_PER_SITE);
}

static void test_run(void **state)
{
    (void)state;
    const char *words[] = {"run", "--inputs", EXAMPLES_DIR "/origin", NULL};
    command_fails_cleanly(words);
}

/* The latency profiles (three tools' files), the SLO's plan and the
 * latency KPIs. */
static void test_simulate_latency(void **state)
{
    (void)state;
    const char *words[] = {"simulate", "--inputs", EXAMPLES_DIR "/../tests/fixtures/latency", NULL};
    command_fails_cleanly(words);
}

static void test_plan_with_manifest(void **state)
{
    (void)state;
    const char *words[] = {"plan", "--inputs", EXAMPLES_DIR "/origin", "--manifest", MANIFEST, NULL};
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

/* Copies the hand fixture's file rel into dir. */
static void copy_hand(const char *dir, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/../tests/fixtures/hand/%s", EXAMPLES_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    tu_write(dir, rel, text);
}

static void test_advise(void **state)
{
    (void)state;
    /* the hand fixture over two days (a fixed-fleet winner, a schedule
     * winner written as cron triggers, every policy's search), small
     * enough that each of its runs under the sanitizers is quick */
    char *in = tu_tmpdir();
    copy_hand(in, "operator/public_tap.yaml");
    copy_hand(in, "operator/curated_gpu.csv");
    copy_hand(in, "facts/tps_model_gpu.csv");
    tu_write(in, "operator/demand.yaml",
             "start: 2025-01-01T00:00:00Z\nhorizon_hours: 48\nnoise_pct: 0\nmodels:\n  m1: {tokens_per_month: 7.2e9, profile: uniform}\n"
             "  m2: {tokens_per_month: 1.44e10, profile: diurnal, amplitude: 0.5, peak_hour: 15}\n");
    const char *words[] = {"advise", "--inputs", in, "--budget", "5", "--export", "keda", NULL};
    /* the first call of each site: the loading and the simulations it
     * shares with run and tune are failed twice there */
    command_fails_cleanly_per_site(words, 1);
    tu_rmrf(in);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tune),
        cmocka_unit_test(test_advise),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_plan_with_manifest),
        cmocka_unit_test(test_simulate_timeline),
        cmocka_unit_test(test_simulate_latency),
    };
    return cmocka_run_group_tests_name("alloc_failure", tests, NULL, NULL);
}
