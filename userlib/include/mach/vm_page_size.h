/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/vm_page_size.h>: page size globals.
 */
#ifndef _VM_PAGE_SIZE_H_
#define _VM_PAGE_SIZE_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

extern vm_size_t        vm_page_size;
extern vm_size_t        vm_page_mask;
extern int              vm_page_shift;

#define trunc_page(x)   ((x) & (~(vm_page_size - 1)))
#define round_page(x)   trunc_page((x) + (vm_page_size - 1))

extern vm_size_t        vm_kernel_page_size;
extern vm_size_t        vm_kernel_page_mask;
extern int              vm_kernel_page_shift;

#define trunc_page_kernel(x)   ((x) & (~vm_kernel_page_mask))
#define round_page_kernel(x)   trunc_page_kernel((x) + vm_kernel_page_mask)

__END_DECLS

#endif /* _VM_PAGE_SIZE_H_ */
