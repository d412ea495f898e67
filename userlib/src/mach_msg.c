// SPDX-License-Identifier: MIT
/*
 * mach_msg and friends, with the macOS signatures.
 *
 * One ioctl does send, receive or both. Without MACH_SEND_INTERRUPT /
 * MACH_RCV_INTERRUPT, a call interrupted by a signal is retried here, with
 * what is left of its timeout: a send that was interrupted has been
 * pseudo-received (its rights are back in our space and the buffer holds
 * the message again), so it is simply sent again; an interrupted receive
 * after a successful send retries the receive alone.
 */
#include <errno.h>
#include <time.h>

#include "internal.h"

/* The sender tokens of messages the kernel sends (<mach/message.h>'s values). */
const security_token_t KERNEL_SECURITY_TOKEN = KERNEL_SECURITY_TOKEN_VALUE;
const audit_token_t KERNEL_AUDIT_TOKEN = KERNEL_AUDIT_TOKEN_VALUE;

/*
 * The ioctl itself failed (the module answers every Mach error as the
 * ioctl's value, so this is a broken argument or no usable /dev/mach): the
 * mach_msg code for it. A bad buffer is the trap's *_INVALID_DATA, as a
 * fault in XNU's copyin; no memory for the call is MACH_SEND_NO_BUFFER
 * (KERN_RESOURCE_SHORTAGE for a receive);
 * anything else (no device, a descriptor this process may not use, an
 * unknown ioctl: nothing was sent or received) is KERN_FAILURE, not a
 * code that would blame the caller's names.
 */
static mach_msg_return_t errno_to_mr(int err, mach_msg_option_t option)
{
	boolean_t send = (option & MACH_SEND_MSG) != 0;

	switch (err) {
	case EFAULT:
		return send ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_DATA;
	case ENOMEM:
		return send ? MACH_SEND_NO_BUFFER : KERN_RESOURCE_SHORTAGE;
	default:
		return KERN_FAILURE;
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The ioctl's argument for one call. */
static struct machipc_msg msg_args(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				   mach_port_name_t notify, mach_msg_header_t *rcv_msg)
{
	struct machipc_msg m = {
		.send_buf = (uint64_t)(uintptr_t)msg,
		.rcv_buf = (uint64_t)(uintptr_t)(rcv_msg ? rcv_msg : msg),
		.option = (uint32_t)option,
		.send_size = send_size,
		.rcv_size = rcv_size,
		.rcv_name = rcv_name,
		.timeout = timeout,
		.notify = notify,
	};

	return m;
}

/* One MACHIPC_IOC_MSG: the mach_msg_return_t the module answers (the
 * ioctl's value), or the code of an ioctl that failed. */
static mach_msg_return_t msg_ioctl(const struct machipc_msg *m)
{
	int r = machipc_ioctl_value(MACHIPC_IOC_MSG, m);

	return r < 0 ? errno_to_mr(-r, (mach_msg_option_t)m->option) : (mach_msg_return_t)r;
}

mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				     mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				     mach_port_name_t notify, mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_limit)
{
	struct machipc_msg m = msg_args(msg, option, send_size, rcv_size, rcv_name, timeout,
					notify, rcv_msg);
	uint64_t deadline = now_ms() + timeout;

	(void)rcv_limit;
	for (;;) {
		mach_msg_return_t mr = msg_ioctl(&m);
		uint64_t now;

		if (mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT)) {
			/* resend */
		} else if (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT)) {
			m.option &= ~(uint32_t)MACH_SEND_MSG;
		} else {
			return mr;
		}
		now = now_ms();
		m.timeout = now >= deadline ? 0 : (uint32_t)(deadline - now);
	}
}

/*
 * The traps: one call, as the kernel answers it. An interrupted call
 * returns MACH_SEND_INTERRUPTED / MACH_RCV_INTERRUPTED whatever the options
 * (mach_msg() is the one that retries, as libsyscall's does).
 */
mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg, mach_msg_option_t option,
					  mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
					  mach_msg_priority_t priority, mach_msg_header_t *rcv_msg,
					  mach_msg_size_t rcv_limit)
{
	struct machipc_msg m = msg_args(msg, option, send_size, rcv_size, rcv_name, timeout,
					MACH_PORT_NULL, rcv_msg);

	(void)priority;
	(void)rcv_limit;
	return msg_ioctl(&m);
}

mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				mach_port_name_t notify)
{
	struct machipc_msg m = msg_args(msg, option, send_size, rcv_size, rcv_name, timeout,
					notify, NULL);

	return msg_ioctl(&m);
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name, timeout, notify,
				  NULL, 0);
}

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* machipc has no voucher objects: a voucher name is a send right (libsyscall's). */
kern_return_t mach_voucher_deallocate(mach_port_name_t voucher)
{
	return mach_port_deallocate(mach_task_self(), voucher);
}

/* Releases one right of a received message, by its type. */
static void destroy_port(mach_port_t port, mach_msg_type_name_t type)
{
	mach_port_t task = mach_task_self();

	if (!MACH_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		mach_port_deallocate(task, port);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		if (mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS)
			mach_port_deallocate(task, port);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE: {
		mach_port_t so;
		mach_msg_type_name_t t;

		if (mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t) ==
		    KERN_SUCCESS)
			mach_port_deallocate(task, so);
		break;
	}
	default:
		break;
	}
}

void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_bits_t bits = msg->msgh_bits;
	mach_msg_body_t *body;
	mach_msg_descriptor_t *d;
	mach_msg_size_t i;

	/* msgh_local_port holds no right: receiving consumed it. */
	destroy_port(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	destroy_port(msg->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(bits));
	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return;
	body = (mach_msg_body_t *)(msg + 1);
	d = (mach_msg_descriptor_t *)(body + 1);
	for (i = 0; i < body->msgh_descriptor_count; i++) {
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_port(d->port.name, d->port.disposition);
			d = (mach_msg_descriptor_t *)((char *)d + sizeof(d->port));
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			/* As libsyscall: only memory the message says to deallocate. */
			if (d->out_of_line.deallocate && d->out_of_line.size)
				vm_deallocate(mach_task_self(), (vm_address_t)d->out_of_line.address,
					      d->out_of_line.size);
			d = (mach_msg_descriptor_t *)((char *)d + sizeof(d->out_of_line));
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_t *ports = (mach_port_t *)d->ool_ports.address;
			mach_msg_size_t j;

			for (j = 0; ports && j < d->ool_ports.count; j++)
				destroy_port(ports[j], d->ool_ports.disposition);
			if (ports && d->ool_ports.deallocate && d->ool_ports.count)
				vm_deallocate(mach_task_self(), (vm_address_t)ports,
					      d->ool_ports.count * sizeof(mach_port_t));
			d = (mach_msg_descriptor_t *)((char *)d + sizeof(d->ool_ports));
			break;
		}
		default:
			return; /* unknown descriptor: stop */
		}
	}
}
