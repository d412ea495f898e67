// SPDX-License-Identifier: GPL-2.0
/*
 * machipc: the few facts about Linux processes that the Rust `kernel` crate
 * has no binding for (inline functions, RCU-protected fields of other
 * tasks). Each function is a small, self-contained accessor; the Rust side
 * (src/glue.rs) declares them and documents what it relies on.
 */
#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/sched/coredump.h>
#include <linux/sched/exec_state.h>
#include <linux/sched/task.h>
#include <linux/uidgid.h>
#include <linux/kernel_stat.h>
#include <linux/tick.h>
#include <linux/utsname.h>
#include <linux/vmstat.h>
#include <linux/mmzone.h>
#include <linux/sched/loadavg.h>
#include <linux/poll.h>
#include <linux/cpu.h>
#include <linux/timekeeping.h>
#include <linux/percpu.h>
#ifdef CONFIG_X86_64
#include <asm/msr.h>
#endif

void machipc_get_pid(struct pid *pid);
bool machipc_process_alive(struct pid *pid);
int machipc_exec_state(struct pid *pid, u64 *exec_id, u32 ids[6], int *dumpable);
int machipc_ancestors(struct pid **pids, u64 *child_start, int max);
int machipc_threads(struct pid *tgid, struct pid **out, int max);
bool machipc_thread_alive(struct pid *pid);
int machipc_thread_info(struct pid *pid, u64 *utime, u64 *stime, int *state, u64 *start);
int machipc_task_usage(struct pid *tgid, u64 times[4], u64 mem[3], int *threads);
void machipc_host_memory(u64 out[8]);
void machipc_cpu_ticks(int cpu, u64 ticks[4]);
void machipc_cpu_counts(int *possible, int *online);
void machipc_loadavg(unsigned long avg[3]);
int machipc_kernel_version(char *buf, int len);
int machipc_yama_scope(void);
bool machipc_is_descendant(struct pid *target, struct pid *ancestor);
int machipc_pid_task_nr(struct pid *pid);
struct pid *machipc_find_pid(int nr);
int machipc_pollfd_create(void *private);
void machipc_vm_events(u64 out[6]);
void machipc_count_processes(int *procs, int *threads);
bool machipc_cpu_online(int cpu);
int machipc_cpu_set_online(int cpu, bool online);
void machipc_calendar_time(s64 *sec, long *nsec);
u64 machipc_thread_handle(struct pid *pid);
u64 machipc_clock_ns(void);
bool machipc_spin_may_start(void);
bool machipc_spin_step(u64 deadline_ns);
void machipc_stat_add(unsigned int i, long n);
long machipc_stat_sum(unsigned int i);

/* Takes another reference to @pid (get_pid is inline). */
void machipc_get_pid(struct pid *pid)
{
	get_pid(pid);
}

/* Whether the thread group of @pid still has a live thread. */
bool machipc_process_alive(struct pid *pid)
{
	struct task_struct *task;
	bool alive = false;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (task)
		alive = atomic_read(&task->signal->live) > 0;
	rcu_read_unlock();
	return alive;
}

/*
 * The exec generation, credential ids (uid, gid, euid, egid, suid, sgid, as
 * kernel ids) and dumpability of the thread group of @pid. -ESRCH if it is
 * gone.
 */
int machipc_exec_state(struct pid *pid, u64 *exec_id, u32 ids[6], int *dumpable)
{
	struct task_struct *task;
	const struct cred *cred;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		rcu_read_unlock();
		return -ESRCH;
	}
	*exec_id = task->self_exec_id;
	cred = __task_cred(task);
	ids[0] = __kuid_val(cred->uid);
	ids[1] = __kgid_val(cred->gid);
	ids[2] = __kuid_val(cred->euid);
	ids[3] = __kgid_val(cred->egid);
	ids[4] = __kuid_val(cred->suid);
	ids[5] = __kgid_val(cred->sgid);
	/* task_exec_state_get_dumpable() is not exported. */
	*dumpable = READ_ONCE(rcu_dereference(task->exec_state)->dumpable);
	rcu_read_unlock();
	return 0;
}

/*
 * The ancestry of the calling process: for each of up to @max ancestors
 * (parent first), a reference to its thread group's struct pid, and the
 * start time of its child on the path to us (the process whose creation
 * copied the ancestor's state). Returns how many were filled.
 */
int machipc_ancestors(struct pid **pids, u64 *child_start, int max)
{
	struct task_struct *child, *parent;
	int n = 0;

	rcu_read_lock();
	child = current->group_leader;
	while (n < max) {
		parent = rcu_dereference(child->real_parent);
		if (!parent || parent == child || parent->pid == 0)
			break;
		parent = parent->group_leader;
		pids[n] = get_task_pid(parent, PIDTYPE_TGID);
		child_start[n] = child->start_time;
		n++;
		if (is_global_init(parent))
			break;
		child = parent;
	}
	rcu_read_unlock();
	return n;
}

/*
 * The threads of the thread group of @tgid: references to up to @max of
 * their struct pids (PIDTYPE_PID). Returns how many threads there are
 * (which may be more than were filled).
 */
int machipc_threads(struct pid *tgid, struct pid **out, int max)
{
	struct task_struct *leader, *t;
	int n = 0;

	rcu_read_lock();
	leader = pid_task(tgid, PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, t) {
			if (t->exit_state)
				continue;
			if (n < max)
				out[n] = get_task_pid(t, PIDTYPE_PID);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

/* Whether the thread of @pid exists and has not exited. */
bool machipc_thread_alive(struct pid *pid)
{
	struct task_struct *t;
	bool alive;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	alive = t && !t->exit_state && !(t->flags & PF_EXITING);
	rcu_read_unlock();
	return alive;
}

/*
 * A thread's user and system time (ns), state (0 running, 1 sleeping, 2
 * uninterruptible, 3 stopped, 4 exiting) and start time. -ESRCH if gone.
 */
int machipc_thread_info(struct pid *pid, u64 *utime, u64 *stime, int *state, u64 *start)
{
	struct task_struct *t;
	unsigned int s;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (!t) {
		rcu_read_unlock();
		return -ESRCH;
	}
	task_cputime_adjusted(t, utime, stime);
	s = READ_ONCE(t->__state);
	if (t->exit_state || (t->flags & PF_EXITING))
		*state = 4;
	else if (s == TASK_RUNNING)
		*state = 0;
	else if (s & (__TASK_STOPPED | __TASK_TRACED))
		*state = 3;
	else if (s & TASK_UNINTERRUPTIBLE)
		*state = 2;
	else
		*state = 1;
	*start = t->start_time;
	rcu_read_unlock();
	return 0;
}

/*
 * The user and system time of the ended threads of a thread group, as
 * getrusage gives them: their precise run time (sum_sched_runtime) split
 * in the ratio of their sampled tick times (the samples alone undercount
 * a thread that ran between ticks, e.g. on a busy host), as the scheduler's
 * cputime_adjust() does.
 */
static void dead_thread_times(struct signal_struct *sig, u64 *ut, u64 *st)
{
	u64 rt = sig->sum_sched_runtime, u = sig->utime, s = sig->stime;

	if (s == 0) {
		*ut = rt;
		*st = 0;
	} else if (u == 0) {
		*ut = 0;
		*st = rt;
	} else {
		*st = mul_u64_u64_div_u64(rt, s, u + s);
		*ut = rt - *st;
	}
}

/*
 * A process's times (ns): user and system of every thread ever (times[0],
 * times[1]) and of its live threads (times[2], times[3]); memory (bytes):
 * virtual size, resident size, resident high-water mark; live threads.
 */
int machipc_task_usage(struct pid *tgid, u64 times[4], u64 mem[3], int *threads)
{
	struct task_struct *leader, *t;
	struct mm_struct *mm;
	u64 ut, st;

	rcu_read_lock();
	leader = pid_task(tgid, PIDTYPE_TGID);
	if (!leader) {
		rcu_read_unlock();
		return -ESRCH;
	}
	dead_thread_times(leader->signal, &times[0], &times[1]);
	times[2] = 0;
	times[3] = 0;
	*threads = 0;
	for_each_thread(leader, t) {
		task_cputime_adjusted(t, &ut, &st);
		times[2] += ut;
		times[3] += st;
		(*threads)++;
	}
	times[0] += times[2];
	times[1] += times[3];
	get_task_struct(leader);
	rcu_read_unlock();
	mem[0] = mem[1] = mem[2] = 0;
	mm = get_task_mm(leader);
	put_task_struct(leader);
	if (mm) {
		mem[0] = (u64)mm->total_vm << PAGE_SHIFT;
		mem[1] = (u64)get_mm_rss(mm) << PAGE_SHIFT;
		mem[2] = (u64)max(mm->hiwater_rss, get_mm_rss(mm)) << PAGE_SHIFT;
		mmput(mm);
	}
	return 0;
}

/*
 * The host's memory in pages: total, free, active, inactive, wired
 * (unevictable and mlocked), file-backed, anonymous; and the page size.
 */
void machipc_host_memory(u64 out[8])
{
	struct sysinfo si;

	si_meminfo(&si);
	out[0] = si.totalram;
	out[1] = global_zone_page_state(NR_FREE_PAGES);
	out[2] = global_node_page_state(NR_ACTIVE_ANON) + global_node_page_state(NR_ACTIVE_FILE);
	out[3] = global_node_page_state(NR_INACTIVE_ANON) + global_node_page_state(NR_INACTIVE_FILE);
	out[4] = global_node_page_state(NR_UNEVICTABLE) + global_zone_page_state(NR_MLOCK);
	out[5] = global_node_page_state(NR_FILE_PAGES);
	out[6] = global_node_page_state(NR_ANON_MAPPED);
	out[7] = PAGE_SIZE;
}

/* CPU @cpu's time in ticks (USER_HZ): user, system, idle, nice. */
void machipc_cpu_ticks(int cpu, u64 ticks[4])
{
	struct kernel_cpustat kcs;
	u64 idle;

	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		ticks[0] = ticks[1] = ticks[2] = ticks[3] = 0;
		return;
	}
	kcpustat_cpu_fetch(&kcs, cpu);
	idle = kcs.cpustat[CPUTIME_IDLE];
	/* nsec_to_clock_t() is not exported. */
	ticks[0] = div_u64(kcs.cpustat[CPUTIME_USER], NSEC_PER_SEC / USER_HZ);
	ticks[1] = div_u64(kcs.cpustat[CPUTIME_SYSTEM] + kcs.cpustat[CPUTIME_IRQ] +
			   kcs.cpustat[CPUTIME_SOFTIRQ], NSEC_PER_SEC / USER_HZ);
	ticks[2] = div_u64(idle, NSEC_PER_SEC / USER_HZ);
	ticks[3] = div_u64(kcs.cpustat[CPUTIME_NICE], NSEC_PER_SEC / USER_HZ);
}

void machipc_cpu_counts(int *possible, int *online)
{
	*possible = num_possible_cpus();
	*online = num_online_cpus();
}

/* The load averages, scaled by FIXED_1 (avenrun). */
void machipc_loadavg(unsigned long avg[3])
{
	avg[0] = avenrun[0];
	avg[1] = avenrun[1];
	avg[2] = avenrun[2];
}

/* The kernel's version string, as `uname -srv` shows it. */
int machipc_kernel_version(char *buf, int len)
{
	struct new_utsname *u = init_utsname();

	return snprintf(buf, len, "%s %s %s; machipc Mach IPC", u->sysname, u->release, u->version);
}

/* Yama's ptrace scope (0 if Yama is absent or the sysctl unreadable). */
int machipc_yama_scope(void)
{
	char buf[8] = { 0 };
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY, 0);
	if (IS_ERR(f))
		return 0;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0 || buf[0] < '0' || buf[0] > '3')
		return 0;
	return buf[0] - '0';
}

/* Whether the process of @target descends from the process of @ancestor. */
bool machipc_is_descendant(struct pid *target, struct pid *ancestor)
{
	struct task_struct *t, *a;
	bool found = false;
	int depth = 0;

	rcu_read_lock();
	t = pid_task(target, PIDTYPE_TGID);
	a = pid_task(ancestor, PIDTYPE_TGID);
	if (t && a) {
		a = a->group_leader;
		while (t->pid > 0 && depth++ < 1024) {
			t = t->group_leader;
			if (t == a) {
				found = true;
				break;
			}
			t = rcu_dereference(t->real_parent);
		}
	}
	rcu_read_unlock();
	return found;
}

/* The calling process's view of @pid's number (0 if not visible). */
int machipc_pid_task_nr(struct pid *pid)
{
	return pid_vnr(pid);
}

/* A reference to the thread group pid numbered @nr in the caller's pid
 * namespace, or NULL. */
struct pid *machipc_find_pid(int nr)
{
	struct pid *pid = find_get_pid(nr);
	struct task_struct *t;

	if (!pid)
		return NULL;
	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_TGID);
	rcu_read_unlock();
	if (!t) {
		put_pid(pid);
		return NULL;
	}
	return pid;
}

/* The file of a pollable port descriptor: machipc_pollfd_* are in Rust
 * (src/pollfd.rs). */
__poll_t machipc_pollfd_poll(void *private, struct file *file, poll_table *wait);
void machipc_pollfd_release(void *private);

static __poll_t pollfd_poll(struct file *file, poll_table *wait)
{
	return machipc_pollfd_poll(file->private_data, file, wait);
}

static int pollfd_release(struct inode *inode, struct file *file)
{
	machipc_pollfd_release(file->private_data);
	return 0;
}

static const struct file_operations pollfd_fops = {
	.owner = THIS_MODULE,
	.poll = pollfd_poll,
	.release = pollfd_release,
	.llseek = noop_llseek,
};

/* A new descriptor for @private (owned by the file from now on, released
 * through machipc_pollfd_release) or a negative errno. */
int machipc_pollfd_create(void *private)
{
	return anon_inode_getfd("[machipc-port]", &pollfd_fops, private, O_RDONLY | O_CLOEXEC);
}

/*
 * VM event counts since boot: page faults, major faults, pages paged in
 * and out, pages swapped in and out.
 */
void machipc_vm_events(u64 out[6])
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(ev);
	out[0] = ev[PGFAULT];
	out[1] = ev[PGMAJFAULT];
	out[2] = ev[PGPGIN];
	out[3] = ev[PGPGOUT];
	out[4] = ev[PSWPIN];
	out[5] = ev[PSWPOUT];
}

/* How many processes and threads the system has (bounded by pid_max). */
void machipc_count_processes(int *procs, int *threads)
{
	struct task_struct *p, *t;
	int np = 0, nt = 0;

	rcu_read_lock();
	for_each_process(p) {
		np++;
		for_each_thread(p, t)
			nt++;
	}
	rcu_read_unlock();
	*procs = np;
	*threads = nt;
}

/* Whether CPU @cpu is online. */
bool machipc_cpu_online(int cpu)
{
	return cpu >= 0 && cpu < nr_cpu_ids && cpu_online(cpu);
}

/* Brings CPU @cpu online or offline (CPU hotplug); 0 or a negative errno. */
int machipc_cpu_set_online(int cpu, bool online)
{
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	return online ? add_cpu(cpu) : remove_cpu(cpu);
}

/* The wall clock. */
void machipc_calendar_time(s64 *sec, long *nsec)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
}

/*
 * The thread's TLS base (its pthread_self() with glibc): the FS base on
 * x86-64 -- read from the CPU for the calling thread, else as saved at
 * its last switch (glibc sets it once, at thread creation); 0 elsewhere.
 */
u64 machipc_thread_handle(struct pid *pid)
{
	u64 v = 0;
#ifdef CONFIG_X86_64
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (t == current)
		rdmsrq(MSR_FS_BASE, v);
	else if (t)
		v = READ_ONCE(t->thread.fsbase);
	rcu_read_unlock();
#endif
	return v;
}

/* A monotonic clock for a bounded spin (nanoseconds). */
u64 machipc_clock_ns(void)
{
	return ktime_get_mono_fast_ns();
}

/*
 * Whether a receive's optional spin may start at all: this CPU has nothing
 * else to run and no reschedule or signal is pending. Checked first, so
 * that a receive whose peer shares its CPU reads no clock.
 */
bool machipc_spin_may_start(void)
{
	return single_task_running() && !need_resched() && !signal_pending(current);
}

/*
 * One step of a receive's optional spin before it sleeps (rcv_spin_us):
 * false once it must end -- at @deadline_ns, as soon as another task is
 * runnable on this CPU (the peer that would complete the receive may be
 * that task: never keep the CPU from it; KVM's halt polling asks the same),
 * a reschedule is due or a signal is pending.
 */
bool machipc_spin_step(u64 deadline_ns)
{
	if (!machipc_spin_may_start() || ktime_get_mono_fast_ns() >= deadline_ns)
		return false;
	cpu_relax();
	return true;
}

/*
 * The statistics (src/stats.rs) as per-CPU counters: an update is one
 * unlocked add to this CPU's copy, a read sums every possible CPU's (so a
 * live count is exact once nothing changes it, and a reader racing with
 * updates sees some of them, as with any statistics file). Indices past
 * MACHIPC_STATS are ignored; the Rust side asserts it has no more.
 */
#define MACHIPC_STATS 32

struct machipc_stats {
	long v[MACHIPC_STATS];
};

static DEFINE_PER_CPU(struct machipc_stats, machipc_stats);

void machipc_stat_add(unsigned int i, long n)
{
	if (i < MACHIPC_STATS)
		this_cpu_add(machipc_stats.v[i], n);
}

long machipc_stat_sum(unsigned int i)
{
	long sum = 0;
	int cpu;

	if (i >= MACHIPC_STATS)
		return 0;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(machipc_stats.v[i], cpu));
	return sum;
}
