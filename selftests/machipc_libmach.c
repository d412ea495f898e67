// SPDX-License-Identifier: GPL-2.0
/*
 * libmach calls that machipc offers on the existing ioctls, beyond the
 * mach_port_* and mach_msg basics: the mach_msg traps (one call, no
 * retry), mach_port_kobject[_description], mach_port_guard_with_flags,
 * mach_port_swap_guard, mach_port_space_basic_info, task_set_port_space,
 * mach_voucher_deallocate, vprintf_stderr_func (mach_error()'s output) and
 * the kernel's sender tokens. Each with XNU's results, error paths too.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/mach_error.h>

#include "kselftest_harness.h"
#include "machipc_util.h"

typedef struct {
	mach_msg_header_t h;
	int32_t v;
} small_msg_t;

typedef struct {
	small_msg_t m;
	mach_msg_max_trailer_t t;
} small_rcv_t;

static void fill(small_msg_t *m, mach_port_t dest, int v)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = dest;
	m->h.msgh_id = 900;
	m->v = v;
}

/* ---- the traps ------------------------------------------------------------------ */

TEST(mach_msg_trap_sends_and_receives)
{
	mach_port_t p = new_receive(_metadata);
	small_rcv_t r;

	fill(&r.m, p, 31);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg_trap(&r.m.h, MACH_SEND_MSG | MACH_RCV_MSG,
						  sizeof(r.m), sizeof(r), p,
						  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
	EXPECT_EQ(900, r.m.h.msgh_id);
	EXPECT_EQ(31, r.m.v);
	EXPECT_EQ(p, r.m.h.msgh_local_port);
}

TEST(mach_msg_overwrite_trap_receives_into_rcv_msg)
{
	mach_port_t p = new_receive(_metadata);
	small_msg_t out;
	small_rcv_t in;

	fill(&out, p, 32);
	memset(&in, 0, sizeof(in));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg_overwrite_trap(&out.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(out),
					  sizeof(in), p, MACH_MSG_TIMEOUT_NONE,
					  MACH_MSG_PRIORITY_UNSPECIFIED, &in.m.h, sizeof(in)));
	EXPECT_EQ(32, in.m.v);
	/* The send buffer is as it was. */
	EXPECT_EQ(p, out.h.msgh_remote_port);
	EXPECT_EQ(32, out.v);
}

TEST(mach_msg_trap_errors_are_the_kernels)
{
	small_rcv_t r;

	fill(&r.m, UNKNOWN_NAME, 1);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_msg_trap(&r.m.h, MACH_SEND_MSG, sizeof(r.m), 0,
							MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, mach_msg_trap(&r.m.h, MACH_RCV_MSG, 0, sizeof(r),
						       UNKNOWN_NAME, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg_trap(&r.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						    sizeof(r), new_receive(_metadata), 0,
						    MACH_PORT_NULL));
}

static void on_signal(int sig)
{
	(void)sig;
}

struct trap_waiter {
	mach_port_t port;
	volatile pid_t tid;
	mach_msg_return_t mr;
	int calls;
	bool use_trap;
};

static void *trap_wait(void *arg)
{
	struct trap_waiter *w = arg;
	small_rcv_t r;

	w->tid = (pid_t)syscall(SYS_gettid);
	memset(&r, 0, sizeof(r));
	if (w->use_trap)
		w->mr = mach_msg_trap(&r.m.h, MACH_RCV_MSG, 0, sizeof(r), w->port,
				      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	else
		w->mr = mach_msg(&r.m.h, MACH_RCV_MSG, 0, sizeof(r), w->port,
				 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	return NULL;
}

/* The trap returns an interrupted receive; mach_msg() retries it. */
TEST(mach_msg_trap_returns_interrupted_where_mach_msg_retries)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct trap_waiter trap = { .use_trap = true }, wrapper = { .use_trap = false };
	pthread_t t1, t2;
	small_msg_t m;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL)); /* no SA_RESTART */
	trap.port = new_receive(_metadata);
	wrapper.port = new_receive(_metadata);
	ASSERT_EQ(0, pthread_create(&t1, NULL, trap_wait, &trap));
	ASSERT_EQ(0, pthread_create(&t2, NULL, trap_wait, &wrapper));
	ASSERT_TRUE(POLL_UNTIL(trap.tid && wrapper.tid, BLOCK_WAIT_MS));
	ASSERT_TRUE(wait_thread_blocked_in_mach(trap.tid));
	ASSERT_TRUE(wait_thread_blocked_in_mach(wrapper.tid));
	ASSERT_EQ(0, pthread_kill(t1, SIGUSR1));
	ASSERT_EQ(0, pthread_kill(t2, SIGUSR1));
	ASSERT_EQ(0, pthread_join(t1, NULL));
	EXPECT_EQ(MACH_RCV_INTERRUPTED, trap.mr);
	/* The wrapper went back to waiting: a message ends it. */
	ASSERT_TRUE(wait_thread_blocked_in_mach(wrapper.tid));
	fill(&m, wrapper.port, 7);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
					     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
	ASSERT_EQ(0, pthread_join(t2, NULL));
	EXPECT_EQ(MACH_MSG_SUCCESS, wrapper.mr);
}

/* ---- kernel objects -------------------------------------------------------------------- */

TEST(mach_port_kobject_tells_the_object_type_and_no_address)
{
	natural_t type = 99;
	mach_vm_address_t addr = 0x1234;
	mach_port_t p = new_send_receive(_metadata, 1), host = mach_host_self();

	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(mach_task_self(), mach_task_self(), &type, &addr));
	EXPECT_EQ(IKOT_TASK, type);
	EXPECT_EQ(0U, addr);
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(mach_task_self(), host, &type, &addr));
	EXPECT_TRUE(type == IKOT_HOST || type == IKOT_HOST_PRIV);
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(mach_task_self(), p, &type, &addr));
	EXPECT_EQ(IKOT_NONE, type);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(mach_task_self(), UNKNOWN_NAME, &type, &addr));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_kobject(UNKNOWN_NAME, p, &type, &addr));
}

TEST(mach_port_kobject_agrees_with_mach_port_kernel_object)
{
	unsigned t1 = 1, a1 = 1;
	natural_t t2 = 2;
	mach_vm_address_t a2 = 2;

	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), mach_task_self(), &t1, &a1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(mach_task_self(), mach_task_self(), &t2, &a2));
	EXPECT_EQ(t1, t2);
	EXPECT_EQ((mach_vm_address_t)a1, a2);
}

TEST(mach_port_kobject_description_is_empty_but_for_iokit)
{
	kobject_description_t desc;
	natural_t type = 99;
	mach_vm_address_t addr = 5;

	memset(desc, 'x', sizeof(desc));
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject_description(mach_task_self(), mach_task_self(),
							      &type, &addr, desc));
	EXPECT_EQ(IKOT_TASK, type);
	EXPECT_EQ(0U, addr);
	EXPECT_STREQ("", desc);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject_description(mach_task_self(), UNKNOWN_NAME,
								   &type, &addr, desc));
}

/* ---- guards ---------------------------------------------------------------------------------- */

TEST(mach_port_guard_with_flags_strict_guards_strictly)
{
	mach_port_t p = new_receive(_metadata), q = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(mach_task_self(), p, 0x51, MPG_STRICT));
	EXPECT_EQ((unsigned)(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD),
		  STATUS_FIELD(p, mps_flags) &
			  (MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(mach_task_self(), q, 0x52, 0));
	EXPECT_EQ((unsigned)MACH_PORT_STATUS_FLAG_GUARDED,
		  STATUS_FIELD(q, mps_flags) &
			  (MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD));
	/* Guarded already: as mach_port_guard. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard_with_flags(mach_task_self(), q, 0x53, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), q, 0x52));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), p, 0x51));
}

TEST(mach_port_guard_with_flags_immovable_receive_is_not_supported)
{
	mach_port_t p = new_receive(_metadata);

	EXPECT_FAILS_CLEANLY(KERN_NOT_SUPPORTED,
			     mach_port_guard_with_flags(mach_task_self(), p, 0x61,
							MPG_IMMOVABLE_RECEIVE | MPG_STRICT));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_flags) & MACH_PORT_STATUS_FLAG_GUARDED);
}

TEST(mach_port_guard_with_flags_errors)
{
	mach_port_t s = new_send_receive(_metadata, 1), so = new_send_once(_metadata, s);

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard_with_flags(mach_task_self(), UNKNOWN_NAME, 1, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard_with_flags(mach_task_self(), so, 1, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_guard_with_flags(UNKNOWN_NAME, s, 1, 0));
}

TEST(mach_port_swap_guard_replaces_a_guard)
{
	mach_port_t p = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), p, 0x71, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_swap_guard(mach_task_self(), p, 0x71, 0x72));
	/* The old guard is no more; the new one is. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_swap_guard(mach_task_self(), p, 0x71, 0x73));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), p, 0x72));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_flags) & MACH_PORT_STATUS_FLAG_GUARDED);
}

TEST(mach_port_swap_guard_refuses_unguarded_and_strict_ports)
{
	mach_port_t p = new_receive(_metadata), q = new_receive(_metadata);
	mach_port_t s = new_send_receive(_metadata, 1), so = new_send_once(_metadata, s);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, mach_port_swap_guard(mach_task_self(), p, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), q, 0x81, TRUE));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_swap_guard(mach_task_self(), q, 0x81, 0x82));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), q, 0x81));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_swap_guard(mach_task_self(), MACH_PORT_NULL, 0, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_swap_guard(mach_task_self(), UNKNOWN_NAME, 0, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_swap_guard(mach_task_self(), so, 0, 1));
}

/* ---- the space ----------------------------------------------------------------------------- */

TEST(mach_port_space_basic_info_counts_the_names_in_use)
{
	ipc_info_space_basic_t info;
	int before = name_count(mach_task_self());

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(mach_task_self(), &info));
	EXPECT_EQ((natural_t)before, info.iisb_table_inuse);
	EXPECT_GE(info.iisb_table_size, info.iisb_table_inuse);
	EXPECT_GT(info.iisb_table_next, info.iisb_table_size);
	EXPECT_EQ(0xffU, info.iisb_genno_mask);
	new_receive(_metadata);
	new_receive(_metadata);
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(mach_task_self(), &info));
	EXPECT_EQ((natural_t)before + 2, info.iisb_table_inuse);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_space_basic_info(UNKNOWN_NAME, &info));
	/* A kernel object that is no task. (A port a task receives on would
	 * get the MIG request, and the call would wait for its reply.) */
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_space_basic_info(mach_host_self(), &info));
}

static unsigned long module_max_port_names(void)
{
	FILE *f = fopen("/sys/module/machipc/parameters/max_port_names", "re");
	unsigned long v = 0;

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/*
 * xnu-3248 ipc_entry_grow_table() takes an unsigned size: -1 is
 * ITS_SIZE_NONE, one growth step; any other negative size is past every
 * limit.
 */
TEST(task_set_port_space_checks_the_task_and_the_limit)
{
	unsigned long max = module_max_port_names();

	EXPECT_EQ(KERN_SUCCESS, task_set_port_space(mach_task_self(), 100));
	EXPECT_EQ(KERN_SUCCESS, task_set_port_space(mach_task_self(), 0));
	EXPECT_EQ(KERN_SUCCESS, task_set_port_space(mach_task_self(), -1));
	EXPECT_EQ(KERN_NO_SPACE, task_set_port_space(mach_task_self(), -2));
	EXPECT_EQ(KERN_NO_SPACE, task_set_port_space(mach_task_self(), INT_MIN));
	if (max && max < 0x7fffffff) {
		EXPECT_EQ(KERN_SUCCESS, task_set_port_space(mach_task_self(), (int)max));
		EXPECT_EQ(KERN_NO_SPACE, task_set_port_space(mach_task_self(), (int)max + 1));
	}
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_port_space(UNKNOWN_NAME, 100));
	EXPECT_EQ(KERN_INVALID_TASK, task_set_port_space(mach_host_self(), 100));
}

/* ---- vouchers, mach_error's output, tokens ----------------------------------------------------- */

TEST(mach_voucher_deallocate_drops_a_send_reference)
{
	mach_port_t p = new_send_receive(_metadata, 2);

	ASSERT_EQ(KERN_SUCCESS, mach_voucher_deallocate(p));
	EXPECT_EQ(1U, refs_of(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, mach_voucher_deallocate(UNKNOWN_NAME));
}

static char captured[512];

__attribute__((format(printf, 1, 0)))
static int capture(const char *fmt, va_list ap)
{
	size_t n = strlen(captured);

	return vsnprintf(captured + n, sizeof(captured) - n, fmt, ap);
}

TEST(vprintf_stderr_func_gets_what_mach_error_prints)
{
	captured[0] = 0;
	EXPECT_EQ(NULL, vprintf_stderr_func);
	vprintf_stderr_func = capture;
	mach_error("lookup:", KERN_INVALID_NAME);
	vprintf_stderr_func = NULL;
	EXPECT_NE(NULL, strstr(captured, "lookup:"));
	EXPECT_NE(NULL, strstr(captured, mach_error_string(KERN_INVALID_NAME)));
	EXPECT_EQ('\n', captured[strlen(captured) - 1]);
}

TEST(kernel_tokens_have_the_headers_values)
{
	security_token_t s = KERNEL_SECURITY_TOKEN_VALUE;
	audit_token_t a = KERNEL_AUDIT_TOKEN_VALUE;

	EXPECT_EQ(0, memcmp(&s, &KERNEL_SECURITY_TOKEN, sizeof(s)));
	EXPECT_EQ(0, memcmp(&a, &KERNEL_AUDIT_TOKEN, sizeof(a)));
	EXPECT_EQ(1U, KERNEL_SECURITY_TOKEN.val[1]);
}

TEST_HARNESS_MAIN
