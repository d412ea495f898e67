// SPDX-License-Identifier: GPL-2.0

//! The calls on tasks and the host that deal in their special ports (XNU
//! `ipc_tt.c`, `ipc_host.c`, the `*_self` traps).

use crate::{
    convert::{copyin_arg, copyout_reply},
    ipc_object,
    mach::*,
    outbox::Outbox,
    port_calls, process,
    right::MsgPort,
    task::Task,
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
pub(crate) fn get_special(caller: &Task, task: &Task, which: i32, out: &mut Outbox) -> KResult<u32> {
    let p = task.get_special(which)?;
    copyout_reply(caller, p, out)
}

/// Stores the caller's send right `name` (copied in as MIG does) with
/// `set`, releasing what it replaces (or the right itself on failure).
fn store(caller: &Task, name: u32, out: &mut Outbox, set: impl FnOnce(MsgPort) -> GiveBack<Option<MsgPort>, MsgPort>) -> KResult {
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
pub(crate) fn set_special(caller: &Task, task: &Task, which: i32, name: u32, out: &mut Outbox) -> KResult {
    store(caller, name, out, |r| task.set_special(which, r))
}

/// `host_get_special_port` (needs host-priv).
pub(crate) fn host_get_special(caller: &Task, host_name: u32, which: i32, out: &mut Outbox) -> KResult<u32> {
    let host = crate::convert::host_priv(caller, host_name, out)?;
    let p = host.get_special(which)?;
    copyout_reply(caller, p, out)
}

/// `host_set_special_port` (needs host-priv).
pub(crate) fn host_set_special(caller: &Task, host_name: u32, which: i32, name: u32, out: &mut Outbox) -> KResult {
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
    store(caller, name, out, |r| Ok(Some(host.set_system_bootstrap(r))))
}
