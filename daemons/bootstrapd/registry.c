// SPDX-License-Identifier: MIT
/*
 * What machipc-bootstrapd holds: namespaces (struct bootstrap), names
 * (struct service), the ports behind them (struct port), the memory
 * charged to each uid, and the notifications that change them.
 *
 * Rights: for every struct port the daemon has exactly one user reference
 * of a send right under port->name, and a dead-name request on it (armed
 * "immediate", so a port already dead is reported at once); a reserved
 * name's port also has its receive right here (recv_here). A receive right
 * handed out by check_in has a port-destroyed request armed on it, so it
 * comes back here when its server dies. Bootstrap and server ports are
 * receive rights in the main port set, with a no-senders request sent to
 * the port itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bootstrapd.h"

struct bootstrap *root_bootstrap;

/* ---- hash tables ------------------------------------------------------------ */

static uint32_t hash_str(const char *s, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static inline uint32_t hash_name(mach_port_name_t n)
{
	return n * 2654435761u;
}

/* Services by (namespace, pid, name). */
static struct service **svc_tab;
static size_t svc_cap, svc_n;

static uint32_t svc_hash(unsigned id, pid_t pid, const char *name)
{
	return hash_str(name, id * 0x9e3779b9u ^ (uint32_t)pid * 0x85ebca6bu);
}

static bool svc_grow(void)
{
	size_t cap = svc_cap ? svc_cap * 2 : 256, i;
	struct service **t = calloc(cap, sizeof(*t));

	if (!t)
		return false;
	for (i = 0; i < svc_cap; i++) {
		struct service *s = svc_tab[i], *next;

		for (; s; s = next) {
			uint32_t h = svc_hash(s->bootstrap->id, s->pid, s->name) & (cap - 1);

			next = s->hnext;
			s->hnext = t[h];
			t[h] = s;
		}
	}
	free(svc_tab);
	svc_tab = t;
	svc_cap = cap;
	return true;
}

/* Ports by name. */
static struct port **port_tab;
static size_t port_cap, port_n;

static bool port_grow(void)
{
	size_t cap = port_cap ? port_cap * 2 : 256, i;
	struct port **t = calloc(cap, sizeof(*t));

	if (!t)
		return false;
	for (i = 0; i < port_cap; i++) {
		struct port *p = port_tab[i], *next;

		for (; p; p = next) {
			uint32_t h = hash_name(p->name) & (cap - 1);

			next = p->hnext;
			p->hnext = t[h];
			t[h] = p;
		}
	}
	free(port_tab);
	port_tab = t;
	port_cap = cap;
	return true;
}

/* Served ports (bootstraps and servers) by name. */
struct served {
	mach_port_name_t name;
	struct bootstrap *b;
	struct server *s;
	struct served *next;
};
#define SERVED_BUCKETS 1024
static struct served *served_tab[SERVED_BUCKETS];

static struct served *served_find(mach_port_name_t name)
{
	struct served *e = served_tab[hash_name(name) % SERVED_BUCKETS];

	while (e && e->name != name)
		e = e->next;
	return e;
}

static bool serve(mach_port_name_t name, struct bootstrap *b, struct server *s)
{
	struct served *e = calloc(1, sizeof(*e));
	uint32_t h = hash_name(name) % SERVED_BUCKETS;

	if (!e)
		return false;
	*e = (struct served){ .name = name, .b = b, .s = s, .next = served_tab[h] };
	served_tab[h] = e;
	return true;
}

void serve_bootstrap(struct bootstrap *b)
{
	if (!serve(b->port, b, NULL))
		log_err("out of memory serving bootstrap %u", b->id);
}

void serve_server(struct server *s)
{
	if (!serve(s->port, NULL, s))
		log_err("out of memory serving server %u", s->id);
}

void unserve(mach_port_name_t name)
{
	struct served **pp = &served_tab[hash_name(name) % SERVED_BUCKETS];

	while (*pp && (*pp)->name != name)
		pp = &(*pp)->next;
	if (*pp) {
		struct served *e = *pp;

		*pp = e->next;
		free(e);
	}
}

struct bootstrap *served_bootstrap(mach_port_name_t name)
{
	struct served *e = served_find(name);

	return e ? e->b : NULL;
}

struct server *served_server(mach_port_name_t name)
{
	struct served *e = served_find(name);

	return e ? e->s : NULL;
}

struct bootstrap *bootstrap_of_port(mach_port_name_t local, struct server **server)
{
	struct served *e = served_find(local);

	*server = NULL;
	if (!e)
		return NULL;
	if (e->s) {
		*server = e->s;
		return e->s->bootstrap;
	}
	return e->b;
}

/* ---- accounting --------------------------------------------------------------- */

#define ACCT_BUCKETS 256
#define ACCT_MAX 4096
static struct acct *acct_tab[ACCT_BUCKETS];

struct acct *acct_find(uid_t uid)
{
	struct acct *a = acct_tab[uid % ACCT_BUCKETS];

	while (a && a->uid != uid)
		a = a->next;
	return a;
}

static void acct_maybe_free(struct acct *a)
{
	struct acct **pp = &acct_tab[a->uid % ACCT_BUCKETS];

	if (a->bytes || a->names || a->subsets || a->servers)
		return;
	while (*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	free(a);
	stats.uids--;
}

bool charge(uid_t uid, uint64_t bytes, int names, int subsets, int servers)
{
	struct acct *a = acct_find(uid);

	if (!a) {
		if (stats.uids >= ACCT_MAX)
			return false;
		a = calloc(1, sizeof(*a));
		if (!a)
			return false;
		a->uid = uid;
		a->next = acct_tab[uid % ACCT_BUCKETS];
		acct_tab[uid % ACCT_BUCKETS] = a;
		stats.uids++;
	}
	if (a->bytes + bytes > limits.bytes_per_uid ||
	    (names > 0 && (a->names + names > limits.names_per_uid ||
			   stats.names + names > limits.names)) ||
	    (subsets > 0 && (a->subsets + subsets > limits.subsets_per_uid ||
			     stats.bootstraps + subsets > limits.bootstraps)) ||
	    (servers > 0 && (a->servers + servers > limits.servers_per_uid ||
			     stats.servers + servers > limits.servers))) {
		acct_maybe_free(a);
		return false;
	}
	a->bytes += bytes;
	a->names += names;
	a->subsets += subsets;
	a->servers += servers;
	stats.bytes += bytes;
	return true;
}

void uncharge(uid_t uid, uint64_t bytes, int names, int subsets, int servers)
{
	struct acct *a = acct_find(uid);

	if (!a) {
		log_err("internal: uncharging uid %u, which has no account", (unsigned)uid);
		return;
	}
	a->bytes -= bytes;
	a->names -= names;
	a->subsets -= subsets;
	a->servers -= servers;
	stats.bytes -= bytes;
	acct_maybe_free(a);
}

/* ---- ports ---------------------------------------------------------------------- */

struct port *port_find(mach_port_name_t name)
{
	struct port *p;

	if (!port_cap)
		return NULL;
	for (p = port_tab[hash_name(name) & (port_cap - 1)]; p; p = p->hnext)
		if (p->name == name)
			return p;
	return NULL;
}

static void port_unhash(struct port *p)
{
	struct port **pp = &port_tab[hash_name(p->name) & (port_cap - 1)];

	while (*pp != p)
		pp = &(*pp)->hnext;
	*pp = p->hnext;
	port_n--;
	stats.ports--;
}

static kern_return_t arm_dead_name(mach_port_name_t name)
{
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr = mach_port_request_notification(mach_task_self(), name,
							  MACH_NOTIFY_DEAD_NAME, 1, notify_port,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);

	if (kr == KERN_SUCCESS && MACH_PORT_VALID(prev))
		mach_port_deallocate(mach_task_self(), prev);
	return kr;
}

static struct port *port_track(mach_port_name_t name, bool recv_here)
{
	struct port *p;
	kern_return_t kr;

	if ((port_n + 1 > port_cap * 2 || !port_cap) && !port_grow())
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	kr = arm_dead_name(name);
	if (kr != KERN_SUCCESS) {
		log_warn("cannot watch port 0x%x: %s", name, mach_error_string(kr));
		free(p);
		return NULL;
	}
	p->name = name;
	p->users = 1;
	p->recv_here = recv_here;
	p->served = served_find(name) != NULL;
	list_init(&p->services);
	p->hnext = port_tab[hash_name(name) & (port_cap - 1)];
	port_tab[hash_name(name) & (port_cap - 1)] = p;
	port_n++;
	stats.ports++;
	return p;
}

struct port *port_hold(mach_port_name_t name)
{
	struct port *p = port_find(name);

	if (p) {
		/* We keep one reference per port: drop the new one. */
		p->users++;
		mach_port_deallocate(mach_task_self(), name);
		return p;
	}
	/* On failure the reference stays, for the request to release. */
	return port_track(name, false);
}

struct port *port_new(void)
{
	mach_port_name_t name = MACH_PORT_NULL;
	struct port *p;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) != KERN_SUCCESS)
		return NULL;
	if (mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND) !=
	    KERN_SUCCESS) {
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
		return NULL;
	}
	p = port_track(name, true);
	if (!p) {
		mach_port_deallocate(mach_task_self(), name);
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	}
	return p;
}

void port_release(struct port *p)
{
	mach_port_t prev = MACH_PORT_NULL;

	if (--p->users)
		return;
	port_unhash(p);
	if (p->in_demand)
		demand_remove(p);
	/* Cancel the dead-name request, then drop our send reference (first,
	 * so that destroying the receive right below leaves no dead name). */
	if (mach_port_request_notification(mach_task_self(), p->name, MACH_NOTIFY_DEAD_NAME, 0,
					   MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) ==
		    KERN_SUCCESS &&
	    MACH_PORT_VALID(prev))
		mach_port_deallocate(mach_task_self(), prev);
	mach_port_deallocate(mach_task_self(), p->name);
	if (p->recv_here && !p->served)
		mach_port_mod_refs(mach_task_self(), p->name, MACH_PORT_RIGHT_RECEIVE, -1);
	free(p);
}

/* ---- names ----------------------------------------------------------------------- */

bool name_valid(const char *name)
{
	return name[0] != '\0';
}

uint64_t service_count(void)
{
	return svc_n;
}

uint64_t active_count(void)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < svc_cap; i++) {
		const struct service *s;

		for (s = svc_tab[i]; s; s = s->hnext)
			n += service_active(s);
	}
	return n;
}

struct service *service_find(struct bootstrap *b, const char *name, pid_t pid)
{
	struct service *s;

	if (!svc_cap)
		return NULL;
	for (s = svc_tab[svc_hash(b->id, pid, name) & (svc_cap - 1)]; s; s = s->hnext)
		if (s->bootstrap == b && s->pid == pid && strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Field 22 of /proc/pid/stat: when the process started; 0 if it is gone. */
static uint64_t process_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')'); /* the command may hold blanks and parentheses */
	if (!p)
		return 0;
	p++;
	/* After ')': field 3 (state) ... field 22 (starttime). */
	for (i = 3; i <= 22 && p; i++) {
		while (*p == ' ')
			p++;
		if (i == 22)
			sscanf(p, "%llu", &start);
		p = strchr(p, ' ');
	}
	return start;
}

struct service *service_new(struct bootstrap *b, const char *name, uid_t owner,
			    struct server *server, enum service_kind kind, pid_t pid)
{
	size_t len = strlen(name);
	uint64_t bytes = sizeof(struct service) + len + 1 + sizeof(struct port);
	struct service *s;
	uint32_t h;

	if ((svc_n + 1 > svc_cap * 2 || !svc_cap) && !svc_grow())
		return NULL;
	if (!charge(owner, bytes, 1, 0, 0))
		return NULL;
	s = calloc(1, sizeof(*s) + len + 1);
	if (!s) {
		uncharge(owner, bytes, 1, 0, 0);
		return NULL;
	}
	memcpy(s->name, name, len + 1);
	s->bootstrap = b;
	s->server = server;
	s->kind = kind;
	s->owner = owner;
	s->pid = pid;
	s->bytes = bytes;
	list_init(&s->in_port);
	list_add(&b->services, &s->in_bootstrap);
	if (pid) {
		s->start_time = process_start_time(pid);
		stats.names_per_pid++;
	}
	h = svc_hash(b->id, pid, name) & (svc_cap - 1);
	s->hnext = svc_tab[h];
	svc_tab[h] = s;
	svc_n++;
	stats.names++;
	if (server)
		server->services++;
	if (b == root_bootstrap && !pid)
		state_save();
	return s;
}

void service_attach(struct service *s, struct port *p)
{
	s->port = p;
	list_add(&p->services, &s->in_port);
}

void service_detach(struct service *s)
{
	struct port *p = s->port;

	if (!p)
		return;
	list_del(&s->in_port);
	s->port = NULL;
	port_release(p);
}

void service_delete(struct service *s)
{
	struct service **pp = &svc_tab[svc_hash(s->bootstrap->id, s->pid, s->name) & (svc_cap - 1)];
	struct server *server = s->server;
	bool persist = s->bootstrap == root_bootstrap && !s->pid;

	service_detach(s);
	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	list_del(&s->in_bootstrap);
	svc_n--;
	stats.names--;
	if (s->pid)
		stats.names_per_pid--;
	uncharge(s->owner, s->bytes, 1, 0, 0);
	free(s);
	if (server) {
		server->services--;
		server_maybe_delete(server);
	}
	if (persist)
		state_save();
}

bool service_active(const struct service *s)
{
	return s->port && !s->port->recv_here;
}

bootstrap_status_t service_status(const struct service *s)
{
	if (service_active(s))
		return BOOTSTRAP_STATUS_ACTIVE;
	if (s->server && s->server->on_demand)
		return BOOTSTRAP_STATUS_ON_DEMAND;
	return BOOTSTRAP_STATUS_INACTIVE;
}

/* A per-pid name whose process is gone (or whose pid is another's now). */
static bool per_pid_stale(const struct service *s)
{
	return s->pid && process_start_time(s->pid) != s->start_time;
}

struct service *service_lookup(struct bootstrap *b, const char *name, pid_t pid, bool local,
			       bool any)
{
	struct service *first = NULL;

	for (; b; b = local ? NULL : b->parent) {
		struct service *s = service_find(b, name, pid);

		if (s && per_pid_stale(s)) {
			log_info("per-pid name \"%s\" of pid %d: the process is gone", s->name,
				 (int)s->pid);
			service_delete(s);
			s = NULL;
		}
		if (!s)
			continue;
		if (s->port)
			return s;
		if (!first)
			first = s;
	}
	return any ? first : NULL;
}

/* ---- namespaces ----------------------------------------------------------------------- */

static unsigned next_id = 1;
static struct list all_bootstraps = { &all_bootstraps, &all_bootstraps };

struct bootstrap_node {
	struct list all;
	struct bootstrap b;
};

struct bootstrap *bootstrap_new(struct bootstrap *parent, uid_t owner, pid_t creator)
{
	struct bootstrap_node *n;
	struct bootstrap *b;
	uint64_t bytes = sizeof(*n) + sizeof(struct port);
	mach_port_name_t port = MACH_PORT_NULL;

	if (parent && !charge(owner, bytes, 0, 1, 0))
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n || mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) !=
			  KERN_SUCCESS) {
		free(n);
		if (parent)
			uncharge(owner, bytes, 0, 1, 0);
		return NULL;
	}
	b = &n->b;
	b->port = port;
	b->id = next_id++;
	b->owner = owner;
	b->creator = creator;
	b->parent = parent;
	b->depth = parent ? parent->depth + 1 : 0;
	b->bytes = parent ? bytes : 0;
	list_init(&b->children);
	list_init(&b->sibling);
	list_init(&b->services);
	list_init(&b->servers);
	if (parent)
		list_add(&parent->children, &b->sibling);
	list_add(&all_bootstraps, &n->all);
	if (mach_port_move_member(mach_task_self(), port, main_set) != KERN_SUCCESS)
		log_err("cannot serve bootstrap port 0x%x", port);
	serve_bootstrap(b);
	stats.bootstraps++;
	return b;
}

/* Frees one namespace whose children are gone. */
static void bootstrap_free(struct bootstrap *b)
{
	struct bootstrap_node *n = container_of(b, struct bootstrap_node, b);
	struct list *pos, *tmp;
	struct bootstrap *parent = b->parent;

	list_for_each_safe(pos, tmp, &b->services)
		service_delete(container_of(pos, struct service, in_bootstrap));
	list_for_each_safe(pos, tmp, &b->servers)
		server_delete(container_of(pos, struct server, sibling));
	if (b->requestor)
		port_release(b->requestor);
	unserve(b->port);
	mach_port_mod_refs(mach_task_self(), b->port, MACH_PORT_RIGHT_RECEIVE, -1);
	list_del(&b->sibling);
	list_del(&n->all);
	if (parent)
		uncharge(b->owner, b->bytes, 0, 1, 0);
	stats.bootstraps--;
	log_info("bootstrap %u (owner %u) gone", b->id, (unsigned)b->owner);
	free(n);
}

/* Nobody can reach a namespace: no send right to its port is left, and no
 * server of it (whose port leads to it) exists. */
static bool unreachable(struct bootstrap *b)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	return list_empty(&b->servers) && mach_port_get_attributes(mach_task_self(), b->port, MACH_PORT_RECEIVE_STATUS,
					(mach_port_info_t)&st, &cnt) == KERN_SUCCESS &&
	       !st.mps_srights;
}

void bootstrap_delete(struct bootstrap *b)
{
	struct bootstrap *x = b, *up = b->parent;

	/* Depth first, without recursion: free leaves until b itself is one. */
	for (;;) {
		while (!list_empty(&x->children))
			x = container_of(x->children.next, struct bootstrap, sibling);
		if (x == b)
			break;
		{
			struct bootstrap *parent = x->parent;

			bootstrap_free(x);
			x = parent;
		}
	}
	bootstrap_free(b);
	/* A subset kept only for its subsets (no send right to it left, see
	 * notify_no_senders) goes with the last of them. */
	while (up && up != root_bootstrap && list_empty(&up->children) && unreachable(up)) {
		struct bootstrap *parent = up->parent;

		log_info("bootstrap %u: its last subset is gone and nobody can reach it", up->id);
		bootstrap_free(up);
		up = parent;
	}
}

/* ---- notifications ---------------------------------------------------------------------- */

void port_died(struct port *p)
{
	struct list *pos, *tmp, *bpos, *btmp;

	p->users++; /* keep it while its users go */
	list_for_each_safe(pos, tmp, &p->services) {
		struct service *s = container_of(pos, struct service, in_port);

		log_info("\"%s\" (bootstrap %u): its port died, inactive", s->name,
			 s->bootstrap->id);
		if (s->pid)
			service_delete(s);
		else
			service_detach(s);
	}
	list_for_each_safe(bpos, btmp, &all_bootstraps) {
		struct bootstrap *b = &container_of(bpos, struct bootstrap_node, all)->b;

		if (b->requestor == p) {
			log_info("bootstrap %u: its requestor died", b->id);
			/* Its descendants go too, and may be next in the list:
			 * start over. Each pass removes one. */
			bootstrap_delete(b);
			btmp = all_bootstraps.next;
		}
	}
	port_release(p);
}

void notify_dead_name(mach_port_name_t name)
{
	mach_port_type_t type = 0;
	struct port *p;

	if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS ||
	    !(type & MACH_PORT_TYPE_DEAD_NAME)) {
		log_debug("dead-name notification for 0x%x, not a dead name (type 0x%x)", name,
			  type);
		return;
	}
	p = port_find(name);
	if (p)
		port_died(p);
	/* What is left is the notification's reference (and ours, if the
	 * port was not tracked any more): the name goes. */
	if (mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	    type == MACH_PORT_TYPE_DEAD_NAME)
		mach_port_destroy(mach_task_self(), name);
}

void notify_port_destroyed(mach_port_name_t name)
{
	struct port *p = port_find(name);
	struct list *pos;

	if (!p) {
		/* Its names were removed meanwhile: not ours to keep. */
		log_debug("port-destroyed: 0x%x is not held for a name: destroyed", name);
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
		return;
	}
	if (p->served || p->recv_here) {
		log_warn("port-destroyed notification for 0x%x, whose receive right we hold",
			 name);
		return;
	}
	p->recv_here = true;
	for (pos = p->services.next; pos != &p->services; pos = pos->next) {
		struct service *s = container_of(pos, struct service, in_port);

		log_info("\"%s\" (bootstrap %u): its server is gone, the port is back: inactive",
			 s->name, s->bootstrap->id);
		if (s->server && s->server->on_demand && !s->server->pid)
			demand_add(p);
	}
}

void arm_no_senders(mach_port_name_t port, mach_port_mscount_t sync)
{
	mach_port_t prev = MACH_PORT_NULL;

	if (mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, sync,
					   port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) !=
	    KERN_SUCCESS)
		log_warn("cannot arm the no-senders notification of 0x%x", port);
	else if (MACH_PORT_VALID(prev))
		mach_port_deallocate(mach_task_self(), prev);
}

void notify_no_senders(mach_port_name_t served)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	struct bootstrap *b = served_bootstrap(served);
	struct server *s = served_server(served);

	if (mach_port_get_attributes(mach_task_self(), served, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&st, &cnt) != KERN_SUCCESS)
		return;
	if (st.mps_srights) {
		/* Stale (a send right was made since), or not the kernel's. */
		arm_no_senders(served, st.mps_mscount + 1);
		return;
	}
	if (b && b != root_bootstrap) {
		if (list_empty(&b->children) && list_empty(&b->servers)) {
			log_info("bootstrap %u: no send rights left", b->id);
			bootstrap_delete(b);
		} else {
			/* Its subsets layer over it, its servers' ports lead to
			 * it: it goes with the last subset (or its requestor); a
			 * new send right re-arms this. */
			arm_no_senders(served, st.mps_mscount + 1);
		}
	} else if (s) {
		s->senders = false;
		arm_no_senders(served, st.mps_mscount + 1);
		server_maybe_delete(s);
	}
}

/* ---- the state file -------------------------------------------------------------------- */

const char *state_path;
static bool loading;

/*
 * The root namespace's names and owners, so that a restarted daemon keeps
 * them reserved for their uids until their servers check in again. One
 * line per name: "uid hex-name\n". Written whole (temporary file, rename).
 */
void state_save(void)
{
	char tmp[4096];
	struct list *pos;
	FILE *f;
	int fd;

	if (!state_path || loading)
		return;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", state_path) >= (int)sizeof(tmp))
		return;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		log_err("cannot write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fprintf(f, "# machipc-bootstrapd names (uid hex-name)\n");
	for (pos = root_bootstrap->services.next; pos != &root_bootstrap->services;
	     pos = pos->next) {
		struct service *s = container_of(pos, struct service, in_bootstrap);
		const char *c;

		if (s->pid)
			continue;
		fprintf(f, "%u ", (unsigned)s->owner);
		for (c = s->name; *c; c++)
			fprintf(f, "%02x", (unsigned char)*c);
		fputc('\n', f);
	}
	if (fclose(f) != 0 || rename(tmp, state_path) != 0) {
		log_err("cannot write %s: %s", state_path, strerror(errno));
		unlink(tmp);
	}
}

void state_load(void)
{
	char line[600];
	unsigned n = 0, lineno = 0;
	FILE *f;

	if (!state_path)
		return;
	f = fopen(state_path, "re");
	if (!f) {
		if (errno != ENOENT)
			log_err("cannot read %s: %s", state_path, strerror(errno));
		return;
	}
	loading = true;
	while (fgets(line, sizeof(line), f)) {
		char name[BOOTSTRAP_MAX_NAME_LEN], hex[2 * BOOTSTRAP_MAX_NAME_LEN + 2];
		unsigned uid, i, len;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%u %257s", &uid, hex) != 2 || (len = strlen(hex)) % 2 ||
		    len / 2 >= BOOTSTRAP_MAX_NAME_LEN) {
			log_warn("%s:%u: not understood, skipped", state_path, lineno);
			continue;
		}
		for (i = 0; i < len / 2; i++) {
			unsigned v;

			if (sscanf(hex + 2 * i, "%2x", &v) != 1 || v == 0)
				break;
			name[i] = (char)v;
		}
		name[i] = 0;
		if (i != len / 2 || !name_valid(name) ||
		    service_find(root_bootstrap, name, 0)) {
			log_warn("%s:%u: bad or repeated name, skipped", state_path, lineno);
			continue;
		}
		/* Reserved for its owner, inactive: it comes back when its
		 * server checks in (or registers) again. */
		if (!service_new(root_bootstrap, name, (uid_t)uid, NULL, SERVICE_REGISTERED, 0)) {
			log_warn("%s:%u: over the limits, skipped", state_path, lineno);
			continue;
		}
		n++;
	}
	fclose(f);
	loading = false;
	log_notice("%u names restored from %s, inactive until their servers check in", n,
		   state_path);
	state_save();
}

void registry_init(void)
{
	root_bootstrap = bootstrap_new(NULL, 0, getpid());
	if (!root_bootstrap) {
		log_err("cannot make the root bootstrap port");
		exit(1);
	}
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
