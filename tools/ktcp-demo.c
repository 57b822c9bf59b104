// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-demo: the seed tutorial's connection over ktcp.
 *
 * A server and a client in one process (the client is a child): the
 * client sends 1000 bytes, the server 2000; the client half-closes, the
 * server sends 50 more and closes.  With "trace=1" set on the module,
 * dmesg shows every state change with relative seq/ack.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../ktcp/uapi/ktcp.h"

#define PORT 5000

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static size_t read_all(int fd, size_t want)
{
	char buf[4096];
	size_t got = 0;
	ssize_t n;

	while (!want || got < want) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

static void write_n(int fd, char c, size_t n)
{
	char buf[2000];

	memset(buf, c, n);
	if (write(fd, buf, n) != (ssize_t)n)
		die("write");
}

static void run_client(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT) };
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_KTCP);

	if (fd < 0)
		die("client socket");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	printf("client: connected, sending 1000 bytes\n");
	write_n(fd, 'c', 1000);
	printf("client: received %zu bytes\n", read_all(fd, 2000));
	printf("client: shutdown(SHUT_WR) - half-close\n");
	shutdown(fd, SHUT_WR);
	printf("client: received %zu more bytes, then EOF\n", read_all(fd, 0));
	close(fd);
	exit(0);
}

int main(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT) };
	int one = 1, lfd, fd, status;
	pid_t pid;

	lfd = socket(AF_INET, SOCK_STREAM, IPPROTO_KTCP);
	if (lfd < 0)
		die("socket(AF_INET, SOCK_STREAM, IPPROTO_KTCP)");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		die("bind/listen");
	printf("server: listening on 127.0.0.1:%d\n", PORT);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		run_client();
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	printf("server: accepted, received %zu bytes\n", read_all(fd, 1000));
	write_n(fd, 's', 2000);
	printf("server: sent 2000 bytes, waiting for the client's FIN\n");
	read_all(fd, 0);
	printf("server: EOF; sending 50 more bytes and closing\n");
	write_n(fd, 't', 50);
	close(fd);
	close(lfd);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
