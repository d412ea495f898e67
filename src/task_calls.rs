// SPDX-License-Identifier: GPL-2.0

//! The calls on tasks and the host that deal in their special ports (XNU
//! `ipc_tt.c`, `ipc_host.c`, the `*_self` traps), and the traps that find
//! a task by pid (XNU `bsd/vm/vm_unix.c`).
//!
//! `task_for_pid` grants a send right to another process's task port --
//! control of its Mach state -- under the rules ptrace attach applies,
//! checked here from the credentials (`ptrace_may_access` is not exported
//! to modules): the caller is the target, or has `CAP_SYS_PTRACE`, or its
//! effective uid and gid equal the target's real, effective and saved ids
//! and the target is dumpable (not set-id). Yama's scope is read from its
//! sysctl: 1 also needs the target to descend from the caller (the
//! `PR_SET_PTRACER` exceptions are not visible to a module), 2 needs
//! `CAP_SYS_PTRACE`, 3 refuses everyone. Every refusal is
//! `KERN_FAILURE`, as on macOS.

use kernel::{bindings, sync::Arc};

use crate::{
    convert::{copyin_arg, copyout_reply},
    ipc_object,
    mach::*,
    outbox::Outbox,
    port_calls,
    process::{self, PidRef},
    right::MsgPort,
    task::{Task, TASKS},
};

/// `task_self_trap` / `host_self_trap`: the caller's own special port
/// `which`, copied out into its space (one more uref each call).
pub(crate) fn self_port(caller: &Task, which: i32, out: &mut Outbox) -> KResult<u32> {
    let p = caller.get_special(which)?;
    copyout_reply(caller, p, out)
}

/// `mach_reply_port`: a new receive right.
pub(crate) fn reply_port(caller: &Task) -> KResult<u32> {
    port_calls::allocate(caller, &caller.account(), MACH_PORT_RIGHT_RECEIVE, None)
}

/// `task_get_special_port`.
pub(crate) fn get_special(
    caller: &Task,
    task: &Task,
    which: i32,
    out: &mut Outbox,
) -> KResult<u32> {
    let p = task.get_special(which)?;
    copyout_reply(caller, p, out)
}

/// Stores the caller's send right `name` (copied in as MIG does) with
/// `set`, releasing what it replaces (or the right itself on failure).
fn store(
    caller: &Task,
    name: u32,
    out: &mut Outbox,
    set: impl FnOnce(MsgPort) -> GiveBack<Option<MsgPort>, MsgPort>,
) -> KResult {
    let right = copyin_arg(caller, name, MSG_TYPE_COPY_SEND, out)?;
    match set(right) {
        Ok(old) => {
            if let Some(old) = old {
                ipc_object::release_msgport(old, out);
            }
            Ok(())
        }
        Err(refused) => {
            ipc_object::release_msgport(refused.back, out);
            Err(refused.kr)
        }
    }
}

/// `task_set_special_port`.
pub(crate) fn set_special(
    caller: &Task,
    task: &Task,
    which: i32,
    name: u32,
    out: &mut Outbox,
) -> KResult {
    store(caller, name, out, |r| task.set_special(which, r))
}

/// `host_get_special_port` (needs host-priv).
pub(crate) fn host_get_special(
    caller: &Task,
    host_name: u32,
    which: i32,
    out: &mut Outbox,
) -> KResult<u32> {
    let host = crate::convert::host_priv(caller, host_name, out)?;
    let p = host.get_special(which)?;
    copyout_reply(caller, p, out)
}

/// `host_set_special_port` (needs host-priv).
pub(crate) fn host_set_special(
    caller: &Task,
    host_name: u32,
    which: i32,
    name: u32,
    out: &mut Outbox,
) -> KResult {
    let host = crate::convert::host_priv(caller, host_name, out)?;
    store(caller, name, out, |r| host.set_special(which, r).map(Some))
}

/// machipc's system bootstrap port: what a task with no Mach ancestor
/// starts with. Set by a process with `CAP_SYS_ADMIN` (the bootstrap
/// server); `KERN_NO_ACCESS` otherwise.
pub(crate) fn set_system_bootstrap(caller: &Task, name: u32, out: &mut Outbox) -> KResult {
    if !process::privileged() {
        return Err(Kr::NO_ACCESS);
    }
    let host = crate::host::Host::get()?;
    store(caller, name, out, |r| {
        Ok(Some(host.set_system_bootstrap(r)))
    })
}

/// `thread_self_trap`: a send right to the calling thread's port (one more
/// uref each call).
pub(crate) fn thread_self(caller: &Arc<Task>, out: &mut Outbox) -> KResult<u32> {
    let p = caller.current_thread()?.self_right()?;
    copyout_reply(caller, p, out)
}

/// Whether the caller may control process `target` (see the module
/// documentation).
fn may_control(target: &PidRef) -> bool {
    if target.is_current() {
        return true;
    }
    let Some(st) = target.exec_state() else {
        return false;
    };
    let ptrace_cap = process::capable(bindings::CAP_SYS_PTRACE);
    match process::yama_scope() {
        3 => return false,
        2 if !ptrace_cap => return false,
        1 if !ptrace_cap && !target.descends_from(&caller_pid()) => return false,
        _ => {}
    }
    if ptrace_cap {
        return true;
    }
    let me = process::current_ids();
    let t = st.ids;
    let uids = [t.uid, t.euid, t.suid].iter().all(|&u| u == me.euid);
    let gids = [t.gid, t.egid, t.sgid].iter().all(|&g| g == me.egid);
    uids && gids && !st.set_id()
}

fn caller_pid() -> PidRef {
    // The caller is running an ioctl: it has a thread group pid.
    match PidRef::current() {
        Some(p) => p,
        None => unreachable!(),
    }
}

/// Whether the caller may name process `target` (`task_name_for_pid`):
/// it is the target, has `CAP_SYS_PTRACE`, or has the target's effective
/// and real uids.
fn may_name(target: &PidRef) -> bool {
    if target.is_current() {
        return true;
    }
    let Some(st) = target.exec_state() else {
        return false;
    };
    let me = process::current_ids();
    process::capable(bindings::CAP_SYS_PTRACE) || (st.ids.euid == me.euid && st.ids.uid == me.uid)
}

/// The live task of process `pid`, if it has one.
fn task_of_process(pid: &PidRef) -> Option<Arc<Task>> {
    let tasks = TASKS.lock();
    tasks
        .iter()
        .find(|t| t.owner().same(pid) && t.is_active())
        .cloned()
}

/// `task_for_pid` (`name` true: `task_name_for_pid`): a send right to the
/// task (name) port of process `pid`, found in the caller's pid namespace.
/// `target` must name a task port. A process with no task gives
/// `KERN_SUCCESS` and `MACH_PORT_NULL`, as XNU does for a proc with no
/// task.
pub(crate) fn task_for_pid(
    caller: &Task,
    target: u32,
    pid: i32,
    name: bool,
    out: &mut Outbox,
) -> KResult<u32> {
    if !name && pid == 0 {
        return Err(Kr::FAILURE);
    }
    crate::convert::task(caller, target, out).map_err(|_| Kr::FAILURE)?;
    let proc = PidRef::find(pid).ok_or(Kr::FAILURE)?;
    let allowed = if name {
        may_name(&proc)
    } else {
        may_control(&proc)
    };
    if !allowed {
        return Err(Kr::FAILURE);
    }
    let Some(task) = task_of_process(&proc) else {
        return Ok(MACH_PORT_NULL);
    };
    task.refresh(out);
    let which = if name {
        TASK_NAME_PORT
    } else {
        TASK_KERNEL_PORT
    };
    let p = task.get_special(which).map_err(|_| Kr::FAILURE)?;
    copyout_reply(caller, p, out)
}

/// `pid_for_task`: the pid (in the caller's namespace) of the process
/// whose task port `name` is; `KERN_FAILURE` for anything else.
pub(crate) fn pid_for_task(caller: &Task, name: u32, out: &mut Outbox) -> KResult<i32> {
    let task = crate::convert::task(caller, name, out).map_err(|_| Kr::FAILURE)?;
    match task.owner().nr_for_current() {
        0 => Err(Kr::FAILURE),
        n => Ok(n as i32),
    }
}
