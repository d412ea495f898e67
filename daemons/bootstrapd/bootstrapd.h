/* SPDX-License-Identifier: MIT */
/*
 * machipc-bootstrapd: the bootstrap server (docs/bootstrap.md).
 *
 * One thread serves every request and notification, in the order they
 * arrive, on one port set: the bootstrap ports (the root namespace and its
 * subsets), the server ports (bootstrap_create_server), the notify port
 * (dead-name and port-destroyed notifications) and an internal port on
 * which two helper threads post what they saw: a message on a reserved
 * port of an on-demand server (the demand thread) and a launched server
 * that exited (the reaper thread). It never waits for a client: replies
 * go with a zero send timeout, every other call is local.
 */
#ifndef BOOTSTRAPD_H
#define BOOTSTRAPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <machipc/bootstrap.h>

/* ---- logging (main.c) -------------------------------------------------- */

extern int log_level;
void logmsg(int pri, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...) logmsg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) logmsg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) logmsg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) logmsg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) logmsg(LOG_DEBUG, __VA_ARGS__)

/* ---- intrusive lists ----------------------------------------------------- */

struct list {
	struct list *prev, *next;
};

static inline void list_init(struct list *l)
{
	l->prev = l->next = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

static inline void list_add(struct list *head, struct list *e)
{
	e->next = head->next;
	e->prev = head;
	head->next->prev = e;
	head->next = e;
}

static inline void list_del(struct list *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->prev = e->next = e;
}

#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); (pos) = (tmp), (tmp) = (pos)->next)

/* ---- limits (options) ---------------------------------------------------- */

struct limits {
	uint64_t names_per_uid;
	uint64_t bytes_per_uid;
	uint64_t subsets_per_uid;
	uint64_t servers_per_uid;
	uint64_t names;         /* all uids together */
	uint64_t bootstraps;
	uint64_t servers;
	unsigned depth;         /* subsets of subsets */
	unsigned throttle_ms;   /* between two launches of one server */
	bool launch;            /* create_server allowed */
};

extern struct limits limits;

/* ---- what the daemon holds (registry.c) ------------------------------------ */

/* Memory and objects charged to one uid. */
struct acct {
	uid_t uid;
	uint64_t bytes, names, subsets, servers;
	struct acct *next;
};

/*
 * A port the daemon holds one send right to (one user reference) on
 * behalf of the names using it and of the subsets it keeps alive as their
 * requestor, with a dead-name request armed on it.
 */
struct port {
	mach_port_name_t name;
	unsigned users;         /* services + subsets using it */
	bool recv_here;         /* its receive right is ours: a reserved name's */
	bool served;            /* one of our own bootstrap or server ports */
	bool in_demand;         /* in the demand port set */
	struct list services;   /* struct service.in_port */
	struct port *hnext;
};

struct server;

/* A namespace: the root, or a subset. */
struct bootstrap {
	mach_port_name_t port;  /* receive right (in the main set) */
	unsigned id;
	unsigned depth;
	uid_t owner;
	pid_t creator;
	struct bootstrap *parent;
	struct port *requestor; /* keeps a subset alive; NULL for the root */
	struct list children;   /* struct bootstrap.sibling */
	struct list sibling;
	struct list services;   /* struct service.in_bootstrap */
	struct list servers;    /* struct server.sibling */
	uint64_t bytes;         /* charged to owner */
};

/* A bootstrap_create_server() server. */
struct server {
	mach_port_name_t port;  /* receive right (in the main set) */
	unsigned id;
	struct bootstrap *bootstrap;
	struct list sibling;
	uid_t owner;            /* who created it (charged) */
	uid_t uid;              /* runs as */
	gid_t gid;
	bool on_demand;
	bool senders;           /* send rights to its port may exist */
	char *cmd;
	char **argv;
	pid_t pid;              /* running, or 0 */
	bool activity;          /* checked in during this run */
	bool relaunch_pending;  /* a timer will look again */
	bool demanded;          /* a message waits (on demand) */
	uint64_t last_launch_ms;
	unsigned services;
	uint64_t bytes;
};

enum service_kind {
	SERVICE_DECLARED,       /* our port: create_service, check_in */
	SERVICE_REGISTERED,     /* a send right registered */
};

/* A name in a namespace. */
struct service {
	struct list in_bootstrap;
	struct list in_port;
	struct service *hnext;
	struct bootstrap *bootstrap;
	struct server *server;  /* the server it belongs to, or NULL */
	struct port *port;      /* NULL: inactive, no port */
	enum service_kind kind;
	uid_t owner;
	pid_t pid;              /* a per-pid name: its registrant, else 0 */
	uint64_t start_time;    /* of that process (/proc/pid/stat) */
	uint64_t bytes;
	char name[];
};

/* The daemon's ports and counters. */
extern mach_port_t main_set;    /* everything the main thread receives on */
extern mach_port_t demand_set;  /* reserved ports of on-demand servers */
extern mach_port_t notify_port;
extern mach_port_t internal_port;
extern struct bootstrap *root_bootstrap;
extern struct {
	uint64_t requests, refused_no_memory, notifications, launches;
	uint64_t names, names_per_pid, bootstraps, servers, servers_running;
	uint64_t ports, bytes, uids;
} stats;

uint64_t now_ms(void);

void registry_init(void);
bool name_valid(const char *name);

/* Accounting: false if `bytes` more (and `names` more names, ...) would
 * exceed a limit of `uid` or a global one. */
bool charge(uid_t uid, uint64_t bytes, int names, int subsets, int servers);
void uncharge(uid_t uid, uint64_t bytes, int names, int subsets, int servers);
struct acct *acct_find(uid_t uid);

/* Served ports: what a request arrived on. */
struct bootstrap *served_bootstrap(mach_port_name_t name);
struct server *served_server(mach_port_name_t name);
void serve_bootstrap(struct bootstrap *b);
void serve_server(struct server *s);
void unserve(mach_port_name_t name);

/* Ports held for names and subsets. */
struct port *port_find(mach_port_name_t name);
/* Takes over one user reference to the send right `name`, for one more
 * user; NULL if it cannot be tracked (the reference is left alone). */
struct port *port_hold(mach_port_name_t name);
void port_release(struct port *p);
/* A new port of ours (receive + one send reference), held. */
struct port *port_new(void);

/* Names. */
struct service *service_find(struct bootstrap *b, const char *name, pid_t pid);
struct service *service_new(struct bootstrap *b, const char *name, uid_t owner,
			    struct server *server, enum service_kind kind, pid_t pid);
void service_attach(struct service *s, struct port *p);
void service_detach(struct service *s);
void service_delete(struct service *s);
bool service_active(const struct service *s);
bootstrap_status_t service_status(const struct service *s);
/* Looks `name` up in b and (unless local) its parents: the first name with
 * a port; failing that (if `any`), the first name at all. */
struct service *service_lookup(struct bootstrap *b, const char *name, pid_t pid, bool local,
			       bool any);
/* The port of a service is gone (its send right turned dead). */
void port_died(struct port *p);

/* Namespaces. */
struct bootstrap *bootstrap_new(struct bootstrap *parent, uid_t owner, pid_t creator);
void bootstrap_delete(struct bootstrap *b);
struct bootstrap *bootstrap_of_port(mach_port_name_t local, struct server **server);
uint64_t service_count(void);
uint64_t active_count(void);

/* Notifications (registry.c). */
void notify_dead_name(mach_port_name_t name);
void notify_port_destroyed(mach_port_name_t name);
void notify_no_senders(mach_port_name_t served);
/* Arms the no-senders notification of a served port (to itself). */
void arm_no_senders(mach_port_name_t port, mach_port_mscount_t sync);

/* State file (registry.c). */
extern const char *state_path;
void state_load(void);
void state_save(void);

/* ---- servers (servers.c) ---------------------------------------------------- */

struct server *server_new(struct bootstrap *b, uid_t owner, uid_t uid, bool on_demand,
			  const char *cmd, kern_return_t *kr);
void server_delete(struct server *s);
void server_maybe_delete(struct server *s);
void server_launch(struct server *s);
void server_demand(mach_port_name_t port);
void server_exited(pid_t pid, int status);
void server_timer(unsigned id);
void demand_add(struct port *p);
void demand_remove(struct port *p);
bool servers_start_threads(void);
/* Kills the launched servers (from a signal handler: async-signal-safe). */
void servers_kill_all(void);

/* Messages of the helper threads on internal_port. */
enum { INTERNAL_DEMAND = 1, INTERNAL_EXITED, INTERNAL_TIMER };
typedef struct {
	mach_msg_header_t header;
	uint32_t what;
	uint32_t port;
	int32_t pid;
	int32_t status;
	uint32_t id;
} internal_msg_t;
#define INTERNAL_MSG_ID 0x62736469 /* "bsdi" */
void internal_post(uint32_t what, uint32_t port, int32_t pid, int32_t status, uint32_t id);

/* ---- the counts (routines.c) ---------------------------------------------- */
void fill_counts(machipc_bootstrap_counts_t *c, uid_t caller, mach_port_name_t reply);

#endif
