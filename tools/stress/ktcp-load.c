// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-load: load generators for ktcp over 127.0.0.1, every byte verified.
 *
 *   ktcp-load conns PORT N BYTES     N connections open at once; each
 *                                    carries BYTES each way
 *   ktcp-load storm PORT N BACKLOG   N non-blocking connects at once to one
 *                                    listener with a small backlog
 *   ktcp-load race PORT PAIRS MS     threads racing send/recv on shared
 *                                    sockets (byte counts per sender
 *                                    checked), then racing
 *                                    send/recv/shutdown/close for MS ms
 *
 * Prints one summary line; exits 0 only if every byte arrived intact and no
 * thread was stuck (every blocking call has a 60 s timeout).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KTCP_PROTO	253
#define TIMEOUT_S	60

static int port;
static atomic_long failures;

#define fail(...) do {							\
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	atomic_fetch_add(&failures, 1);					\
} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Byte j of the stream seeded with s. */
static uint8_t pat(uint32_t s, uint32_t j)
{
	uint32_t x = s * 2654435761u + j * 40503u;

	return x ^ (x >> 11) ^ (x >> 19);
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = TIMEOUT_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int ksock(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, KTCP_PROTO);

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	return fd;
}

static struct sockaddr_in addr(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	return a;
}

static int listener(int backlog)
{
	struct sockaddr_in a = addr();
	int fd = ksock(), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	set_timeouts(fd);	/* accept() gives up too */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		perror("bind/listen");
		exit(1);
	}
	return fd;
}

static int connect_to(void)
{
	struct sockaddr_in a = addr();
	int fd = ksock();

	set_timeouts(fd);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		fail("connect: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int accept_one(int lfd)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		fail("accept: %s", strerror(errno));
	else
		set_timeouts(fd);
	return fd;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = recv(fd, p, n, 0);

		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

static void raise_nofile(long n)
{
	struct rlimit rl = { .rlim_cur = n, .rlim_max = n };

	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("setrlimit");
}

/* --- conns: N connections open at once --- */

struct acceptor {
	int lfd, n, *fds;
	int max, ready;		/* storm: capacity, fds published */
};

static void *acceptor_main(void *arg)
{
	struct acceptor *a = arg;
	int i;

	for (i = 0; i < a->n; i++) {
		a->fds[i] = accept_one(a->lfd);
		if (a->fds[i] < 0)	/* timed out: a connect failed */
			break;
	}
	for (; i < a->n; i++)
		a->fds[i] = -1;
	return NULL;
}

static void fill(uint8_t *buf, uint32_t seed, uint32_t n)
{
	uint32_t j;

	for (j = 0; j < n; j++)
		buf[j] = pat(seed, j);
}

static int conns(int n, uint32_t bytes)
{
	uint8_t *buf = malloc(bytes + 4), *want = malloc(bytes);
	int *cfd = calloc(n, sizeof(int)), *sfd = calloc(n, sizeof(int));
	char *seen = calloc(n, 1);
	struct acceptor a = { .n = n, .fds = sfd };
	pthread_t th;
	double t0 = now();
	int i, ok = 0;
	uint32_t idx;

	raise_nofile(2L * n + 64);
	a.lfd = listener(n);
	pthread_create(&th, NULL, acceptor_main, &a);
	for (i = 0; i < n; i++)
		cfd[i] = connect_to();
	pthread_join(th, NULL);
	printf("conns: %d open after %.1f s\n", n, now() - t0);
	fflush(stdout);

	/* Client i sends its index and stream 2i; server answers 2i+1. */
	for (i = 0; i < n; i++) {
		if (cfd[i] < 0)
			continue;
		memcpy(buf, &i, 4);
		fill(buf + 4, 2 * i, bytes);
		if (write_all(cfd[i], buf, bytes + 4))
			fail("client %d: send: %s", i, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		if (sfd[i] < 0)
			continue;
		if (read_all(sfd[i], buf, bytes + 4)) {
			fail("server %d: recv: %s", i, strerror(errno));
			continue;
		}
		memcpy(&idx, buf, 4);
		if (idx >= (uint32_t)n || seen[idx]) {
			fail("server %d: bad index %u", i, idx);
			continue;
		}
		seen[idx] = 1;
		fill(want, 2 * idx, bytes);
		if (memcmp(buf + 4, want, bytes))
			fail("server %d: stream of client %u corrupted", i, idx);
		fill(buf, 2 * idx + 1, bytes);
		if (write_all(sfd[i], buf, bytes))
			fail("server %d: send: %s", i, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		if (cfd[i] < 0)
			continue;
		if (read_all(cfd[i], buf, bytes)) {
			fail("client %d: recv: %s", i, strerror(errno));
			continue;
		}
		fill(want, 2 * i + 1, bytes);
		if (memcmp(buf, want, bytes))
			fail("client %d: reply corrupted", i);
		else
			ok++;
	}
	/* Half close from the client first, half from the server. */
	for (i = 0; i < n; i++) {
		if (i & 1) {
			close(sfd[i]);
			close(cfd[i]);
		} else {
			close(cfd[i]);
			close(sfd[i]);
		}
	}
	close(a.lfd);
	printf("conns: %d of %d verified both ways in %.1f s\n", ok, n,
	       now() - t0);
	return ok == n;
}

/* --- storm: many connects at once, small backlog --- */

#define STORM_BYTES 64

static atomic_int storm_done;

/* Accept as fast as possible; the main thread serves what we queue. */
static void *storm_acceptor(void *arg)
{
	struct acceptor *a = arg;
	struct pollfd p = { .fd = a->lfd, .events = POLLIN };
	int fd;

	while (!atomic_load(&storm_done)) {
		if (poll(&p, 1, 200) <= 0)
			continue;
		fd = accept4(a->lfd, NULL, NULL, SOCK_NONBLOCK);
		if (fd < 0)
			continue;
		if (a->n >= a->max) {
			fail("storm: more connections than clients");
			close(fd);
			continue;
		}
		a->fds[a->n] = fd;
		atomic_store_explicit((atomic_int *)&a->ready, a->n + 1,
				      memory_order_release);
		a->n++;
	}
	return NULL;
}

/*
 * Clients are slots 0..n-1, accepted server ends slots n..2n-1 of one poll
 * set.  Each client sends its index and 64 bytes; the server end checks
 * them and answers 64 bytes the client checks.
 */
static int storm(int n, int backlog)
{
	struct pollfd *pfd = calloc(2 * n, sizeof(*pfd));
	int *state = calloc(2 * n, sizeof(int));	/* 0 wait, 1 sent, 2 done */
	struct acceptor a = { .fds = calloc(n, sizeof(int)), .max = n };
	struct sockaddr_in sa = addr();
	uint8_t buf[STORM_BYTES + 4], want[STORM_BYTES];
	int i, k, left = 2 * n, ok = 0, err, seen = 0;
	socklen_t len = sizeof(err);
	double t0 = now();
	pthread_t th;
	uint32_t idx;

	raise_nofile(2L * n + 64);
	a.lfd = listener(backlog);
	pthread_create(&th, NULL, storm_acceptor, &a);
	for (i = 0; i < 2 * n; i++)
		pfd[i].fd = -1;
	for (i = 0; i < n; i++) {
		pfd[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, KTCP_PROTO);
		if (pfd[i].fd < 0 ||
		    (connect(pfd[i].fd, (struct sockaddr *)&sa, sizeof(sa)) &&
		     errno != EINPROGRESS)) {
			fail("storm: socket/connect %d: %s", i, strerror(errno));
			exit(1);
		}
		pfd[i].events = POLLOUT;
	}
	while (left && now() - t0 < 4 * TIMEOUT_S) {
		int ready = atomic_load_explicit((atomic_int *)&a.ready,
						 memory_order_acquire);

		for (; seen < ready; seen++) {
			pfd[n + seen].fd = a.fds[seen];
			pfd[n + seen].events = POLLIN;
		}
		if (poll(pfd, 2 * n, 100) < 0)
			break;
		for (k = 0; k < 2 * n; k++) {
			if (!pfd[k].revents || state[k] == 2)
				continue;
			i = k < n ? k : k - n;
			if (k >= n) {		/* server end: request, reply */
				if (recv(pfd[k].fd, buf, sizeof(buf), MSG_WAITALL) !=
				    sizeof(buf)) {
					fail("storm server %d: short request", i);
					goto finish;
				}
				memcpy(&idx, buf, 4);
				fill(want, idx, STORM_BYTES);
				if (memcmp(buf + 4, want, STORM_BYTES))
					fail("storm server: client %u corrupted", idx);
				fill(buf, ~idx, STORM_BYTES);
				if (send(pfd[k].fd, buf, STORM_BYTES, MSG_NOSIGNAL) !=
				    STORM_BYTES)
					fail("storm server %d: send", i);
				goto finish;
			}
			if (state[k] == 0) {
				getsockopt(pfd[k].fd, SOL_SOCKET, SO_ERROR, &err, &len);
				memcpy(buf, &i, 4);
				fill(buf + 4, i, STORM_BYTES);
				if (err || send(pfd[k].fd, buf, sizeof(buf),
						MSG_NOSIGNAL) != sizeof(buf)) {
					fail("storm client %d: %s", i,
					     strerror(err ? err : errno));
					goto finish;
				}
				state[k] = 1;
				pfd[k].events = POLLIN;
				continue;
			}
			if (recv(pfd[k].fd, buf, STORM_BYTES, MSG_WAITALL) !=
			    STORM_BYTES) {
				fail("storm client %d: short reply", i);
				goto finish;
			}
			fill(want, ~i, STORM_BYTES);
			if (memcmp(buf, want, STORM_BYTES))
				fail("storm client %d: reply corrupted", i);
			else
				ok++;
finish:
			close(pfd[k].fd);
			pfd[k].fd = -1;
			state[k] = 2;
			left--;
		}
	}
	atomic_store(&storm_done, 1);
	pthread_join(th, NULL);
	if (left)
		fail("storm: %d ends never finished", left);
	for (k = 0; k < 2 * n; k++)
		if (pfd[k].fd >= 0)
			close(pfd[k].fd);
	close(a.lfd);
	printf("storm: %d of %d clients verified, backlog %d, %.1f s\n", ok, n,
	       backlog, now() - t0);
	return ok == n;
}

/* --- race: threads sharing sockets --- */

#define RACE_SENDERS	3
#define RACE_RECEIVERS	2

struct side {
	int fd;
	atomic_long sent[RACE_SENDERS];		/* by this side's senders */
	atomic_long got[RACE_SENDERS];		/* from the peer's senders */
	long quota;				/* per sender, 0: until error */
};

struct worker {
	struct side *s;
	int id;
	pthread_t th;
};

/* Sender @id writes bytes of value id + 1 only, in random sizes. */
static void *race_sender(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = w->id * 7919 + w->s->fd;
	char buf[8192];
	long left = w->s->quota;

	memset(buf, w->id + 1, sizeof(buf));
	while (!w->s->quota || left > 0) {
		size_t n = 1 + rand_r(&seed) % sizeof(buf);
		ssize_t r;

		if (w->s->quota && (long)n > left)
			n = left;
		r = send(w->s->fd, buf, n, MSG_NOSIGNAL);
		if (r <= 0) {
			if (r < 0 && errno == EAGAIN)
				fail("sender %d stuck for %d s", w->id, TIMEOUT_S);
			if (w->s->quota)
				fail("sender %d: %s", w->id, strerror(errno));
			break;
		}
		atomic_fetch_add(&w->s->sent[w->id], r);
		left -= r;
	}
	return NULL;
}

static void *race_receiver(void *arg)
{
	struct worker *w = arg;
	unsigned char buf[16384];
	ssize_t r, i;

	for (;;) {
		r = recv(w->s->fd, buf, sizeof(buf), 0);
		if (r < 0 && errno == EAGAIN)
			fail("receiver stuck for %d s", TIMEOUT_S);
		if (r <= 0)
			break;
		for (i = 0; i < r; i++) {
			if (buf[i] < 1 || buf[i] > RACE_SENDERS) {
				fail("receiver: byte %u from no sender", buf[i]);
				return NULL;
			}
			atomic_fetch_add(&w->s->got[buf[i] - 1], 1);
		}
	}
	return NULL;
}

static void start(struct worker *w, struct side *s, int id, void *(*fn)(void *))
{
	w->s = s;
	w->id = id;
	pthread_create(&w->th, NULL, fn, w);
}

struct pairw {
	struct side a, b;
	struct worker snd[2][RACE_SENDERS], rcv[2][RACE_RECEIVERS];
	struct worker killer;
	int ms;
};

static void make_pair(int lfd, struct side *a, struct side *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	a->fd = connect_to();
	b->fd = accept_one(lfd);
	if (a->fd < 0 || b->fd < 0) {
		fprintf(stderr, "race: cannot connect\n");
		exit(1);
	}
}

static void pair_start(struct pairw *p)
{
	int i;

	for (i = 0; i < RACE_SENDERS; i++) {
		start(&p->snd[0][i], &p->a, i, race_sender);
		start(&p->snd[1][i], &p->b, i, race_sender);
	}
	for (i = 0; i < RACE_RECEIVERS; i++) {
		start(&p->rcv[0][i], &p->a, i, race_receiver);
		start(&p->rcv[1][i], &p->b, i, race_receiver);
	}
}

static void pair_join(struct pairw *p, int which)
{
	int i, k;

	for (k = 0; k < 2; k++) {
		if (which & 1)
			for (i = 0; i < RACE_SENDERS; i++)
				pthread_join(p->snd[k][i].th, NULL);
		if (which & 2)
			for (i = 0; i < RACE_RECEIVERS; i++)
				pthread_join(p->rcv[k][i].th, NULL);
	}
}

/* Kill a pair in one of four ways while its threads run. */
static void *race_killer(void *arg)
{
	struct pairw *p = arg;
	unsigned int seed = p->a.fd;
	struct timespec ts = { 0, (rand_r(&seed) % (p->ms + 1)) * 1000000L };
	int how = rand_r(&seed) % 4, a = p->a.fd, b = p->b.fd;

	ts.tv_sec = ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	nanosleep(&ts, NULL);
	switch (how) {
	case 0:		/* orderly: both shut down, then close */
		shutdown(a, SHUT_WR);
		shutdown(b, SHUT_WR);
		shutdown(a, SHUT_RDWR);
		shutdown(b, SHUT_RDWR);
		break;
	case 1:		/* one side shuts down everything */
		shutdown(a, SHUT_RDWR);
		shutdown(b, SHUT_RDWR);
		break;
	case 2:		/* abortive: linger 0 */
		{
			struct linger l = { 1, 0 };

			setsockopt(a, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			shutdown(a, SHUT_RDWR);
			shutdown(b, SHUT_RD);
			shutdown(b, SHUT_RDWR);
		}
		break;
	default:	/* reads stop first */
		shutdown(b, SHUT_RD);
		shutdown(a, SHUT_RD);
		shutdown(a, SHUT_RDWR);
		shutdown(b, SHUT_RDWR);
		break;
	}
	/* close() races the threads still returning from their calls */
	close(a);
	close(b);
	return NULL;
}

static int race(int pairs, int ms)
{
	struct pairw *p = calloc(pairs, sizeof(*p));
	int lfd, i, k, t, ok = 1;
	double t0 = now();
	long total = 0;

	lfd = listener(pairs);
	/* Phase 1: several senders and receivers per socket, both ways. */
	for (i = 0; i < pairs; i++) {
		make_pair(lfd, &p[i].a, &p[i].b);
		p[i].a.quota = p[i].b.quota = 256 * 1024;
		pair_start(&p[i]);
	}
	for (i = 0; i < pairs; i++) {
		pair_join(&p[i], 1);
		shutdown(p[i].a.fd, SHUT_WR);
		shutdown(p[i].b.fd, SHUT_WR);
	}
	for (i = 0; i < pairs; i++) {
		pair_join(&p[i], 2);
		for (k = 0; k < 2; k++) {
			struct side *from = k ? &p[i].b : &p[i].a;
			struct side *to = k ? &p[i].a : &p[i].b;

			for (t = 0; t < RACE_SENDERS; t++) {
				long s = atomic_load(&from->sent[t]);
				long g = atomic_load(&to->got[t]);

				total += g;
				if (s != from->quota || g != s) {
					fail("race pair %d dir %d sender %d: sent %ld got %ld",
					     i, k, t, s, g);
					ok = 0;
				}
			}
		}
		close(p[i].a.fd);
		close(p[i].b.fd);
	}
	printf("race: %d pairs, %ld bytes counted per sender, %.1f s\n",
	       pairs, total, now() - t0);
	fflush(stdout);

	/* Phase 2: shutdown and close race running senders and receivers. */
	t0 = now();
	/* All fds first: a killed pair's fd number must not come back. */
	for (i = 0; i < pairs; i++)
		make_pair(lfd, &p[i].a, &p[i].b);
	for (i = 0; i < pairs; i++) {
		p[i].ms = ms;
		pair_start(&p[i]);
		pthread_create(&p[i].killer.th, NULL, race_killer, &p[i]);
	}
	for (i = 0; i < pairs; i++) {
		pthread_join(p[i].killer.th, NULL);
		pair_join(&p[i], 3);
		for (k = 0; k < 2; k++) {
			struct side *from = k ? &p[i].b : &p[i].a;
			struct side *to = k ? &p[i].a : &p[i].b;

			/* Nothing received that was not sent. */
			for (t = 0; t < RACE_SENDERS; t++)
				if (atomic_load(&to->got[t]) >
				    atomic_load(&from->sent[t])) {
					fail("race chaos pair %d: more received than sent",
					     i);
					ok = 0;
				}
		}
	}
	close(lfd);
	printf("race: %d pairs killed mid-transfer, all threads done in %.1f s\n",
	       pairs, now() - t0);
	return ok;
}

int main(int argc, char **argv)
{
	int ok;

	if (argc != 5) {
		fprintf(stderr, "usage: %s conns|storm|race PORT N ARG\n", argv[0]);
		return 2;
	}
	port = atoi(argv[2]);
	if (!strcmp(argv[1], "conns"))
		ok = conns(atoi(argv[3]), atoi(argv[4]));
	else if (!strcmp(argv[1], "storm"))
		ok = storm(atoi(argv[3]), atoi(argv[4]));
	else if (!strcmp(argv[1], "race"))
		ok = race(atoi(argv[3]), atoi(argv[4]));
	else
		return 2;
	if (atomic_load(&failures))
		ok = 0;
	printf("%s: %s, %ld failure(s)\n", argv[1], ok ? "ok" : "FAILED",
	       atomic_load(&failures));
	return ok ? 0 : 1;
}
