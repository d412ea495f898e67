// SPDX-License-Identifier: MIT
/*
 * machipc-demo: what Mach IPC on Linux does, in plain words.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach_debug/ipc_info.h>
#include <machipc/machipc.h>
#include <servers/bootstrap.h>
#include "machipc.h"
#include "machipc_demo.h"
#include "machipc_demoServer.h"

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

/* The conversation's messages. */
#define ADD_ID 100
#define POSTCARD_ID 200

typedef struct {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t mailbox; /* a send right to the client's port */
	int a, b;
} add_request_t;

typedef struct {
	mach_msg_header_t h;
	int sum;
} add_reply_t;

typedef struct {
	mach_msg_header_t h;
	char text[64];
} postcard_t;

/* A client: asks the server to add two numbers, gets the answer on a
 * send-once reply right, and a postcard through the mailbox right it sent. */
static int client(int n, int a, int b)
{
	mach_port_t reply, mailbox;
	add_request_t req = { 0 };
	struct {
		add_reply_t m;
		mach_msg_trailer_t t;
	} rep = { 0 };
	struct {
		postcard_t m;
		mach_msg_audit_trailer_t t;
	} card = { 0 };
	kern_return_t kr;

	printf("   [client %d, pid %d] My bootstrap port 0x%x is a send right to the\n"
	       "      server's port: I inherited it from my parent when I was forked.\n",
	       n, getpid(), bootstrap_port);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mailbox);
	req.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			  MACH_MSGH_BITS_COMPLEX;
	req.h.msgh_size = sizeof(req);
	req.h.msgh_remote_port = bootstrap_port;
	req.h.msgh_local_port = reply;
	req.h.msgh_id = ADD_ID;
	req.body.msgh_descriptor_count = 1;
	req.mailbox.name = mailbox;
	req.mailbox.disposition = MACH_MSG_TYPE_MAKE_SEND;
	req.mailbox.type = MACH_MSG_PORT_DESCRIPTOR;
	req.a = a;
	req.b = b;
	printf("   [client %d] Sending \"what is %d + %d?\" with a send-once right for the\n"
	       "      reply and, in the body, a send right to my mailbox port 0x%x.\n",
	       n, a, b, mailbox);
	kr = mach_msg_overwrite(&req.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(req), sizeof(rep),
				reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL, &rep.m.h, 0);
	if (kr != KERN_SUCCESS) {
		printf("   [client %d] mach_msg: %s\n", n, mach_error_string(kr));
		return 1;
	}
	printf("   [client %d] One mach_msg call sent the request and received the reply:\n"
	       "      %d + %d = %d.\n",
	       n, a, b, rep.m.sum);
	kr = mach_msg(&card.m.h,
		      MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
		      0, sizeof(card), mailbox, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr != KERN_SUCCESS) {
		printf("   [client %d] mach_msg: %s\n", n, mach_error_string(kr));
		return 1;
	}
	printf("   [client %d] A postcard arrived in my mailbox: \"%s\"\n"
	       "      The kernel vouches for its sender: pid %u, uid %u.\n",
	       n, card.m.text, audit_token_to_pid(card.t.msgh_audit),
	       audit_token_to_euid(card.t.msgh_audit));
	return 0;
}

/* The server: answers `clients` requests on its port. */
static int server(mach_port_t port, int clients)
{
	int i;

	for (i = 0; i < clients; i++) {
		struct {
			add_request_t m;
			mach_msg_audit_trailer_t t;
		} in = { 0 };
		add_reply_t rep = { 0 };
		postcard_t card = { 0 };
		kern_return_t kr;

		kr = mach_msg(&in.m.h,
			      MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			      0, sizeof(in), port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != KERN_SUCCESS) {
			printf("   [server] mach_msg: %s\n", mach_error_string(kr));
			return 1;
		}
		printf("   [server, pid %d] Request from pid %u: %d + %d. It came with a\n"
		       "      send-once reply right (0x%x) and a send right (0x%x) in my space.\n",
		       getpid(), audit_token_to_pid(in.t.msgh_audit), in.m.a, in.m.b, in.m.h.msgh_remote_port,
		       in.m.mailbox.name);
		rep.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		rep.h.msgh_size = sizeof(rep);
		rep.h.msgh_remote_port = in.m.h.msgh_remote_port;
		rep.h.msgh_id = ADD_ID + 100;
		rep.sum = in.m.a + in.m.b;
		mach_msg(&rep.h, MACH_SEND_MSG, sizeof(rep), 0, 0, 0, 0);
		card.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
		card.h.msgh_size = sizeof(card);
		card.h.msgh_remote_port = in.m.mailbox.name;
		card.h.msgh_id = POSTCARD_ID;
		snprintf(card.text, sizeof(card.text), "greetings from the server, pid %d", getpid());
		mach_msg(&card.h, MACH_SEND_MSG, sizeof(card), 0, 0, 0, 0);
		printf("   [server] Replied through the send-once right (now used up) and sent\n"
		       "      a postcard through the mailbox right (moved back out with it).\n");
	}
	return 0;
}

/* A server process and two clients, forked one after the other. */
static int conversation(void)
{
	mach_port_t port, old = MACH_PORT_NULL;
	pid_t srv, kid;
	int i, status, failed = 0;

	printf("\nA conversation between processes:\n");
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old);
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port);
	printf("8. We made a service port 0x%x and set it as our bootstrap port: every\n"
	       "   child task starts with a send right to it.\n",
	       port);
	srv = fork();
	if (srv == 0) {
		/* The server needs the service port's receive right: it asks
		 * the parent, which moves it over in a message. */
		mach_port_t mine;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
			mach_msg_trailer_t t;
		} gift = { 0 };

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
		/* Ask the parent for the receive right: send it our port. */
		gift.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		gift.h.msgh_size = sizeof(mach_msg_header_t);
		gift.h.msgh_remote_port = bootstrap_port;
		gift.h.msgh_local_port = mine;
		mach_msg(&gift.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(mach_msg_header_t),
			 sizeof(gift), mine, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		printf("   [server, pid %d] Our parent moved the service port's receive right\n"
		       "      to us in a message: it is 0x%x in my space now.\n",
		       getpid(), gift.p.name);
		_exit(server(gift.p.name, 2));
	}
	{
		/* Hand the receive right to the server, on its request. */
		struct {
			mach_msg_header_t h;
			mach_msg_trailer_t t;
		} ask = { 0 };
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
		} gift = { 0 };

		mach_msg(&ask.h, MACH_RCV_MSG, 0, sizeof(ask), port, MACH_MSG_TIMEOUT_NONE,
			 MACH_PORT_NULL);
		gift.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
				   MACH_MSGH_BITS_COMPLEX;
		gift.h.msgh_size = sizeof(gift);
		gift.h.msgh_remote_port = ask.h.msgh_remote_port;
		gift.b.msgh_descriptor_count = 1;
		gift.p.name = port;
		gift.p.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		gift.p.type = MACH_MSG_PORT_DESCRIPTOR;
		mach_msg(&gift.h, MACH_SEND_MSG, sizeof(gift), 0, 0, 0, 0);
	}
	for (i = 1; i <= 2; i++) {
		kid = fork();
		if (kid == 0)
			_exit(client(i, 20 * i, 22));
		waitpid(kid, &status, 0);
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	waitpid(srv, &status, 0);
	failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	/* Our own bootstrap port again (the bootstrap server's, if any). */
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(mach_task_self(), old);
	mach_port_deallocate(mach_task_self(), port);
	printf("9. All three processes have exited; their spaces were torn down and\n"
	       "   every right they held was released.\n");
	return failed;
}

/* ---- a service defined in MIG (machipc_demo.defs) ---- */

static int served;

kern_return_t do_demo_greet(mach_port_t server, demo_name_t name, audit_token_t caller, demo_text_t text)
{
	(void)server;
	snprintf(text, 128, "hello, %s (pid %u, uid %u)", name, audit_token_to_pid(caller),
		 audit_token_to_euid(caller));
	served++;
	return KERN_SUCCESS;
}

kern_return_t do_demo_sum(mach_port_t server, demo_values_t values, mach_msg_type_number_t valuesCnt, int *sum)
{
	(void)server;
	*sum = 0;
	for (mach_msg_type_number_t i = 0; i < valuesCnt; i++)
		*sum += values[i];
	served++;
	return KERN_SUCCESS;
}

kern_return_t do_demo_goodbye(mach_port_t server)
{
	(void)server;
	served = -1;
	return KERN_SUCCESS;
}

/* The client: calls the generated stubs as if they were local functions. */
static int mig_client(void)
{
	char text[128] = "";
	int values[5] = { 1, 2, 3, 4, 5 }, sum = 0;
	kern_return_t kr;

	kr = demo_greet(bootstrap_port, "machipc", text);
	if (kr != KERN_SUCCESS) {
		printf("   [client] demo_greet: %s\n", mach_error_string(kr));
		return 1;
	}
	printf("   [client, pid %d] demo_greet(\"machipc\") returned \"%s\".\n", getpid(), text);
	kr = demo_sum(bootstrap_port, values, 5, &sum);
	if (kr != KERN_SUCCESS) {
		printf("   [client] demo_sum: %s\n", mach_error_string(kr));
		return 1;
	}
	printf("   [client] demo_sum({1, 2, 3, 4, 5}) returned %d: the five numbers travelled\n"
	       "      packed tight, 20 bytes, with their count.\n", sum);
	kr = demo_goodbye(bootstrap_port);
	printf("   [client] demo_goodbye is a simpleroutine: sent, no reply awaited (%s).\n",
	       mach_error_string(kr));
	return kr != KERN_SUCCESS;
}

/* We serve the MIG interface; a child process is the client. */
static int mig_service(void)
{
	mach_port_t port, old = MACH_PORT_NULL;
	pid_t kid;
	int status, failed = 0;

	printf("\nA service defined in MIG:\n");
	printf("10. machipc_demo.defs declares three routines (ids 5000-5002); our mig\n"
	       "    compiled it into a client stub and a server demultiplexer with\n"
	       "    XNU's message layouts.\n");
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old);
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port);
	kid = fork();
	if (kid == 0)
		_exit(mig_client());
	printf("11. We serve port 0x%x with mach_msg_server_once() and the generated\n"
	       "    machipc_demo_server(); the client's calls arrive as function calls.\n", port);
	while (served >= 0 && !failed) {
		kern_return_t kr = mach_msg_server_once(machipc_demo_server,
							sizeof(union __RequestUnion__do_machipc_demo_subsystem), port,
							MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
								MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
		if (kr != KERN_SUCCESS) {
			printf("   [server] mach_msg_server_once: %s\n", mach_error_string(kr));
			failed = 1;
		}
	}
	waitpid(kid, &status, 0);
	failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	mach_port_destroy(mach_task_self(), port);
	printf("12. The server handled the greeting (with the caller's audit token from\n"
	       "    the message trailer), the sum, and the one-way goodbye.\n");
	return failed;
}

static const char *status_words(bootstrap_status_t st)
{
	switch (st) {
	case BOOTSTRAP_STATUS_ACTIVE:
		return "active";
	case BOOTSTRAP_STATUS_ON_DEMAND:
		return "on demand";
	default:
		return "inactive";
	}
}

/* A server process checks a name in; we find it by that name alone. */
static int by_name(void)
{
	static char name[] = "org.machipc.demo.greeter";
	mach_port_t svc = MACH_PORT_NULL;
	bootstrap_status_t st = BOOTSTRAP_STATUS_ACTIVE;
	char text[128] = "", ok = 0;
	int ready[2], status, i;
	kern_return_t kr;
	pid_t kid;

	printf("\nFinding a service by name (the bootstrap server):\n");
	if (!MACH_PORT_VALID(bootstrap_port)) {
		printf("13. This process has no bootstrap port: machipc-bootstrapd is not\n"
		       "    running, or this module gives no task the system bootstrap port\n"
		       "    (MACHIPC_OP_SET_SYSTEM_BOOTSTRAP). Skipped.\n");
		return 0;
	}
	if (pipe(ready))
		return 1;
	kid = fork();
	if (kid == 0) {
		mach_port_t p = MACH_PORT_NULL;

		kr = bootstrap_check_in(bootstrap_port, name, &p);
		if (kr != KERN_SUCCESS)
			fprintf(stderr, "   [server] bootstrap_check_in: %s\n", bootstrap_strerror(kr));
		ok = kr == KERN_SUCCESS ? 'y' : 'n';
		if (write(ready[1], &ok, 1) != 1 || kr != KERN_SUCCESS)
			_exit(1);
		served = 0;
		kr = mach_msg_server_once(machipc_demo_server,
					  sizeof(union __RequestUnion__do_machipc_demo_subsystem), p,
					  MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
						  MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
		_exit(kr != KERN_SUCCESS);
	}
	close(ready[1]);
	if (read(ready[0], &ok, 1) != 1 || ok != 'y') {
		waitpid(kid, &status, 0);
		return 1;
	}
	close(ready[0]);
	printf("13. Process %d called bootstrap_check_in(\"%s\"): the\n"
	       "    bootstrap server made a port for the name and gave it the receive right.\n",
	       kid, name);
	kr = bootstrap_look_up(bootstrap_port, name, &svc);
	if (kr != KERN_SUCCESS) {
		printf("   bootstrap_look_up: %s\n", bootstrap_strerror(kr));
		return 1;
	}
	printf("14. bootstrap_look_up(\"%s\") gave us a send right, 0x%x:\n"
	       "    nothing passed between the two processes but the name.\n", name, svc);
	kr = demo_greet(svc, "a client that only knew a name", text);
	printf("    demo_greet through it returned \"%s\" (%s).\n", text, mach_error_string(kr));
	waitpid(kid, &status, 0);
	for (i = 0; i < 5000 && st == BOOTSTRAP_STATUS_ACTIVE; i++) {
		if (bootstrap_status(bootstrap_port, name, &st) != KERN_SUCCESS)
			break;
		if (st == BOOTSTRAP_STATUS_ACTIVE)
			usleep(1000);
	}
	printf("15. The server exited. Its receive right went back to the bootstrap server\n"
	       "    (a port-destroyed notification): the name is %s, our send right still\n"
	       "    works, and a message sent now would wait for the next server to check in.\n",
	       status_words(st));
	bootstrap_register(bootstrap_port, name, MACH_PORT_NULL);
	mach_port_deallocate(mach_task_self(), svc);
	return kr != KERN_SUCCESS;
}

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

	if (conversation())
		return 1;
	if (mig_service())
		return 1;
	if (by_name())
		return 1;
	printf("\nWhen this process exits, the module tears its space down and releases\n"
	       "every right it still holds.\n");
	return 0;
}
