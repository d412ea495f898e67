// SPDX-License-Identifier: GPL-2.0
/*
 * machipc: the few facts about Linux processes that the Rust `kernel` crate
 * has no binding for (inline functions, RCU-protected fields of other
 * tasks). Each function is a small, self-contained accessor; the Rust side
 * (src/glue.rs) declares them and documents what it relies on.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/coredump.h>
#include <linux/sched/exec_state.h>
#include <linux/sched/task.h>
#include <linux/uidgid.h>

void machipc_get_pid(struct pid *pid);
bool machipc_process_alive(struct pid *pid);
int machipc_exec_state(struct pid *pid, u64 *exec_id, u32 ids[6], int *dumpable);
int machipc_ancestors(struct pid **pids, u64 *child_start, int max);

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
