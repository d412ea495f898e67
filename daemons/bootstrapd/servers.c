// SPDX-License-Identifier: MIT
/*
 * bootstrap_create_server(): servers the daemon starts as a given uid with
 * the server's port as their bootstrap port, and the two helper threads.
 *
 * - An on-demand server starts when a message arrives on one of its
 *   reserved (inactive) names: those ports sit in demand_set, where the
 *   demand thread waits with MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY and
 *   a buffer too small for any message, so it learns which port without
 *   taking the message (it is the server's); it takes the port out of the
 *   set and tells the main thread.
 * - The other servers start at once, and again when they exit after having
 *   checked in during their run.
 * - Two starts of one server are at least limits.throttle_ms apart (a
 *   timer thread tells the main thread when the wait is over).
 * - The reaper thread waits for the children and tells the main thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bootstrapd.h"

#define MAX_ARGS 64
#define MAX_RUNNING 1024

static struct list all_servers = { &all_servers, &all_servers };
static unsigned next_server_id = 1;

struct server_node {
	struct list all;
	struct server s;
};

/* What the SIGTERM handler kills. */
static volatile pid_t running[MAX_RUNNING];

static pthread_mutex_t reap_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reap_cond = PTHREAD_COND_INITIALIZER;
static int children;

void internal_post(uint32_t what, uint32_t port, int32_t pid, int32_t status, uint32_t id)
{
	internal_msg_t m = {
		.header = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			.msgh_size = sizeof(m),
			.msgh_remote_port = internal_port,
			.msgh_id = INTERNAL_MSG_ID,
		},
		.what = what, .port = port, .pid = pid, .status = status, .id = id,
	};
	mach_msg_return_t mr;

	/* Our own port, drained by the main thread: waiting is fine here. */
	mr = mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		log_err("internal message %u lost: %s", what, mach_error_string(mr));
}

/* ---- the command line --------------------------------------------------------- */

/* Splits a command as mach_init did: blanks separate, "..." quotes, \ escapes. */
static char **argvize(const char *cmd, size_t *bytes)
{
	size_t len = strlen(cmd);
	char *buf = malloc(len + 1), *out = buf;
	char **argv = calloc(MAX_ARGS + 1, sizeof(char *));
	const char *c = cmd;
	int n = 0;

	if (!buf || !argv)
		goto fail;
	while (*c) {
		char quote = 0;

		while (*c == ' ' || *c == '\t' || *c == '\n')
			c++;
		if (!*c)
			break;
		if (n == MAX_ARGS)
			goto fail;
		argv[n++] = out;
		for (; *c; c++) {
			if (quote && *c == quote) {
				quote = 0;
			} else if (!quote && (*c == '"' || *c == '\'')) {
				quote = *c;
			} else if (!quote && (*c == ' ' || *c == '\t' || *c == '\n')) {
				break;
			} else if (*c == '\\' && c[1]) {
				*out++ = *++c;
			} else {
				*out++ = *c;
			}
		}
		if (quote)
			goto fail;
		*out++ = 0;
	}
	if (n == 0 || argv[0][0] != '/')
		goto fail;
	*bytes = len + 1 + (MAX_ARGS + 1) * sizeof(char *);
	return argv;
fail:
	free(buf);
	free(argv);
	return NULL;
}

/* The primary group of uid (/etc/passwd), or the number of the uid. */
static gid_t group_of(uid_t uid)
{
	FILE *f = fopen("/etc/passwd", "re");
	char line[1024];
	gid_t gid = (gid_t)uid;

	if (!f)
		return gid;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *name = strtok_r(line, ":", &save);
		char *pw = name ? strtok_r(NULL, ":", &save) : NULL;
		char *u = pw ? strtok_r(NULL, ":", &save) : NULL;
		char *g = u ? strtok_r(NULL, ":", &save) : NULL;

		if (g && strtoul(u, NULL, 10) == uid) {
			gid = (gid_t)strtoul(g, NULL, 10);
			break;
		}
	}
	fclose(f);
	return gid;
}

/* ---- servers --------------------------------------------------------------------- */

static struct server *server_by_id(unsigned id)
{
	struct list *pos;

	for (pos = all_servers.next; pos != &all_servers; pos = pos->next) {
		struct server *s = &container_of(pos, struct server_node, all)->s;

		if (s->id == id)
			return s;
	}
	return NULL;
}

static struct server *server_by_pid(pid_t pid)
{
	struct list *pos;

	for (pos = all_servers.next; pos != &all_servers; pos = pos->next) {
		struct server *s = &container_of(pos, struct server_node, all)->s;

		if (s->pid == pid)
			return s;
	}
	return NULL;
}

struct server *server_new(struct bootstrap *b, uid_t owner, uid_t uid, bool on_demand,
			  const char *cmd, kern_return_t *kr)
{
	struct server_node *n;
	struct server *s;
	size_t argv_bytes = 0;
	char **argv = argvize(cmd, &argv_bytes);
	uint64_t bytes;
	mach_port_name_t port = MACH_PORT_NULL;

	if (!argv) {
		*kr = KERN_INVALID_ARGUMENT;
		return NULL;
	}
	bytes = sizeof(*n) + strlen(cmd) + 1 + argv_bytes;
	if (!charge(owner, bytes, 0, 0, 1)) {
		free(argv[0]);
		free(argv);
		*kr = BOOTSTRAP_NO_MEMORY;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n)
		n->s.cmd = strdup(cmd);
	if (!n || !n->s.cmd ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS) {
		if (n)
			free(n->s.cmd);
		free(n);
		free(argv[0]);
		free(argv);
		uncharge(owner, bytes, 0, 0, 1);
		*kr = BOOTSTRAP_NO_MEMORY;
		return NULL;
	}
	s = &n->s;
	s->port = port;
	s->id = next_server_id++;
	s->bootstrap = b;
	s->owner = owner;
	s->uid = uid;
	s->gid = group_of(uid);
	s->on_demand = on_demand;
	s->senders = true;
	s->argv = argv;
	s->bytes = bytes;
	list_add(&b->servers, &s->sibling);
	list_add(&all_servers, &n->all);
	if (mach_port_move_member(mach_task_self(), port, main_set) != KERN_SUCCESS)
		log_err("cannot serve server port 0x%x", port);
	serve_server(s);
	/* The reply's send right makes the make-send count 1. */
	arm_no_senders(port, 1);
	stats.servers++;
	log_info("server %u: \"%s\" as uid %u%s (bootstrap %u)", s->id, cmd, (unsigned)uid,
		 on_demand ? ", on demand" : "", b->id);
	*kr = KERN_SUCCESS;
	return s;
}

void server_delete(struct server *s)
{
	struct server_node *n = container_of(s, struct server_node, s);
	struct list *pos;

	if (s->pid) {
		log_info("server %u: stopping pid %d", s->id, (int)s->pid);
		kill(s->pid, SIGTERM);
		/* Its exit is reaped by the reaper thread and then ignored. */
	}
	for (pos = s->bootstrap->services.next; pos != &s->bootstrap->services; pos = pos->next) {
		struct service *sv = container_of(pos, struct service, in_bootstrap);

		if (sv->server == s)
			sv->server = NULL;
	}
	unserve(s->port);
	mach_port_mod_refs(mach_task_self(), s->port, MACH_PORT_RIGHT_RECEIVE, -1);
	list_del(&s->sibling);
	list_del(&n->all);
	uncharge(s->owner, s->bytes, 0, 0, 1);
	stats.servers--;
	if (s->pid)
		stats.servers_running--;
	log_info("server %u gone", s->id);
	free(s->cmd);
	free(s->argv[0]);
	free(s->argv);
	free(n);
}

void server_maybe_delete(struct server *s)
{
	if (!s->senders && s->services == 0 && !s->pid)
		server_delete(s);
}

static void timer_after(unsigned id, unsigned ms);

/* Runs in the child, between fork and exec: async-signal-safe calls only. */
static void __attribute__((noreturn)) exec_server(struct server *s, int sync_fd)
{
	static char *const envp[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
	};
	sigset_t none;
	int fd, sig;

	/* The fork handlers ran: our task exists, with the server's port. */
	if (write(sync_fd, "", 1) != 1)
		_exit(126);
	close(sync_fd);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (chdir("/") != 0)
		_exit(126);
	if (getuid() == 0) {
		if (setgroups(1, &s->gid) != 0 || setgid(s->gid) != 0 || setuid(s->uid) != 0)
			_exit(126);
	} else if (getuid() != s->uid) {
		_exit(126);
	}
	execve(s->argv[0], s->argv, envp);
	_exit(127);
}

void server_launch(struct server *s)
{
	mach_port_t self = mach_task_self(), saved = MACH_PORT_NULL;
	uint64_t now = now_ms();
	int sync[2], i;
	pid_t pid;
	char c;

	if (s->pid || !limits.launch)
		return;
	if (s->last_launch_ms && now - s->last_launch_ms < limits.throttle_ms) {
		if (!s->relaunch_pending) {
			s->relaunch_pending = true;
			timer_after(s->id, (unsigned)(limits.throttle_ms - (now - s->last_launch_ms)));
		}
		return;
	}
	if (stats.servers_running >= MAX_RUNNING) {
		log_warn("server %u: %d servers running already, not started", s->id, MAX_RUNNING);
		return;
	}
	/* The child's bootstrap port is what ours is when it is forked. */
	if (mach_port_insert_right(self, s->port, s->port, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return;
	task_get_special_port(self, TASK_BOOTSTRAP_PORT, &saved);
	if (task_set_special_port(self, TASK_BOOTSTRAP_PORT, s->port) != KERN_SUCCESS ||
	    pipe2(sync, O_CLOEXEC) != 0) {
		mach_port_deallocate(self, s->port);
		if (MACH_PORT_VALID(saved))
			mach_port_deallocate(self, saved);
		return;
	}
	s->last_launch_ms = now;
	pid = fork();
	if (pid == 0)
		exec_server(s, sync[1]);
	close(sync[1]);
	/* Until the child's task exists (it took the bootstrap port then). */
	while (pid > 0 && read(sync[0], &c, 1) < 0 && errno == EINTR)
		;
	close(sync[0]);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, saved);
	if (MACH_PORT_VALID(saved))
		mach_port_deallocate(self, saved);
	mach_port_deallocate(self, s->port);
	if (pid < 0) {
		log_err("server %u: fork: %s", s->id, strerror(errno));
		return;
	}
	s->pid = pid;
	s->activity = false;
	s->senders = true;
	arm_no_senders(s->port, 1);
	stats.servers_running++;
	stats.launches++;
	for (i = 0; i < MAX_RUNNING; i++) {
		if (!running[i]) {
			running[i] = pid;
			break;
		}
	}
	pthread_mutex_lock(&reap_lock);
	children++;
	pthread_cond_signal(&reap_cond);
	pthread_mutex_unlock(&reap_lock);
	log_info("server %u: started \"%s\" as uid %u: pid %d", s->id, s->cmd, (unsigned)s->uid,
		 (int)pid);
}

void server_demand(mach_port_name_t name)
{
	struct port *p = port_find(name);
	struct list *pos;

	if (!p)
		return;
	p->in_demand = false; /* the demand thread took it out of the set */
	for (pos = p->services.next; pos != &p->services; pos = pos->next) {
		struct service *sv = container_of(pos, struct service, in_port);

		if (sv->server && sv->server->on_demand && p->recv_here) {
			log_info("\"%s\": a message is waiting: starting server %u", sv->name,
				 sv->server->id);
			sv->server->demanded = true;
			server_launch(sv->server);
			return;
		}
	}
}

/* The reserved ports of an on-demand server that is not running go back
 * into the demand set. */
static void rearm_demand(struct server *s)
{
	struct list *pos;

	for (pos = s->bootstrap->services.next; pos != &s->bootstrap->services; pos = pos->next) {
		struct service *sv = container_of(pos, struct service, in_bootstrap);

		if (sv->server == s && sv->port && sv->port->recv_here)
			demand_add(sv->port);
	}
}

void server_exited(pid_t pid, int status)
{
	struct server *s = server_by_pid(pid);
	int i;

	for (i = 0; i < MAX_RUNNING; i++) {
		if (running[i] == pid) {
			running[i] = 0;
			break;
		}
	}
	if (!s)
		return;
	if (WIFEXITED(status))
		log_info("server %u (pid %d) exited with status %d", s->id, (int)pid,
			 WEXITSTATUS(status));
	else
		log_info("server %u (pid %d) killed by signal %d", s->id, (int)pid,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	s->pid = 0;
	stats.servers_running--;
	if (s->on_demand) {
		s->demanded = false;
		rearm_demand(s);
	} else if (s->activity) {
		server_launch(s);
	} else {
		log_notice("server %u (\"%s\") exited without checking in: not restarted", s->id,
			   s->cmd);
	}
	server_maybe_delete(s);
}

void server_timer(unsigned id)
{
	struct server *s = server_by_id(id);

	if (!s)
		return;
	s->relaunch_pending = false;
	if (!s->on_demand || s->demanded)
		server_launch(s);
}

/* ---- the demand set ------------------------------------------------------------- */

/*
 * Watches a reserved port of an on-demand server. A message may be queued
 * already: then the server starts now (a kernel may not wake the demand
 * thread for a port that joins its set with messages, as XNU does).
 */
void demand_add(struct port *p)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	if (p->in_demand)
		return;
	if (mach_port_move_member(mach_task_self(), p->name, demand_set) != KERN_SUCCESS)
		return;
	p->in_demand = true;
	if (mach_port_get_attributes(mach_task_self(), p->name, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&st, &cnt) == KERN_SUCCESS &&
	    st.mps_msgcount > 0) {
		demand_remove(p);
		server_demand(p->name);
	}
}

void demand_remove(struct port *p)
{
	if (!p->in_demand)
		return;
	mach_port_move_member(mach_task_self(), p->name, MACH_PORT_NULL);
	p->in_demand = false;
}

/* ---- threads -------------------------------------------------------------------- */

static void *demand_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct {
			mach_msg_header_t h;
			char room[64];
		} m;
		mach_msg_return_t mr;

		memset(&m, 0, sizeof(m));
		/* Room for a header and no trailer: every message is too large,
		 * stays queued, and its port's name is in msgh_local_port. */
		mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY, 0,
			      sizeof(mach_msg_header_t), demand_set, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE) {
			mach_port_name_t name = m.h.msgh_local_port;

			if (mach_port_move_member(mach_task_self(), name, MACH_PORT_NULL) ==
			    KERN_SUCCESS)
				internal_post(INTERNAL_DEMAND, name, 0, 0, 0);
			continue;
		}
		if (mr == MACH_RCV_INVALID_NAME || mr == MACH_RCV_PORT_DIED)
			return NULL;
		log_warn("demand thread: %s", mach_error_string(mr));
		if (mr == MACH_MSG_SUCCESS) /* taken after all (a bare header) */
			mach_msg_destroy(&m.h);
	}
}

static void *reaper_thread(void *arg)
{
	(void)arg;
	for (;;) {
		int status = 0;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid > 0) {
			pthread_mutex_lock(&reap_lock);
			if (children > 0)
				children--;
			pthread_mutex_unlock(&reap_lock);
			internal_post(INTERNAL_EXITED, 0, pid, status, 0);
		} else if (errno == ECHILD) {
			pthread_mutex_lock(&reap_lock);
			while (children == 0)
				pthread_cond_wait(&reap_cond, &reap_lock);
			pthread_mutex_unlock(&reap_lock);
		}
	}
	return NULL;
}

struct timer {
	unsigned id, ms;
};

static void *timer_thread(void *arg)
{
	struct timer t = *(struct timer *)arg;
	struct timespec ts = { .tv_sec = t.ms / 1000, .tv_nsec = (long)(t.ms % 1000) * 1000000L };

	free(arg);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	internal_post(INTERNAL_TIMER, 0, 0, 0, t.id);
	return NULL;
}

static bool start_thread(void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	pthread_t t;
	sigset_t all, old;
	int err;

	/* Signals go to the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 64 * 1024);
	err = pthread_create(&t, &a, fn, arg);
	pthread_attr_destroy(&a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		log_err("pthread_create: %s", strerror(err));
	return err == 0;
}

static void timer_after(unsigned id, unsigned ms)
{
	struct timer *t = malloc(sizeof(*t));

	if (!t)
		return;
	*t = (struct timer){ .id = id, .ms = ms };
	if (!start_thread(timer_thread, t))
		free(t);
}

bool servers_start_threads(void)
{
	return start_thread(demand_thread, NULL) && start_thread(reaper_thread, NULL);
}

void servers_kill_all(void)
{
	int i;

	for (i = 0; i < MAX_RUNNING; i++) {
		if (running[i] > 0)
			kill(running[i], SIGTERM);
	}
}
