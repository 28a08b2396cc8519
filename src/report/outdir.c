/*
 * outdir.c — the output folder (ts_outdir_* in tapscale_io.h), replaced
 * whole or not at all.
 *
 * A run writes a complete new folder beside --out (PARENT/.NAME.tapscale-
 * XXXXXX, same file system), each file hashed as it is written, plus the
 * list of the files it wrote (.tapscale-outputs). The commit is one
 * rename(2): of the new folder onto a path that does not exist yet, or
 * renameat2(RENAME_EXCHANGE) of the new folder with the old one; then the
 * old folder's own files are removed. A kill at any point leaves --out as
 * the old complete folder or the new complete folder; what a killed run
 * leaves beside it is a scratch folder that the next run on the same --out
 * removes (a run holds a flock on its own scratch folder, so a live run's
 * is never taken).
 *
 * Files tapscale did not write are never removed: an existing non-empty
 * --out is replaced only when every entry in it is listed in its
 * .tapscale-outputs; otherwise open fails with TS_EINPUT naming the other
 * files (a name is no proof: a user's own SHA256SUMS looks like ours).
 */
#define _GNU_SOURCE
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The list of the files a run wrote, inside its folder. */
#define MARKER ".tapscale-outputs"
#define MARKER_HEAD "# tapscale output folder: the files of one run; the next run replaces the folder whole\n"

struct ts_outdir_file {
    ts_outdir *o;
    FILE *f;
    EVP_MD_CTX *md;
    size_t slot;       /* in o->names and o->sums */
    int failed;        /* errno of the first failed write */
};

struct ts_outdir {
    char *dir;         /* --out, symbolic links resolved */
    char *parent;      /* its folder */
    char *base;        /* its last component */
    char *scratch;     /* the new folder, beside dir */
    int scratch_fd;    /* scratch, open and flock'ed while the run lives */
    int existed;       /* dir existed at open: the commit exchanges */
    char *made;        /* the topmost missing parent open created, or NULL */
    char **names;
    char (*sums)[65];
    size_t n, cap_names, cap_sums;
    int committed;
    pthread_mutex_t lock;       /* names, sums, d and points, for files written in parallel */
    ts_outdir_file *cur;        /* the file of begin/write/end */
    /* fault injection: SIGKILL at this checkpoint (0: never) */
    long kill_at, points;
};

/* A kill point of the kill test (fault-injection builds only). */
static void checkpoint(ts_outdir *o)
{
    o->points++;
    if (o->kill_at && o->points == o->kill_at)
        raise(SIGKILL);
}

/* A list of names, each allocated. */
typedef struct names {
    char **p;
    size_t n, cap;
} names;

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i]);
    free(l->p);
    memset(l, 0, sizeof *l);
}

/* Appends a copy of s. Returns TS_OK, or TS_ENOMEM. */
static ts_status names_add(names *l, const char *s, size_t len)
{
    char **p = ts_grow(l->p, l->n, &l->cap, sizeof *p, 16);
    if (!p)
        return TS_ENOMEM;
    l->p = p;
    char *c = ts_malloc(len + 1);
    if (!c)
        return TS_ENOMEM;
    memcpy(c, s, len);
    c[len] = '\0';
    l->p[l->n++] = c;
    return TS_OK;
}

static int names_has(const names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->p[i], s) == 0)
            return 1;
    return 0;
}

/* The names listed in dir's MARKER into l; *has says whether there is one.
 * Returns TS_OK, or TS_ENOMEM. */
static ts_status read_marker(const char *dir, names *l, int *has)
{
    *has = 0;
    char *p = ts_path_join(dir, MARKER), *data = NULL;
    if (!p)
        return TS_ENOMEM;
    size_t len;
    ts_status e = ts_read_file(p, &data, &len, NULL);
    free(p);
    if (e == TS_ENOMEM)
        return TS_ENOMEM;
    if (e != TS_OK)
        return TS_OK; /* no marker (or none readable): not a folder of tapscale's */
    *has = 1;
    ts_status rc = TS_OK;
    for (char *s = data; rc == TS_OK && *s;) {
        char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (n && s[0] != '#')
            rc = names_add(l, s, n);
        s += n + (nl != NULL);
    }
    free(data);
    return rc;
}

static int skip_entry(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Removes the regular files of folder path and then the folder, when
 * nothing else is in it. */
static void remove_flat(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)))
        if (!skip_entry(e->d_name)) {
            struct stat st;
            if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                unlinkat(dirfd(dir), e->d_name, 0);
        }
    closedir(dir);
    rmdir(path);
}

/* Removes an old output folder: the files its MARKER lists, then the
 * folder when nothing else is left. */
static void remove_old(ts_outdir *o, const char *path)
{
    names listed = {0};
    int has;
    if (read_marker(path, &listed, &has) != 0) {
        names_free(&listed);
        return; /* out of memory: left for the next run's clean-up */
    }
    DIR *dir = opendir(path);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        if (skip_entry(e->d_name) || strcmp(e->d_name, MARKER) == 0)
            continue;
        if (!has || !names_has(&listed, e->d_name))
            continue;
        unlinkat(dirfd(dir), e->d_name, 0);
        checkpoint(o);
    }
    if (dir) {
        unlinkat(dirfd(dir), MARKER, 0);
        closedir(dir);
    }
    rmdir(path);
    names_free(&listed);
}

/* Reports every entry of the existing folder dir that tapscale did not
 * write. Returns TS_OK, TS_EINPUT or TS_ENOMEM. */
static ts_status check_ours(const char *dir, ts_diags *d)
{
    names listed = {0};
    int has;
    if (read_marker(dir, &listed, &has) != 0) {
        names_free(&listed);
        d->oom = 1;
        return TS_ENOMEM;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        names_free(&listed);
        ts_err(d, dir, 0, 0, "cannot read the output folder: %s (expected a readable folder)", strerror(errno));
        return TS_EINPUT;
    }
    ts_status st = TS_OK;
    struct dirent *e;
    while ((e = readdir(dp))) {
        const char *n = e->d_name;
        if (skip_entry(n) || (has && (strcmp(n, MARKER) == 0 || names_has(&listed, n))))
            continue;
        char *p = ts_path_join(dir, n);
        ts_err(d, p ? p : dir, 0, 0,
               "was not written by tapscale, which replaces its output folder whole and never removes other files "
               "(expected an empty folder, a new path or the folder of an earlier run: move the file away or choose "
               "another --out)");
        free(p);
        st = TS_EINPUT;
    }
    closedir(dp);
    names_free(&listed);
    return st;
}

/* Removes the scratch folders that killed runs left beside dir (those no
 * live run holds a lock on). */
static void clean_leftovers(const ts_outdir *o, const char *base)
{
    DIR *dp = opendir(o->parent);
    if (!dp)
        return;
    size_t bl = strlen(base);
    struct dirent *e;
    while ((e = readdir(dp))) {
        const char *n = e->d_name;
        if (n[0] != '.' || strncmp(n + 1, base, bl) != 0 || strncmp(n + 1 + bl, ".tapscale-", 10) != 0)
            continue;
        int fd = openat(dirfd(dp), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            char *p = ts_path_join(o->parent, n);
            if (p)
                remove_flat(p);
            free(p);
        }
        close(fd);
    }
    closedir(dp);
}

/* mkdir -p of path; the topmost folder it created goes to *made (NULL when
 * none). Returns 0 or an errno value. */
static int make_dirs(const char *path, char **made)
{
    char *p = ts_strdup(path);
    if (!p)
        return ENOMEM;
    *made = NULL;
    int rc = 0;
    size_t len = strlen(p);
    for (size_t i = 1; rc == 0 && i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) == 0) {
            if (!*made && !(*made = ts_strdup(p)))
                rc = ENOMEM;
        } else if (errno != EEXIST)
            rc = errno;
        p[i] = c;
    }
    free(p);
    return rc;
}

/* Removes the folders make_dirs created under made, deepest first, up to
 * and including made (only those left empty). */
static void unmake_dirs(const char *path, const char *made)
{
    char *p = ts_strdup(path);
    if (!p || !made)
        goto out;
    size_t stop = strlen(made);
    for (size_t len = strlen(p); len >= stop; len--) {
        if (p[len] != '/' && p[len] != '\0')
            continue;
        p[len] = '\0';
        if (rmdir(p) != 0)
            break;
        if (len == stop)
            break;
    }
out:
    free(p);
}

/* Where --out is: dir resolved, whether it exists, its parent made. Returns
 * TS_OK, or TS_EINPUT/TS_ERUNTIME with a diagnostic, or TS_ENOMEM. */
static ts_status locate(ts_outdir *o, const char *arg, ts_diags *d)
{
    struct stat st;
    if (lstat(arg, &st) == 0 && S_ISLNK(st.st_mode) && stat(arg, &st) != 0) {
        ts_err(d, arg, 0, 0, "is a symbolic link to nothing (expected a folder, or a path where tapscale can create one)");
        return TS_EINPUT;
    }
    if (stat(arg, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            ts_err(d, arg, 0, 0, "is not a folder (expected a folder, or a path where tapscale can create one)");
            return TS_EINPUT;
        }
        o->existed = 1;
        o->dir = realpath(arg, NULL);
    } else
        o->dir = ts_strdup(arg);
    if (!o->dir && o->existed && errno != ENOMEM) {
        ts_err(d, arg, 0, 0, "cannot resolve the output folder's path: %s", strerror(errno));
        return TS_ERUNTIME;
    }
    if (!o->dir) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    size_t n = strlen(o->dir);
    while (n > 1 && o->dir[n - 1] == '/')
        o->dir[--n] = '\0';
    char *copy = ts_strdup(o->dir);
    if (!copy) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->parent = ts_strdup(dirname(copy));
    free(copy);
    copy = ts_strdup(o->dir);
    o->base = copy ? ts_strdup(basename(copy)) : NULL;
    free(copy);
    if (!o->parent || !o->base) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    int e = o->existed ? 0 : make_dirs(o->parent, &o->made);
    if (e == ENOMEM) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (e) {
        ts_err(d, o->parent, 0, 0, "cannot create the folder of the output folder: %s (expected a writable folder)",
               strerror(e));
        return TS_ERUNTIME;
    }
    return TS_OK;
}

/* Creates and locks the scratch folder beside dir. */
static ts_status make_scratch(ts_outdir *o, ts_diags *d)
{
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_printf(&b, "%s/.%s.tapscale-XXXXXX", o->parent, o->base);
    clean_leftovers(o, o->base);
    if (b.oom) {
        ts_buf_free(&b);
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->scratch = b.data; /* taken over from b */
    if (!mkdtemp(o->scratch)) {
        ts_err(d, o->parent, 0, 0, "cannot create a folder beside the output folder: %s (expected a writable folder)",
               strerror(errno));
        free(o->scratch);
        o->scratch = NULL;
        return TS_ERUNTIME;
    }
    o->scratch_fd = open(o->scratch, O_RDONLY | O_DIRECTORY);
    if (o->scratch_fd < 0 || flock(o->scratch_fd, LOCK_EX) != 0) {
        ts_err(d, o->scratch, 0, 0, "cannot open the new output folder: %s", strerror(errno));
        return TS_ERUNTIME;
    }
    return TS_OK;
}

ts_status ts_outdir_open(const char *dir, ts_outdir **out, ts_diags *d)
{
    *out = NULL;
    ts_outdir *o = ts_calloc(1, sizeof *o);
    if (!o) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->scratch_fd = -1;
    pthread_mutex_init(&o->lock, NULL);
#ifdef TAPSCALE_FAULT_INJECTION
    const char *k = getenv("TAPSCALE_KILL_AT");
    o->kill_at = k ? strtol(k, NULL, 10) : 0;
#endif
    ts_status st = locate(o, dir, d);
    if (st == TS_OK && o->existed)
        st = check_ours(dir, d); /* by the path as given, for the messages */
    if (st == TS_OK)
        st = make_scratch(o, d);
    if (st != TS_OK) {
        ts_outdir_free(o);
        return st;
    }
    *out = o;
    return TS_OK;
}

/* Room for one more name and its sum. Returns TS_OK, or TS_ENOMEM (the
 * lists kept as they were). */
static ts_status grow_lists(ts_outdir *o)
{
    char **names = ts_grow(o->names, o->n, &o->cap_names, sizeof *names, 16);
    if (names)
        o->names = names;
    char(*sums)[65] = ts_grow(o->sums, o->n, &o->cap_sums, sizeof *sums, 16);
    if (sums)
        o->sums = sums;
    return names && sums ? TS_OK : TS_ENOMEM;
}

/* Whether name may be an output file: one path component, not ours. */
static int valid_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) <= NAME_MAX;
}

/* Registers name as slot n (or says why not). Called with the lock held.
 * Returns TS_OK, TS_EINPUT or TS_ENOMEM. */
static ts_status add_name(ts_outdir *o, const char *name, size_t *slot, ts_diags *d)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->names[i], name) == 0) {
            ts_err(d, name, 0, 0, "two outputs of this run have this name (expected a distinct name for each file)");
            return TS_EINPUT;
        }
    if (!valid_name(name)) {
        ts_err(d, name, 0, 0, "cannot be an output file's name (expected one path component of at most %d bytes, "
                              "not starting with a dot)", NAME_MAX);
        return TS_EINPUT;
    }
    char *copy = ts_strdup(name);
    if (!copy || grow_lists(o) != TS_OK) {
        free(copy);
        d->oom = 1;
        return TS_ENOMEM;
    }
    o->names[o->n] = copy; /* recorded at once, so free() removes the file */
    o->sums[o->n][0] = '\0';
    *slot = o->n++;
    return TS_OK;
}

ts_status ts_outdir_file_open(ts_outdir *o, const char *name, ts_outdir_file **out, ts_diags *d)
{
    *out = NULL;
    pthread_mutex_lock(&o->lock);
    size_t slot;
    ts_status st = add_name(o, name, &slot, d);
    pthread_mutex_unlock(&o->lock);
    if (st != TS_OK)
        return st;
    ts_outdir_file *f = ts_calloc(1, sizeof *f);
    char *path = ts_path_join(o->scratch, name);
    if (f)
        f->md = EVP_MD_CTX_new();
    if (!f || !path || !f->md || !EVP_DigestInit_ex(f->md, EVP_sha256(), NULL)) {
        if (f)
            EVP_MD_CTX_free(f->md);
        free(f);
        free(path);
        pthread_mutex_lock(&o->lock);
        d->oom = 1;
        pthread_mutex_unlock(&o->lock);
        return TS_ENOMEM;
    }
    f->o = o;
    f->slot = slot;
    f->f = fopen(path, "wbx");
    if (!f->f) {
        pthread_mutex_lock(&o->lock);
        ts_err(d, path, 0, 0, "cannot write: %s (expected a writable output folder)", strerror(errno));
        pthread_mutex_unlock(&o->lock);
        EVP_MD_CTX_free(f->md);
        free(f);
        free(path);
        return TS_ERUNTIME;
    }
    free(path);
    *out = f;
    return TS_OK;
}

ts_status ts_outdir_file_write(ts_outdir_file *f, const char *data, size_t len)
{
    if (f->failed)
        return TS_ERUNTIME;
    if (len && (fwrite(data, 1, len, f->f) != len || !EVP_DigestUpdate(f->md, data, len))) {
        f->failed = errno ? errno : EIO;
        return TS_ERUNTIME;
    }
    return TS_OK;
}

/* Flushes, syncs and closes f. Returns 0 or the first errno value. */
static int close_synced(FILE *f, int err)
{
    if (fflush(f) != 0 && !err)
        err = errno;
    if (fsync(fileno(f)) != 0 && !err)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    return err;
}

ts_status ts_outdir_file_close(ts_outdir_file *f, ts_diags *d)
{
    if (!f)
        return TS_ERUNTIME;
    ts_outdir *o = f->o;
    int err = close_synced(f->f, f->failed);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int ok = EVP_DigestFinal_ex(f->md, md, &mdlen) && mdlen == 32;
    EVP_MD_CTX_free(f->md);
    static const char hexd[] = "0123456789abcdef";
    pthread_mutex_lock(&o->lock);
    for (unsigned i = 0; ok && i < 32; i++) {
        o->sums[f->slot][2 * i] = hexd[md[i] >> 4];
        o->sums[f->slot][2 * i + 1] = hexd[md[i] & 15];
    }
    o->sums[f->slot][ok ? 64 : 0] = '\0';
    checkpoint(o);
    ts_status st = TS_OK;
    if (err) {
        ts_err(d, o->names[f->slot], 0, 0,
               "cannot write the output file: %s (expected a writable output folder with free space)", strerror(err));
        st = TS_ERUNTIME;
    } else if (!ok) {
        d->oom = 1;
        st = TS_ENOMEM;
    }
    pthread_mutex_unlock(&o->lock);
    free(f);
    return st;
}

ts_status ts_outdir_begin(ts_outdir *o, const char *name, ts_diags *d)
{
    if (o->cur)
        return TS_ERUNTIME;
    return ts_outdir_file_open(o, name, &o->cur, d);
}

ts_status ts_outdir_write(ts_outdir *o, const char *data, size_t len)
{
    return o->cur ? ts_outdir_file_write(o->cur, data, len) : TS_ERUNTIME;
}

ts_status ts_outdir_end(ts_outdir *o, ts_diags *d)
{
    ts_outdir_file *f = o->cur;
    o->cur = NULL;
    return ts_outdir_file_close(f, d);
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

static int cmp_name(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

/* The slots of o in byte order of their names (files are registered in an
 * order threads decide; the lists must not depend on it). NULL when out of
 * memory; the caller frees it. */
static size_t *name_order(const ts_outdir *o)
{
    char ***p = ts_malloc((o->n ? o->n : 1) * sizeof *p);
    size_t *order = ts_malloc((o->n ? o->n : 1) * sizeof *order);
    if (!p || !order) {
        free(p);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < o->n; i++)
        p[i] = &o->names[i];
    qsort(p, o->n, sizeof *p, cmp_name);
    for (size_t i = 0; i < o->n; i++)
        order[i] = (size_t)(p[i] - o->names);
    free(p);
    return order;
}

void ts_outdir_sums(const ts_outdir *o, ts_buf *b)
{
    size_t *order = name_order(o);
    if (!order) {
        b->oom = 1;
        return;
    }
    for (size_t k = 0; k < o->n; k++)
        if (o->sums[order[k]][0])
            ts_buf_printf(b, "%s  %s\n", o->sums[order[k]], o->names[order[k]]);
    free(order);
}


/* fsync of a folder, so that a rename in it is on disk. */
static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Writes the list of this run's files into the scratch folder. */
static ts_status write_marker(ts_outdir *o, ts_diags *d)
{
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_puts(&b, MARKER_HEAD);
    size_t *order = name_order(o);
    for (size_t k = 0; order && k < o->n; k++)
        ts_buf_printf(&b, "%s\n", o->names[order[k]]);
    char *path = ts_path_join(o->scratch, MARKER);
    if (!order || b.oom || !path) {
        free(order);
        ts_buf_free(&b);
        free(path);
        d->oom = 1;
        return TS_ENOMEM;
    }
    free(order);
    FILE *f = fopen(path, "wbx");
    int err = f ? 0 : errno;
    if (f && fwrite(b.data, 1, b.len, f) != b.len)
        err = errno ? errno : EIO;
    if (f)
        err = close_synced(f, err);
    ts_buf_free(&b);
    if (err) {
        ts_err(d, path, 0, 0, "cannot write the output file: %s (expected a writable output folder with free space)",
               strerror(err));
        free(path);
        return TS_ERUNTIME;
    }
    free(path);
    fsync(o->scratch_fd);
    return TS_OK;
}

/* Puts the scratch folder in dir's place: one exchange (or one rename when
 * dir did not exist). On a file system without RENAME_EXCHANGE, the old
 * folder is first renamed aside, so for an instant dir does not exist; it
 * is never a mix. Returns 0 or an errno value. */
static int swap_in(ts_outdir *o)
{
    if (!o->existed)
        return rename(o->scratch, o->dir) == 0 ? 0 : errno;
    if (renameat2(AT_FDCWD, o->scratch, AT_FDCWD, o->dir, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return errno;
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_printf(&b, "%s/.%s.tapscale-old-XXXXXX", o->parent, o->base);
    if (b.oom) {
        ts_buf_free(&b);
        return ENOMEM;
    }
    char *aside = b.data; /* taken over from b */
    int e = 0;
    if (!mkdtemp(aside) || rename(o->dir, aside) != 0 || rename(o->scratch, o->dir) != 0)
        e = errno;
    if (!e) {
        free(o->scratch);
        o->scratch = aside; /* where the old folder now is */
    } else
        free(aside);
    return e;
}

ts_status ts_outdir_commit(ts_outdir *o, ts_diags *d)
{
    ts_status st = write_marker(o, d);
    if (st != TS_OK)
        return st;
    checkpoint(o);
    int e = swap_in(o);
    if (e) {
        ts_err(d, o->dir, 0, 0, "cannot move the output into place: %s", strerror(e));
        return e == ENOMEM ? TS_ENOMEM : TS_ERUNTIME;
    }
    o->committed = 1;
    sync_dir(o->parent);
    checkpoint(o);
    if (o->existed)
        remove_old(o, o->scratch); /* the old folder, now at the scratch path */
    return TS_OK;
}

void ts_outdir_free(ts_outdir *o)
{
    if (!o)
        return;
    if (o->cur) {
        fclose(o->cur->f);
        EVP_MD_CTX_free(o->cur->md);
        free(o->cur);
    }
    if (o->scratch && !o->committed)
        remove_flat(o->scratch);
    if (o->scratch_fd >= 0)
        close(o->scratch_fd);
    if (!o->committed && o->made)
        unmake_dirs(o->parent, o->made);
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->sums);
    free(o->scratch);
    free(o->made);
    free(o->parent);
    free(o->base);
    free(o->dir);
    pthread_mutex_destroy(&o->lock);
    free(o);
}
