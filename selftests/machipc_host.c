// SPDX-License-Identifier: GPL-2.0
/*
 * The host as kernel objects (seed 004, issue 14): host_info and
 * host_statistics(64) against the running kernel's figures (sysconf,
 * /proc/meminfo, /proc/stat, /proc/loadavg), host_page_size and the page
 * size variables, host_kernel_version; clocks (host_get_clock_service,
 * clock_get_time, clock_get_attributes) and the local time calls
 * (mach_absolute_time & co., mach_wait_until); processors (one port per
 * CPU, processor_info, processor_start/exit refused unprivileged) and the
 * default processor set (name and control ports, info, statistics, tasks
 * and threads); the host exception ports. Unprivileged cases run as uid
 * 65534 in a child; rights given to a process go with it.
 *
 * Reference: XNU 10.11 (xnu-3248) osfmk/kern/host.c, processor.c,
 * clock.c, ipc_host.c. Each test skips if the module does not serve the
 * family yet (the local time calls need no module support).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/clock.h>
#include <mach/host_priv.h>
#include <mach/mach_host.h>
#include <mach/mach_time.h>
#include <mach/processor.h>
#include <mach/processor_set.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

#define GIVEN_NAME(i) NAME(0x330 + (i), 3)

/*
 * The host port, got once per process and credentials: every
 * mach_host_self() adds a user reference (as in XNU), which the
 * EXPECT_FAILS_CLEANLY snapshots would see as a change.
 */
static mach_port_t host_self(void)
{
	static pid_t pid;
	static uid_t euid;
	static mach_port_t host;

	if (pid != getpid() || euid != geteuid()) {
		host = mach_host_self();
		pid = getpid();
		euid = geteuid();
	}
	return host;
}

static bool root(void)
{
	return geteuid() == 0;
}

/* host_priv of a root task: what host_self() gives root. */
#define REQUIRE_ROOT()                                                         \
	do {                                                                   \
		if (!root())                                                   \
			SKIP(return, "needs root (host_priv)");                \
	} while (0)

/* A value of /proc/meminfo, in bytes; 0 if missing. */
static uint64_t meminfo(const char *key)
{
	char line[128];
	unsigned long long v = 0, kb;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%llu", &kb) == 1)
			v = kb * 1024;
	fclose(f);
	return v;
}

/* The ticks (USER_HZ) of a "cpu" or "cpuN" line of /proc/stat. */
struct cpu_ticks {
	unsigned long long user, nice, system, idle, iowait, irq, softirq;
};

static bool proc_stat_cpu(int cpu, struct cpu_ticks *t)
{
	char line[256], want[16];
	FILE *f = fopen("/proc/stat", "re");
	bool ok = false;

	if (!f)
		return false;
	if (cpu < 0)
		snprintf(want, sizeof(want), "cpu ");
	else
		snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (!ok && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)))
			ok = sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu", &t->user,
				    &t->nice, &t->system, &t->idle, &t->iowait, &t->irq,
				    &t->softirq) == 7;
	fclose(f);
	return ok;
}

/* Slack for tick counters read at slightly different times. */
#define TICK_SLACK 2ULL

/*
 * Mach's four states against Linux's ticks read before (a) and after (b):
 * user and nice as they are; system may include irq and softirq time;
 * idle may include iowait.
 */
static void expect_ticks_between(struct __test_metadata *_metadata, const natural_t ticks[4],
				 const struct cpu_ticks *a, const struct cpu_ticks *b)
{
	EXPECT_LE(a->user, ticks[CPU_STATE_USER] + TICK_SLACK);
	EXPECT_GE(b->user + TICK_SLACK, ticks[CPU_STATE_USER]);
	EXPECT_LE(a->nice, ticks[CPU_STATE_NICE] + TICK_SLACK);
	EXPECT_GE(b->nice + TICK_SLACK, ticks[CPU_STATE_NICE]);
	EXPECT_LE(a->system, ticks[CPU_STATE_SYSTEM] + TICK_SLACK);
	EXPECT_GE(b->system + b->irq + b->softirq + TICK_SLACK, ticks[CPU_STATE_SYSTEM]);
	EXPECT_LE(a->idle, ticks[CPU_STATE_IDLE] + TICK_SLACK);
	EXPECT_GE(b->idle + b->iowait + TICK_SLACK, ticks[CPU_STATE_IDLE]);
}

/* |x - y| within 5% of y or `floor`. */
static bool near(uint64_t x, uint64_t y, uint64_t floor)
{
	uint64_t d = x > y ? x - y : y - x, tol = y / 20;

	return d <= (tol > floor ? tol : floor);
}

static void free_ports(mach_port_t *a, mach_msg_type_number_t n)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		if (MACH_PORT_VALID(a[i]))
			mach_port_deallocate(mach_task_self(), a[i]);
	if (a && n)
		vm_deallocate(mach_task_self(), (vm_address_t)a, n * sizeof(*a));
}

static bool in_array(const mach_port_t *a, mach_msg_type_number_t n, mach_port_t x)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

/* ---- host_info ------------------------------------------------------------ */

/*
 * HOST_BASIC_INFO: the CPUs sysconf reports (possible and online), x86-64,
 * and the memory: max_mem is physical memory (no less than MemTotal),
 * memory_size the same capped at 2 GB.
 */
TEST(host_basic_info_matches_the_machine)
{
	host_basic_info_data_t b;
	mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;
	uint64_t total = meminfo("MemTotal");

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	memset(&b, 0xa5, sizeof(b));
	ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_BASIC_INFO, (host_info_t)&b, &n));
	EXPECT_EQ(HOST_BASIC_INFO_COUNT, n);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), b.max_cpus);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), b.avail_cpus);
	EXPECT_EQ(b.avail_cpus, b.logical_cpu);
	EXPECT_EQ(b.max_cpus, b.logical_cpu_max);
	EXPECT_LE(1, b.physical_cpu);
	EXPECT_GE(b.logical_cpu, b.physical_cpu);
	EXPECT_GE(b.logical_cpu_max, b.physical_cpu_max);
	EXPECT_LE(b.physical_cpu, b.physical_cpu_max);
	EXPECT_EQ(CPU_TYPE_X86_64, b.cpu_type);
	EXPECT_TRUE(b.cpu_subtype == CPU_SUBTYPE_X86_64_ALL || b.cpu_subtype == CPU_SUBTYPE_X86_64_H)
		TH_LOG("subtype %d", b.cpu_subtype);
	EXPECT_TRUE(b.cpu_threadtype == CPU_THREADTYPE_NONE ||
		    b.cpu_threadtype == CPU_THREADTYPE_INTEL_HTT);
	ASSERT_LT(0U, total);
	EXPECT_LE(total, b.max_mem);
	EXPECT_GE(2 * total, b.max_mem);
	EXPECT_EQ(b.max_mem > 0x80000000ULL ? 0x80000000U : (natural_t)b.max_mem, b.memory_size);
}

/* A count of at least the old 5 and less than 12 gets the first five fields. */
TEST(host_basic_info_old_count_gets_five_fields)
{
	(void)host_self(); /* its uref before any snapshot */
	host_basic_info_data_t full, old;
	mach_msg_type_number_t n;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	n = HOST_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_BASIC_INFO, (host_info_t)&full, &n));
	for (mach_msg_type_number_t c = 5; c < HOST_BASIC_INFO_COUNT; c++) {
		memset(&old, 0xa5, sizeof(old));
		n = c;
		ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_BASIC_INFO,
						  (host_info_t)&old, &n));
		EXPECT_EQ(5U, n);
		EXPECT_EQ(0, memcmp(&full, &old, 5 * sizeof(integer_t)));
		EXPECT_EQ((int)0xa5a5a5a5, old.cpu_threadtype);
	}
	n = 4;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE, host_info(host_self(), HOST_BASIC_INFO,
						     (host_info_t)&old, &n));
}

TEST(host_sched_and_priority_info)
{
	host_sched_info_data_t s;
	host_priority_info_data_t p;
	mach_msg_type_number_t n;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	n = HOST_SCHED_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_SCHED_INFO, (host_info_t)&s, &n));
	EXPECT_EQ(HOST_SCHED_INFO_COUNT, n);
	EXPECT_LT(0, s.min_quantum);
	EXPECT_EQ(s.min_quantum, s.min_timeout);
	n = HOST_PRIORITY_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_PRIORITY_INFO, (host_info_t)&p, &n));
	EXPECT_EQ(HOST_PRIORITY_INFO_COUNT, n);
	/* XNU's constants (osfmk/kern/sched.h). */
	EXPECT_EQ(80, p.kernel_priority);
	EXPECT_EQ(80, p.system_priority);
	EXPECT_EQ(64, p.server_priority);
	EXPECT_EQ(31, p.user_priority);
	EXPECT_EQ(0, p.depress_priority);
	EXPECT_EQ(0, p.idle_priority);
	EXPECT_EQ(0, p.minimum_priority);
	EXPECT_EQ(79, p.maximum_priority);
}

/* HOST_SEMAPHORE_TRAPS and HOST_MACH_MSG_TRAP answer "yes" with no data. */
TEST(host_info_trap_flavors_have_no_data)
{
	integer_t buf[HOST_INFO_MAX];
	mach_msg_type_number_t n;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	n = 8;
	EXPECT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_SEMAPHORE_TRAPS, buf, &n));
	EXPECT_EQ(0U, n);
	n = 8;
	EXPECT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_MACH_MSG_TRAP, buf, &n));
	EXPECT_EQ(0U, n);
}

/*
 * Unknown flavors (and HOST_RESOURCE_SIZES) are KERN_INVALID_ARGUMENT, a
 * short count KERN_FAILURE; a port that is not a host is a NULL host
 * (KERN_INVALID_ARGUMENT); nothing changes on the way.
 */
TEST(host_info_bad_arguments)
{
	(void)host_self(); /* its uref before any snapshot */
	static const int bad[] = { 0, 2, HOST_RESOURCE_SIZES, 6, 11, 99, -1 };
	static const struct {
		int flavor;
		mach_msg_type_number_t count;
	} shorts[] = {
		{ HOST_BASIC_INFO, 4 }, { HOST_SCHED_INFO, 1 }, { HOST_PRIORITY_INFO, 7 },
		{ HOST_BASIC_INFO, 0 },
	};
	integer_t buf[HOST_INFO_MAX];
	mach_msg_type_number_t n;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d", bad[i]);
		n = 68;
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, host_info(host_self(), bad[i], buf, &n));
	}
	for (i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d count %u", shorts[i].flavor,
			 shorts[i].count);
		n = shorts[i].count;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE,
				     host_info(host_self(), shorts[i].flavor, buf, &n));
	}
	n = 68;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(mach_task_self(), HOST_BASIC_INFO, buf, &n));
	n = 68;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     host_info(MACH_PORT_NULL, HOST_BASIC_INFO, buf, &n));
}

/* The plain host port and host_priv give the same answers. */
static void child_host_basic(int arg, int rd, int wr)
{
	host_basic_info_data_t b;
	mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;
	unsigned i;

	(void)arg;
	(void)rd;
	CHILD_BECOME_NOBODY();
	CHILD_EQ(IKOT_HOST, kobject_type_in(mach_task_self(), host_self()));
	CHILD_EQ(KERN_SUCCESS, host_info(host_self(), HOST_BASIC_INFO, (host_info_t)&b, &n));
	for (i = 0; i < n; i++)
		CHILD_PUT(wr, (uint32_t)((integer_t *)&b)[i]);
}

TEST(host_info_same_for_host_and_host_priv)
{
	host_basic_info_data_t b;
	mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;
	struct kid k;
	uint32_t v;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	REQUIRE_ROOT();
	EXPECT_EQ(IKOT_HOST_PRIV, kobject_type_in(mach_task_self(), host_self()));
	ASSERT_EQ(KERN_SUCCESS, host_info(host_self(), HOST_BASIC_INFO, (host_info_t)&b, &n));
	ASSERT_TRUE(spawn(&k, 0, child_host_basic, 0));
	for (i = 0; i < HOST_BASIC_INFO_COUNT; i++) {
		ASSERT_TRUE(get(k.rd, &v));
		EXPECT_EQ((uint32_t)((integer_t *)&b)[i], v) TH_LOG("word %u", i);
	}
	EXPECT_CHILD_OK(reap(&k));
}

/* ---- host_statistics ---------------------------------------------------------- */

/*
 * HOST_VM_INFO: pages free, active and inactive as /proc/meminfo has them
 * (read around the call, within 5% or 8 MiB).
 */
TEST(host_vm_info_matches_meminfo)
{
	vm_statistics_data_t v;
	mach_msg_type_number_t n = HOST_VM_INFO_COUNT;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), fr, ac, in;
	const uint64_t floor = 8ULL << 20;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	fr = meminfo("MemFree");
	ac = meminfo("Active");
	in = meminfo("Inactive");
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host_self(), HOST_VM_INFO, (host_info_t)&v, &n));
	EXPECT_EQ(HOST_VM_INFO_COUNT, n);
	EXPECT_TRUE(near(v.free_count * page, fr, floor))
		TH_LOG("free %llu pages, MemFree %llu", (unsigned long long)v.free_count,
		       (unsigned long long)fr);
	EXPECT_TRUE(near(v.active_count * page, ac, floor));
	EXPECT_TRUE(near(v.inactive_count * page, in, floor));
	EXPECT_LE(v.free_count * page, meminfo("MemTotal"));
}

/* Counts: REV2 15, REV1 14, REV0 12 are each honoured; below 12 fails. */
TEST(host_vm_info_counts)
{
	(void)host_self(); /* its uref before any snapshot */
	integer_t buf[HOST_INFO_MAX];
	static const mach_msg_type_number_t in[] = { 12, 13, 14, 15, 16, 68, 1000 };
	static const mach_msg_type_number_t out[] = { 12, 12, 14, 15, 15, 15, 15 };
	mach_msg_type_number_t n;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		n = in[i];
		EXPECT_EQ(KERN_SUCCESS, host_statistics(host_self(), HOST_VM_INFO, buf, &n));
		EXPECT_EQ(out[i], n) TH_LOG("count %u", in[i]);
	}
	n = 11;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE, host_statistics(host_self(), HOST_VM_INFO, buf, &n));
}

/*
 * HOST_VM_INFO64: the same figures as HOST_VM_INFO; REV1 38, REV0 24.
 * host_statistics64 forwards the 32-bit flavors; host_statistics does not
 * know the 64-bit one.
 */
TEST(host_vm_info64_agrees_with_vm_info)
{
	(void)host_self(); /* its uref before any snapshot */
	vm_statistics64_data_t v64;
	vm_statistics_data_t v;
	integer_t buf[256];
	mach_msg_type_number_t n;
	const uint64_t floor = 2048;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	n = HOST_VM_INFO64_COUNT;
	ASSERT_EQ(KERN_SUCCESS,
		  host_statistics64(host_self(), HOST_VM_INFO64, (host_info64_t)&v64, &n));
	EXPECT_EQ(HOST_VM_INFO64_COUNT, n);
	n = HOST_VM_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host_self(), HOST_VM_INFO, (host_info_t)&v, &n));
	EXPECT_TRUE(near(v.free_count, v64.free_count, floor));
	EXPECT_TRUE(near(v.active_count, v64.active_count, floor));
	EXPECT_TRUE(near(v.inactive_count, v64.inactive_count, floor));
	EXPECT_TRUE(near(v.wire_count, v64.wire_count, floor));
	EXPECT_LE((uint32_t)v64.faults, v.faults + (uint32_t)floor);
	n = HOST_VM_INFO64_REV0_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host_self(), HOST_VM_INFO64, buf, &n));
	EXPECT_EQ(HOST_VM_INFO64_REV0_COUNT, n);
	n = HOST_VM_INFO64_REV0_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE,
			     host_statistics64(host_self(), HOST_VM_INFO64, buf, &n));
	n = 256;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host_self(), HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_COUNT, n);
	n = 256;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host_self(), HOST_CPU_LOAD_INFO, buf, &n));
	EXPECT_EQ(HOST_CPU_LOAD_INFO_COUNT, n);
	n = 68;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     host_statistics(host_self(), HOST_VM_INFO64, buf, &n));
}

/* HOST_CPU_LOAD_INFO: the ticks of /proc/stat's "cpu" line, by state. */
TEST(host_cpu_load_info_matches_proc_stat)
{
	host_cpu_load_info_data_t c, c2;
	mach_msg_type_number_t n = HOST_CPU_LOAD_INFO_COUNT;
	struct cpu_ticks a, b;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	ASSERT_TRUE(proc_stat_cpu(-1, &a));
	ASSERT_EQ(KERN_SUCCESS,
		  host_statistics(host_self(), HOST_CPU_LOAD_INFO, (host_info_t)&c, &n));
	ASSERT_TRUE(proc_stat_cpu(-1, &b));
	EXPECT_EQ(HOST_CPU_LOAD_INFO_COUNT, n);
	expect_ticks_between(_metadata, c.cpu_ticks, &a, &b);
	/* They only grow. */
	n = HOST_CPU_LOAD_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS,
		  host_statistics(host_self(), HOST_CPU_LOAD_INFO, (host_info_t)&c2, &n));
	for (int i = 0; i < CPU_STATE_MAX; i++)
		EXPECT_LE(c.cpu_ticks[i], c2.cpu_ticks[i]);
}

/* HOST_LOAD_INFO: the load averages of /proc/loadavg, scaled by 1000. */
TEST(host_load_info_matches_loadavg)
{
	host_load_info_data_t l;
	mach_msg_type_number_t n = HOST_LOAD_INFO_COUNT;
	double a[3], b[3];
	FILE *f;
	int i;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	f = fopen("/proc/loadavg", "re");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "%lf %lf %lf", &a[0], &a[1], &a[2]));
	fclose(f);
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host_self(), HOST_LOAD_INFO, (host_info_t)&l, &n));
	f = fopen("/proc/loadavg", "re");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "%lf %lf %lf", &b[0], &b[1], &b[2]));
	fclose(f);
	EXPECT_EQ(HOST_LOAD_INFO_COUNT, n);
	for (i = 0; i < 3; i++) {
		double lo = (a[i] < b[i] ? a[i] : b[i]) * LOAD_SCALE - 11;
		double hi = (a[i] > b[i] ? a[i] : b[i]) * LOAD_SCALE + 11;

		EXPECT_TRUE(l.avenrun[i] >= lo && l.avenrun[i] <= hi)
			TH_LOG("avenrun[%d] %d, loadavg %.2f", i, l.avenrun[i], a[i]);
		EXPECT_LE(0, l.mach_factor[i]);
	}
}

/*
 * host_statistics: unknown flavors KERN_INVALID_ARGUMENT, a short count
 * KERN_FAILURE, a port that is not a host KERN_INVALID_HOST.
 */
TEST(host_statistics_bad_arguments)
{
	(void)host_self(); /* its uref before any snapshot */
	static const int bad[] = { 0, 7, 99, -1 };
	integer_t buf[256];
	mach_msg_type_number_t n;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d", bad[i]);
		n = 68;
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_statistics(host_self(), bad[i], buf, &n));
		n = 256;
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_statistics64(host_self(), bad[i], buf, &n));
	}
	n = HOST_CPU_LOAD_INFO_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE,
			     host_statistics(host_self(), HOST_CPU_LOAD_INFO, buf, &n));
	n = HOST_LOAD_INFO_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE, host_statistics(host_self(), HOST_LOAD_INFO, buf, &n));
	n = 68;
	EXPECT_EQ(KERN_INVALID_HOST, host_statistics(mach_task_self(), HOST_VM_INFO, buf, &n));
	n = 256;
	EXPECT_EQ(KERN_INVALID_HOST, host_statistics64(mach_task_self(), HOST_VM_INFO64, buf, &n));
}

/* ---- page size, kernel version ------------------------------------------------- */

/* No message: host_page_size and the variables, whatever the module. */
TEST(page_size_is_the_systems)
{
	vm_size_t ps = 0;
	long page = sysconf(_SC_PAGESIZE);

	EXPECT_EQ(KERN_SUCCESS, host_page_size(host_self(), &ps));
	EXPECT_EQ((vm_size_t)page, ps);
	ps = 0;
	EXPECT_EQ(KERN_SUCCESS, host_page_size(MACH_PORT_NULL, &ps));
	EXPECT_EQ((vm_size_t)page, ps);
	EXPECT_EQ((vm_size_t)page, vm_page_size);
	EXPECT_EQ((vm_size_t)page - 1, vm_page_mask);
	EXPECT_EQ((vm_size_t)page, (vm_size_t)1 << vm_page_shift);
	EXPECT_EQ(vm_page_size, vm_kernel_page_size);
	EXPECT_EQ((vm_size_t)page, round_page(1));
	EXPECT_EQ((vm_size_t)page, round_page(page));
	EXPECT_EQ((vm_size_t)2 * page, round_page(page + 1));
	EXPECT_EQ((vm_size_t)page, trunc_page(2 * page - 1));
	EXPECT_EQ(0U, trunc_page(page - 1));
}

/* The version string names the running kernel's release. */
TEST(host_kernel_version_names_the_running_kernel)
{
	kernel_version_t v;
	struct utsname u;

	REQUIRE_KOBJ(KOBJ_HOST_INFO);
	memset(v, 'x', sizeof(v));
	ASSERT_EQ(KERN_SUCCESS, host_kernel_version(host_self(), v));
	EXPECT_NE(NULL, memchr(v, 0, sizeof(v)));
	EXPECT_LT(0U, strlen(v));
	ASSERT_EQ(0, uname(&u));
	EXPECT_NE(NULL, strstr(v, u.release)) TH_LOG("version \"%s\", release %s", v, u.release);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_kernel_version(mach_task_self(), v));
}

/* ---- clocks ---------------------------------------------------------------------- */

TEST(host_get_clock_service_gives_clock_ports)
{
	(void)host_self(); /* its uref before any snapshot */
	clock_serv_t sys = MACH_PORT_NULL, cal = MACH_PORT_NULL, again = MACH_PORT_NULL;
	static const int bad[] = { 2, 3, -1, 100 };
	unsigned i;

	REQUIRE_KOBJ(KOBJ_CLOCKS);
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), CALENDAR_CLOCK, &cal));
	EXPECT_EQ(IKOT_CLOCK, kobject_type_in(mach_task_self(), sys));
	EXPECT_EQ(IKOT_CLOCK, kobject_type_in(mach_task_self(), cal));
	EXPECT_NE(sys, cal);
	/* One port per clock: the same name, one more uref. */
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), REALTIME_CLOCK, &again));
	EXPECT_EQ(sys, again);
	EXPECT_EQ(2U, refs_of(sys, MACH_PORT_RIGHT_SEND));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "clock %d", bad[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_get_clock_service(host_self(), bad[i], &again));
	}
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_clock_service(mach_task_self(), SYSTEM_CLOCK, &again));
}

static uint64_t ts_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t mts_ns(mach_timespec_t t)
{
	return (uint64_t)t.tv_sec * NSEC_PER_SEC + (uint64_t)t.tv_nsec;
}

/* SYSTEM_CLOCK counts from boot on mach_absolute_time's base; CALENDAR_CLOCK
 * is the wall clock. */
TEST(clock_get_time_reads_the_clocks)
{
	clock_serv_t sys, cal;
	mach_timespec_t t;
	uint64_t a, b;

	REQUIRE_KOBJ(KOBJ_CLOCKS);
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), CALENDAR_CLOCK, &cal));
	a = mach_absolute_time();
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(sys, &t));
	b = mach_absolute_time();
	EXPECT_LE(0, t.tv_nsec);
	EXPECT_GT((int)NSEC_PER_SEC, t.tv_nsec);
	EXPECT_LE(a, mts_ns(t));
	EXPECT_GE(b, mts_ns(t));
	a = ts_ns(CLOCK_REALTIME);
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(cal, &t));
	b = ts_ns(CLOCK_REALTIME);
	EXPECT_LE(0, t.tv_nsec);
	EXPECT_GT((int)NSEC_PER_SEC, t.tv_nsec);
	EXPECT_LE(a / NSEC_PER_SEC * NSEC_PER_SEC, mts_ns(t));
	EXPECT_GE(b, mts_ns(t));
}

/* Resolutions: 10 ms for the system clock; a count other than 1 fails,
 * unknown attributes are KERN_INVALID_VALUE. */
TEST(clock_get_attributes_gives_resolutions)
{
	(void)host_self(); /* its uref before any snapshot */
	static const int res[] = { CLOCK_GET_TIME_RES, CLOCK_ALARM_CURRES, CLOCK_ALARM_MINRES,
				   CLOCK_ALARM_MAXRES };
	clock_serv_t sys, cal;
	mach_msg_type_number_t n;
	int attr[4], i;

	REQUIRE_KOBJ(KOBJ_CLOCKS);
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), CALENDAR_CLOCK, &cal));
	for (i = 0; i < 4; i++) {
		attr[0] = -1;
		n = 1;
		EXPECT_EQ(KERN_SUCCESS, clock_get_attributes(sys, res[i], attr, &n));
		EXPECT_EQ(1U, n);
		EXPECT_EQ((int)(NSEC_PER_SEC / 100), attr[0]) TH_LOG("attribute %d", res[i]);
	}
	n = 1;
	EXPECT_EQ(KERN_SUCCESS, clock_get_attributes(cal, CLOCK_GET_TIME_RES, attr, &n));
	EXPECT_LT(0, attr[0]);
	n = 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE, clock_get_attributes(sys, 2, attr, &n));
	n = 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE, clock_get_attributes(sys, 99, attr, &n));
	n = 0;
	EXPECT_FAILS_CLEANLY(KERN_FAILURE, clock_get_attributes(sys, CLOCK_GET_TIME_RES, attr, &n));
}

TEST(clock_calls_need_a_clock)
{
	(void)host_self(); /* its uref before any snapshot */
	mach_timespec_t t;
	mach_msg_type_number_t n = 1;
	int attr[1];

	REQUIRE_KOBJ(KOBJ_CLOCKS);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, clock_get_time(mach_task_self(), &t));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, clock_get_time(host_self(), &t));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  clock_get_attributes(mach_task_self(), CLOCK_GET_TIME_RES, attr, &n));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, clock_get_time(MACH_PORT_NULL, &t));
}

/* ---- local time: mach_absolute_time & co. --------------------------------------- */

TEST(mach_timebase_is_one_to_one)
{
	mach_timebase_info_data_t tb = { 0, 0 };

	EXPECT_EQ(KERN_SUCCESS, mach_timebase_info(&tb));
	EXPECT_EQ(1U, tb.numer);
	EXPECT_EQ(1U, tb.denom);
}

/* mach_absolute_time is CLOCK_MONOTONIC in nanoseconds; the approximate one
 * the same clock a tick behind at most; the continuous one CLOCK_BOOTTIME. */
TEST(mach_time_functions_use_the_linux_clocks)
{
	uint64_t a, m, b, ap, c, bt0, bt1;

	a = ts_ns(CLOCK_MONOTONIC);
	m = mach_absolute_time();
	b = ts_ns(CLOCK_MONOTONIC);
	EXPECT_LE(a, m);
	EXPECT_GE(b, m);
	EXPECT_LE(m, mach_absolute_time());
	a = mach_absolute_time();
	ap = mach_approximate_time();
	b = mach_absolute_time();
	EXPECT_GE(b, ap);
	EXPECT_LE(a - (a < NSEC_PER_SEC ? a : NSEC_PER_SEC), ap);
	bt0 = ts_ns(CLOCK_BOOTTIME);
	c = mach_continuous_time();
	bt1 = ts_ns(CLOCK_BOOTTIME);
	EXPECT_LE(bt0, c);
	EXPECT_GE(bt1, c);
	EXPECT_LE(mach_absolute_time(), mach_continuous_time());
	EXPECT_LE(bt0, mach_continuous_approximate_time());
}

TEST(mach_wait_until_sleeps_until_the_deadline)
{
	uint64_t deadline = mach_absolute_time() + 30 * NSEC_PER_MSEC;

	EXPECT_EQ(KERN_SUCCESS, mach_wait_until(deadline));
	EXPECT_LE(deadline, mach_absolute_time());
	/* A deadline in the past returns at once. */
	EXPECT_EQ(KERN_SUCCESS, mach_wait_until(0));
	EXPECT_EQ(KERN_SUCCESS, mach_wait_until(mach_absolute_time() - 1));
}

static volatile pid_t sleeper_tid;
static volatile kern_return_t sleeper_kr = -1;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *sleeper(void *arg)
{
	(void)arg;
	sleeper_tid = (pid_t)syscall(SYS_gettid);
	sleeper_kr = mach_wait_until(mach_absolute_time() + 600 * NSEC_PER_SEC);
	return NULL;
}

TEST(mach_wait_until_interrupted_is_aborted)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t th;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&th, NULL, sleeper, NULL));
	ASSERT_TRUE(POLL_UNTIL(sleeper_tid != 0, BLOCK_WAIT_MS));
	ASSERT_TRUE(POLL_UNTIL(blocked_in(getpid(), sleeper_tid, __NR_clock_nanosleep, false),
			       BLOCK_WAIT_MS));
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(KERN_ABORTED, sleeper_kr);
}

/* ---- processors ------------------------------------------------------------------ */

/*
 * host_processors (host_priv): one port per possible CPU, always the same
 * ports; processor_info BASIC: x86-64, slot numbers 0..n-1, running while
 * online, slot 0 the master; CPU_LOAD: that CPU's /proc/stat ticks; the
 * host port it gives is the plain host port.
 */
TEST(host_processors_one_per_cpu)
{
	processor_array_t p = NULL, p2 = NULL;
	mach_msg_type_number_t n = 0, n2 = 0, i, j, masters = 0;
	bool seen[256] = { false };

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_EQ(KERN_SUCCESS, host_processors(host_self(), &p, &n));
	EXPECT_EQ((mach_msg_type_number_t)sysconf(_SC_NPROCESSORS_CONF), n);
	ASSERT_GE(256U, n);
	for (i = 0; i < n; i++) {
		processor_basic_info_data_t b;
		processor_cpu_load_info_data_t l;
		mach_msg_type_number_t c = PROCESSOR_BASIC_INFO_COUNT;
		struct cpu_ticks t0, t1;
		host_t h = MACH_PORT_NULL;

		EXPECT_EQ(IKOT_PROCESSOR, kobject_type_in(mach_task_self(), p[i]));
		for (j = 0; j < i; j++)
			EXPECT_NE(p[j], p[i]);
		ASSERT_EQ(KERN_SUCCESS, processor_info(p[i], PROCESSOR_BASIC_INFO, &h,
						       (processor_info_t)&b, &c));
		EXPECT_EQ(PROCESSOR_BASIC_INFO_COUNT, c);
		EXPECT_EQ(IKOT_HOST, kobject_type_in(mach_task_self(), h));
		EXPECT_EQ(CPU_TYPE_X86_64, b.cpu_type);
		ASSERT_LE(0, b.slot_num);
		ASSERT_GT((int)n, b.slot_num);
		EXPECT_FALSE(seen[b.slot_num]);
		seen[b.slot_num] = true;
		EXPECT_EQ(b.slot_num == 0, b.is_master != 0);
		masters += b.is_master != 0;
		EXPECT_EQ(proc_stat_cpu(b.slot_num, &t0), b.running != 0);
		c = PROCESSOR_CPU_LOAD_INFO_COUNT;
		ASSERT_TRUE(proc_stat_cpu(b.slot_num, &t0));
		ASSERT_EQ(KERN_SUCCESS, processor_info(p[i], PROCESSOR_CPU_LOAD_INFO, &h,
						       (processor_info_t)&l, &c));
		ASSERT_TRUE(proc_stat_cpu(b.slot_num, &t1));
		EXPECT_EQ(PROCESSOR_CPU_LOAD_INFO_COUNT, c);
		expect_ticks_between(_metadata, l.cpu_ticks, &t0, &t1);
	}
	EXPECT_EQ(1U, masters);
	ASSERT_EQ(KERN_SUCCESS, host_processors(host_self(), &p2, &n2));
	ASSERT_EQ(n, n2);
	for (i = 0; i < n; i++)
		EXPECT_EQ(p[i], p2[i]);
	free_ports(p2, n2);
	free_ports(p, n);
}

TEST(processor_info_bad_arguments)
{
	(void)host_self(); /* its uref before any snapshot */
	processor_array_t p = NULL;
	mach_msg_type_number_t n = 0, c;
	integer_t buf[PROCESSOR_INFO_MAX];
	host_t h;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_EQ(KERN_SUCCESS, host_processors(host_self(), &p, &n));
	ASSERT_LE(1U, n);
	c = PROCESSOR_BASIC_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, processor_info(p[0], PROCESSOR_BASIC_INFO, &h, buf, &c));
	c = 12;
	EXPECT_EQ(KERN_FAILURE, processor_info(p[0], 99, &h, buf, &c));
	c = 12;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  processor_info(mach_task_self(), PROCESSOR_BASIC_INFO, &h, buf, &c));
	c = 12;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     processor_info(MACH_PORT_NULL, PROCESSOR_BASIC_INFO, &h, buf, &c));
	free_ports(p, n);
}

/* host_processors needs host_priv: the plain host port is refused. */
static void child_no_processors(int arg, int rd, int wr)
{
	processor_array_t p = NULL;
	mach_msg_type_number_t n = 0;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_BECOME_NOBODY();
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_processors(host_self(), &p, &n));
	CHILD_EQ(NULL, p);
}

TEST(host_processors_needs_host_priv)
{
	struct kid k;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_TRUE(spawn(&k, 0, child_no_processors, 0));
	EXPECT_CHILD_OK(reap(&k));
}

/*
 * processor_start and processor_exit have no safe Linux equivalent: an
 * unprivileged task given a processor port is refused (KERN_FAILURE), and
 * may still inspect it.
 */
static void child_processor_start_exit(int arg, int rd, int wr)
{
	processor_basic_info_data_t b;
	mach_msg_type_number_t c = PROCESSOR_BASIC_INFO_COUNT;
	host_t h;

	(void)arg;
	CHILD_BECOME_NOBODY();
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
	CHILD_EQ(IKOT_PROCESSOR, kobject_type_in(mach_task_self(), GIVEN_NAME(0)));
	CHILD_EQ(KERN_SUCCESS, processor_info(GIVEN_NAME(0), PROCESSOR_BASIC_INFO, &h,
					      (processor_info_t)&b, &c));
	CHILD_TRUE(b.running);
	CHILD_EQ(KERN_FAILURE, processor_exit(GIVEN_NAME(0)));
	CHILD_EQ(KERN_FAILURE, processor_start(GIVEN_NAME(0)));
	CHILD_EQ(KERN_INVALID_ARGUMENT, processor_exit(mach_task_self()));
	CHILD_EQ(KERN_INVALID_ARGUMENT, processor_start(mach_task_self()));
	c = PROCESSOR_BASIC_INFO_COUNT;
	CHILD_EQ(KERN_SUCCESS, processor_info(GIVEN_NAME(0), PROCESSOR_BASIC_INFO, &h,
					      (processor_info_t)&b, &c));
	CHILD_TRUE(b.running);
}

TEST(processor_start_exit_refused_unprivileged)
{
	processor_array_t p = NULL;
	mach_msg_type_number_t n = 0;
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_EQ(KERN_SUCCESS, host_processors(host_self(), &p, &n));
	ASSERT_LE(1U, n);
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_processor_start_exit, 0));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(CHILD_TASK_NAME, GIVEN_NAME(0), p[n - 1],
						       MACH_MSG_TYPE_COPY_SEND));
	ASSERT_TRUE(put(k.wr, 0));
	EXPECT_CHILD_OK(reap(&k));
	/* Every CPU is still online. */
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), sysconf(_SC_NPROCESSORS_ONLN));
	free_ports(p, n);
}

/* ---- processor sets -------------------------------------------------------------- */

/*
 * processor_set_default gives the default set's name port (anyone);
 * processor_set_info BASIC: the online CPUs, time sharing; the host port
 * it gives is the plain one.
 */
TEST(processor_set_default_and_info)
{
	processor_set_basic_info_data_t b;
	processor_set_name_t name = MACH_PORT_NULL, again = MACH_PORT_NULL;
	mach_msg_type_number_t n;
	integer_t buf[PROCESSOR_SET_INFO_MAX];
	host_t h = MACH_PORT_NULL;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(host_self(), &name));
	EXPECT_EQ(IKOT_PSET_NAME, kobject_type_in(mach_task_self(), name));
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(host_self(), &again));
	EXPECT_EQ(name, again);
	n = PROCESSOR_SET_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, processor_set_info(name, PROCESSOR_SET_BASIC_INFO, &h,
						   (processor_set_info_t)&b, &n));
	EXPECT_EQ(PROCESSOR_SET_BASIC_INFO_COUNT, n);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), b.processor_count);
	EXPECT_EQ(POLICY_TIMESHARE, b.default_policy);
	EXPECT_EQ(IKOT_HOST, kobject_type_in(mach_task_self(), h));
	n = 1;
	EXPECT_EQ(KERN_FAILURE, processor_set_info(name, PROCESSOR_SET_BASIC_INFO, &h, buf, &n));
	n = 5;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_info(name, 99, &h, buf, &n));
	n = 5;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  processor_set_info(mach_task_self(), PROCESSOR_SET_BASIC_INFO, &h, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_default(mach_task_self(), &again));
}

/* PROCESSOR_SET_LOAD_INFO: at least this task and a child's, threads no
 * fewer than tasks. */
static void child_waits(int arg, int rd, int wr)
{
	(void)arg;
	(void)wr;
	CHILD_GET(rd);
}

TEST(processor_set_statistics_counts_tasks_and_threads)
{
	processor_set_load_info_data_t l;
	processor_set_name_t name = MACH_PORT_NULL;
	mach_msg_type_number_t n;
	integer_t buf[PROCESSOR_SET_INFO_MAX];
	struct kid k;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(host_self(), &name));
	ASSERT_TRUE(spawn(&k, 0, child_waits, 0));
	n = PROCESSOR_SET_LOAD_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, processor_set_statistics(name, PROCESSOR_SET_LOAD_INFO,
							 (processor_set_info_t)&l, &n));
	EXPECT_EQ(PROCESSOR_SET_LOAD_INFO_COUNT, n);
	EXPECT_LE(2, l.task_count);
	EXPECT_LE(l.task_count, l.thread_count);
	EXPECT_LE(0, l.load_average);
	EXPECT_LE(0, l.mach_factor);
	EXPECT_TRUE(end_kid(&k));
	n = PROCESSOR_SET_LOAD_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, processor_set_statistics(name, PROCESSOR_SET_LOAD_INFO, buf, &n));
	n = 5;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  processor_set_statistics(name, PROCESSOR_SET_BASIC_INFO, buf, &n));
	n = 5;
	EXPECT_EQ(KERN_INVALID_PROCESSOR_SET,
		  processor_set_statistics(host_self(), PROCESSOR_SET_LOAD_INFO, buf, &n));
	n = 5;
	EXPECT_EQ(KERN_INVALID_PROCESSOR_SET,
		  processor_set_statistics(mach_task_self(), PROCESSOR_SET_LOAD_INFO, buf, &n));
}

/*
 * host_processor_set_priv turns the name port into the control port
 * (host_priv only); with it, processor_set_tasks and _threads list send
 * rights to every task and thread, ours among them under our own names.
 * The name port does not do for those.
 */
TEST(processor_set_control_port_lists_tasks_and_threads)
{
	processor_set_name_t name = MACH_PORT_NULL;
	processor_set_t ctl = MACH_PORT_NULL;
	task_array_t tasks = NULL;
	thread_act_array_t threads = NULL;
	mach_msg_type_number_t nt = 0, nth = 0, i;
	processor_set_basic_info_data_t b;
	mach_msg_type_number_t n;
	host_t h;
	struct kid k;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(host_self(), &name));
	ASSERT_EQ(KERN_SUCCESS, host_processor_set_priv(host_self(), name, &ctl));
	EXPECT_EQ(IKOT_PSET, kobject_type_in(mach_task_self(), ctl));
	n = PROCESSOR_SET_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, processor_set_info(ctl, PROCESSOR_SET_BASIC_INFO, &h,
						   (processor_set_info_t)&b, &n));
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	ASSERT_EQ(KERN_SUCCESS, processor_set_tasks(ctl, &tasks, &nt));
	EXPECT_LE(2U, nt);
	EXPECT_TRUE(in_array(tasks, nt, mach_task_self()));
	EXPECT_TRUE(in_array(tasks, nt, CHILD_TASK_NAME));
	for (i = 0; i < nt; i++)
		EXPECT_EQ(IKOT_TASK, kobject_type_in(mach_task_self(), tasks[i]));
	if (!kobj_missing(KOBJ_THREADS)) {
		mach_port_t me = mach_thread_self();

		ASSERT_EQ(KERN_SUCCESS, processor_set_threads(ctl, &threads, &nth));
		EXPECT_LE(nt, nth);
		EXPECT_TRUE(in_array(threads, nth, me));
		for (i = 0; i < nth; i++)
			EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), threads[i]));
		free_ports(threads, nth);
	}
	free_ports(tasks, nt);
	EXPECT_TRUE(end_kid(&k));
	tasks = NULL;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_tasks(name, &tasks, &nt));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_threads(name, &threads, &nth));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_processor_set_priv(host_self(), mach_task_self(),
								 &ctl));
	EXPECT_EQ(NULL, tasks);
}

static void child_no_pset_control(int arg, int rd, int wr)
{
	processor_set_name_t name = MACH_PORT_NULL;
	processor_set_t ctl = MACH_PORT_NULL;
	task_array_t tasks = NULL;
	mach_msg_type_number_t nt = 0;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_BECOME_NOBODY();
	CHILD_EQ(KERN_SUCCESS, processor_set_default(host_self(), &name));
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_processor_set_priv(host_self(), name, &ctl));
	CHILD_EQ(NULL_NAME, ctl);
	CHILD_EQ(KERN_INVALID_ARGUMENT, processor_set_tasks(name, &tasks, &nt));
}

TEST(processor_set_control_needs_host_priv)
{
	struct kid k;

	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	REQUIRE_ROOT();
	ASSERT_TRUE(spawn(&k, 0, child_no_pset_control, 0));
	EXPECT_CHILD_OK(reap(&k));
}

/* ---- host exception ports ---------------------------------------------------------- */

#define EXC_MAX 32

struct exc_state {
	mach_msg_type_number_t n;
	exception_mask_t masks[EXC_MAX];
	mach_port_t ports[EXC_MAX];
	exception_behavior_t behaviors[EXC_MAX];
	thread_state_flavor_t flavors[EXC_MAX];
};

static kern_return_t get_exc(mach_port_t host, exception_mask_t mask, struct exc_state *s)
{
	memset(s, 0, sizeof(*s));
	s->n = EXC_MAX;
	return host_get_exception_ports(host, mask, s->masks, &s->n, s->ports, s->behaviors,
					s->flavors);
}

static void release_exc(struct exc_state *s)
{
	mach_msg_type_number_t i;

	for (i = 0; i < s->n; i++)
		if (MACH_PORT_VALID(s->ports[i]))
			mach_port_deallocate(mach_task_self(), s->ports[i]);
}

/* Saves the host's exception ports, and puts them back afterwards. */
FIXTURE(host_exc) {
	struct exc_state saved;
	bool have;
};

FIXTURE_SETUP(host_exc)
{
	self->have = false;
	REQUIRE_KOBJ(KOBJ_HOST_EXC);
	REQUIRE_ROOT();
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_VALID, &self->saved));
	self->have = true;
}

FIXTURE_TEARDOWN(host_exc)
{
	mach_msg_type_number_t i;

	if (!self->have)
		return;
	for (i = 0; i < self->saved.n; i++)
		host_set_exception_ports(host_self(), self->saved.masks[i],
					 self->saved.ports[i], self->saved.behaviors[i],
					 self->saved.flavors[i]);
	release_exc(&self->saved);
}

/*
 * Unset types merge into one entry (NULL port, behavior and flavor 0);
 * setting some types splits them out, in exception order, with our
 * names for the ports; a narrower mask gets only its types; mask 0
 * gets nothing.
 */
TEST_F(host_exc, set_then_get_merges_by_handler)
{
	const exception_mask_t mine = EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE;
	const exception_behavior_t beh = EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES;
	struct exc_state s;
	mach_port_t p;

	p = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_VALID,
							 MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_ALL, &s));
	ASSERT_EQ(1U, s.n);
	EXPECT_EQ((exception_mask_t)EXC_MASK_ALL, s.masks[0]);
	EXPECT_EQ(NULL_NAME, s.ports[0]);
	EXPECT_EQ(0, s.behaviors[0]);
	EXPECT_EQ(0, s.flavors[0]);

	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), mine, p, beh,
							 x86_THREAD_STATE64));
	/* The request copied our right: ours is as it was. */
	EXPECT_EQ(1U, refs_of(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_ALL, &s));
	ASSERT_EQ(2U, s.n);
	EXPECT_EQ(mine, s.masks[0]);
	EXPECT_EQ(p, s.ports[0]);
	EXPECT_EQ(beh, s.behaviors[0]);
	EXPECT_EQ(x86_THREAD_STATE64, s.flavors[0]);
	EXPECT_EQ((exception_mask_t)EXC_MASK_ALL & ~mine, s.masks[1]);
	EXPECT_EQ(NULL_NAME, s.ports[1]);
	/* The entry's port is a new right for us. */
	EXPECT_EQ(2U, refs_of(p, MACH_PORT_RIGHT_SEND));
	release_exc(&s);

	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_SOFTWARE, &s));
	ASSERT_EQ(1U, s.n);
	EXPECT_EQ((exception_mask_t)EXC_MASK_SOFTWARE, s.masks[0]);
	EXPECT_EQ(p, s.ports[0]);
	release_exc(&s);
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), 0, &s));
	EXPECT_EQ(0U, s.n);
	/* CRASH is not in EXC_MASK_ALL but is a valid type. */
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_CRASH, p,
							 EXCEPTION_DEFAULT, 0));
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_CRASH, &s));
	ASSERT_EQ(1U, s.n);
	EXPECT_EQ(p, s.ports[0]);
	EXPECT_EQ(EXCEPTION_DEFAULT, s.behaviors[0]);
	release_exc(&s);
}

/* swap sets like set and returns what get would have before. */
TEST_F(host_exc, swap_returns_the_old_handlers)
{
	struct exc_state old, s;
	mach_port_t p, q;

	p = new_send_receive(_metadata, 1);
	q = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_VALID,
							 MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(),
							 EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE,
							 p, EXCEPTION_DEFAULT, 0));
	memset(&old, 0, sizeof(old));
	old.n = EXC_MAX;
	ASSERT_EQ(KERN_SUCCESS, host_swap_exception_ports(host_self(), EXC_MASK_SOFTWARE, q,
							  EXCEPTION_STATE, x86_THREAD_STATE,
							  old.masks, &old.n, old.ports,
							  old.behaviors, old.flavors));
	ASSERT_EQ(1U, old.n);
	EXPECT_EQ((exception_mask_t)EXC_MASK_SOFTWARE, old.masks[0]);
	EXPECT_EQ(p, old.ports[0]);
	EXPECT_EQ(EXCEPTION_DEFAULT, old.behaviors[0]);
	release_exc(&old);
	ASSERT_EQ(KERN_SUCCESS, get_exc(host_self(), EXC_MASK_ALL, &s));
	ASSERT_EQ(3U, s.n);
	EXPECT_EQ((exception_mask_t)EXC_MASK_BAD_ACCESS, s.masks[0]);
	EXPECT_EQ(p, s.ports[0]);
	EXPECT_EQ((exception_mask_t)EXC_MASK_ALL & ~(EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE),
		  s.masks[1]);
	EXPECT_EQ(NULL_NAME, s.ports[1]);
	EXPECT_EQ((exception_mask_t)EXC_MASK_SOFTWARE, s.masks[2]);
	EXPECT_EQ(q, s.ports[2]);
	EXPECT_EQ(EXCEPTION_STATE, s.behaviors[2]);
	EXPECT_EQ(x86_THREAD_STATE, s.flavors[2]);
	release_exc(&s);
	EXPECT_EQ(1U, refs_of(q, MACH_PORT_RIGHT_SEND));
}

/*
 * The checks, in XNU's order: masks outside EXC_MASK_VALID, a behavior
 * other than 1..3 (with or without MACH_EXCEPTION_CODES) for a real port,
 * a flavor that is not an x86 state. host_swap_exception_ports does not
 * strip MACH_EXCEPTION_CODES (an XNU quirk): it refuses it.
 */
TEST_F(host_exc, bad_arguments_are_refused)
{
	(void)host_self(); /* its uref before any snapshot */
	static const exception_mask_t bad_masks[] = { 1, 1U << 14, 0x80000000U, EXC_MASK_VALID | 1 };
	static const exception_behavior_t bad_beh[] = { 0, 4, -1, MACH_EXCEPTION_CODES };
	static const thread_state_flavor_t bad_flavors[] = { 14, 15, 19, 100, -1 };
	struct exc_state s;
	mach_port_t p;
	unsigned i;

	p = new_send_receive(_metadata, 1);
	for (i = 0; i < sizeof(bad_masks) / sizeof(bad_masks[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "mask 0x%x", bad_masks[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_set_exception_ports(host_self(), bad_masks[i], p,
							      EXCEPTION_DEFAULT, 0));
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     get_exc(host_self(), bad_masks[i], &s));
	}
	for (i = 0; i < sizeof(bad_beh) / sizeof(bad_beh[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "behavior 0x%x", bad_beh[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_set_exception_ports(host_self(), EXC_MASK_SOFTWARE,
							      p, bad_beh[i], 0));
	}
	/* The behavior of a NULL port is not looked at. */
	EXPECT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_SOFTWARE,
							 MACH_PORT_NULL, 4, 0));
	for (i = 0; i < sizeof(bad_flavors) / sizeof(bad_flavors[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d", bad_flavors[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     host_set_exception_ports(host_self(), EXC_MASK_SOFTWARE,
							      p, EXCEPTION_DEFAULT, bad_flavors[i]));
	}
	EXPECT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_SOFTWARE, p,
							 EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	EXPECT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_SOFTWARE, p,
							 EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES,
							 x86_AVX_STATE));
	memset(&s, 0, sizeof(s));
	s.n = EXC_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_swap_exception_ports(host_self(), EXC_MASK_SOFTWARE, p,
					    EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, 0, s.masks,
					    &s.n, s.ports, s.behaviors, s.flavors));
	s.n = EXC_MAX;
	EXPECT_EQ(KERN_SUCCESS, host_swap_exception_ports(host_self(), EXC_MASK_SOFTWARE, p,
							  EXCEPTION_DEFAULT, 0, s.masks, &s.n,
							  s.ports, s.behaviors, s.flavors));
	release_exc(&s);
}

/*
 * The host holds its own send rights to the handlers: a handler port
 * whose only senders are the host's slots gets its no-senders
 * notification when the host lets them go.
 */
TEST_F(host_exc, handler_rights_are_released_when_replaced)
{
	mach_no_senders_notification_t ns;
	mach_port_t p, notify, prev = MACH_PORT_NULL;

	p = new_send_receive(_metadata, 1);
	notify = new_receive(_metadata);
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_VALID, p,
							 EXCEPTION_DEFAULT, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), p,
							       MACH_NOTIFY_NO_SENDERS, 0, notify,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	memset(&ns, 0, sizeof(ns));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&ns.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(ns), notify, 0, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(host_self(), EXC_MASK_VALID,
							 MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(MACH_MSG_SUCCESS, mach_msg(&ns.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(ns), notify, WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, ns.not_header.msgh_id);
}

/* Without host_priv, none of the three. */
static void child_no_host_exc(int arg, int rd, int wr)
{
	struct exc_state s;
	mach_port_t p = new_port();

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_BECOME_NOBODY();
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), p, p,
						      MACH_MSG_TYPE_MAKE_SEND));
	CHILD_EQ(KERN_INVALID_ARGUMENT,
		 host_set_exception_ports(host_self(), EXC_MASK_ALL, p, EXCEPTION_DEFAULT, 0));
	CHILD_EQ(KERN_INVALID_ARGUMENT, get_exc(host_self(), EXC_MASK_ALL, &s));
	s.n = EXC_MAX;
	CHILD_EQ(KERN_INVALID_ARGUMENT,
		 host_swap_exception_ports(host_self(), EXC_MASK_ALL, p, EXCEPTION_DEFAULT, 0,
					   s.masks, &s.n, s.ports, s.behaviors, s.flavors));
	CHILD_EQ(KERN_INVALID_ARGUMENT,
		 host_set_exception_ports(mach_task_self(), EXC_MASK_ALL, p, EXCEPTION_DEFAULT, 0));
}

TEST(host_exception_ports_need_host_priv)
{
	struct kid k;

	REQUIRE_KOBJ(KOBJ_HOST_EXC);
	REQUIRE_ROOT();
	ASSERT_TRUE(spawn(&k, 0, child_no_host_exc, 0));
	EXPECT_CHILD_OK(reap(&k));
}

/* ---- released at death ----------------------------------------------------------------- */

/*
 * The host objects are global: a process that took send rights to clocks,
 * processors and processor sets and died leaves our space and the
 * module's counters as they were.
 */
static void child_takes_host_objects(int how, int rd, int wr)
{
	clock_serv_t c = MACH_PORT_NULL;
	processor_set_name_t name = MACH_PORT_NULL;
	processor_set_t ctl = MACH_PORT_NULL;
	processor_array_t p = NULL;
	mach_msg_type_number_t n = 0;

	CHILD_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), SYSTEM_CLOCK, &c));
	CHILD_EQ(KERN_SUCCESS, host_get_clock_service(host_self(), CALENDAR_CLOCK, &c));
	CHILD_EQ(KERN_SUCCESS, processor_set_default(host_self(), &name));
	if (geteuid() == 0) {
		CHILD_EQ(KERN_SUCCESS, host_processors(host_self(), &p, &n));
		CHILD_EQ(KERN_SUCCESS, host_processor_set_priv(host_self(), name, &ctl));
	}
	CHILD_PUT(wr, 0);
	if (how)
		pause();
	CHILD_GET(rd);
}

static void host_objects_released(struct __test_metadata *_metadata, bool killed)
{
	long long ports = machipc_stat("ports"), sends = machipc_stat("send_rights");
	struct snapshot before, after;
	struct kid k;

	take_snapshot(_metadata, &before);
	ASSERT_TRUE(spawn(&k, SPAWN_WAIT_READY, child_takes_host_objects, killed));
	if (killed) {
		EXPECT_TRUE(kill_kid(&k));
	} else {
		EXPECT_TRUE(end_kid(&k));
	}
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "a child's host objects");
	EXPECT_TRUE(stat_returns_to("ports", ports));
	EXPECT_TRUE(stat_returns_to("send_rights", sends));
}

TEST(host_object_rights_released_when_their_holder_exits)
{
	REQUIRE_KOBJ(KOBJ_CLOCKS);
	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	host_objects_released(_metadata, false);
}

TEST(host_object_rights_released_when_their_holder_is_killed)
{
	REQUIRE_KOBJ(KOBJ_CLOCKS);
	REQUIRE_KOBJ(KOBJ_PROCESSORS);
	host_objects_released(_metadata, true);
}

TEST_HARNESS_MAIN
