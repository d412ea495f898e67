// SPDX-License-Identifier: MIT
/*
 * The mach_port_* calls, with the macOS signatures. Arguments that never
 * reach the kernel (allocate_full's proto and qos) are checked here, with
 * XNU's codes; everything else is decided by the module.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

kern_return_t mach_port_allocate_full(ipc_space_t task, mach_port_right_t right, mach_port_t proto,
				      mach_port_qos_t *qos, mach_port_name_t *name)
{
	struct machipc_port_op o;
	kern_return_t kr;

	if (proto != MACH_PORT_NULL)
		return KERN_INVALID_VALUE;
	if (qos->prealloc) {
		if (qos->len > MACH_MSG_SIZE_MAX - MAX_TRAILER_SIZE)
			return KERN_RESOURCE_SHORTAGE;
		if (right != MACH_PORT_RIGHT_RECEIVE)
			return KERN_INVALID_VALUE;
	}
	kr = machipc_op(MACHIPC_OP_ALLOCATE, task, qos->name ? *name : MACH_PORT_NULL, right,
			qos->name ? MACHIPC_ALLOCATE_NAMED : 0, 0, &o);
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

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	return mach_port_allocate_full(task, right, MACH_PORT_NULL, &qos, &name);
}

kern_return_t mach_port_allocate_qos(ipc_space_t task, mach_port_right_t right,
				     mach_port_qos_t *qos, mach_port_name_t *name)
{
	if (qos->name)
		return KERN_INVALID_ARGUMENT;
	return mach_port_allocate_full(task, right, MACH_PORT_NULL, qos, name);
}

kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
				  mach_port_context_t context, mach_port_name_t *name)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_CONSTRUCT, task, MACH_PORT_NULL, options->flags,
				      context, options->mpl.mpl_qlimit, &o);

	if (kr == KERN_SUCCESS)
		*name = o.name;
	return kr;
}

kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
				 mach_port_delta_t srdelta, mach_port_context_t guard)
{
	return machipc_op(MACHIPC_OP_DESTRUCT, task, name, 0, (uint64_t)(int64_t)srdelta, guard,
			  NULL);
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return machipc_op(MACHIPC_OP_DESTROY, task, name, 0, 0, 0, NULL);
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return machipc_op(MACHIPC_OP_DEALLOCATE, task, name, 0, 0, 0, NULL);
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_GET_REFS, task, name, right, 0, 0, &o);

	if (kr == KERN_SUCCESS)
		*refs = (mach_port_urefs_t)o.val[0];
	return kr;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_delta_t delta)
{
	return machipc_op(MACHIPC_OP_MOD_REFS, task, name, right, (uint64_t)(int64_t)delta, 0,
			  NULL);
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_TYPE, task, name, 0, 0, 0, &o);

	if (kr == KERN_SUCCESS)
		*ptype = (mach_port_type_t)o.val[0];
	return kr;
}

kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	(void)task;
	(void)old_name;
	(void)new_name;
	return KERN_NOT_SUPPORTED; /* as XNU */
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	return machipc_op(MACHIPC_OP_INSERT_RIGHT, task, name, polyPoly, poly, 0, NULL);
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name, mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_EXTRACT_RIGHT, task, name, msgt_name, 0, 0, &o);

	if (kr == KERN_SUCCESS) {
		*poly = (mach_port_t)o.val[0];
		*polyPoly = (mach_msg_type_name_t)o.val[1];
	}
	return kr;
}

kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
				      mach_port_name_t pset)
{
	return machipc_op(MACHIPC_OP_INSERT_MEMBER, task, name, pset, 0, 0, NULL);
}

kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_t pset)
{
	return machipc_op(MACHIPC_OP_EXTRACT_MEMBER, task, name, pset, 0, 0, NULL);
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return machipc_op(MACHIPC_OP_MOVE_MEMBER, task, member, after, 0, 0, NULL);
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return machipc_op(MACHIPC_OP_SET_MSCOUNT, task, name, 0, mscount, 0, NULL);
}

kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return machipc_op(MACHIPC_OP_SET_SEQNO, task, name, 0, seqno, 0, NULL);
}

kern_return_t mach_port_get_context(ipc_space_read_t task, mach_port_name_t name,
				    mach_port_context_t *context)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_GET_CONTEXT, task, name, 0, 0, 0, &o);

	if (kr == KERN_SUCCESS)
		*context = (mach_port_context_t)o.val[0];
	return kr;
}

kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t context)
{
	return machipc_op(MACHIPC_OP_SET_CONTEXT, task, name, 0, context, 0, NULL);
}

kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard,
			      boolean_t strict)
{
	return machipc_op(MACHIPC_OP_GUARD, task, name, strict ? 1 : 0, guard, 0, NULL);
}

kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name,
				mach_port_context_t guard)
{
	return machipc_op(MACHIPC_OP_UNGUARD, task, name, 0, guard, 0, NULL);
}

kern_return_t mach_port_kernel_object(ipc_space_read_t task, mach_port_name_t name,
				      unsigned *object_type, unsigned *object_addr)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_KERNEL_OBJECT, task, name, 0, 0, 0, &o);

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

	if (a.count > MACHIPC_ATTR_INFO_MAX)
		a.count = MACHIPC_ATTR_INFO_MAX;
	err = machipc_ioctl(MACHIPC_IOC_PORT_ATTR, &a);
	if (err)
		return machipc_errno_to_kr(err);
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

	if (port_info && port_infoCnt)
		memcpy(a.info, port_info,
		       (port_infoCnt < MACHIPC_ATTR_INFO_MAX ? port_infoCnt : MACHIPC_ATTR_INFO_MAX) *
			       sizeof(natural_t));
	err = machipc_ioctl(MACHIPC_IOC_PORT_ATTR, &a);
	return err ? machipc_errno_to_kr(err) : a.kr;
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

	if (kr == KERN_SUCCESS)
		*previous = o.name;
	return kr;
}

kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name, natural_t *object_type,
				mach_vm_address_t *object_addr)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_KERNEL_OBJECT, task, name, 0, 0, 0, &o);

	if (kr == KERN_SUCCESS) {
		*object_type = (natural_t)o.val[0];
		*object_addr = 0; /* XNU release kernels do not tell addresses either */
	}
	return kr;
}

/* XNU describes IOKit objects only (machipc has none): "" for the others. */
kern_return_t mach_port_kobject_description(ipc_space_read_t task, mach_port_name_t name,
					    natural_t *object_type, mach_vm_address_t *object_addr,
					    kobject_description_t description)
{
	kern_return_t kr = mach_port_kobject(task, name, object_type, object_addr);

	if (kr == KERN_SUCCESS && description)
		description[0] = '\0';
	return kr;
}

/*
 * As XNU: MPG_STRICT makes a strict guard, unknown flags are ignored.
 * MPG_IMMOVABLE_RECEIVE asks for a receive right that cannot leave the
 * space, which machipc cannot enforce: KERN_NOT_SUPPORTED, nothing done.
 */
kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
					 mach_port_context_t guard, uint64_t flags)
{
	if (flags & MPG_IMMOVABLE_RECEIVE)
		return KERN_NOT_SUPPORTED;
	return mach_port_guard(task, name, guard, (flags & MPG_STRICT) ? TRUE : FALSE);
}

/*
 * XNU's checks, in its order: the receive right (KERN_INVALID_NAME,
 * KERN_INVALID_RIGHT), then KERN_INVALID_ARGUMENT for a port that is not
 * guarded, strictly guarded, or guarded by another value. A non-strict
 * guard is the port's context, so the swap is one set_context. (Not atomic
 * against another thread changing the same guard meanwhile.)
 */
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

kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task,
					 ipc_info_space_basic_t *basic_info)
{
	struct machipc_port_list l = { .op = MACHIPC_LIST_NAMES, .task = task };
	int err;

	/* Capacity 0: only the counts. */
	err = machipc_ioctl(MACHIPC_IOC_PORT_LIST, &l);
	if (err)
		return machipc_errno_to_kr(err);
	if (l.kr != KERN_SUCCESS)
		return l.kr;
	*basic_info = (ipc_info_space_basic_t){
		.iisb_genno_mask = 0xff,
		.iisb_table_size = l.table_size,
		.iisb_table_next = l.table_size * 2,
		.iisb_table_inuse = l.count,
	};
	return KERN_SUCCESS;
}

/* The module's limit on names per space (module parameter), or 0. */
static uint32_t max_port_names(void)
{
	FILE *f = fopen("/sys/module/machipc/parameters/max_port_names", "re");
	unsigned long v = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return (uint32_t)v;
}

/*
 * XNU grows the task's name table to table_entries now; machipc's table
 * grows by itself as names are made, up to the module's max_port_names. So
 * this checks the task and that the space can reach that size:
 * KERN_NO_SPACE beyond the limit (as ipc_entry_grow_table), success
 * otherwise.
 */
kern_return_t task_set_port_space(ipc_space_t task, int table_entries)
{
	struct machipc_port_list l = { .op = MACHIPC_LIST_NAMES, .task = task };
	uint32_t max;
	int err;

	err = machipc_ioctl(MACHIPC_IOC_PORT_LIST, &l);
	if (err)
		return machipc_errno_to_kr(err);
	if (l.kr != KERN_SUCCESS)
		return l.kr;
	max = max_port_names();
	if (table_entries < 0 || (max && (uint32_t)table_entries > max))
		return KERN_NO_SPACE;
	return KERN_SUCCESS;
}
