// SPDX-License-Identifier: MIT
/*
 * The mach_port_* calls, with the macOS signatures. Arguments that never
 * reach the kernel (allocate_full's proto and qos) are checked here, with
 * XNU's codes; everything else is decided by the module.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mig_errors.h>

#include "internal.h"
#include "mach_port_mig.h"

/*
 * A call whose target is a port that a task, not the kernel, receives on:
 * the module answers MACHIPC_KR_USER_PORT and the call goes out as the MIG
 * request it is on macOS (libsyscall falls back from the trap to the MIG
 * routine), to that port's receiver, whose reply is the answer.
 */
#define OR_REQUEST(kr, request)                                                \
	({                                                                     \
		kern_return_t __kr = (kr);                                     \
		__kr == MACHIPC_KR_USER_PORT ? (request) : __kr;               \
	})

/* mach_port_info_t is array[*:17] (mach_types.defs). */
#define PORT_INFO_MAX 17

/*
 * On macOS the calls below that refuse an argument here are MIG requests
 * (libsyscall's mach_port.c): the request is sent first, so a target that
 * is no send right fails the send (MACH_SEND_INVALID_DEST) before the
 * argument is looked at, and one that is no task reaches the routine as
 * IS_NULL (KERN_INVALID_TASK, which most routines check first). The target's
 * code: the module checks the target of mach_port_type before its name.
 */
static kern_return_t mig_target(ipc_space_t task)
{
	kern_return_t kr = machipc_op(MACHIPC_OP_TYPE, task, MACH_PORT_NULL, 0, 0, 0, NULL);

	return kr == MACH_SEND_INVALID_DEST || kr == KERN_INVALID_TASK || kr == MACHIPC_KR_USER_PORT ?
		       kr :
		       KERN_SUCCESS;
}

/* Whether a port argument copies in as MIG's COPY_SEND: a send right or a
 * dead name (or no name at all). */
static int copy_send_ok(mach_port_t port)
{
	struct machipc_port_op o;

	if (!MACH_PORT_VALID(port))
		return 1;
	if (machipc_op(MACHIPC_OP_TYPE, mach_task_self(), port, 0, 0, 0, &o) != KERN_SUCCESS)
		return 0;
	return (o.val[0] & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME)) != 0;
}

kern_return_t mach_port_allocate_full(ipc_space_t task, mach_port_right_t right, mach_port_t proto,
				      mach_port_qos_t *qos, mach_port_name_t *name)
{
	struct machipc_port_op o;
	kern_return_t kr;

	/* xnu-3248: the request's send (target, then proto), then
	 * mach_port_allocate_full's IS_NULL, proto, name and prealloc. */
	if (proto != MACH_PORT_NULL || (qos->name && !MACH_PORT_VALID(*name)) || qos->prealloc) {
		kr = mig_target(task);
		if (kr == MACHIPC_KR_USER_PORT)
			return _kernelrpc_mach_port_allocate_full(task, right, proto, qos, name);
		if (kr == MACH_SEND_INVALID_DEST)
			return kr;
		if (!copy_send_ok(proto))
			return MACH_SEND_INVALID_RIGHT;
		if (kr != KERN_SUCCESS)
			return kr;
		if (proto != MACH_PORT_NULL)
			return KERN_INVALID_VALUE;
		if (qos->name && !MACH_PORT_VALID(*name))
			return KERN_INVALID_VALUE;
		if (qos->len > MACH_MSG_SIZE_MAX - MAX_TRAILER_SIZE)
			return KERN_RESOURCE_SHORTAGE;
		if (right != MACH_PORT_RIGHT_RECEIVE)
			return KERN_INVALID_VALUE;
	}
	kr = machipc_op(MACHIPC_OP_ALLOCATE, task, qos->name ? *name : MACH_PORT_NULL, right,
			qos->name ? MACHIPC_ALLOCATE_NAMED : 0, 0, &o);
	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_allocate_full(task, right, proto, qos, name);
	if (kr == KERN_SUCCESS)
		*name = o.name;
	return kr;
}

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name)
{
	mach_port_qos_t qos = { 0 };

	return mach_port_allocate_full(task, right, MACH_PORT_NULL, &qos, name);
}

kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
				      mach_port_name_t name)
{
	mach_port_qos_t qos = { .name = TRUE };
	kern_return_t kr;

	/* xnu-3248 mach_port_allocate_name: the name before IS_NULL. */
	if (!MACH_PORT_VALID(name)) {
		kr = mig_target(task);
		if (kr == MACHIPC_KR_USER_PORT)
			return _kernelrpc_mach_port_allocate_name(task, right, name);
		return kr == MACH_SEND_INVALID_DEST ? kr : KERN_INVALID_VALUE;
	}
	return mach_port_allocate_full(task, right, MACH_PORT_NULL, &qos, &name);
}

kern_return_t mach_port_allocate_qos(ipc_space_t task, mach_port_right_t right,
				     mach_port_qos_t *qos, mach_port_name_t *name)
{
	kern_return_t kr;

	/* xnu-3248 mach_port_allocate_qos: qos->name before IS_NULL. */
	if (qos->name) {
		kr = mig_target(task);
		if (kr == MACHIPC_KR_USER_PORT)
			return _kernelrpc_mach_port_allocate_qos(task, right, qos, name);
		return kr == MACH_SEND_INVALID_DEST ? kr : KERN_INVALID_ARGUMENT;
	}
	return mach_port_allocate_full(task, right, MACH_PORT_NULL, qos, name);
}

kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
				  mach_port_context_t context, mach_port_name_t *name)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_CONSTRUCT, task, MACH_PORT_NULL, options->flags,
				      context, options->mpl.mpl_qlimit, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_construct(task, options, context, name);
	if (kr == KERN_SUCCESS)
		*name = o.name;
	return kr;
}

kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
				 mach_port_delta_t srdelta, mach_port_context_t guard)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_DESTRUCT, task, name, 0, (uint64_t)(int64_t)srdelta, guard,
			  NULL),
			  _kernelrpc_mach_port_destruct(task, name, srdelta, guard));
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_DESTROY, task, name, 0, 0, 0, NULL),
			  _kernelrpc_mach_port_destroy(task, name));
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_DEALLOCATE, task, name, 0, 0, 0, NULL),
			  _kernelrpc_mach_port_deallocate(task, name));
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_GET_REFS, task, name, right, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_get_refs(task, name, right, refs);
	if (kr == KERN_SUCCESS)
		*refs = (mach_port_urefs_t)o.val[0];
	return kr;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_delta_t delta)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_MOD_REFS, task, name, right, (uint64_t)(int64_t)delta, 0,
			  NULL),
			  _kernelrpc_mach_port_mod_refs(task, name, right, delta));
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_TYPE, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_type(task, name, ptype);
	if (kr == KERN_SUCCESS)
		*ptype = (mach_port_type_t)o.val[0];
	return kr;
}

kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	kern_return_t kr = mig_target(task);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_rename(task, old_name, new_name);
	/* xnu-3248 mach_port_rename: KERN_NOT_SUPPORTED, once the request was sent. */
	return kr == MACH_SEND_INVALID_DEST ? kr : KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_INSERT_RIGHT, task, name, polyPoly, poly, 0, NULL),
			  _kernelrpc_mach_port_insert_right(task, name, poly, polyPoly));
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name, mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_EXTRACT_RIGHT, task, name, msgt_name, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_extract_right(task, name, msgt_name, poly, polyPoly);
	if (kr == KERN_SUCCESS) {
		*poly = (mach_port_t)o.val[0];
		*polyPoly = (mach_msg_type_name_t)o.val[1];
	}
	return kr;
}

kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
				      mach_port_name_t pset)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_INSERT_MEMBER, task, name, pset, 0, 0, NULL),
			  _kernelrpc_mach_port_insert_member(task, name, pset));
}

kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_t pset)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_EXTRACT_MEMBER, task, name, pset, 0, 0, NULL),
			  _kernelrpc_mach_port_extract_member(task, name, pset));
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_MOVE_MEMBER, task, member, after, 0, 0, NULL),
			  _kernelrpc_mach_port_move_member(task, member, after));
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_SET_MSCOUNT, task, name, 0, mscount, 0, NULL),
			  _kernelrpc_mach_port_set_mscount(task, name, mscount));
}

kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_SET_SEQNO, task, name, 0, seqno, 0, NULL),
			  _kernelrpc_mach_port_set_seqno(task, name, seqno));
}

kern_return_t mach_port_get_context(ipc_space_read_t task, mach_port_name_t name,
				    mach_port_context_t *context)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_GET_CONTEXT, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_get_context(task, name, (mach_vm_address_t *)context);
	if (kr == KERN_SUCCESS)
		*context = (mach_port_context_t)o.val[0];
	return kr;
}

kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t context)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_SET_CONTEXT, task, name, 0, context, 0, NULL),
			  _kernelrpc_mach_port_set_context(task, name, context));
}

kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard,
			      boolean_t strict)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_GUARD, task, name, strict ? 1 : 0, guard, 0, NULL),
			  _kernelrpc_mach_port_guard(task, name, guard, strict));
}

kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name,
				mach_port_context_t guard)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_UNGUARD, task, name, 0, guard, 0, NULL),
			  _kernelrpc_mach_port_unguard(task, name, guard));
}

kern_return_t mach_port_kernel_object(ipc_space_read_t task, mach_port_name_t name,
				      unsigned *object_type, unsigned *object_addr)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_KERNEL_OBJECT, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_kernel_object(task, name, object_type, object_addr);
	if (kr == KERN_SUCCESS) {
		*object_type = (unsigned)o.val[0];
		*object_addr = (unsigned)o.val[1];
	}
	return kr;
}

kern_return_t mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	struct machipc_port_attr a = {
		.task = task, .name = name, .flavor = flavor, .count = *port_info_outCnt,
	};
	int err;

	/* The MIG user stub asks for at most the array's bound. */
	if (a.count > PORT_INFO_MAX)
		a.count = PORT_INFO_MAX;
	err = machipc_ioctl(MACHIPC_IOC_PORT_ATTR, &a);
	if (err)
		return machipc_errno_to_kr(err);
	if (a.kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_get_attributes(task, name, flavor, port_info_out,
							   port_info_outCnt);
	if (a.kr == KERN_SUCCESS) {
		memcpy(port_info_out, a.info, a.count * sizeof(natural_t));
		*port_info_outCnt = a.count;
	}
	return a.kr;
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	struct machipc_port_attr a = {
		.task = task, .name = name, .flavor = flavor, .count = port_infoCnt, .set = 1,
	};
	int err;

	/* The MIG user stub refuses a longer array before sending anything. */
	if (port_infoCnt > PORT_INFO_MAX)
		return MIG_ARRAY_TOO_LARGE;
	if (port_info && port_infoCnt)
		memcpy(a.info, port_info,
		       (port_infoCnt < MACHIPC_ATTR_INFO_MAX ? port_infoCnt : MACHIPC_ATTR_INFO_MAX) *
			       sizeof(natural_t));
	err = machipc_ioctl(MACHIPC_IOC_PORT_ATTR, &a);
	if (err)
		return machipc_errno_to_kr(err);
	return OR_REQUEST(a.kr, _kernelrpc_mach_port_set_attributes(task, name, flavor, port_info,
								     port_infoCnt));
}

/*
 * Fetches a PORT_LIST result into a malloc'ed array, growing the buffer
 * until it fits. *out is NULL-or-array; *count the number of entries.
 */
static kern_return_t port_list(uint32_t op, mach_port_name_t task, mach_port_name_t name,
			       struct machipc_name_info **out, uint32_t *count,
			       uint32_t *table_size)
{
	struct machipc_name_info *buf = NULL;
	uint32_t cap = 64;

	for (;;) {
		struct machipc_port_list l = { .op = op, .task = task, .name = name };
		struct machipc_name_info *nb = realloc(buf, cap * sizeof(*buf));
		int err;

		if (!nb) {
			free(buf);
			return KERN_RESOURCE_SHORTAGE;
		}
		buf = nb;
		l.capacity = cap;
		l.buf = (uint64_t)(uintptr_t)buf;
		err = machipc_ioctl(MACHIPC_IOC_PORT_LIST, &l);
		if (err || l.kr != KERN_SUCCESS) {
			free(buf);
			return err ? machipc_errno_to_kr(err) : l.kr;
		}
		if (l.count <= cap) {
			*out = buf;
			*count = l.count;
			if (table_size)
				*table_size = l.table_size;
			return KERN_SUCCESS;
		}
		cap = l.count + 16;
	}
}

/* An array for the caller, in memory it frees with vm_deallocate. */
static kern_return_t vm_array(size_t bytes, void **out)
{
	vm_address_t addr = 0;
	kern_return_t kr;

	if (bytes == 0) {
		*out = NULL;
		return KERN_SUCCESS;
	}
	kr = vm_allocate(mach_task_self(), &addr, bytes, VM_FLAGS_ANYWHERE);
	*out = (void *)addr;
	return kr;
}

kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	struct machipc_name_info *list;
	mach_port_name_t *n = NULL;
	mach_port_type_t *t = NULL;
	uint32_t count, i;
	kern_return_t kr = port_list(MACHIPC_LIST_NAMES, task, MACH_PORT_NULL, &list, &count, NULL);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_names(task, names, namesCnt, types, typesCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_array(count * sizeof(*n), (void **)&n);
	if (kr == KERN_SUCCESS)
		kr = vm_array(count * sizeof(*t), (void **)&t);
	if (kr != KERN_SUCCESS) {
		if (n)
			vm_deallocate(mach_task_self(), (vm_address_t)n, count * sizeof(*n));
		free(list);
		return kr;
	}
	for (i = 0; i < count; i++) {
		n[i] = list[i].name;
		t[i] = list[i].type;
	}
	free(list);
	*names = n;
	*types = t;
	*namesCnt = *typesCnt = count;
	return KERN_SUCCESS;
}

kern_return_t mach_port_get_set_status(ipc_space_read_t task, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	struct machipc_name_info *list;
	mach_port_name_t *n = NULL;
	uint32_t count, i;
	kern_return_t kr = port_list(MACHIPC_LIST_SET_MEMBERS, task, name, &list, &count, NULL);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_get_set_status(task, name, members, membersCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_array(count * sizeof(*n), (void **)&n);
	if (kr == KERN_SUCCESS) {
		for (i = 0; i < count; i++)
			n[i] = list[i].name;
		*members = n;
		*membersCnt = count;
	}
	free(list);
	return kr;
}

kern_return_t mach_port_space_info(ipc_space_read_t space, ipc_info_space_t *space_info,
				   ipc_info_name_array_t *table_info,
				   mach_msg_type_number_t *table_infoCnt,
				   ipc_info_tree_name_array_t *tree_info,
				   mach_msg_type_number_t *tree_infoCnt)
{
	struct machipc_name_info *list;
	ipc_info_name_t *t = NULL;
	uint32_t count, table_size, i;
	kern_return_t kr = port_list(MACHIPC_LIST_NAMES, space, MACH_PORT_NULL, &list, &count,
				     &table_size);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_space_info(space, space_info, table_info, table_infoCnt,
						       tree_info, tree_infoCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_array(count * sizeof(*t), (void **)&t);
	if (kr != KERN_SUCCESS) {
		free(list);
		return kr;
	}
	for (i = 0; i < count; i++) {
		t[i] = (ipc_info_name_t){
			.iin_name = list[i].name,
			.iin_type = list[i].type,
			.iin_urefs = list[i].urefs,
			.iin_object = (natural_t)list[i].object,
			.iin_next = list[i].request,
		};
	}
	free(list);
	*space_info = (ipc_info_space_t){
		.iis_genno_mask = 0xff,
		.iis_table_size = table_size,
		.iis_table_next = table_size * 2,
	};
	*table_info = t;
	*table_infoCnt = count;
	*tree_info = NULL;
	*tree_infoCnt = 0;
	return KERN_SUCCESS;
}

kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_REQUEST_NOTIFICATION, task, name, (uint32_t)msgid,
				      sync, (uint64_t)notify | ((uint64_t)notifyPoly << 32), &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_request_notification(task, name, msgid, sync, notify, notifyPoly, previous);
	if (kr == KERN_SUCCESS)
		*previous = o.name;
	return kr;
}

/* ---- inspection (XNU mach_debug.c, mach_port.c) ------------------------- */

kern_return_t mach_port_get_srights(ipc_space_t task, mach_port_name_t name,
				    mach_port_rights_t *srights)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_GET_SRIGHTS, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_get_srights(task, name, srights);
	if (kr == KERN_SUCCESS)
		*srights = (mach_port_rights_t)o.val[0];
	return kr;
}

kern_return_t mach_port_dnrequest_info(ipc_space_t task, mach_port_name_t name,
				       unsigned *dnr_total, unsigned *dnr_used)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_DNREQUEST_INFO, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_dnrequest_info(task, name, dnr_total, dnr_used);
	if (kr == KERN_SUCCESS) {
		*dnr_total = (unsigned)o.val[0];
		*dnr_used = (unsigned)o.val[1];
	}
	return kr;
}

kern_return_t task_set_port_space(ipc_space_t task, int table_entries)
{
	return OR_REQUEST(machipc_op(MACHIPC_OP_SET_PORT_SPACE, task, MACH_PORT_NULL,
			  (uint32_t)table_entries, 0, 0, NULL),
			  _kernelrpc_task_set_port_space(task, table_entries));
}

/* mach_port_kernel_object with a 64-bit address (0: machipc gives no
 * kernel addresses). */
kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name,
				natural_t *object_type, mach_vm_address_t *object_addr)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_KERNEL_OBJECT, task, name, 0, 0, 0, &o);

	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_kobject(task, name, object_type, object_addr);
	if (kr == KERN_SUCCESS) {
		*object_type = (natural_t)o.val[0];
		*object_addr = (mach_vm_address_t)o.val[1];
	}
	return kr;
}

kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task,
					 ipc_info_space_basic_t *basic_info)
{
	struct machipc_name_info *names = NULL;
	uint32_t count, table_size;
	kern_return_t kr = port_list(MACHIPC_LIST_NAMES, task, MACH_PORT_NULL, &names, &count,
				     &table_size);

	free(names);
	if (kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_space_basic_info(task, basic_info);
	if (kr != KERN_SUCCESS)
		return kr;
	*basic_info = (ipc_info_space_basic_t){
		.iisb_genno_mask = 0xff,
		.iisb_table_size = table_size,
		.iisb_table_next = table_size * 2,
		.iisb_table_inuse = count,
	};
	return KERN_SUCCESS;
}

kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
			     mach_msg_trailer_type_t trailer_type, mach_port_seqno_t *request_seqnop,
			     mach_msg_size_t *msg_sizep, mach_msg_id_t *msg_idp,
			     mach_msg_trailer_info_t trailer_infop,
			     mach_msg_type_number_t *trailer_infopCnt)
{
	struct machipc_port_peek p = {
		.task = task,
		.name = name,
		.trailer_type = trailer_type,
		.seqno = *request_seqnop,
		.trailer_size = *trailer_infopCnt,
	};
	int err = machipc_ioctl(MACHIPC_IOC_PORT_PEEK, &p);

	if (err)
		return machipc_errno_to_kr(err);
	if (p.kr == MACHIPC_KR_USER_PORT)
		return _kernelrpc_mach_port_peek(task, name, trailer_type, request_seqnop, msg_sizep,
						 msg_idp, trailer_infop, trailer_infopCnt);
	if (p.kr != KERN_SUCCESS)
		return p.kr;
	*request_seqnop = p.seqno;
	*msg_sizep = p.msg_size;
	*msg_idp = p.msg_id;
	memcpy(trailer_infop, p.trailer, p.trailer_size);
	*trailer_infopCnt = p.trailer_size;
	return KERN_SUCCESS;
}

/* ---- later XNU's guard and description calls ---------------------------- */

/* MPG_STRICT as mach_port_guard's strict; machipc has no immovable
 * receive rights (MPG_IMMOVABLE_RECEIVE: KERN_NOT_SUPPORTED). */
kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
					 mach_port_context_t guard, uint64_t flags)
{
	if (flags & MPG_IMMOVABLE_RECEIVE)
		return KERN_NOT_SUPPORTED;
	return mach_port_guard(task, name, guard, (flags & MPG_STRICT) ? TRUE : FALSE);
}

/* Not atomic: the guard is read, compared and set in three calls. */
kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
				   mach_port_context_t old_guard, mach_port_context_t new_guard)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	mach_port_context_t cur = 0;
	kern_return_t kr;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	kr = mach_port_get_attributes(task, name, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st,
				      &cnt);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!(st.mps_flags & MACH_PORT_STATUS_FLAG_GUARDED) ||
	    (st.mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD))
		return KERN_INVALID_ARGUMENT;
	kr = mach_port_get_context(task, name, &cur);
	if (kr != KERN_SUCCESS)
		return kr;
	if (cur != old_guard)
		return KERN_INVALID_ARGUMENT;
	return mach_port_set_context(task, name, new_guard);
}

/* The kernel object's type, and no description (XNU describes IOKit
 * objects only). */
kern_return_t mach_port_kobject_description(ipc_space_read_t task, mach_port_name_t name,
					    natural_t *object_type, mach_vm_address_t *object_addr,
					    kobject_description_t description)
{
	kern_return_t kr = mach_port_kobject(task, name, object_type, object_addr);

	if (kr == KERN_SUCCESS && description)
		description[0] = '\0';
	return kr;
}
