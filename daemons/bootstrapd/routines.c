// SPDX-License-Identifier: MIT
/*
 * The routines of <servers/bootstrap.defs> (server prefix bsd_), called by
 * the MIG demultiplexer with the port the request came on (`bp`) and the
 * sender's audit token from the trailer (the uid rules use its euid).
 *
 * MIG's rule holds throughout: a routine that fails has consumed nothing
 * (the main loop destroys the request's rights and memory); one that
 * succeeds owns what the request carried.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bsm/libbsm.h>

#include "bootstrapd.h"
#include "machipc_bootstrapServer.h"

#define ROOT 0

static bool privileged(uid_t euid)
{
	return euid == ROOT;
}

/* The names of a service's owner and of the caller may differ: root may
 * act on any name; anyone else on its own. Names of a server belong to
 * that server: only through its port (or as root). */
static kern_return_t may_change(const struct service *s, uid_t euid, struct server *via)
{
	if (privileged(euid))
		return KERN_SUCCESS;
	if (s->owner != euid)
		return BOOTSTRAP_NOT_PRIVILEGED;
	if (s->server && s->server != via)
		return BOOTSTRAP_NOT_PRIVILEGED;
	return KERN_SUCCESS;
}

static kern_return_t no_memory(void)
{
	stats.refused_no_memory++;
	return BOOTSTRAP_NO_MEMORY;
}

/* Owner of a name made through `via` (a server's names are its uid's). */
static uid_t owner_for(uid_t euid, struct server *via)
{
	return via ? via->uid : euid;
}

/* Hands the reserved receive right of s out: it comes back here (port-
 * destroyed notification) when its holder dies or destroys it. */
static kern_return_t hand_out(struct service *s, mach_port_t *service_port)
{
	struct port *p = s->port;
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr;

	demand_remove(p);
	kr = mach_port_request_notification(mach_task_self(), p->name, MACH_NOTIFY_PORT_DESTROYED,
					    0, notify_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	if (kr != KERN_SUCCESS) {
		log_err("\"%s\": cannot arm the port-destroyed notification: %s", s->name,
			mach_error_string(kr));
		return BOOTSTRAP_NO_MEMORY;
	}
	if (MACH_PORT_VALID(prev))
		mach_port_deallocate(mach_task_self(), prev);
	/* The reply moves the receive right; our send right stays. */
	p->recv_here = false;
	s->kind = SERVICE_DECLARED;
	*service_port = p->name;
	return KERN_SUCCESS;
}

kern_return_t bsd_check_in(mach_port_t bp, name_t service_name, uint64_t flags,
			   audit_token_t token, mach_port_t *service_port)
{
	uid_t euid = audit_token_to_euid(token);
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	struct service *s;
	bool created = false;
	kern_return_t kr;

	if (!b)
		return MIG_BAD_ID;
	if (flags)
		return KERN_INVALID_ARGUMENT;
	if (!name_valid(service_name))
		return KERN_INVALID_ARGUMENT;
	s = service_find(b, service_name, 0);
	if (!s) {
		struct port *p;

		created = true;
		/* Not reserved: a new name, the caller's (launchd's dynamic
		 * check-in). */
		s = service_new(b, service_name, owner_for(euid, via), via, SERVICE_DECLARED, 0);
		if (!s)
			return no_memory();
		p = port_new();
		if (!p) {
			service_delete(s);
			return no_memory();
		}
		service_attach(s, p);
	} else {
		kr = may_change(s, euid, via);
		if (kr != KERN_SUCCESS)
			return kr;
		if (service_active(s))
			return BOOTSTRAP_SERVICE_ACTIVE;
		if (!s->port) {
			/* Inactive with no port (its registered port died, or
			 * restored after a restart): a new port. */
			struct port *p = port_new();

			if (!p)
				return no_memory();
			service_attach(s, p);
		}
	}
	kr = hand_out(s, service_port);
	if (kr != KERN_SUCCESS && created)
		service_delete(s);
	if (kr == KERN_SUCCESS) {
		if (via)
			via->activity = true;
		log_info("\"%s\" (bootstrap %u): checked in by pid %d uid %u", s->name, b->id,
			 audit_token_to_pid(token), (unsigned)euid);
	}
	return kr;
}

kern_return_t bsd_register2(mach_port_t bp, name_t service_name, mach_port_t service_port,
			    uint64_t flags, audit_token_t token)
{
	uid_t euid = audit_token_to_euid(token);
	pid_t pid = (flags & BOOTSTRAP_PER_PID_SERVICE) ? audit_token_to_pid(token) : 0;
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	struct service *s;
	struct port *p;
	bool created = false;
	kern_return_t kr;

	if (!b)
		return MIG_BAD_ID;
	if (flags & ~(uint64_t)(BOOTSTRAP_PER_PID_SERVICE | BOOTSTRAP_ALLOW_LOOKUP))
		return KERN_INVALID_ARGUMENT;
	if (!name_valid(service_name) || service_port == MACH_PORT_DEAD)
		return KERN_INVALID_ARGUMENT;
	s = service_find(b, service_name, pid);
	if (service_port == MACH_PORT_NULL) {
		/* Unregister (nothing to do for an unknown name, as launchd). */
		if (!s)
			return KERN_SUCCESS;
		kr = may_change(s, euid, via);
		if (kr != KERN_SUCCESS)
			return kr;
		log_info("\"%s\" (bootstrap %u): removed by pid %d uid %u", s->name, b->id,
			 audit_token_to_pid(token), (unsigned)euid);
		service_delete(s);
		return KERN_SUCCESS;
	}
	if (s) {
		kr = may_change(s, euid, via);
		if (kr != KERN_SUCCESS)
			return kr;
		if (service_active(s))
			return BOOTSTRAP_SERVICE_ACTIVE;
	} else {
		s = service_new(b, service_name, owner_for(euid, via), via, SERVICE_REGISTERED, pid);
		if (!s)
			return no_memory();
		created = true;
	}
	/* Held first: the new port may be the old one. Replaces an inactive
	 * name's port (a reserved one is destroyed: the messages queued on
	 * it and the send rights to it die). */
	p = port_hold(service_port);
	if (!p) {
		if (created)
			service_delete(s);
		return no_memory();
	}
	service_detach(s);
	service_attach(s, p);
	s->kind = SERVICE_REGISTERED;
	if (via)
		via->activity = true;
	log_info("\"%s\" (bootstrap %u%s): registered by pid %d uid %u", s->name, b->id,
		 pid ? ", per pid" : "", audit_token_to_pid(token), (unsigned)euid);
	return KERN_SUCCESS;
}

/* A send right to s's port for a reply (COPY_SEND of our reference), or
 * false if the port turned out dead (then s is updated). */
static bool live_port(struct service *s)
{
	mach_port_type_t type = 0;

	if (!s->port)
		return false;
	if (mach_port_type(mach_task_self(), s->port->name, &type) != KERN_SUCCESS ||
	    (type & MACH_PORT_TYPE_DEAD_NAME)) {
		/* Its notification is on its way; act now. */
		port_died(s->port);
		return false;
	}
	return true;
}

static struct service *look_up(struct bootstrap *b, const char *name, pid_t pid, bool local)
{
	for (int tries = 0; tries < 8; tries++) {
		struct service *s = service_lookup(b, name, pid, local, false);

		if (!s || live_port(s))
			return s;
	}
	return NULL;
}

kern_return_t bsd_look_up2(mach_port_t bp, name_t service_name, pid_t target_pid,
			   uint64_t flags, audit_token_t token, mach_port_t *service_port)
{
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	struct service *s;

	(void)token;
	if (!b)
		return MIG_BAD_ID;
	if (flags & ~(uint64_t)(BOOTSTRAP_PER_PID_SERVICE | BOOTSTRAP_ALLOW_LOOKUP |
				BOOTSTRAP_DENY_JOB_CREATION | BOOTSTRAP_PRIVILEGED_SERVER |
				BOOTSTRAP_FORCE_LOCAL))
		return KERN_INVALID_ARGUMENT;
	if ((flags & BOOTSTRAP_PER_PID_SERVICE) && target_pid <= 0)
		return KERN_INVALID_ARGUMENT;
	if (!name_valid(service_name))
		return BOOTSTRAP_UNKNOWN_SERVICE;
	s = look_up(b, service_name, (flags & BOOTSTRAP_PER_PID_SERVICE) ? target_pid : 0,
		    flags & BOOTSTRAP_FORCE_LOCAL);
	if (!s)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	if ((flags & BOOTSTRAP_PRIVILEGED_SERVER) && !privileged(s->owner))
		return BOOTSTRAP_NOT_PRIVILEGED;
	*service_port = s->port->name;
	return KERN_SUCCESS;
}

kern_return_t bsd_parent(mach_port_t bp, mach_port_t *parent_port)
{
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);

	if (!b)
		return MIG_BAD_ID;
	if (b->parent)
		b = b->parent;
	if (b != root_bootstrap) {
		/* A send right made again: look for its no-senders later. */
		mach_port_status_t st;
		mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

		if (mach_port_get_attributes(mach_task_self(), b->port, MACH_PORT_RECEIVE_STATUS,
					     (mach_port_info_t)&st, &cnt) == KERN_SUCCESS &&
		    !st.mps_srights)
			arm_no_senders(b->port, st.mps_mscount + 1);
	}
	*parent_port = b->port;
	return KERN_SUCCESS;
}

kern_return_t bsd_subset(mach_port_t bp, mach_port_t requestor_port, audit_token_t token,
			 mach_port_t *subset_port)
{
	uid_t euid = audit_token_to_euid(token);
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via), *sub;
	struct port *req;

	if (!b)
		return MIG_BAD_ID;
	if (!MACH_PORT_VALID(requestor_port))
		return KERN_INVALID_ARGUMENT;
	if (b->depth + 1 > limits.depth)
		return no_memory();
	sub = bootstrap_new(b, euid, audit_token_to_pid(token));
	if (!sub)
		return no_memory();
	req = port_hold(requestor_port);
	if (!req) {
		bootstrap_delete(sub);
		return no_memory();
	}
	sub->requestor = req;
	/* The reply's send right makes the make-send count 1. */
	arm_no_senders(sub->port, 1);
	log_info("bootstrap %u: subset of %u for pid %d uid %u", sub->id, b->id,
		 audit_token_to_pid(token), (unsigned)euid);
	*subset_port = sub->port;
	return KERN_SUCCESS;
}

kern_return_t bsd_create_service(mach_port_t bp, name_t service_name, audit_token_t token,
				 mach_port_t *service_port)
{
	uid_t euid = audit_token_to_euid(token);
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	struct service *s;
	struct port *p;

	if (!b)
		return MIG_BAD_ID;
	if (!name_valid(service_name))
		return KERN_INVALID_ARGUMENT;
	if (service_find(b, service_name, 0))
		return BOOTSTRAP_NAME_IN_USE;
	s = service_new(b, service_name, owner_for(euid, via), via, SERVICE_DECLARED, 0);
	if (!s)
		return no_memory();
	p = port_new();
	if (!p) {
		service_delete(s);
		return no_memory();
	}
	service_attach(s, p);
	if (via && via->on_demand && !via->pid)
		demand_add(p);
	log_info("\"%s\" (bootstrap %u): reserved by pid %d uid %u", s->name, b->id,
		 audit_token_to_pid(token), (unsigned)euid);
	*service_port = p->name;
	return KERN_SUCCESS;
}

kern_return_t bsd_create_server(mach_port_t bp, cmd_t server_cmd, uid_t server_uid,
				boolean_t on_demand, audit_token_t token, mach_port_t *server_port)
{
	uid_t euid = audit_token_to_euid(token);
	struct server *via, *s;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	kern_return_t kr;

	if (!b)
		return MIG_BAD_ID;
	if (!privileged(euid) && server_uid != euid)
		return BOOTSTRAP_NOT_PRIVILEGED;
	if (getuid() != ROOT && server_uid != getuid())
		return BOOTSTRAP_NOT_PRIVILEGED; /* we could not become that uid */
	if (!limits.launch)
		return KERN_NOT_SUPPORTED;
	s = server_new(b, euid, server_uid, on_demand != FALSE, server_cmd, &kr);
	if (!s) {
		if (kr == BOOTSTRAP_NO_MEMORY)
			stats.refused_no_memory++;
		return kr;
	}
	if (!s->on_demand)
		server_launch(s);
	*server_port = s->port;
	return KERN_SUCCESS;
}

kern_return_t bsd_status(mach_port_t bp, name_t service_name, bootstrap_status_t *status_out)
{
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	struct service *s;

	if (!b)
		return MIG_BAD_ID;
	if (!name_valid(service_name))
		return BOOTSTRAP_UNKNOWN_SERVICE;
	s = look_up(b, service_name, 0, false);
	if (!s)
		s = service_lookup(b, service_name, 0, false, true);
	if (!s)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	*status_out = service_status(s);
	return KERN_SUCCESS;
}

/* vm_allocate'd room for n elements of size (NULL for none). */
static bool out_array(size_t n, size_t size, void *out)
{
	vm_address_t a = 0;

	*(void **)out = NULL;
	if (!n)
		return true;
	if (vm_allocate(mach_task_self(), &a, n * size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return false;
	*(void **)out = (void *)a;
	return true;
}

static void free_array(void *p, size_t n, size_t size)
{
	if (p && n)
		vm_deallocate(mach_task_self(), (vm_address_t)p, n * size);
}

kern_return_t bsd_info(mach_port_t bp, uint64_t flags, name_array_t *service_names,
		       mach_msg_type_number_t *service_namesCnt, name_array_t *service_jobs,
		       mach_msg_type_number_t *service_jobsCnt,
		       bootstrap_status_array_t *service_active,
		       mach_msg_type_number_t *service_activeCnt)
{
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	name_t *names, *jobs;
	bootstrap_status_t *act;
	struct list *pos;
	size_t n = 0, i = 0;

	if (!b)
		return MIG_BAD_ID;
	if (flags)
		return KERN_INVALID_ARGUMENT;
	for (pos = b->services.next; pos != &b->services; pos = pos->next)
		if (!container_of(pos, struct service, in_bootstrap)->pid)
			n++;
	if (!out_array(n, sizeof(name_t), &names))
		return no_memory();
	if (!out_array(n, sizeof(name_t), &jobs)) {
		free_array(names, n, sizeof(name_t));
		return no_memory();
	}
	if (!out_array(n, sizeof(bootstrap_status_t), &act)) {
		free_array(names, n, sizeof(name_t));
		free_array(jobs, n, sizeof(name_t));
		return no_memory();
	}
	for (pos = b->services.next; pos != &b->services && i < n; pos = pos->next) {
		struct service *s = container_of(pos, struct service, in_bootstrap);

		if (s->pid)
			continue;
		memset(names[i], 0, sizeof(name_t));
		memset(jobs[i], 0, sizeof(name_t));
		snprintf(names[i], sizeof(name_t), "%s", s->name);
		if (s->server)
			snprintf(jobs[i], sizeof(name_t), "%s", s->server->cmd);
		act[i] = service_status(s);
		i++;
	}
	*service_names = names;
	*service_jobs = jobs;
	*service_active = act;
	*service_namesCnt = *service_jobsCnt = *service_activeCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t bsd_look_up_array(mach_port_t bp, name_array_t service_names,
				mach_msg_type_number_t service_namesCnt, audit_token_t token,
				mach_port_array_t *service_ports,
				mach_msg_type_number_t *service_portsCnt, boolean_t *all_known)
{
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	mach_port_t *ports;
	mach_msg_type_number_t i;

	(void)token;
	if (!b)
		return MIG_BAD_ID;
	if (service_namesCnt > BOOTSTRAP_MAX_LOOKUP_COUNT)
		return BOOTSTRAP_BAD_COUNT;
	if (!out_array(service_namesCnt, sizeof(mach_port_t), &ports))
		return no_memory();
	*all_known = TRUE;
	for (i = 0; i < service_namesCnt; i++) {
		struct service *s = NULL;
		char name[BOOTSTRAP_MAX_NAME_LEN];

		/* Names are fixed-size fields: an unterminated one is unknown. */
		memcpy(name, service_names[i], sizeof(name));
		if (memchr(name, 0, sizeof(name)) && name_valid(name))
			s = look_up(b, name, 0, false);
		ports[i] = s ? s->port->name : MACH_PORT_NULL;
		if (!s)
			*all_known = FALSE;
	}
	/* Ours now (MIG's rule on success): the names' memory. */
	free_array(service_names, service_namesCnt, sizeof(name_t));
	*service_ports = ports;
	*service_portsCnt = service_namesCnt;
	return KERN_SUCCESS;
}

kern_return_t bsd_lookup_children(mach_port_t bp, audit_token_t token, mach_port_array_t *children,
				  mach_msg_type_number_t *childrenCnt, name_array_t *names,
				  mach_msg_type_number_t *namesCnt,
				  bootstrap_property_array_t *properties,
				  mach_msg_type_number_t *propertiesCnt)
{
	uid_t euid = audit_token_to_euid(token);
	struct server *via;
	struct bootstrap *b = bootstrap_of_port(bp, &via);
	mach_port_t *ports;
	name_t *nm;
	bootstrap_property_t *props;
	struct list *pos;
	size_t n = 0, i = 0;

	if (!b)
		return MIG_BAD_ID;
	if (!privileged(euid) && euid != b->owner)
		return BOOTSTRAP_NOT_PRIVILEGED;
	for (pos = b->children.next; pos != &b->children; pos = pos->next)
		n++;
	if (!n)
		return BOOTSTRAP_NO_CHILDREN;
	if (!out_array(n, sizeof(mach_port_t), &ports))
		return no_memory();
	if (!out_array(n, sizeof(name_t), &nm)) {
		free_array(ports, n, sizeof(mach_port_t));
		return no_memory();
	}
	if (!out_array(n, sizeof(bootstrap_property_t), &props)) {
		free_array(ports, n, sizeof(mach_port_t));
		free_array(nm, n, sizeof(name_t));
		return no_memory();
	}
	for (pos = b->children.next; pos != &b->children; pos = pos->next, i++) {
		struct bootstrap *c = container_of(pos, struct bootstrap, sibling);

		ports[i] = c->port;
		memset(nm[i], 0, sizeof(name_t));
		snprintf(nm[i], sizeof(name_t), "subset %u of pid %d", c->id, (int)c->creator);
		props[i] = BOOTSTRAP_PROPERTY_EXPLICITSUBSET;
	}
	*children = ports;
	*names = nm;
	*properties = props;
	*childrenCnt = *namesCnt = *propertiesCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t bsd_counts(mach_port_t bp, mach_port_t reply, audit_token_t token,
			 machipc_bootstrap_counts_array_t counts, mach_msg_type_number_t *countsCnt)
{
	struct server *via;
	machipc_bootstrap_counts_t c;
	mach_msg_type_number_t n = sizeof(c) / sizeof(uint64_t);

	if (!bootstrap_of_port(bp, &via))
		return MIG_BAD_ID;
	_Static_assert(sizeof(c) / sizeof(uint64_t) <= MACHIPC_BOOTSTRAP_COUNTS_MAX,
		       "the counts fit the message");
	fill_counts(&c, audit_token_to_euid(token), reply);
	if (n > *countsCnt)
		n = *countsCnt;
	memcpy(counts, &c, n * sizeof(uint64_t));
	*countsCnt = n;
	return KERN_SUCCESS;
}

void fill_counts(machipc_bootstrap_counts_t *c, uid_t caller, mach_port_name_t reply)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0, i;
	struct acct *a = acct_find(caller);

	memset(c, 0, sizeof(*c));
	c->names = stats.names;
	c->names_per_pid = stats.names_per_pid;
	c->bootstraps = stats.bootstraps;
	c->servers = stats.servers;
	c->servers_running = stats.servers_running;
	c->tracked_ports = stats.ports;
	c->bytes = stats.bytes;
	c->uids = stats.uids;
	c->caller_bytes = a ? a->bytes : 0;
	c->caller_names = a ? a->names : 0;
	c->limit_bytes_per_uid = limits.bytes_per_uid;
	c->limit_names_per_uid = limits.names_per_uid;
	c->requests = stats.requests;
	c->refused_no_memory = stats.refused_no_memory;
	c->notifications = stats.notifications;
	c->launches = stats.launches;
	c->names_active = active_count();
	if (mach_port_names(mach_task_self(), &names, &nn, &types, &nt) == KERN_SUCCESS) {
		c->port_names = nn;
		for (i = 0; i < nn && i < nt; i++) {
			mach_port_type_t t = types[i];

			if (names[i] == reply) {
				c->port_names--;
				continue;
			}
			if (t & MACH_PORT_TYPE_RECEIVE)
				c->receive_rights++;
			else if (t & MACH_PORT_TYPE_SEND)
				c->send_rights++;
			if (t & MACH_PORT_TYPE_SEND_ONCE)
				c->send_once_rights++;
			if (t & MACH_PORT_TYPE_DEAD_NAME)
				c->dead_names++;
			if (t & MACH_PORT_TYPE_PORT_SET)
				c->port_sets++;
		}
		free_array(names, nn, sizeof(*names));
		free_array(types, nt, sizeof(*types));
	}
}
