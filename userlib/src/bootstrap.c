// SPDX-License-Identifier: MIT
/*
 * The bootstrap server interface (<servers/bootstrap.h>), on the client
 * stubs our mig generates from <servers/bootstrap.defs> (prefix
 * machipc_bs_), talking to machipc-bootstrapd.
 *
 * Names are checked here: a NULL name or one that does not fit a name_t
 * with its NUL is KERN_INVALID_ARGUMENT (the stub would truncate it, and
 * two long names would then meet under one truncated name).
 */
#include <stdbool.h>
#include <string.h>

#include "internal.h"

#include <servers/bootstrap.h>
#include <machipc/bootstrap.h>
#include "machipc_bootstrap.h"

/* Copies a caller's name into a name_t; false if it does not fit. */
static bool copy_name(const char *in, name_t out)
{
	size_t n;

	if (!in)
		return false;
	n = strnlen(in, BOOTSTRAP_MAX_NAME_LEN);
	if (n >= BOOTSTRAP_MAX_NAME_LEN)
		return false;
	memcpy(out, in, n + 1);
	return true;
}

kern_return_t bootstrap_create_server(mach_port_t bp, char *server_cmd, uid_t server_uid,
				      boolean_t on_demand, mach_port_t *server_port)
{
	cmd_t cmd;
	size_t n;

	if (!server_cmd || !server_port)
		return KERN_INVALID_ARGUMENT;
	n = strnlen(server_cmd, BOOTSTRAP_MAX_CMD_LEN);
	if (n >= BOOTSTRAP_MAX_CMD_LEN)
		return KERN_INVALID_ARGUMENT;
	memcpy(cmd, server_cmd, n + 1);
	return machipc_bs_create_server(bp, cmd, server_uid, on_demand, server_port);
}

kern_return_t bootstrap_subset(mach_port_t bp, mach_port_t requestor_port,
			       mach_port_t *subset_port)
{
	if (!subset_port)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_subset(bp, requestor_port, subset_port);
}

kern_return_t bootstrap_unprivileged(mach_port_t bp, mach_port_t *unpriv_port)
{
	kern_return_t kr;

	if (!unpriv_port)
		return KERN_INVALID_ARGUMENT;
	*unpriv_port = MACH_PORT_NULL;
	kr = mach_port_mod_refs(mach_task_self(), bp, MACH_PORT_RIGHT_SEND, 1);
	if (kr == KERN_SUCCESS)
		*unpriv_port = bp;
	return kr;
}

kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port)
{
	if (!parent_port)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_parent(bp, parent_port);
}

kern_return_t bootstrap_register2(mach_port_t bp, char *service_name, mach_port_t sp,
				  uint64_t flags)
{
	name_t n;

	if (!copy_name(service_name, n))
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_register2(bp, n, sp, flags);
}

kern_return_t bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp)
{
	return bootstrap_register2(bp, service_name, sp, 0);
}

kern_return_t bootstrap_create_service(mach_port_t bp, char *service_name, mach_port_t *sp)
{
	name_t n;

	if (!copy_name(service_name, n) || !sp)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_create_service(bp, n, sp);
}

kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	name_t n;

	if (!copy_name(service_name, n) || !sp)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_check_in(bp, n, 0, sp);
}

kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				 pid_t target_pid, uint64_t flags)
{
	name_t n;

	if (!copy_name(service_name, n) || !sp)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_look_up2(bp, n, target_pid, flags, sp);
}

kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return bootstrap_look_up2(bp, service_name, sp, 0, 0);
}

kern_return_t bootstrap_look_up_array(mach_port_t bp, name_array_t service_names,
				      mach_msg_type_number_t service_namesCnt,
				      mach_port_array_t *service_ports,
				      mach_msg_type_number_t *service_portsCnt,
				      boolean_t *all_services_known)
{
	mach_msg_type_number_t i;

	if ((!service_names && service_namesCnt) || !service_ports || !service_portsCnt ||
	    !all_services_known)
		return KERN_INVALID_ARGUMENT;
	/* More than BOOTSTRAP_MAX_LOOKUP_COUNT: the server says BOOTSTRAP_BAD_COUNT. */
	for (i = 0; i < service_namesCnt && i < BOOTSTRAP_MAX_LOOKUP_COUNT; i++) {
		if (strnlen(service_names[i], BOOTSTRAP_MAX_NAME_LEN) >= BOOTSTRAP_MAX_NAME_LEN)
			return KERN_INVALID_ARGUMENT;
	}
	return machipc_bs_look_up_array(bp, service_names, service_namesCnt, service_ports,
					service_portsCnt, all_services_known);
}

kern_return_t bootstrap_status(mach_port_t bp, char *service_name,
			       bootstrap_status_t *service_active)
{
	name_t n;

	if (!copy_name(service_name, n) || !service_active)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_status(bp, n, service_active);
}

kern_return_t bootstrap_info(mach_port_t bp, name_array_t *service_names,
			     mach_msg_type_number_t *service_namesCnt, name_array_t *service_jobs,
			     mach_msg_type_number_t *service_jobsCnt,
			     bootstrap_status_array_t *service_active,
			     mach_msg_type_number_t *service_activeCnt, uint64_t flags)
{
	if (!service_names || !service_namesCnt || !service_jobs || !service_jobsCnt ||
	    !service_active || !service_activeCnt)
		return KERN_INVALID_ARGUMENT;
	return machipc_bs_info(bp, flags, service_names, service_namesCnt, service_jobs,
			       service_jobsCnt, service_active, service_activeCnt);
}

kern_return_t bootstrap_lookup_children(mach_port_t bp, mach_port_array_t *children,
					name_array_t *names,
					bootstrap_property_array_t *properties,
					mach_msg_type_number_t *n_children)
{
	mach_msg_type_number_t nn = 0, np = 0;
	kern_return_t kr;

	if (!children || !names || !properties || !n_children)
		return KERN_INVALID_ARGUMENT;
	kr = machipc_bs_lookup_children(bp, children, n_children, names, &nn, properties, &np);
	if (kr == KERN_SUCCESS && (nn != *n_children || np != *n_children)) {
		/* The three arrays go together: a server that says otherwise
		 * is not one we understand. */
		mach_msg_type_number_t i;

		for (i = 0; i < *n_children; i++)
			mach_port_deallocate(mach_task_self(), (*children)[i]);
		vm_deallocate(mach_task_self(), (vm_address_t)*children,
			      *n_children * sizeof(mach_port_t));
		vm_deallocate(mach_task_self(), (vm_address_t)*names, nn * sizeof(name_t));
		vm_deallocate(mach_task_self(), (vm_address_t)*properties,
			      np * sizeof(bootstrap_property_t));
		*n_children = 0;
		return MIG_TYPE_ERROR;
	}
	return kr;
}

const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_BAD_COUNT:
		return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory";
	case BOOTSTRAP_NO_CHILDREN:
		return "No child bootstrap namespaces";
	default:
		return mach_error_string(r);
	}
}

kern_return_t machipc_bootstrap_counts(mach_port_t bp, machipc_bootstrap_counts_t *counts)
{
	uint64_t v[MACHIPC_BOOTSTRAP_COUNTS_MAX];
	mach_msg_type_number_t n = MACHIPC_BOOTSTRAP_COUNTS_MAX;
	kern_return_t kr;

	if (!counts)
		return KERN_INVALID_ARGUMENT;
	kr = machipc_bs_counts(bp, v, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	memset(counts, 0, sizeof(*counts));
	if (n > sizeof(*counts) / sizeof(uint64_t))
		n = sizeof(*counts) / sizeof(uint64_t);
	memcpy(counts, v, n * sizeof(uint64_t));
	return KERN_SUCCESS;
}
