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

/* Reads up to cap bytes, fewer only at the end of the file. Returns the
 * count, or -1 with errno set. */
static ssize_t read_full(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    return (ssize_t)n;
}

/* Fills slot s with the next piece: read, NUL search, hash. Returns 1 when
 * a piece is ready (len > 0), 0 at the end of the file, -1 after an error
 * or a NUL (in r->err / r->has_nul). */
static int fill(ring *r, int s)
{
    ssize_t got = read_full(r->fd, r->buf[s], r->cap);
    if (got < 0) {
        r->err = errno ? errno : EIO;
        return -1;
    }
    r->len[s] = (size_t)got;
    if (got == 0)
        return 0;
    if (r->read_bytes + (uint64_t)got > TS_MAX_FILE_BYTES) {
        r->err = TS_READ_TOO_BIG;
        return -1;
    }
    const char *z = memchr(r->buf[s], '\0', (size_t)got);
    if (z) {
        r->has_nul = 1;
        r->nul_at = r->read_bytes + (uint64_t)(z - r->buf[s]);
        return -1;
    }
    if (ts_sha256_update(r->hash, r->buf[s], (size_t)got) != 0) {
        r->err = ENOMEM;
        return -1;
    }
    r->read_bytes += (uint64_t)got;
    return 1;
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
        int got = fill(r, (int)s);
        pthread_mutex_lock(&r->mu);
        if (got > 0)
            r->filled++;
        else
            r->done = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        if (got <= 0)
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

/* Opens path as ts_read_file does; *size gets its size. Returns the
 * descriptor, or -1 with *e set. */
static int open_regular(const char *path, uint64_t *size, int *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *e = errno ? errno : EIO;
        return -1;
    }
    struct stat st;
    *e = 0;
    if (fstat(fd, &st) != 0)
        *e = errno ? errno : EIO;
    else if (!S_ISREG(st.st_mode))
        *e = S_ISDIR(st.st_mode) ? EISDIR : TS_READ_NOT_REGULAR;
    else if ((uint64_t)st.st_size > TS_MAX_FILE_BYTES)
        *e = TS_READ_TOO_BIG;
    if (*e) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *size = (uint64_t)st.st_size;
    return fd;
}

/* Reads, hashes and hands over the pieces on the caller's thread alone. */
static int run_alone(ring *r, ts_chunk_fn fn, void *ctx, uint64_t *bytes, ts_status *stopped)
{
    int got;
    while ((got = fill(r, 0)) > 0) {
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
    r.fd = open_regular(path, &size, &e);
    if (r.fd < 0)
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
    } else if (rc == 0 && ts_sha256_final(r.hash, res->sha256) != 0) {
        rc = ENOMEM;
    }
    if (r.hash)
        ts_sha256_free(r.hash);
    for (int s = 0; s < NSLOT; s++)
        free(r.buf[s]);
    close(r.fd);
    return status_of(rc, stopped, res);
}
