// SPDX-License-Identifier: MIT
/*
 * machipc-bootstrapd: the bootstrap server of machipc (docs/bootstrap.md).
 *
 * As the system's bootstrap server (the default) it makes its root
 * bootstrap port the system bootstrap port (machipc_set_system_bootstrap,
 * CAP_SYS_ADMIN), so that every task with no Mach ancestor starts with a
 * send right to it. A module without that call (KERN_INVALID_ARGUMENT)
 * leaves it serving only tasks given the port otherwise: it says so and
 * goes on. With --announce it is a private instance instead: it sends a
 * send right to its port to the bootstrap port it inherited (a test
 * harness, a supervisor) and exits with its parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <machipc/machipc.h>

#include "bootstrapd.h"
#include "machipc_bootstrapServer.h"

#define VERSION "1.0"

struct limits limits = {
	.names_per_uid = 1024,
	.bytes_per_uid = 1024 * 1024,
	.subsets_per_uid = 64,
	.servers_per_uid = 16,
	.names = 16384,
	.bootstraps = 1024,
	.servers = 256,
	.depth = 16,
	.throttle_ms = 10000,
	.launch = true,
};

mach_port_t main_set, demand_set, notify_port, internal_port;
__typeof__(stats) stats;

int log_level = LOG_NOTICE;
static int log_fd = 2;

void logmsg(int pri, const char *fmt, ...)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"
	};
	char buf[1024];
	va_list ap;
	int n;

	if (pri > log_level)
		return;
	n = snprintf(buf, sizeof(buf), "machipc-bootstrapd[%d]: %s: ", (int)getpid(),
		     names[pri & 7]);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per line: lines of several writers do not mix. */
	if (write(log_fd, buf, (size_t)n) < 0) {
		/* nowhere to say it */
	}
}

/* ---- signals ------------------------------------------------------------------ */

static void on_term(int sig)
{
	static const char msg[] = "machipc-bootstrapd: notice: terminated, exiting\n";

	(void)sig;
	servers_kill_all();
	if (write(log_fd, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do */
	}
	_exit(0);
}

static void setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
}

/* ---- requests and replies --------------------------------------------------- */

static void release_right(mach_port_name_t name, mach_msg_type_name_t disp)
{
	if (!MACH_PORT_VALID(name))
		return;
	switch (disp) {
	case MACH_MSG_TYPE_PORT_SEND:
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		mach_port_deallocate(mach_task_self(), name);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	default:
		break;
	}
}

/*
 * Releases what a received message carries: its reply right (unless
 * keep_reply), and every right and region of its body. Out-of-line memory
 * a message brings is always ours (mapped by the receive), whatever its
 * descriptor's deallocate flag says, so it is unmapped here.
 */
static void destroy_received(mach_msg_header_t *m, bool keep_reply)
{
	mach_msg_bits_t bits = m->msgh_bits;
	char *end = (char *)m + m->msgh_size, *d;
	mach_msg_body_t *body;
	mach_msg_size_t i;

	if (!keep_reply)
		release_right(m->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	m->msgh_remote_port = MACH_PORT_NULL;
	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return;
	m->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	body = (mach_msg_body_t *)(m + 1);
	if ((char *)(body + 1) > end)
		return;
	d = (char *)(body + 1);
	for (i = 0; i < body->msgh_descriptor_count; i++) {
		mach_msg_descriptor_t *desc = (mach_msg_descriptor_t *)d;

		if (d + sizeof(mach_msg_port_descriptor_t) > end)
			return;
		switch (desc->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			release_right(desc->port.name, desc->port.disposition);
			d += sizeof(desc->port);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (d + sizeof(desc->out_of_line) > end)
				return;
			if (desc->out_of_line.address && desc->out_of_line.size)
				vm_deallocate(mach_task_self(),
					      (vm_address_t)desc->out_of_line.address,
					      desc->out_of_line.size);
			d += sizeof(desc->out_of_line);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *ports;
			mach_msg_size_t j;

			if (d + sizeof(desc->ool_ports) > end)
				return;
			ports = (mach_port_name_t *)desc->ool_ports.address;
			for (j = 0; ports && j < desc->ool_ports.count; j++)
				release_right(ports[j], desc->ool_ports.disposition);
			if (ports && desc->ool_ports.count)
				vm_deallocate(mach_task_self(), (vm_address_t)ports,
					      desc->ool_ports.count * sizeof(*ports));
			d += sizeof(desc->ool_ports);
			break;
		}
		default:
			return;
		}
	}
}

/* After the routine: send its reply (never waiting), or clean up. */
static void finish(mach_msg_header_t *req, mig_reply_error_t *rep)
{
	mach_msg_return_t mr;

	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (rep->RetCode == MIG_NO_REPLY) {
			destroy_received(req, false);
			return;
		}
		if (rep->RetCode != KERN_SUCCESS) {
			/* The routine took nothing: the body goes, the reply right
			 * carries the error. */
			destroy_received(req, true);
		}
	}
	if (!MACH_PORT_VALID(rep->Head.msgh_remote_port)) {
		if (rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
			mach_msg_destroy(&rep->Head);
		return;
	}
	/* A send-once reply right never makes us wait; a send right could:
	 * a zero timeout either way. */
	mr = mach_msg(&rep->Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, rep->Head.msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		log_debug("reply %d not delivered: %s", rep->Head.msgh_id, mach_error_string(mr));
		mach_msg_destroy(&rep->Head);
	}
}

static void handle_notification(mach_msg_header_t *m)
{
	stats.notifications++;
	switch (m->msgh_id) {
	case MACH_NOTIFY_DEAD_NAME:
		if (m->msgh_size >= sizeof(mach_dead_name_notification_t) - sizeof(mach_msg_format_0_trailer_t))
			notify_dead_name(((mach_dead_name_notification_t *)m)->not_port);
		break;
	case MACH_NOTIFY_PORT_DESTROYED: {
		mach_port_destroyed_notification_t *n = (mach_port_destroyed_notification_t *)m;

		if ((m->msgh_bits & MACH_MSGH_BITS_COMPLEX) && n->not_body.msgh_descriptor_count == 1 &&
		    n->not_port.type == MACH_MSG_PORT_DESCRIPTOR &&
		    n->not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE) {
			notify_port_destroyed(n->not_port.name);
			return;
		}
		break;
	}
	case MACH_NOTIFY_SEND_ONCE:     /* a request we replaced */
	case MACH_NOTIFY_PORT_DELETED:  /* a name we dropped */
		break;
	default:
		log_debug("unexpected message %d on the notify port", m->msgh_id);
		break;
	}
	destroy_received(m, false);
}

static void handle_internal(mach_msg_header_t *m)
{
	internal_msg_t *i = (internal_msg_t *)m;

	if (m->msgh_id != INTERNAL_MSG_ID || m->msgh_size != sizeof(*i) ||
	    (m->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		destroy_received(m, false);
		return;
	}
	switch (i->what) {
	case INTERNAL_DEMAND:
		server_demand(i->port);
		break;
	case INTERNAL_EXITED:
		server_exited(i->pid, i->status);
		break;
	case INTERNAL_TIMER:
		server_timer(i->id);
		break;
	}
	destroy_received(m, false);
}

#define REQ_SIZE 8192

static void __attribute__((noreturn)) serve(void)
{
	union {
		mach_msg_header_t h;
		char buf[REQ_SIZE];
	} *req = malloc(sizeof(*req));
	union {
		mig_reply_error_t e;
		union __ReplyUnion__bsd_machipc_bootstrap_subsystem r;
		char buf[4096];
	} *rep = malloc(sizeof(*rep));
	unsigned failures = 0;

	if (!req || !rep) {
		log_err("out of memory");
		exit(1);
	}
	for (;;) {
		mach_msg_header_t *m = &req->h;
		mach_msg_return_t mr;

		mr = mach_msg(m, MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			      0, REQ_SIZE, main_set, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE) {
			/* Too large for any request: the kernel destroyed it. */
			log_debug("a message too large for a request was dropped");
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			log_err("receive: %s", mach_error_string(mr));
			if (++failures > 1000) {
				log_err("the receive keeps failing: exiting");
				exit(1);
			}
			continue;
		}
		failures = 0;
		/* Vouchers mean nothing here. */
		if (MACH_MSGH_BITS_VOUCHER(m->msgh_bits) && MACH_PORT_VALID(m->msgh_voucher_port))
			mach_port_deallocate(mach_task_self(), m->msgh_voucher_port);
		m->msgh_voucher_port = MACH_PORT_NULL;
		m->msgh_bits &= ~MACH_MSGH_BITS_VOUCHER_MASK;

		if (m->msgh_local_port == notify_port) {
			handle_notification(m);
			continue;
		}
		if (m->msgh_local_port == internal_port) {
			handle_internal(m);
			continue;
		}
		if (!served_bootstrap(m->msgh_local_port) && !served_server(m->msgh_local_port)) {
			destroy_received(m, false);
			continue;
		}
		/* What the kernel sends to a served port itself (checked by
		 * state: anyone may send these ids). */
		if (m->msgh_id == MACH_NOTIFY_NO_SENDERS && !(m->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			stats.notifications++;
			notify_no_senders(m->msgh_local_port);
			destroy_received(m, false);
			continue;
		}
		if (m->msgh_id == MACH_NOTIFY_SEND_ONCE) {
			destroy_received(m, false);
			continue;
		}
		stats.requests++;
		memset(&rep->e, 0, sizeof(rep->e));
		(void)machipc_bootstrap_server(m, &rep->e.Head);
		finish(m, &rep->e);
	}
}

/* ---- start-up ----------------------------------------------------------------- */

static mach_port_t new_receive(void)
{
	mach_port_t p = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS) {
		log_err("cannot allocate a port (is the machipc module loaded?)");
		exit(1);
	}
	return p;
}

static void setup_ports(void)
{
	mach_port_t self = mach_task_self();
	mach_port_limits_t lim = { .mpl_qlimit = MACH_PORT_QLIMIT_MAX };

	if (mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &main_set) != KERN_SUCCESS ||
	    mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &demand_set) != KERN_SUCCESS) {
		log_err("cannot allocate port sets (is the machipc module loaded?)");
		exit(1);
	}
	notify_port = new_receive();
	internal_port = new_receive();
	if (mach_port_insert_right(self, internal_port, internal_port, MACH_MSG_TYPE_MAKE_SEND) !=
		    KERN_SUCCESS ||
	    mach_port_move_member(self, notify_port, main_set) != KERN_SUCCESS ||
	    mach_port_move_member(self, internal_port, main_set) != KERN_SUCCESS) {
		log_err("cannot set up the daemon's ports");
		exit(1);
	}
	/* Notifications and the helpers' messages must not be refused. */
	mach_port_set_attributes(self, notify_port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim,
				 MACH_PORT_LIMITS_INFO_COUNT);
	mach_port_set_attributes(self, internal_port, MACH_PORT_LIMITS_INFO,
				 (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	registry_init();
	/* Our own send right to the root port: what we give the kernel (or
	 * our parent). */
	if (mach_port_insert_right(self, root_bootstrap->port, root_bootstrap->port,
				   MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS) {
		log_err("cannot make a send right to the root bootstrap port");
		exit(1);
	}
}

static bool port_alive(mach_port_t p)
{
	mach_port_type_t t = 0;

	return MACH_PORT_VALID(p) && mach_port_type(mach_task_self(), p, &t) == KERN_SUCCESS &&
	       (t & MACH_PORT_TYPE_SEND);
}

static void become_system_server(bool replace)
{
	kern_return_t kr;

	if (port_alive(bootstrap_port) && !replace) {
		log_err("another bootstrap server holds our bootstrap port (still alive): not "
			"starting (--replace takes over)");
		exit(1);
	}
	kr = machipc_set_system_bootstrap(root_bootstrap->port);
	switch (kr) {
	case KERN_SUCCESS:
		log_notice("serving the system bootstrap port: every task with no Mach "
			   "ancestor reaches this server");
		break;
	case KERN_INVALID_ARGUMENT:
	case KERN_NOT_SUPPORTED:
		log_warn("this machipc module has no system bootstrap port "
			 "(MACHIPC_OP_SET_SYSTEM_BOOTSTRAP: %s): serving only tasks given the "
			 "port otherwise", mach_error_string(kr));
		break;
	case KERN_NO_ACCESS:
		log_err("setting the system bootstrap port needs CAP_SYS_ADMIN (or run a private "
			"instance with --announce)");
		exit(1);
	default:
		log_err("cannot set the system bootstrap port: %s", mach_error_string(kr));
		exit(1);
	}
}

static void announce(void)
{
	machipc_bootstrap_announce_t m;
	mach_msg_return_t mr;

	if (!MACH_PORT_VALID(bootstrap_port)) {
		log_err("--announce: no bootstrap port inherited to announce ourselves to");
		exit(1);
	}
	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = bootstrap_port;
	m.header.msgh_id = MACHIPC_BOOTSTRAP_ANNOUNCE_ID;
	m.body.msgh_descriptor_count = 1;
	m.port.name = root_bootstrap->port;
	m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	/* Our parent, not a client; still, never forever. */
	mr = mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
		      10000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		log_err("--announce: cannot send our port to our bootstrap port: %s",
			mach_error_string(mr));
		exit(1);
	}
	log_notice("private instance: announced to the parent's bootstrap port");
}

/* systemd's readiness notification ($NOTIFY_SOCKET), without libsystemd. */
static void sd_ready(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[64];
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (path[0] == '@')
		sa.sun_path[0] = 0;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(msg, sizeof(msg), "READY=1\nMAINPID=%d", (int)getpid());
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
		log_warn("cannot notify systemd: %s", strerror(errno));
	close(fd);
}

static void write_pidfile(const char *path)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0 || write(fd, buf, (size_t)n) != n) {
		log_err("cannot write %s: %s", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* ---- the client side: --list and --counts -------------------------------------- */

static const char *status_name(bootstrap_status_t s)
{
	switch (s) {
	case BOOTSTRAP_STATUS_ACTIVE:
		return "active";
	case BOOTSTRAP_STATUS_ON_DEMAND:
		return "on-demand";
	default:
		return "inactive";
	}
}

static bool client_port(void)
{
	if (MACH_PORT_VALID(bootstrap_port))
		return true;
	fprintf(stderr, "machipc-bootstrapd: this process has no bootstrap port (no system "
		"bootstrap port, or none inherited)\n");
	return false;
}

static int client_list(void)
{
	name_array_t names = NULL, jobs = NULL;
	bootstrap_status_array_t act = NULL;
	mach_msg_type_number_t nn = 0, nj = 0, na = 0, i;
	kern_return_t kr;

	if (!client_port())
		return 1;
	kr = bootstrap_info(bootstrap_port, &names, &nn, &jobs, &nj, &act, &na, 0);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "machipc-bootstrapd: bootstrap_info: %s\n", bootstrap_strerror(kr));
		return 1;
	}
	for (i = 0; i < nn && i < nj && i < na; i++)
		printf("%-9s %s%s%s\n", status_name(act[i]), names[i], jobs[i][0] ? "  " : "",
		       jobs[i]);
	return 0;
}

static int client_counts(void)
{
	machipc_bootstrap_counts_t c;
	kern_return_t kr;

	if (!client_port())
		return 1;
	kr = machipc_bootstrap_counts(bootstrap_port, &c);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "machipc-bootstrapd: counts: %s\n", bootstrap_strerror(kr));
		return 1;
	}
#define P(f) printf("%-20s %llu\n", #f, (unsigned long long)c.f)
	P(names); P(names_active); P(names_per_pid); P(bootstraps); P(servers);
	P(servers_running); P(port_names); P(receive_rights); P(send_rights);
	P(send_once_rights); P(dead_names); P(port_sets); P(tracked_ports); P(bytes); P(uids);
	P(caller_bytes); P(caller_names); P(limit_bytes_per_uid); P(limit_names_per_uid);
	P(requests); P(refused_no_memory); P(notifications); P(launches);
#undef P
	return 0;
}

/* ---- main ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: machipc-bootstrapd [options]\n"
		"The bootstrap server of machipc (Mach IPC for Linux).\n"
		"\n"
		"  -d, --daemon             detach once ready (the parent exits 0, or 1 on failure)\n"
		"      --announce           private instance: send our port to the bootstrap port\n"
		"                           we inherited, exit with our parent\n"
		"      --replace            take over from a bootstrap server still running\n"
		"      --pidfile FILE       write our pid there once ready\n"
		"      --state FILE         keep the root namespace's names (and owners) there,\n"
		"                           reserved again after a restart\n"
		"      --log FILE           log there (appending) instead of to stderr\n"
		"  -v, --verbose            more log (twice: debug)\n"
		"  -q, --quiet              errors and warnings only\n"
		"      --max-names-per-uid N, --max-bytes-per-uid N, --max-subsets-per-uid N,\n"
		"      --max-servers-per-uid N, --max-names N, --max-subsets N, --max-servers N,\n"
		"      --max-depth N        limits (BOOTSTRAP_NO_MEMORY beyond them)\n"
		"      --no-launch          refuse bootstrap_create_server (KERN_NOT_SUPPORTED)\n"
		"      --throttle MS        least time between two starts of a server (10000)\n"
		"      --list               print the names of our bootstrap namespace and exit\n"
		"      --counts             print what the bootstrap server holds and exit\n"
		"  -h, --help, --version\n");
}

static uint64_t number(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || !*s) {
		fprintf(stderr, "machipc-bootstrapd: %s: not a number: %s\n", opt, s);
		exit(2);
	}
	return v;
}

enum {
	OPT_ANNOUNCE = 256, OPT_REPLACE, OPT_PIDFILE, OPT_STATE, OPT_LOG, OPT_NAMES_UID,
	OPT_BYTES_UID, OPT_SUBSETS_UID, OPT_SERVERS_UID, OPT_NAMES, OPT_SUBSETS, OPT_SERVERS,
	OPT_DEPTH, OPT_NO_LAUNCH, OPT_THROTTLE, OPT_LIST, OPT_COUNTS, OPT_VERSION,
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "daemon", no_argument, NULL, 'd' },
		{ "announce", no_argument, NULL, OPT_ANNOUNCE },
		{ "replace", no_argument, NULL, OPT_REPLACE },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-names-per-uid", required_argument, NULL, OPT_NAMES_UID },
		{ "max-bytes-per-uid", required_argument, NULL, OPT_BYTES_UID },
		{ "max-subsets-per-uid", required_argument, NULL, OPT_SUBSETS_UID },
		{ "max-servers-per-uid", required_argument, NULL, OPT_SERVERS_UID },
		{ "max-names", required_argument, NULL, OPT_NAMES },
		{ "max-subsets", required_argument, NULL, OPT_SUBSETS },
		{ "max-servers", required_argument, NULL, OPT_SERVERS },
		{ "max-depth", required_argument, NULL, OPT_DEPTH },
		{ "no-launch", no_argument, NULL, OPT_NO_LAUNCH },
		{ "throttle", required_argument, NULL, OPT_THROTTLE },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "counts", no_argument, NULL, OPT_COUNTS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	bool daemonize = false, private_ = false, replace = false;
	const char *pidfile = NULL;
	int c, ready[2] = { -1, -1 };

	while ((c = getopt_long(argc, argv, "dvqh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': daemonize = true; break;
		case OPT_ANNOUNCE: private_ = true; break;
		case OPT_REPLACE: replace = true; break;
		case OPT_PIDFILE: pidfile = optarg; break;
		case OPT_STATE: state_path = optarg; break;
		case OPT_LOG:
			log_fd = open(optarg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
			if (log_fd < 0) {
				fprintf(stderr, "machipc-bootstrapd: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 'v': log_level = log_level < LOG_INFO ? LOG_INFO : LOG_DEBUG; break;
		case 'q': log_level = LOG_WARNING; break;
		case OPT_NAMES_UID: limits.names_per_uid = number("--max-names-per-uid", optarg); break;
		case OPT_BYTES_UID: limits.bytes_per_uid = number("--max-bytes-per-uid", optarg); break;
		case OPT_SUBSETS_UID: limits.subsets_per_uid = number("--max-subsets-per-uid", optarg); break;
		case OPT_SERVERS_UID: limits.servers_per_uid = number("--max-servers-per-uid", optarg); break;
		case OPT_NAMES: limits.names = number("--max-names", optarg); break;
		case OPT_SUBSETS: limits.bootstraps = number("--max-subsets", optarg) + 1; break;
		case OPT_SERVERS: limits.servers = number("--max-servers", optarg); break;
		case OPT_DEPTH: limits.depth = (unsigned)number("--max-depth", optarg); break;
		case OPT_NO_LAUNCH: limits.launch = false; break;
		case OPT_THROTTLE: limits.throttle_ms = (unsigned)number("--throttle", optarg); break;
		case OPT_LIST: return client_list();
		case OPT_COUNTS: return client_counts();
		case 'h': usage(stdout); return 0;
		case OPT_VERSION: printf("machipc-bootstrapd %s\n", VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (mach_task_self() == MACH_PORT_NULL) {
		log_err("no Mach task: cannot open /dev/mach (is the machipc module loaded?)");
		return 1;
	}
	if (daemonize) {
		pid_t pid;

		if (pipe2(ready, O_CLOEXEC) != 0) {
			log_err("pipe: %s", strerror(errno));
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			log_err("fork: %s", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			char ok = 0;

			close(ready[1]);
			/* Our child says when it serves (or dies trying). */
			while (read(ready[0], &ok, 1) < 0 && errno == EINTR)
				;
			return ok == 'y' ? 0 : 1;
		}
		close(ready[0]);
		setsid();
	}
	if (private_)
		prctl(PR_SET_PDEATHSIG, SIGTERM);
	setup_signals();
	setup_ports();
	if (private_)
		announce();
	else
		become_system_server(replace);
	/* Our own bootstrap port is none (as mach_init's): what we inherited
	 * goes, and a server we start gets its own port explicitly. */
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	if (MACH_PORT_VALID(bootstrap_port))
		mach_port_deallocate(mach_task_self(), bootstrap_port);
	bootstrap_port = MACH_PORT_NULL;
	state_load();
	if (!servers_start_threads())
		return 1;
	if (pidfile)
		write_pidfile(pidfile);
	sd_ready();
	if (daemonize) {
		int fd = open("/dev/null", O_RDWR);

		if (write(ready[1], "y", 1) != 1)
			return 1;
		close(ready[1]);
		if (fd >= 0) {
			dup2(fd, 0);
			if (log_fd != 1)
				dup2(fd, 1);
			close(fd);
		}
	}
	log_notice("ready (pid %d, machipc-bootstrapd %s)", (int)getpid(), VERSION);
	serve();
}
