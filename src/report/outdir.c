/*
 * outdir.c — atomic output folder; see outdir.h.
 */
#include "report/outdir.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ts_outdir {
    char *dir;
    char *tmp;
    int created_dir;     /* dir did not exist before */
    char **names;
    char (*sums)[65];
    size_t n;
    int committed;
};

/* mkdir -p; records whether the last component was created. */
static int make_dirs(const char *path, int *created)
{
    char *p = ts_strdup(path);
    if (!p)
        return ENOMEM;
    *created = 0;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            return e;
        }
        *s = '/';
    }
    int rc = 0;
    if (mkdir(p, 0777) == 0)
        *created = 1;
    else if (errno != EEXIST)
        rc = errno;
    else {
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            rc = ENOTDIR;
    }
    free(p);
    return rc;
}

ts_status ts_outdir_open(const char *dir, ts_outdir **out, ts_diags *d)
{
    *out = NULL;
    ts_outdir *o = calloc(1, sizeof *o);
    if (!o) {
        d->oom = 1;
        return TS_ERUNTIME;
    }
    o->dir = ts_strdup(dir);
    if (!o->dir) {
        free(o);
        d->oom = 1;
        return TS_ERUNTIME;
    }
    int e = make_dirs(dir, &o->created_dir);
    if (e) {
        ts_err(d, dir, 0, 0, "cannot create the output folder: %s (expected a writable folder)", strerror(e));
        ts_outdir_free(o);
        return TS_ERUNTIME;
    }
    o->tmp = ts_path_join(dir, ".tapscale-tmp-XXXXXX");
    if (!o->tmp || !mkdtemp(o->tmp)) {
        ts_err(d, dir, 0, 0, "cannot create a temporary folder in the output folder: %s (expected a writable folder)",
               strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        ts_outdir_free(o);
        return TS_ERUNTIME;
    }
    *out = o;
    return TS_OK;
}

ts_status ts_outdir_put(ts_outdir *o, const char *name, const ts_buf *content, ts_diags *d)
{
    if (content->oom) {
        d->oom = 1;
        return TS_ERUNTIME;
    }
    char *path = ts_path_join(o->tmp, name);
    char **names = realloc(o->names, (o->n + 1) * sizeof *names);
    if (names)
        o->names = names;
    char(*sums)[65] = realloc(o->sums, (o->n + 1) * sizeof *sums);
    if (sums)
        o->sums = sums;
    if (!path || !names || !sums) {
        free(path);
        d->oom = 1;
        return TS_ERUNTIME;
    }
    FILE *f = fopen(path, "wb");
    int ok = f != NULL;
    if (ok && content->len)
        ok = fwrite(content->data, 1, content->len, f) == content->len;
    if (f) {
        ok = fflush(f) == 0 && ok;
        ok = fsync(fileno(f)) == 0 && ok;
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        ts_err(d, path, 0, 0, "cannot write: %s (expected a writable output folder with free space)", strerror(errno));
        unlink(path);
        free(path);
        return TS_ERUNTIME;
    }
    free(path);
    o->names[o->n] = ts_strdup(name);
    if (!o->names[o->n] || ts_sha256_hex(content->data ? content->data : "", content->len, o->sums[o->n]) != 0) {
        free(o->names[o->n]);
        d->oom = 1;
        return TS_ERUNTIME;
    }
    o->n++;
    return TS_OK;
}

void ts_outdir_sums(const ts_outdir *o, ts_buf *b)
{
    for (size_t i = 0; i < o->n; i++)
        ts_buf_printf(b, "%s  %s\n", o->sums[i], o->names[i]);
}

ts_status ts_outdir_commit(ts_outdir *o, ts_diags *d)
{
    for (size_t i = 0; i < o->n; i++) {
        char *from = ts_path_join(o->tmp, o->names[i]);
        char *to = ts_path_join(o->dir, o->names[i]);
        int ok = from && to && rename(from, to) == 0;
        if (!ok)
            ts_err(d, to ? to : o->names[i], 0, 0, "cannot move the output into place: %s", strerror(errno));
        free(from);
        free(to);
        if (!ok)
            return TS_ERUNTIME;
    }
    o->committed = 1;
    rmdir(o->tmp);
    return TS_OK;
}

void ts_outdir_free(ts_outdir *o)
{
    if (!o)
        return;
    if (o->tmp) {
        for (size_t i = 0; i < o->n; i++) {
            char *p = ts_path_join(o->tmp, o->names[i]);
            if (p)
                unlink(p);
            free(p);
        }
        rmdir(o->tmp);
    }
    if (!o->committed && o->created_dir)
        rmdir(o->dir);
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->sums);
    free(o->tmp);
    free(o->dir);
    free(o);
}
