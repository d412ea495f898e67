// SPDX-License-Identifier: MIT
/*
 * vm_allocate / vm_deallocate on the caller's own address space (the
 * arrays returned by mach_port_names & co. and, later, out-of-line
 * message memory). Only the caller's task is supported.
 *
 * The page size variables of <mach/vm_page_size.h> (so that round_page()
 * and trunc_page() work): statically the x86-64 page size, so they are
 * right even in constructors that run before ours, and then the size the
 * kernel reports.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

vm_size_t vm_page_size = 4096;
vm_size_t vm_page_mask = 4095;
int vm_page_shift = 12;
vm_size_t vm_kernel_page_size = 4096;
vm_size_t vm_kernel_page_mask = 4095;
int vm_kernel_page_shift = 12;

__attribute__((constructor)) static void page_size_init(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int shift = 0;

	if (page <= 0 || (page & (page - 1)))
		return;
	while ((1L << shift) < page)
		shift++;
	vm_page_size = vm_kernel_page_size = (vm_size_t)page;
	vm_page_mask = vm_kernel_page_mask = (vm_size_t)page - 1;
	vm_page_shift = vm_kernel_page_shift = shift;
}

static kern_return_t check_self(vm_map_t task)
{
	return task == mach_task_self() ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}

static vm_size_t page_round(vm_size_t size)
{
	vm_size_t page = (vm_size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(page - 1);
}

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address, mach_vm_size_t size,
			       int flags)
{
	void *p, *hint = NULL;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (check_self(target) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (!(flags & VM_FLAGS_ANYWHERE)) {
		hint = (void *)(uintptr_t)*address;
		mflags |= MAP_FIXED_NOREPLACE;
	}
	p = mmap(hint, page_round(size), PROT_READ | PROT_WRITE, mflags, -1, 0);
	if (p == MAP_FAILED)
		return (flags & VM_FLAGS_ANYWHERE) ? KERN_RESOURCE_SHORTAGE : KERN_NO_SPACE;
	*address = (mach_vm_address_t)(uintptr_t)p;
	return KERN_SUCCESS;
}

kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size)
{
	vm_size_t page = (vm_size_t)sysconf(_SC_PAGESIZE);
	mach_vm_address_t start = address & ~(mach_vm_address_t)(page - 1);

	if (check_self(target) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (munmap((void *)(uintptr_t)start, page_round(size + (address - start))) < 0)
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

kern_return_t vm_allocate(vm_map_t target, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t a = *address;
	kern_return_t kr = mach_vm_allocate(target, &a, size, flags);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)a;
	return kr;
}

kern_return_t vm_deallocate(vm_map_t target, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target, address, size);
}
