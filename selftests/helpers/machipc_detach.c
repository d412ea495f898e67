// SPDX-License-Identifier: GPL-2.0
/*
 * machipc_detach PROG [ARG...]: runs PROG as a process unrelated to the
 * caller: forked twice, the middle process exits, and PROG is executed
 * only once the grandchild has been re-parented away from it (to init).
 * So PROG's process has no Mach ancestor when it first opens /dev/mach,
 * and starts with the system bootstrap port, as a program started by the
 * service manager or a login shell would.
 *
 * This program uses no Mach call (nothing of libmach is linked in), so it
 * never becomes a Mach task itself. Exit status: 0 once PROG is on its
 * way, 1 if a fork failed. Descriptors are inherited as they are (the
 * caller passes pipes that way); PROG's own exit is not reported here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t middle, status_pid;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: machipc_detach PROG [ARG...]\n");
		return 2;
	}
	middle = fork();
	if (middle < 0)
		return 1;
	if (middle == 0) {
		pid_t me = getpid(), child;

		setsid();
		child = fork();
		if (child < 0)
			_exit(1);
		if (child == 0) {
			struct timespec ms = { 0, 1000000 };
			int waited = 0;

			/* Until the middle process is gone and we belong to init. */
			while (getppid() == me && waited++ < 20000)
				nanosleep(&ms, NULL);
			execv(argv[1], argv + 1);
			fprintf(stderr, "machipc_detach: %s: exec failed (errno %d)\n", argv[1], errno);
			_exit(127);
		}
		_exit(0);
	}
	do
		status_pid = waitpid(middle, &status, 0);
	while (status_pid < 0 && errno == EINTR);
	return status_pid == middle && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
