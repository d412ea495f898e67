/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <servers/bootstrap.h>: the bootstrap server, with the macOS API.
 *
 * Every task's TASK_BOOTSTRAP_PORT (the variable bootstrap_port) is a send
 * right to a bootstrap namespace served by machipc-bootstrapd: a task with
 * no Mach ancestor gets the system one, a child its parent's. Servers
 * publish their ports under names (bootstrap_check_in, bootstrap_register),
 * clients find them (bootstrap_look_up). Names are per bootstrap namespace;
 * bootstrap_subset() makes a private namespace layered over its parent's.
 * A uid may register or check in only names it owns (root any). A name
 * whose server dies becomes inactive and can be checked in again.
 *
 * Names are NUL-terminated strings shorter than BOOTSTRAP_MAX_NAME_LEN;
 * a longer or NULL name gives KERN_INVALID_ARGUMENT (never truncated).
 * See docs/bootstrap.md for the full semantics.
 *
 * The macOS prototypes say name_t / cmd_t (char[128] / char[512]); an
 * array parameter is a pointer, so the prototypes below, written with
 * pointers, are the same functions -- and GCC does not warn (as it does
 * for array parameters, -Wstringop-overread) about the string literals
 * programs pass.
 */
#ifndef _BOOTSTRAP_H_
#define _BOOTSTRAP_H_

#include <sys/cdefs.h>
#include <sys/types.h>
#include <mach/std_types.h>
#include <mach/message.h>
#include <servers/bootstrap_defs.h>

__BEGIN_DECLS

extern mach_port_t bootstrap_port;

/*
 * Declares a server: `server_cmd` (an absolute path and its arguments,
 * separated by blanks, "quoted" or \escaped) run as `server_uid` with the
 * returned port as its bootstrap port; services created through that port
 * belong to the server. An on-demand server is started when a message
 * arrives on one of its inactive services, the others at once (and again
 * when they exit after having checked in). A caller may only name its own
 * uid unless it is root (BOOTSTRAP_NOT_PRIVILEGED).
 */
kern_return_t bootstrap_create_server(mach_port_t bp, char *server_cmd, uid_t server_uid,
				      boolean_t on_demand, mach_port_t *server_port);

/*
 * A new namespace, layered over bp's: look-ups fall through to bp's names,
 * registrations stay in the subset. It lives as long as requestor_port (a
 * send right, typically mach_task_self()) and a send right to it do.
 */
kern_return_t bootstrap_subset(mach_port_t bp, mach_port_t requestor_port,
			       mach_port_t *subset_port);

/* Deprecated: bp itself (one more user reference on it). */
kern_return_t bootstrap_unprivileged(mach_port_t bp, mach_port_t *unpriv_port);

/* The namespace bp is layered over (the root namespace: itself). */
kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port);

/*
 * Deprecated on macOS but widely used: publishes the send right sp under
 * service_name (the caller keeps its own right). MACH_PORT_NULL removes
 * the caller's name. BOOTSTRAP_SERVICE_ACTIVE if the name is served,
 * BOOTSTRAP_NOT_PRIVILEGED if another uid owns it.
 */
kern_return_t bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp);

/* bootstrap_register() with flags: BOOTSTRAP_PER_PID_SERVICE. */
kern_return_t bootstrap_register2(mach_port_t bp, char *service_name, mach_port_t sp,
				  uint64_t flags);

/*
 * Reserves service_name (BOOTSTRAP_NAME_IN_USE if it exists): the bootstrap
 * server keeps the receive right until a server checks in; look-ups give
 * send rights whose messages wait for it. *sp: a send right.
 */
kern_return_t bootstrap_create_service(mach_port_t bp, char *service_name, mach_port_t *sp);

/*
 * The receive right of service_name: the reserved one, or a new port if
 * the name does not exist. BOOTSTRAP_SERVICE_ACTIVE if it is served.
 */
kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp);

/*
 * A send right to service_name's port, looked up in bp's namespace and
 * then its parents'. BOOTSTRAP_UNKNOWN_SERVICE if there is none.
 */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp);

/*
 * bootstrap_look_up() with flags: BOOTSTRAP_PER_PID_SERVICE (the name
 * target_pid registered with that flag), BOOTSTRAP_FORCE_LOCAL (bp's
 * namespace only), BOOTSTRAP_PRIVILEGED_SERVER (only a name owned by root,
 * BOOTSTRAP_NOT_PRIVILEGED otherwise); BOOTSTRAP_ALLOW_LOOKUP and
 * BOOTSTRAP_DENY_JOB_CREATION are accepted and change nothing.
 */
kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				 pid_t target_pid, uint64_t flags);

/*
 * Up to BOOTSTRAP_MAX_LOOKUP_COUNT look-ups at once (BOOTSTRAP_BAD_COUNT
 * beyond): MACH_PORT_NULL for an unknown name, *all_services_known FALSE
 * then. *service_ports is vm_allocate'd memory.
 */
kern_return_t bootstrap_look_up_array(mach_port_t bp, name_array_t service_names,
				      mach_msg_type_number_t service_namesCnt,
				      mach_port_array_t *service_ports,
				      mach_msg_type_number_t *service_portsCnt,
				      boolean_t *all_services_known);

/* BOOTSTRAP_STATUS_ACTIVE, _INACTIVE or _ON_DEMAND. */
kern_return_t bootstrap_status(mach_port_t bp, char *service_name,
			       bootstrap_status_t *service_active);

/*
 * The names of bp's own namespace, the command of the server each belongs
 * to ("" for none) and their status (arrays in vm_allocate'd memory).
 * flags must be 0.
 */
kern_return_t bootstrap_info(mach_port_t bp, name_array_t *service_names,
			     mach_msg_type_number_t *service_namesCnt, name_array_t *service_jobs,
			     mach_msg_type_number_t *service_jobsCnt,
			     bootstrap_status_array_t *service_active,
			     mach_msg_type_number_t *service_activeCnt, uint64_t flags);

/*
 * Send rights to the subsets made directly on bp, their names and
 * properties; root or the owner of bp only. BOOTSTRAP_NO_CHILDREN if
 * there are none.
 */
kern_return_t bootstrap_lookup_children(mach_port_t bp, mach_port_array_t *children,
					name_array_t *names,
					bootstrap_property_array_t *properties,
					mach_msg_type_number_t *n_children);

/* A message for a BOOTSTRAP_* code, or mach_error_string()'s. */
const char *bootstrap_strerror(kern_return_t r);

__END_DECLS

#endif /* _BOOTSTRAP_H_ */
