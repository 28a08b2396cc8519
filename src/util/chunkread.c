/*
 * chunkread.c — a file read piece by piece, hashed on the side; see
 * chunkread.h.
 *
 * Two threads share a ring of NSLOT buffers: the reader fills slot
 * filled % NSLOT (read, look for a NUL, hash) while the caller's fn
 * consumes slot consumed % NSLOT; filled - consumed stays within
 * [0, NSLOT]. Only the counters and the flags are shared under the lock;
 * a slot's bytes belong to the reader until filled passes it and to the
 * consumer until consumed passes it.
 */
#include "util/chunkread.h"
#include "util/alloc.h"
#include "util/fileio.h"
#include "util/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NSLOT 4

typedef struct ring {
    int fd;
    size_t cap;                 /* bytes of each buffer */
    char *buf[NSLOT];
    size_t len[NSLOT];
    ts_sha256 *hash;
    /* the reader's own */
    uint64_t read_bytes;
    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t filled, consumed;
    int done;                   /* the reader has stopped: end of file, error or NUL */
    int stop;                   /* the consumer has stopped */
    int err;                    /* the reader's error, or 0 */
    int has_nul;
    uint64_t nul_at;            /* offset of the NUL */
} ring;

/* Reads up to cap bytes into buf, fewer only at the end of the file, and
 * sets *got to their count. Returns 0, or the errno value of a failed read. */
static int read_full(int fd, char *buf, size_t cap, size_t *got)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return errno ? errno : EIO;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    *got = n;
    return 0;
}

/* Fills slot s with the next piece: read, NUL search, hash. Returns true
 * when a piece is ready (len > 0); false at the end of the file and after
 * an error or a NUL (r->err / r->has_nul say which). */
static bool fill(ring *r, int s)
{
    size_t got = 0;
    if ((r->err = read_full(r->fd, r->buf[s], r->cap, &got)) != 0)
        return false;
    r->len[s] = got;
    if (got == 0)
        return false;
    if (r->read_bytes + (uint64_t)got > TS_MAX_FILE_BYTES) {
        r->err = TS_READ_TOO_BIG;
        return false;
    }
    const char *z = memchr(r->buf[s], '\0', got);
    if (z) {
        r->has_nul = 1;
        r->nul_at = r->read_bytes + (uint64_t)(z - r->buf[s]);
        return false;
    }
    if (ts_sha256_update(r->hash, r->buf[s], got) != TS_OK) {
        r->err = ENOMEM;
        return false;
    }
    r->read_bytes += (uint64_t)got;
    return true;
}

static void *reader(void *arg)
{
    ring *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->filled - r->consumed == NSLOT && !r->stop)
            pthread_cond_wait(&r->cv, &r->mu);
        int stop = r->stop;
        size_t s = r->filled % NSLOT;
        pthread_mutex_unlock(&r->mu);
        if (stop)
            return NULL;
        bool got = fill(r, (int)s);
        pthread_mutex_lock(&r->mu);
        if (got)
            r->filled++;
        else
            r->done = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        if (!got)
            return NULL;
    }
}

/* Codes of the reading inside this file: 0, an errno value or TS_READ_*,
 * and this when fn stopped it (its status in *stopped). */
#define CHUNK_STOPPED (-10)

/* The caller's side with a reader thread. Returns 0 or CHUNK_STOPPED. */
static int consume(ring *r, ts_chunk_fn fn, void *ctx, uint64_t *bytes, ts_status *stopped)
{
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->filled == r->consumed && !r->done)
            pthread_cond_wait(&r->cv, &r->mu);
        int have = r->filled != r->consumed;
        size_t s = r->consumed % NSLOT;
        pthread_mutex_unlock(&r->mu);
        if (!have)
            break;
        if ((*stopped = fn(ctx, r->buf[s], r->len[s])) != TS_OK)
            rc = CHUNK_STOPPED;
        *bytes += r->len[s];
        pthread_mutex_lock(&r->mu);
        r->consumed++;
        if (rc)
            r->stop = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        if (rc)
            break;
    }
    return rc;
}

/* The 1-based line and column of the byte at offset, read again from the
 * start of the file into buf. */
static void position(int fd, char *buf, size_t cap, uint64_t offset, int *line, int *col)
{
    uint64_t at = 0, bol = 0;
    *line = 1;
    while (at < offset) {
        size_t want = offset - at < cap ? (size_t)(offset - at) : cap;
        ssize_t got = pread(fd, buf, want, (off_t)at);
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++)
            if (buf[i] == '\n') {
                ++*line;
                bol = at + (uint64_t)i + 1;
            }
        at += (uint64_t)got;
    }
    *col = (int)(offset - bol) + 1;
}

/* Opens path as ts_read_file does into *fd, its size in *size. Returns 0,
 * or an errno value or TS_READ_* (*fd unset). */
static int open_regular(const char *path, int *fd_out, uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno ? errno : EIO;
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0)
        e = errno ? errno : EIO;
    else if (!S_ISREG(st.st_mode))
        e = S_ISDIR(st.st_mode) ? EISDIR : TS_READ_NOT_REGULAR;
    else if ((uint64_t)st.st_size > TS_MAX_FILE_BYTES)
        e = TS_READ_TOO_BIG;
    if (e) {
        close(fd);
        return e;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *size = (uint64_t)st.st_size;
    *fd_out = fd;
    return 0;
}

/* Reads, hashes and hands over the pieces on the caller's thread alone. */
static int run_alone(ring *r, ts_chunk_fn fn, void *ctx, uint64_t *bytes, ts_status *stopped)
{
    while (fill(r, 0)) {
        if ((*stopped = fn(ctx, r->buf[0], r->len[0])) != TS_OK)
            return CHUNK_STOPPED;
        *bytes += r->len[0];
    }
    return 0;
}

/* The status of the reading's code rc, with the failure in res. */
static ts_status status_of(int rc, ts_status stopped, ts_chunk_result *res)
{
    if (rc == 0)
        return TS_OK;
    if (rc == CHUNK_STOPPED)
        return stopped;
    if (rc == ENOMEM)
        return TS_ENOMEM;
    res->failure = ts_read_failure_of(rc);
    return TS_EINPUT;
}

ts_status ts_read_chunks(const char *path, int threads, ts_chunk_fn fn, void *ctx, ts_chunk_result *res)
{
    memset(res, 0, sizeof *res);
    uint64_t size;
    int e;
    ts_status stopped = TS_OK;
    ring r;
    memset(&r, 0, sizeof r);
    r.fd = -1;
    if ((e = open_regular(path, &r.fd, &size)) != 0)
        return status_of(e, stopped, res);
    /* a small file gets a small buffer (it is read to its end all the same) */
    r.cap = size + 1 < TS_CHUNK_BYTES ? (size_t)size + 1 : TS_CHUNK_BYTES;
    if (r.cap < 4096)
        r.cap = 4096;
    if (threads <= 0) /* all cores */
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int slots = threads > 1 && size > r.cap ? NSLOT : 1;
    int rc = 0;
    for (int s = 0; s < slots && rc == 0; s++)
        if (!(r.buf[s] = ts_malloc(r.cap)))
            rc = ENOMEM;
    if (rc == 0 && !(r.hash = ts_sha256_new()))
        rc = ENOMEM;
    if (rc == 0 && slots == 1) {
        rc = run_alone(&r, fn, ctx, &res->bytes, &stopped);
    } else if (rc == 0) {
        pthread_t tid;
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv, NULL);
        if (pthread_create(&tid, NULL, reader, &r) != 0) {
            rc = run_alone(&r, fn, ctx, &res->bytes, &stopped);
        } else {
            rc = consume(&r, fn, ctx, &res->bytes, &stopped);
            pthread_join(tid, NULL);
        }
        pthread_cond_destroy(&r.cv);
        pthread_mutex_destroy(&r.mu);
    }
    if (rc == 0 && r.err)
        rc = r.err;
    if (rc == 0 && r.has_nul) {
        res->has_nul = 1;
        position(r.fd, r.buf[0], r.cap, r.nul_at, &res->nul_line, &res->nul_col);
    } else if (rc == 0 && ts_sha256_final(r.hash, res->sha256) != TS_OK) {
        rc = ENOMEM;
    }
    if (r.hash)
        ts_sha256_free(r.hash);
    for (int s = 0; s < NSLOT; s++)
        free(r.buf[s]);
    close(r.fd);
    return status_of(rc, stopped, res);
}
