// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-preload.so: run unmodified TCP programs over ktcp.
 *
 * LD_PRELOAD'ed by tools/ktcp-run, it turns every
 * socket(AF_INET, SOCK_STREAM[|SOCK_NONBLOCK|SOCK_CLOEXEC], 0 or
 * IPPROTO_TCP) into an IPPROTO_KTCP socket.  IPPROTO_TCP-level socket
 * options need no translation: the module accepts them with TCP's
 * meaning.  KTCP_PROTO in the environment overrides the protocol number.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "../ktcp/uapi/ktcp.h"

int socket(int domain, int type, int protocol)
{
	static int (*real_socket)(int, int, int);
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	const char *env;

	if (!real_socket)
		real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	if (domain == AF_INET && base == SOCK_STREAM &&
	    (protocol == 0 || protocol == IPPROTO_TCP)) {
		env = getenv("KTCP_PROTO");
		protocol = env ? atoi(env) : IPPROTO_KTCP;
	}
	return real_socket(domain, type, protocol);
}
