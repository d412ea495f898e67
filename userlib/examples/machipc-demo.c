// SPDX-License-Identifier: MIT
/*
 * machipc-demo: what Mach IPC on Linux does, in plain words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <machipc/machipc.h>
#include "machipc.h"

int main(void)
{
	uint32_t abi = 0;
	kern_return_t kr;
	int fd;

	printf("machipc demo: Mach IPC as a Linux kernel module.\n\n");
	printf("The module registers %s. A process that opens it becomes a Mach task\n"
	       "with its own port name space; its ioctls are the Mach IPC kernel calls.\n\n",
	       MACHIPC_DEVICE);

	fd = machipc_fd();
	if (fd < 0) {
		printf("Could not open %s: %s. Is the module loaded?\n", MACHIPC_DEVICE,
		       strerror(errno));
		return 1;
	}
	printf("1. Process %d opened %s (descriptor %d).\n", getpid(), MACHIPC_DEVICE, fd);

	kr = machipc_abi_version(&abi);
	printf("2. ABI handshake: the library speaks version %u, the module version %u: %s.\n",
	       MACHIPC_ABI_VERSION, abi, kr == KERN_SUCCESS ? "compatible" : "MISMATCH");
	if (kr != KERN_SUCCESS)
		return 1;

	printf("\nThe demo grows with the project: ports, rights and messages between\n"
	       "processes come next.\n");
	return 0;
}
