/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/vm_map.h>: VM map interface (the subset implemented by machipc).
 */
#ifndef _vm_map_user_
#define _vm_map_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/vm_statistics.h>

__BEGIN_DECLS

kern_return_t vm_allocate(
	vm_map_t target_task,
	vm_address_t *address,
	vm_size_t size,
	int flags);

kern_return_t vm_deallocate(
	vm_map_t target_task,
	vm_address_t address,
	vm_size_t size);

__END_DECLS

#endif /* _vm_map_user_ */
