// SPDX-License-Identifier: MIT
/*
 * machipc-demo: what Mach IPC on Linux does, in plain words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach_debug/ipc_info.h>
#include <machipc/machipc.h>
#include "machipc.h"

static const char *type_words(mach_port_type_t t)
{
	if (t & MACH_PORT_TYPE_PORT_SET)
		return "port set";
	if ((t & MACH_PORT_TYPE_SEND_RECEIVE) == MACH_PORT_TYPE_SEND_RECEIVE)
		return "receive + send";
	if (t & MACH_PORT_TYPE_RECEIVE)
		return "receive";
	if (t & MACH_PORT_TYPE_SEND)
		return "send";
	if (t & MACH_PORT_TYPE_SEND_ONCE)
		return "send-once";
	if (t & MACH_PORT_TYPE_DEAD_NAME)
		return "dead name";
	return "?";
}

/* An lsmp-like listing of our own space. */
static void show_space(const char *when)
{
	ipc_info_space_t info;
	ipc_info_name_array_t table;
	ipc_info_tree_name_array_t tree;
	mach_msg_type_number_t n, tn, i;
	kern_return_t kr;

	kr = mach_port_space_info(mach_task_self(), &info, &table, &n, &tree, &tn);
	if (kr != KERN_SUCCESS) {
		printf("   mach_port_space_info: %s\n", mach_error_string(kr));
		return;
	}
	printf("   Our port name space %s (%u names in a table of %u):\n", when, n,
	       info.iis_table_size);
	printf("     name        rights            urefs  object\n");
	for (i = 0; i < n; i++)
		printf("     0x%-8x  %-16s  %5u  #%u\n", table[i].iin_name,
		       type_words(table[i].iin_type), table[i].iin_urefs, table[i].iin_object);
	vm_deallocate(mach_task_self(), (vm_address_t)table, n * sizeof(*table));
}

#define CHECK(what, call)                                                        \
	do {                                                                     \
		kern_return_t _kr = (call);                                      \
		if (_kr != KERN_SUCCESS) {                                       \
			printf("%s failed: %s\n", what, mach_error_string(_kr)); \
			return 1;                                                \
		}                                                                \
	} while (0)

int main(void)
{
	mach_port_t port, host;
	mach_port_urefs_t refs;
	mach_port_type_t type;
	uint32_t abi = 0;
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
	printf("1. Process %d opened %s (descriptor %d) and is now a Mach task.\n", getpid(),
	       MACHIPC_DEVICE, fd);
	CHECK("ABI handshake", machipc_abi_version(&abi));
	printf("2. ABI handshake: library and module both speak version %u.\n", abi);
	printf("3. mach_task_self() is 0x%x: a send right to our own task port.\n",
	       mach_task_self());
	host = mach_host_self();
	printf("   mach_host_self() is 0x%x: a send right to the host port.\n\n", host);

	printf("A port's life:\n");
	CHECK("mach_port_allocate", mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						       &port));
	printf("4. mach_port_allocate made a new port; we hold its receive right under\n"
	       "   the name 0x%x. Only the holder of the receive right gets its messages.\n",
	       port);
	CHECK("mach_port_insert_right",
	      mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND));
	CHECK("mach_port_insert_right",
	      mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND));
	CHECK("mach_port_get_refs",
	      mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, &refs));
	printf("5. We made a send right to it twice: one port has one name in a space, so\n"
	       "   the send right joined the receive right under 0x%x, with %u user\n"
	       "   references.\n",
	       port, refs);
	show_space("now");
	CHECK("mach_port_mod_refs",
	      mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1));
	CHECK("mach_port_type", mach_port_type(mach_task_self(), port, &type));
	printf("6. We destroyed the receive right: the port is dead. Our send right became\n"
	       "   a %s under the same name -- every holder of a send right finds out.\n",
	       type_words(type));
	CHECK("mach_port_deallocate", mach_port_deallocate(mach_task_self(), port));
	CHECK("mach_port_deallocate", mach_port_deallocate(mach_task_self(), port));
	printf("7. Two deallocates drop the dead name's references; the name is free again.\n");
	show_space("at the end");

	printf("\nWhen this process exits, the module tears its space down and releases\n"
	       "every right it still holds. Messages between processes come next.\n");
	return 0;
}
