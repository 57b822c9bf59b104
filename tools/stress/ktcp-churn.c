// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-churn: a client that opens and closes connections at a steady
 * rate, closing first (so its side of each ends in TIME-WAIT), and a
 * server that closes each one when the client has.  PROTO 6 is kernel
 * TCP, 253 ktcp: the same load runs over both.
 *
 *   ktcp-churn server PROTO PORT NPORTS
 *   ktcp-churn client PROTO ADDR PORT NPORTS RATE SECONDS
 *
 * The client spreads its connections over NPORTS server ports from PORT
 * on, RATE a second for SECONDS, and prints one summary line; it exits 0
 * only if every connect() succeeded and the rate was kept within 10 %.
 * The server runs until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS	64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int server(int proto, int port, int nports)
{
	int ep = epoll_create1(0), lfd[MAX_PORTS], i;
	struct epoll_event ev;

	if (ep < 0 || nports < 1 || nports > MAX_PORTS)
		return 2;
	for (i = 0; i < nports; i++) {
		struct sockaddr_in a = {
			.sin_family = AF_INET,
			.sin_port = htons(port + i),
		};
		int one = 1;

		lfd[i] = socket(AF_INET, SOCK_STREAM, proto);
		if (lfd[i] < 0 ||
		    setsockopt(lfd[i], SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) ||
		    bind(lfd[i], (struct sockaddr *)&a, sizeof(a)) ||
		    listen(lfd[i], 4096)) {
			perror("listener");
			return 1;
		}
		ev.events = EPOLLIN;
		ev.data.u64 = (1ULL << 32) | lfd[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, lfd[i], &ev);
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1);

		for (i = 0; i < n; i++) {
			int fd = (int)(evs[i].data.u64 & 0xffffffff);
			char buf[64];

			if (evs[i].data.u64 >> 32) {
				int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK);

				if (c < 0)
					continue;
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.u64 = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
			} else if (read(fd, buf, sizeof(buf)) <= 0) {
				close(fd);	/* the client closed: so do we */
			}
		}
	}
}

static int client(int proto, const char *addr, int port, int nports,
		  int rate, int seconds)
{
	long total = (long)rate * seconds, i, failed = 0;
	struct timeval tmo = { .tv_sec = 10 };
	int first_err = 0;
	double t0 = now(), dt;

	for (i = 0; i < total; i++) {
		struct sockaddr_in a = {
			.sin_family = AF_INET,
			.sin_port = htons(port + i % nports),
		};
		double due = t0 + (double)i / rate;
		int fd;

		inet_pton(AF_INET, addr, &a.sin_addr);
		while (now() < due)
			usleep(100);
		fd = socket(AF_INET, SOCK_STREAM, proto);
		if (fd < 0) {
			perror("socket");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo));
		if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			if (!failed++)
				first_err = errno;
		}
		close(fd);
	}
	dt = now() - t0;
	printf("churn: %ld connections in %.1f s (%.0f/s), %ld failed%s%s\n",
	       total, dt, total / dt, failed, failed ? ", first: " : "",
	       failed ? strerror(first_err) : "");
	return failed || dt > seconds * 1.1 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc == 8 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), argv[3], atoi(argv[4]),
			      atoi(argv[5]), atoi(argv[6]), atoi(argv[7]));
	fprintf(stderr, "usage: %s server PROTO PORT NPORTS\n"
		"       %s client PROTO ADDR PORT NPORTS RATE SECONDS\n",
		argv[0], argv[0]);
	return 2;
}
