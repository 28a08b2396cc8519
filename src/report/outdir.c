/*
 * outdir.c — the output folder (ts_outdir_* in tapscale_io.h): files are
 * written into a temporary folder inside it, each hashed as it is written,
 * and renamed into place together at commit; without a commit the folder is
 * left as it was.
 */
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <openssl/evp.h>
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
    /* the file being written by begin/write/end */
    FILE *cur;
    char *cur_name;
    EVP_MD_CTX *md;
    int cur_failed;
    /* patterns of files tapscale owns in dir */
    const char *own[16];
    size_t n_own;
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
    ts_outdir *o = ts_calloc(1, sizeof *o);
    if (!o) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->dir = ts_strdup(dir);
    if (!o->dir) {
        free(o);
        d->oom = 1;
        return TS_ENOMEM;
    }
    int e = make_dirs(dir, &o->created_dir);
    if (e == ENOMEM) {
        d->oom = 1;
        ts_outdir_free(o);
        return TS_ENOMEM;
    }
    if (e) {
        ts_err(d, dir, 0, 0, "cannot create the output folder: %s (expected a writable folder)", strerror(e));
        ts_outdir_free(o);
        return TS_ERUNTIME;
    }
    o->tmp = ts_path_join(dir, ".tapscale-tmp-XXXXXX");
    if (!o->tmp) {
        d->oom = 1;
        ts_outdir_free(o);
        return TS_ENOMEM;
    }
    if (!mkdtemp(o->tmp)) {
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

static int grow_lists(ts_outdir *o)
{
    char **names = ts_realloc(o->names, (o->n + 1) * sizeof *names);
    if (names)
        o->names = names;
    char(*sums)[65] = ts_realloc(o->sums, (o->n + 1) * sizeof *sums);
    if (sums)
        o->sums = sums;
    return names && sums ? 0 : -1;
}

ts_status ts_outdir_begin(ts_outdir *o, const char *name, ts_diags *d)
{
    char *path = ts_path_join(o->tmp, name);
    o->cur_name = ts_strdup(name);
    o->md = EVP_MD_CTX_new();
    if (!path || !o->cur_name || !o->md || grow_lists(o) != 0 || !EVP_DigestInit_ex(o->md, EVP_sha256(), NULL)) {
        free(path);
        free(o->cur_name);
        o->cur_name = NULL;
        EVP_MD_CTX_free(o->md);
        o->md = NULL;
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->cur = fopen(path, "wb");
    if (!o->cur) {
        ts_err(d, path, 0, 0, "cannot write: %s (expected a writable output folder)", strerror(errno));
        free(path);
        free(o->cur_name);
        o->cur_name = NULL;
        EVP_MD_CTX_free(o->md);
        o->md = NULL;
        return TS_ERUNTIME;
    }
    free(path);
    o->cur_failed = 0;
    return TS_OK;
}

ts_status ts_outdir_write(ts_outdir *o, const char *data, size_t len)
{
    if (!o->cur || o->cur_failed)
        return TS_ERUNTIME;
    if (len && (fwrite(data, 1, len, o->cur) != len || !EVP_DigestUpdate(o->md, data, len))) {
        o->cur_failed = errno ? errno : EIO;
        return TS_ERUNTIME;
    }
    return TS_OK;
}

ts_status ts_outdir_end(ts_outdir *o, ts_diags *d)
{
    if (!o->cur)
        return TS_ERUNTIME;
    int err = o->cur_failed;
    if (fflush(o->cur) != 0 && !err)
        err = errno;
    if (fsync(fileno(o->cur)) != 0 && !err)
        err = errno;
    if (fclose(o->cur) != 0 && !err)
        err = errno;
    o->cur = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int ok = EVP_DigestFinal_ex(o->md, md, &mdlen) && mdlen == 32;
    EVP_MD_CTX_free(o->md);
    o->md = NULL;
    /* the name is recorded even on failure, so free() removes the file */
    o->names[o->n] = o->cur_name;
    o->cur_name = NULL;
    static const char hexd[] = "0123456789abcdef";
    for (unsigned i = 0; ok && i < 32; i++) {
        o->sums[o->n][2 * i] = hexd[md[i] >> 4];
        o->sums[o->n][2 * i + 1] = hexd[md[i] & 15];
    }
    o->sums[o->n][64] = '\0';
    o->n++;
    if (err) {
        ts_err(d, o->names[o->n - 1], 0, 0, "cannot write the output file: %s (expected a writable output folder with free space)",
               strerror(err));
        return TS_ERUNTIME;
    }
    if (!ok) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    return TS_OK;
}

ts_status ts_outdir_put(ts_outdir *o, const char *name, const ts_buf *content, ts_diags *d)
{
    if (content->oom) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    ts_status st = ts_outdir_begin(o, name, d);
    if (st != TS_OK)
        return st;
    ts_outdir_write(o, content->data ? content->data : "", content->len);
    return ts_outdir_end(o, d);
}

void ts_outdir_own(ts_outdir *o, const char *pattern)
{
    if (o->n_own < sizeof o->own / sizeof o->own[0])
        o->own[o->n_own++] = pattern;
}

/* A list of paths, each allocated. */
typedef struct paths {
    char **p;
    size_t n, cap;
} paths;

static void paths_free(paths *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i]);
    free(l->p);
}

/* Appends a/b to l. Returns 0, or -1 when out of memory. */
static int paths_add(paths *l, const char *a, const char *b)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = ts_realloc(l->p, cap * sizeof *p);
        if (!p)
            return -1;
        l->p = p;
        l->cap = cap;
    }
    if (!(l->p[l->n] = ts_path_join(a, b)))
        return -1;
    l->n++;
    return 0;
}

/* The owned files of dir that this run did not write (to remove at
 * commit). Returns 0, or -1 when out of memory. */
static int stale_files(const ts_outdir *o, paths *stale)
{
    DIR *dir = opendir(o->dir);
    if (!dir)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(dir))) {
        int owned = 0;
        for (size_t i = 0; i < o->n_own && !owned; i++)
            owned = fnmatch(o->own[i], e->d_name, 0) == 0;
        for (size_t i = 0; i < o->n && owned; i++)
            owned = strcmp(o->names[i], e->d_name) != 0;
        if (owned)
            rc = paths_add(stale, o->dir, e->d_name);
    }
    closedir(dir);
    return rc;
}

void ts_outdir_sums(const ts_outdir *o, ts_buf *b)
{
    for (size_t i = 0; i < o->n; i++)
        ts_buf_printf(b, "%s  %s\n", o->sums[i], o->names[i]);
}

ts_status ts_outdir_commit(ts_outdir *o, ts_diags *d)
{
    /* everything that allocates happens before the first rename */
    paths from = {0}, to = {0}, stale = {0};
    int ok = 1;
    for (size_t i = 0; ok && i < o->n; i++)
        ok = paths_add(&from, o->tmp, o->names[i]) == 0 && paths_add(&to, o->dir, o->names[i]) == 0;
    if (!ok || stale_files(o, &stale) != 0) {
        paths_free(&from);
        paths_free(&to);
        paths_free(&stale);
        d->oom = 1;
        return TS_ENOMEM;
    }
    ts_status st = TS_OK;
    for (size_t i = 0; i < o->n; i++)
        if (rename(from.p[i], to.p[i]) != 0) {
            ts_err(d, to.p[i], 0, 0, "cannot move the output into place: %s", strerror(errno));
            st = TS_ERUNTIME;
            break;
        }
    if (st == TS_OK) {
        o->committed = 1;
        rmdir(o->tmp);
        for (size_t i = 0; i < stale.n; i++)
            unlink(stale.p[i]);
    }
    paths_free(&from);
    paths_free(&to);
    paths_free(&stale);
    return st;
}

void ts_outdir_free(ts_outdir *o)
{
    if (!o)
        return;
    if (o->cur) {
        fclose(o->cur);
        char *p = ts_path_join(o->tmp, o->cur_name);
        if (p)
            unlink(p);
        free(p);
    }
    free(o->cur_name);
    EVP_MD_CTX_free(o->md);
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
