/*
 * A bare Lambda Runtime API for scripts/bench.d/lambda: the baseline a runtime's
 * bootstrap reaches with no platform around it.
 *
 *   lambda-stub [--spawns K] [--events N] [--warmup W] [--gap-ms G] [--child-stdout PATH] -- CMD [ARG...]
 *
 * Listens on a free 127.0.0.1 port, sets AWS_LAMBDA_RUNTIME_API to it and starts CMD
 * K times, one after the other, G ms apart (posix_spawn; CMD inherits the environment). Each start
 * serves one event (`{}`) and records:
 *   first_next      spawn -> the first GET /invocation/next arrives (the bootstrap's init)
 *   first_response  spawn -> the first event's response arrives (cold start on a bare API)
 * The last start then serves W warm-up events and N measured events back to back and records
 * each event's event-to-response time: from just before the event is written to the
 * socket to when the runtime's POST …/response has been read whole. invokes/s is N over the
 * wall time of the measured events (one process, sequential).
 *
 * Every child is killed (SIGKILL, by the pid this program got from posix_spawn) and reaped
 * after its events; the stub only ever signals its own children. Any step waits at most 10 s.
 *
 * Output: one line on stdout,
 *   STUBRESULT spawns=K first_next_p50_us=… first_next_p90_us=… first_next_max_us=…
 *              first_response_p50_us=… … events=N e2r_p50_us=… e2r_p99_us=… e2r_mean_us=…
 *              invokes_per_s=… errors=…
 * Exit status 0, or 1 when the runtime misbehaved (with a message on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int lfd = -1, cfd = -1;
static pid_t child = -1;
static char buf[1 << 16];
static size_t start, end;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void kill_child(void) {
    if (child > 0) {
        kill(child, SIGKILL);
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
        child = -1;
    }
}

static void fail(const char *what) {
    fprintf(stderr, "lambda-stub: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    kill_child();
    exit(1);
}

/* Waits up to 10 s for fd to be readable; fails when the child exits meanwhile. */
static void wait_readable(int fd) {
    for (int i = 0; i < 100; i++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, 100);
        if (r > 0) return;
        if (r < 0 && errno != EINTR) fail("poll");
        int status;
        if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
            child = -1;
            errno = 0;
            fail("the runtime exited before answering");
        }
    }
    errno = 0;
    fail("the runtime did not call the Runtime API within 10 s");
}

static void accept_connection(void) {
    if (cfd >= 0) close(cfd);
    start = end = 0;
    wait_readable(lfd);
    cfd = accept(lfd, NULL, NULL);
    if (cfd < 0) fail("accept");
    int one = 1;
    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* 1 when bytes were read, 0 on EOF. */
static int fill(void) {
    if (start == end) start = end = 0;
    if (end == sizeof buf) {
        memmove(buf, buf + start, end - start);
        end -= start;
        start = 0;
    }
    for (;;) {
        ssize_t n = read(cfd, buf + end, sizeof buf - end);
        if (n > 0) { end += (size_t)n; return 1; }
        if (n == 0) return 0;
        if (errno == EAGAIN || errno == EINTR) { wait_readable(cfd); continue; }
        return 0;
    }
}

static int read_line(char *out, size_t cap) {
    size_t len = 0;
    for (;;) {
        if (start == end) {
            struct pollfd p = {.fd = cfd, .events = POLLIN};
            if (poll(&p, 1, 0) == 0) wait_readable(cfd);
            if (!fill()) return 0;
        }
        char *nl = memchr(buf + start, '\n', end - start);
        size_t take = nl ? (size_t)(nl - (buf + start)) + 1 : end - start;
        size_t copy = take < cap - 1 - len ? take : cap - 1 - len;
        memcpy(out + len, buf + start, copy);
        len += copy;
        start += take;
        if (nl) { out[len] = 0; return 1; }
    }
}

static int skip(size_t n) {
    while (n > 0) {
        if (start == end) {
            struct pollfd p = {.fd = cfd, .events = POLLIN};
            if (poll(&p, 1, 0) == 0) wait_readable(cfd);
            if (!fill()) return 0;
        }
        size_t take = end - start < n ? end - start : n;
        start += take;
        n -= take;
    }
    return 1;
}

/* Reads one whole request into method/path (accepting a new connection when the old one
 * closed before a request started). */
static void read_request(char *method, char *path, size_t cap) {
    char line[8192];
    for (;;) {
        if (cfd < 0) accept_connection();
        if (read_line(line, sizeof line)) break;
        close(cfd); /* closed between requests: the runtime reconnects */
        cfd = -1;
    }
    if (sscanf(line, "%15s %1023s", method, path) != 2 || cap < 1024) { errno = 0; fail("bad request line"); }
    long length = 0;
    int chunked = 0;
    for (;;) {
        if (!read_line(line, sizeof line)) { errno = 0; fail("connection closed in request headers"); }
        if (line[0] == '\r' || line[0] == '\n') break;
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = 0;
        char *value = colon + 1;
        while (*value == ' ') value++;
        if (!strcasecmp(line, "content-length")) length = atol(value);
        else if (!strcasecmp(line, "transfer-encoding") && strcasestr(value, "chunked")) chunked = 1;
    }
    if (chunked) {
        for (;;) {
            if (!read_line(line, sizeof line)) { errno = 0; fail("connection closed in chunked body"); }
            long size = strtol(line, NULL, 16);
            if (size == 0) {
                do {
                    if (!read_line(line, sizeof line)) { errno = 0; fail("connection closed in trailers"); }
                } while (line[0] != '\r' && line[0] != '\n');
                break;
            }
            if (!skip((size_t)size) || !read_line(line, sizeof line)) { errno = 0; fail("connection closed in chunk"); }
        }
    } else if (length > 0 && !skip((size_t)length)) {
        errno = 0;
        fail("connection closed in request body");
    }
}

static void write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(cfd, p, n);
        if (w < 0) { if (errno == EINTR) continue; fail("write"); }
        p += w;
        n -= (size_t)w;
    }
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array, in microseconds. */
static double pct_us(const uint64_t *sorted, size_t n, double p) {
    if (n == 0) return 0;
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return (double)sorted[rank - 1] / 1000.0;
}

static void print_stats(const char *name, uint64_t *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_u64);
    printf(" %s_p50_us=%.1f %s_p90_us=%.1f %s_max_us=%.1f", name, pct_us(v, n, 50), name, pct_us(v, n, 90),
           name, n ? (double)v[n - 1] / 1000.0 : 0.0);
}

int main(int argc, char **argv) {
    long spawns = 1, events = 0, warmup = 0, gap_ms = 0;
    const char *child_stdout = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (i + 1 >= argc) { fprintf(stderr, "lambda-stub: %s needs a value\n", argv[i]); return 2; }
        if (!strcmp(argv[i], "--spawns")) spawns = atol(argv[++i]);
        else if (!strcmp(argv[i], "--events")) events = atol(argv[++i]);
        else if (!strcmp(argv[i], "--warmup")) warmup = atol(argv[++i]);
        else if (!strcmp(argv[i], "--gap-ms")) gap_ms = atol(argv[++i]);
        else if (!strcmp(argv[i], "--child-stdout")) child_stdout = argv[++i];
        else { fprintf(stderr, "lambda-stub: unknown option %s\n", argv[i]); return 2; }
    }
    if (i >= argc || spawns < 1 || events < 0 || warmup < 0 || gap_ms < 0 || gap_ms > 10000) {
        fprintf(stderr, "usage: lambda-stub [--spawns K] [--events N] [--warmup W] [--gap-ms G] [--child-stdout PATH] -- CMD [ARG...]\n");
        return 2;
    }
    char **cmd = argv + i;
    signal(SIGPIPE, SIG_IGN);

    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 16) ||
        getsockname(lfd, (struct sockaddr *)&a, &alen)) fail("listen on 127.0.0.1");
    char api[64];
    snprintf(api, sizeof api, "127.0.0.1:%d", ntohs(a.sin_port));
    setenv("AWS_LAMBDA_RUNTIME_API", api, 1);

    uint64_t *first_next = calloc((size_t)spawns, sizeof(uint64_t));
    uint64_t *first_response = calloc((size_t)spawns, sizeof(uint64_t));
    uint64_t *e2r = calloc((size_t)events + 1, sizeof(uint64_t));
    long errors = 0, served = 0;
    uint64_t measured_start = 0, measured_end = 0;
    char method[16], path[1024], event[1024];
    static const char accepted[] =
        "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n";

    for (long s = 0; s < spawns; s++) {
        if (s > 0 && gap_ms > 0) {
            struct timespec gap = {.tv_sec = gap_ms / 1000, .tv_nsec = (gap_ms % 1000) * 1000000L};
            while (nanosleep(&gap, &gap) != 0 && errno == EINTR) {}
        }
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (child_stdout) posix_spawn_file_actions_addopen(&fa, 1, child_stdout, O_WRONLY | O_CREAT | O_APPEND, 0644);
        uint64_t t_spawn = now_ns();
        int rc = posix_spawn(&child, cmd[0], &fa, NULL, cmd, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) { errno = rc; child = -1; fail("posix_spawn"); }

        read_request(method, path, sizeof path);
        if (strcmp(method, "GET") || !strstr(path, "/invocation/next")) { errno = 0; fail("expected GET …/invocation/next first"); }
        first_next[s] = now_ns() - t_spawn;

        long total = s == spawns - 1 ? 1 + warmup + events : 1;
        for (long e = 0; e < total; e++) {
            struct timespec wall;
            clock_gettime(CLOCK_REALTIME, &wall);
            long long deadline = (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000 + 900000;
            served++;
            int n = snprintf(event, sizeof event,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                "Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-%012ld\r\n"
                "Lambda-Runtime-Deadline-Ms: %lld\r\n"
                "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:stub\r\n"
                "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0\r\n"
                "Content-Length: 2\r\n\r\n{}", served, deadline);
            uint64_t t0 = now_ns();
            write_all(event, (size_t)n);
            read_request(method, path, sizeof path);
            uint64_t t1 = now_ns();
            if (strcmp(method, "POST") || !strstr(path, "/invocation/")) { errno = 0; fail("expected POST …/response"); }
            if (!strstr(path, "/response")) errors++;
            write_all(accepted, sizeof accepted - 1);
            if (e == 0) first_response[s] = t1 - t_spawn;
            long m = e - 1 - warmup; /* index among measured events */
            if (m >= 0) {
                if (m == 0) measured_start = t0;
                e2r[m] = t1 - t0;
                measured_end = t1;
            }
            if (e + 1 < total) {
                read_request(method, path, sizeof path);
                if (strcmp(method, "GET") || !strstr(path, "/invocation/next")) { errno = 0; fail("expected GET …/invocation/next"); }
            }
        }
        kill_child();
        if (cfd >= 0) close(cfd);
        cfd = -1;
    }

    printf("STUBRESULT spawns=%ld", spawns);
    print_stats("first_next", first_next, (size_t)spawns);
    print_stats("first_response", first_response, (size_t)spawns);
    printf(" events=%ld", events);
    if (events > 0) {
        double mean = 0;
        for (long e = 0; e < events; e++) mean += (double)e2r[e];
        mean /= (double)events * 1000.0;
        double wall_s = (double)(measured_end - measured_start) / 1e9;
        qsort(e2r, (size_t)events, sizeof *e2r, cmp_u64);
        printf(" e2r_p50_us=%.1f e2r_p99_us=%.1f e2r_mean_us=%.1f invokes_per_s=%.0f", pct_us(e2r, (size_t)events, 50),
               pct_us(e2r, (size_t)events, 99), mean, wall_s > 0 ? (double)events / wall_s : 0.0);
    }
    printf(" errors=%ld\n", errors);
    return 0;
}
