// SPDX-License-Identifier: GPL-2.0
/*
 * machipc_sugid_hold: a set-user-id-root program for the selftests, which
 * need a set-id process as the target of task_for_pid. Installed in the
 * guest's /tests-helpers with mode 4755, owned by root (setuid.list).
 *
 *   machipc_sugid_hold [drop]
 *
 * It links libmach, so it is a Mach task (the library opens /dev/mach
 * before main). With `drop` it first sets all its user and group ids to
 * its real ones: it is then the user who ran it again, but still marked
 * set-id (not dumpable), which is what task_for_pid must refuse. It writes
 * one line to stdout,
 *
 *   ready <pid> <ruid> <euid> <suid> <dumpable>
 *
 * and waits until stdin reaches end of file, then exits 0. Run without
 * the set-id bit (euid == ruid at the start), it writes "not-set-id" and
 * exits 2.
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <mach/mach.h>

int main(int argc, char **argv)
{
	uid_t ruid, euid, suid;
	gid_t rgid = getgid();
	char c;

	if (getresuid(&ruid, &euid, &suid) != 0)
		return 1;
	if (ruid == euid) {
		printf("not-set-id\n");
		fflush(stdout);
		return 2;
	}
	if (mach_task_self() == MACH_PORT_NULL)
		return 3;
	if (argc > 1 && strcmp(argv[1], "drop") == 0) {
		if (setresgid(rgid, rgid, rgid) != 0 || setresuid(ruid, ruid, ruid) != 0)
			return 4;
	}
	if (getresuid(&ruid, &euid, &suid) != 0)
		return 1;
	printf("ready %d %u %u %u %d\n", (int)getpid(), (unsigned)ruid, (unsigned)euid,
	       (unsigned)suid, prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
