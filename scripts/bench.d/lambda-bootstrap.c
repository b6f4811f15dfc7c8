/*
 * A no-op Lambda custom runtime (`provided*` bootstrap) for scripts/bench.d/lambda.
 *
 * The smallest honest Runtime API client: one keep-alive HTTP/1.1 connection to
 * AWS_LAMBDA_RUNTIME_API; GET /2018-06-01/runtime/invocation/next, discard the event,
 * POST `null` to /invocation/<id>/response, repeat. Reads Content-Length and chunked
 * bodies; reconnects when the server closes the connection. No allocation in the loop.
 *
 * Started without AWS_LAMBDA_RUNTIME_API it exits 0 at once: that is how the benchmark
 * measures the bare process start of this binary.
 *
 * Build: cc -O2 -static -o bootstrap lambda-bootstrap.c  (or without -static)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char host[256];
static int port;
static int fd = -1;
static char buf[65536];
static size_t start, end;

static void die(const char *what) {
    fprintf(stderr, "bootstrap: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void connect_api(void) {
    if (fd >= 0) close(fd);
    start = end = 0;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        errno = EINVAL;
        die("AWS_LAMBDA_RUNTIME_API must be IPv4:port");
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) die("connect");
}

/* 1 when more bytes are buffered, 0 on EOF. */
static int fill(void) {
    if (start == end) start = end = 0;
    if (end == sizeof buf) {
        memmove(buf, buf + start, end - start);
        end -= start;
        start = 0;
    }
    for (;;) {
        ssize_t n = read(fd, buf + end, sizeof buf - end);
        if (n > 0) { end += (size_t)n; return 1; }
        if (n == 0) return 0;
        if (errno != EINTR) die("read");
    }
}

/* Copies one line (with its CRLF, NUL-terminated, truncated to cap) into out; 0 on EOF. */
static int read_line(char *out, size_t cap) {
    size_t len = 0;
    for (;;) {
        if (start == end && !fill()) return 0;
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
        if (start == end && !fill()) return 0;
        size_t take = end - start < n ? end - start : n;
        start += take;
        n -= take;
    }
    return 1;
}

static void write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) { if (errno == EINTR) continue; die("write"); }
        p += w;
        n -= (size_t)w;
    }
}

/* Reads one response; fills request_id (if not NULL). Returns the status, 0 on EOF. */
static int read_response(char *request_id, size_t id_cap, int *close_after) {
    char line[8192];
    if (!read_line(line, sizeof line)) return 0;
    int status = atoi(line + 9);
    long length = -1;
    int chunked = 0;
    *close_after = 0;
    for (;;) {
        if (!read_line(line, sizeof line)) return 0;
        if (line[0] == '\r' || line[0] == '\n') break;
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = 0;
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t') value++;
        value[strcspn(value, "\r\n")] = 0;
        if (!strcasecmp(line, "content-length")) length = atol(value);
        else if (!strcasecmp(line, "transfer-encoding") && strcasestr(value, "chunked")) chunked = 1;
        else if (!strcasecmp(line, "connection") && !strcasecmp(value, "close")) *close_after = 1;
        else if (request_id && !strcasecmp(line, "lambda-runtime-aws-request-id")) {
            snprintf(request_id, id_cap, "%s", value);
        }
    }
    if (chunked) {
        for (;;) {
            if (!read_line(line, sizeof line)) return 0;
            long size = strtol(line, NULL, 16);
            if (size == 0) {
                do { if (!read_line(line, sizeof line)) return 0; } while (line[0] != '\r' && line[0] != '\n');
                break;
            }
            if (!skip((size_t)size) || !read_line(line, sizeof line)) return 0;
        }
    } else if (length > 0) {
        if (!skip((size_t)length)) return 0;
    }
    return status;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) return 0; /* bare start: see the header comment */
    const char *colon = strrchr(api, ':');
    if (!colon || (size_t)(colon - api) >= sizeof host) { errno = EINVAL; die("AWS_LAMBDA_RUNTIME_API"); }
    memcpy(host, api, (size_t)(colon - api));
    host[colon - api] = 0;
    port = atoi(colon + 1);

    char next[1024], post[2048], id[512];
    int next_len = snprintf(next, sizeof next,
        "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
    connect_api();
    int close_after = 0;
    for (;;) {
        id[0] = 0;
        write_all(next, (size_t)next_len);
        int status = read_response(id, sizeof id, &close_after);
        if (status == 0) { connect_api(); continue; } /* closed: ask again on a new connection */
        if (status != 200) { fprintf(stderr, "bootstrap: next answered %d\n", status); return 1; }
        if (close_after) connect_api();
        int post_len = snprintf(post, sizeof post,
            "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
            "Content-Type: application/json\r\nContent-Length: 4\r\n\r\nnull", id, api);
        write_all(post, (size_t)post_len);
        status = read_response(NULL, 0, &close_after);
        if (status == 0 || close_after) connect_api();
        else if (status >= 300) { fprintf(stderr, "bootstrap: response answered %d\n", status); return 1; }
    }
}
