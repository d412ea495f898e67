/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_vm.h>: 64-bit VM interface (the subset implemented by machipc).
 */
#ifndef _mach_vm_user_
#define _mach_vm_user_

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

kern_return_t mach_vm_allocate(
	vm_map_t target,
	mach_vm_address_t *address,
	mach_vm_size_t size,
	int flags);

kern_return_t mach_vm_deallocate(
	vm_map_t target,
	mach_vm_address_t address,
	mach_vm_size_t size);

__END_DECLS

#endif /* _mach_vm_user_ */
