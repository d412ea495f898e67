/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_host.h>: host interface (MIG subsystem mach_host, 200; the
 * subset implemented by machipc). (On macOS host_{get,set}_special_port
 * live in <mach/host_priv.h>, which is included here.)
 */
#ifndef _mach_host_user_
#define _mach_host_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/host_priv.h>
#include <mach/host_info.h>
#include <mach/clock_types.h>

__BEGIN_DECLS

extern mach_port_t mach_host_self(void);

/* Information about the host (<mach/host_info.h>). */
kern_return_t host_info(
	host_t host,
	host_flavor_t flavor,
	host_info_t host_info_out,
	mach_msg_type_number_t *host_info_outCnt);

/* The kernel's version string (NUL-terminated, at most 512 bytes). */
kern_return_t host_kernel_version(
	host_t host,
	kernel_version_t kernel_version);

/* A send right to a clock (SYSTEM_CLOCK, CALENDAR_CLOCK; <mach/clock.h>). */
kern_return_t host_get_clock_service(
	host_t host,
	clock_id_t clock_id,
	clock_serv_t *clock_serv);

/* The default processor set's name port. */
kern_return_t processor_set_default(
	host_t host,
	processor_set_name_t *default_set);

/* HOST_LOAD_INFO, HOST_VM_INFO, HOST_CPU_LOAD_INFO. */
kern_return_t host_statistics(
	host_t host_priv,
	host_flavor_t flavor,
	host_info_t host_info_out,
	mach_msg_type_number_t *host_info_outCnt);

/* HOST_VM_INFO64, HOST_EXTMOD_INFO64 (others as host_statistics). */
kern_return_t host_statistics64(
	host_t host_priv,
	host_flavor_t flavor,
	host_info64_t host_info64_out,
	mach_msg_type_number_t *host_info64_outCnt);

__END_DECLS

#endif /* _mach_host_user_ */
