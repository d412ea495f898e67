/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/processor.h>: the processor interface (MIG subsystem processor,
 * 3000; the subset machipc implements), on the processor ports of
 * host_processors().
 */
#ifndef _processor_user_
#define _processor_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/port.h>
#include <mach/processor_info.h>

__BEGIN_DECLS

kern_return_t processor_start(
	processor_t processor);

kern_return_t processor_exit(
	processor_t processor);

kern_return_t processor_info(
	processor_t processor,
	processor_flavor_t flavor,
	host_t *host,
	processor_info_t processor_info_out,
	mach_msg_type_number_t *processor_info_outCnt);

__END_DECLS

#endif /* _processor_user_ */
