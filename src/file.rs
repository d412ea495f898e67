// SPDX-License-Identifier: GPL-2.0

//! The open file of `/dev/mach`: ioctl decoding and dispatch.
//!
//! Each open refers to the task of the process that opened it (see
//! `task.rs`). An ioctl from another process on the same file -- a
//! descriptor inherited over fork -- fails with `EPERM` and touches
//! nothing.
//!
//! Argument structs are read, written back unchanged (so an unwritable
//! struct fails with `EFAULT` before anything happens), decoded into a
//! typed call, run, and written back with the results. The Mach result is
//! the struct's `kr` (`mach_msg`'s, whose struct is only read, is the
//! ioctl's value); the ioctl itself fails only for a broken argument.
//! Every call's deferred work is done here, where it unwinds.

use kernel::{
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceRegistration},
    prelude::*,
    sync::Arc,
    transmute::{AsBytes, FromBytes},
    uaccess::{UserPtr, UserSlice},
};

use crate::{
    convert, deferred, ipc_sync, limits,
    mach::*,
    mach_msg,
    outbox::Outbox,
    pollfd, port_attributes,
    port_calls::{self, Path},
    space_info,
    task::Task,
    task_calls,
    uapi::{self, CallOut, ListCall, PortCall},
};

/// Per-open state of `/dev/mach`.
pub(crate) struct MachFile {
    task: Arc<Task>,
}

impl Drop for MachFile {
    fn drop(&mut self) {
        let mut out = Outbox::new();
        self.task.close(&mut out);
        deferred::flush(&mut out);
    }
}

/// Copies an ioctl argument struct in, checks it can be written back, runs
/// `op` on it and copies it back out.
fn inout<T: FromBytes + AsBytes>(arg: usize, op: impl FnOnce(&mut T) -> Result) -> Result<isize> {
    let (mut reader, writer) =
        UserSlice::new(UserPtr::from_addr(arg), core::mem::size_of::<T>()).reader_writer();
    let mut val: T = reader.read()?;
    UserSlice::new(UserPtr::from_addr(arg), core::mem::size_of::<T>())
        .writer()
        .write(&val)?;
    op(&mut val)?;
    let mut writer = writer;
    writer.write(&val)?;
    Ok(0)
}

/// MACHIPC_IOC_MSG: the struct is only read, and the call's
/// `mach_msg_return_t` (never negative) is the ioctl's value, as the
/// trap's return register is in XNU. So no user copy is spent writing it,
/// and a struct that could not be written back cannot lose a result.
fn msg_ioctl(task: &Task, arg: usize, out: &mut Outbox) -> Result<isize> {
    let m: uapi::Msg = UserSlice::new(UserPtr::from_addr(arg), core::mem::size_of::<uapi::Msg>())
        .reader()
        .read()?;
    Ok(mach_msg(task, &m, out).raw() as isize)
}

fn version(v: &mut uapi::Version) -> Result {
    if v.reserved.iter().any(|&r| r != 0) {
        return Err(EINVAL);
    }
    v.compatible = u32::from(v.abi_version == uapi::ABI_VERSION);
    v.abi_version = uapi::ABI_VERSION;
    Ok(())
}

/// Runs a decoded PORT_OP call for `caller` on the task (or host) its
/// struct names.
fn port_call(
    caller: &Arc<Task>,
    target: u32,
    call: PortCall,
    out: &mut Outbox,
) -> KResult<CallOut> {
    use PortCall as C;
    let name = |n: KResult<u32>| n.map(CallOut::Name);
    // Calls with no target task.
    match call {
        C::TaskSelf => return name(task_calls::self_port(caller, TASK_KERNEL_PORT, out)),
        C::HostSelf => return name(task_calls::self_port(caller, TASK_HOST_PORT, out)),
        C::ReplyPort => return name(task_calls::reply_port(caller)),
        C::HostGetSpecial { which } => {
            return name(task_calls::host_get_special(caller, target, which, out))
        }
        C::HostSetSpecial { which, name: n } => {
            return task_calls::host_set_special(caller, target, which, n, out)
                .map(|()| CallOut::None)
        }
        C::SetSystemBootstrap { name: n } => {
            return task_calls::set_system_bootstrap(caller, n, out).map(|()| CallOut::None)
        }
        C::Allocate { name: Some(n), .. } if !name_valid(n) => return Err(Kr::INVALID_VALUE),
        C::ThreadSelf => return name(task_calls::thread_self(caller, out)),
        C::TaskForPid { pid } => {
            return name(task_calls::task_for_pid(caller, target, pid, false, out))
        }
        C::TaskNameForPid { pid } => {
            return name(task_calls::task_for_pid(caller, target, pid, true, out))
        }
        C::PidForTask => {
            return task_calls::pid_for_task(caller, target, out)
                .map(|p| CallOut::Vals(i64::from(p) as u64, 0))
        }
        C::SemSignal { name: n } => {
            return ipc_sync::signal_trap(caller, n).map(|()| CallOut::None)
        }
        C::SemSignalAll { name: n } => {
            return ipc_sync::signal_all_trap(caller, n).map(|()| CallOut::None)
        }
        C::SemSignalThread { name: n, thread } => {
            return ipc_sync::signal_thread_trap(caller, n, thread).map(|()| CallOut::None)
        }
        C::SemWait { name: n } => {
            return ipc_sync::wait_trap(caller, n, None, None).map(|()| CallOut::None)
        }
        C::SemTimedWait { name: n, sec, nsec } => {
            return ipc_sync::wait_trap(caller, n, None, Some((sec, nsec))).map(|()| CallOut::None)
        }
        C::SemWaitSignal { wait, signal } => {
            return ipc_sync::wait_trap(caller, wait, Some(signal), None).map(|()| CallOut::None)
        }
        C::SemTimedWaitSignal {
            wait,
            signal,
            sec,
            nsec,
        } => {
            return ipc_sync::wait_trap(caller, wait, Some(signal), Some((sec, nsec)))
                .map(|()| CallOut::None)
        }
        _ => {}
    }
    // Task special ports take a task port (KERN_INVALID_ARGUMENT for
    // anything else); the mach_port calls a space (KERN_INVALID_TASK).
    if let C::TaskGetSpecial { which } = call {
        let task = convert::task(caller, target, out)?;
        return name(task_calls::get_special(caller, &task, which, out));
    }
    if let C::TaskSetSpecial { which, name: n } = call {
        let task = convert::task(caller, target, out)?;
        return task_calls::set_special(caller, &task, which, n, out).map(|()| CallOut::None);
    }
    // A call with a port argument that goes to a target that is no task
    // travels as a MIG request, whose send copies the argument in first: a
    // bad argument fails the send before the routine sees its target.
    let arg = match call {
        C::InsertRight {
            poly, disposition, ..
        } => Some((poly, disposition)),
        C::RequestNotification { notify, poly, .. } => Some((notify, poly)),
        _ => None,
    };
    if let Some((n, msgt)) = arg {
        match convert::resolve(caller, target, out)? {
            // A task, or a user port (the library sends the request).
            convert::Target::Task(_) | convert::Target::UserPort => {}
            _ => convert::check_arg(caller, n, msgt)?,
        }
    }
    let task = match convert::space_task(caller, target, out) {
        // A machipc call with no MIG routine behind it: a user port is no
        // task.
        Err(Kr::USER_PORT) if matches!(call, C::PortFd { .. }) => return Err(Kr::INVALID_TASK),
        r => r?,
    };
    let task = &*task;
    // The caller's account, for the calls that charge it.
    let acct = || caller.account();
    let none = |r: KResult| r.map(|()| CallOut::None);
    match call {
        C::Allocate { right, name: want } => name(port_calls::allocate(task, &acct(), right, want)),
        C::Construct {
            options,
            context,
            qlimit,
        } => name(port_calls::construct(
            task,
            &acct(),
            options,
            context,
            qlimit,
            out,
        )),
        C::Destruct {
            name: n,
            srdelta,
            guard,
        } => none(port_calls::destruct(task, n, srdelta, guard, out)),
        C::Destroy { name: n } => none(port_calls::destroy(task, n, out)),
        C::Deallocate { name: n } => none(port_calls::deallocate(task, n, out)),
        C::GetRefs { name: n, right } => {
            port_calls::get_refs(task, n, right).map(|r| CallOut::Vals(r.into(), 0))
        }
        C::ModRefs {
            name: n,
            right,
            delta,
        } => none(port_calls::mod_refs(task, n, right, delta, out)),
        C::Type { name: n } => {
            port_calls::port_type_of(task, n).map(|t| CallOut::Vals(t.into(), 0))
        }
        C::InsertRight {
            name: n,
            poly,
            disposition,
        } => {
            let path = if core::ptr::eq(task, &**caller) {
                Path::Trap
            } else {
                Path::Mig
            };
            none(port_calls::insert_right(
                caller,
                task,
                path,
                n,
                poly,
                disposition,
                out,
            ))
        }
        C::ExtractRight {
            name: n,
            disposition,
        } => port_calls::extract_right(caller, task, n, disposition, out)
            .map(|(n, t)| CallOut::Vals(n.into(), t.into())),
        C::InsertMember { name: n, set } => {
            none(port_calls::member_op(task, &acct(), n, set, true, out))
        }
        C::ExtractMember { name: n, set } => {
            none(port_calls::member_op(task, &acct(), n, set, false, out))
        }
        C::MoveMember { name: n, after } => {
            none(port_calls::move_member(task, &acct(), n, after, out))
        }
        C::SetMscount { name: n, mscount } => none(port_attributes::set_mscount(task, n, mscount)),
        C::SetSeqno { name: n, seqno } => none(port_attributes::set_seqno(task, n, seqno)),
        C::GetContext { name: n } => {
            port_attributes::get_context(task, n).map(|c| CallOut::Vals(c, 0))
        }
        C::SetContext { name: n, context } => none(port_attributes::set_context(task, n, context)),
        C::Guard {
            name: n,
            guard,
            strict,
        } => none(port_attributes::guard(task, n, guard, strict)),
        C::Unguard { name: n, guard } => none(port_attributes::unguard(task, n, guard)),
        C::KernelObject { name: n } => {
            port_calls::kernel_object(task, n).map(|k| CallOut::Vals(k.into(), 0))
        }
        C::PortFd { name: n } => pollfd::port_fd(task, n).map(|fd| CallOut::Vals(fd as u64, 0)),
        C::GetSrights { name: n } => {
            port_attributes::get_srights(task, n).map(|s| CallOut::Vals(s.into(), 0))
        }
        C::DnrequestInfo { name: n } => port_attributes::dnrequest_info(task, n)
            .map(|(total, used)| CallOut::Vals(total.into(), used.into())),
        C::SetPortSpace { entries } => {
            none(convert::with_space(task, |sp| sp.set_port_space(entries)))
        }
        C::RequestNotification {
            name: n,
            id,
            sync,
            notify,
            poly,
        } => name(port_calls::request_notification(
            caller,
            task,
            port_calls::NotifyArgs {
                name: n,
                id,
                sync,
                notify,
                poly,
            },
            out,
        )),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `mach_msg`: the send, its deferred work (so a kernel server's reply
/// is queued before the receive looks), then the receive.
fn mach_msg(task: &Task, m: &uapi::Msg, out: &mut Outbox) -> MsgReturn {
    if m.option & MACH_SEND_MSG != 0 {
        let mr = mach_msg::send(task, m, out);
        deferred::flush(out);
        if !mr.is_success() {
            return mr;
        }
    }
    if m.option & MACH_RCV_MSG != 0 {
        return mach_msg::receive(task, m, out);
    }
    MsgReturn::SUCCESS
}

/// MACHIPC_IOC_PORT_OP.
fn port_op(task: &Arc<Task>, o: &mut uapi::PortOp, out: &mut Outbox) -> Result {
    if o.reserved != 0 {
        return Err(EINVAL);
    }
    let Some(call) = PortCall::decode(o) else {
        o.kr = Kr::INVALID_ARGUMENT.raw();
        return Ok(());
    };
    match port_call(task, o.task, call, out) {
        Ok(CallOut::None) => o.kr = 0,
        Ok(CallOut::Name(n)) => {
            o.kr = 0;
            o.name = n;
        }
        Ok(CallOut::Vals(a, b)) => {
            o.kr = 0;
            o.val = [a, b];
        }
        Err(kr) => o.kr = kr.raw(),
    }
    Ok(())
}

/// MACHIPC_IOC_PORT_LIST.
fn port_list(caller: &Arc<Task>, arg: usize, out: &mut Outbox) -> Result<isize> {
    inout(arg, |l: &mut uapi::PortList| {
        if l.reserved != 0 {
            return Err(EINVAL);
        }
        let set = match ListCall::decode(l) {
            Some(ListCall::Names) => None,
            Some(ListCall::SetMembers { name }) => Some(name),
            None => {
                l.kr = Kr::INVALID_ARGUMENT.raw();
                return Ok(());
            }
        };
        let listing =
            convert::space_task(caller, l.task, out).and_then(|t| space_info::list(&t, set));
        match listing {
            Ok(listing) => {
                l.kr = 0;
                l.table_size = listing.table_size;
                l.count = listing.entries.len() as u32;
                let n = listing.entries.len().min(l.capacity as usize);
                let size = core::mem::size_of::<uapi::NameInfo>();
                let mut w = UserSlice::new(UserPtr::from_addr(l.buf as usize), n * size).writer();
                for e in listing.entries.iter().take(n) {
                    w.write(e)?;
                }
            }
            Err(kr) => l.kr = kr.raw(),
        }
        Ok(())
    })
}

/// MACHIPC_IOC_PORT_PEEK.
fn port_peek(caller: &Arc<Task>, p: &mut uapi::PortPeek, out: &mut Outbox) -> Result {
    if p.reserved != 0 {
        return Err(EINVAL);
    }
    let r =
        convert::space_task(caller, p.task, out).and_then(|task| port_attributes::peek(&task, p));
    p.kr = kr_raw(&r);
    Ok(())
}

/// MACHIPC_IOC_PORT_ATTR.
fn port_attr(caller: &Arc<Task>, a: &mut uapi::PortAttr, out: &mut Outbox) -> Result {
    let r = convert::space_task(caller, a.task, out).and_then(|task| {
        if a.set != 0 {
            let acct = caller.account();
            port_attributes::set_attributes(&task, &acct, a.name, a.flavor, a.count, &a.info, out)
        } else {
            let count =
                port_attributes::get_attributes(&task, a.name, a.flavor, a.count, &mut a.info)?;
            a.count = count;
            Ok(())
        }
    });
    a.kr = kr_raw(&r);
    Ok(())
}

#[vtable]
impl MiscDevice for MachFile {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        let mut out = Outbox::new();
        let task = Task::open(limits::max_port_names(), &mut out)?;
        deferred::flush(&mut out);
        // If this allocation fails, the `MachFile` it was given is dropped,
        // and its drop closes the task: the open is undone exactly once.
        Ok(KBox::pin(MachFile { task }, GFP_KERNEL_ACCOUNT)?)
    }

    fn ioctl(me: Pin<&MachFile>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let task = &me.task;
        if !task.owned_by_caller() {
            return Err(EPERM);
        }
        let mut out = Outbox::new();
        task.refresh_self(&mut out);
        let r = match cmd {
            uapi::IOC_VERSION => inout(arg, version),
            uapi::IOC_PORT_OP => inout(arg, |o: &mut uapi::PortOp| port_op(task, o, &mut out)),
            uapi::IOC_PORT_LIST => port_list(task, arg, &mut out),
            uapi::IOC_MSG => msg_ioctl(task, arg, &mut out),
            uapi::IOC_PORT_ATTR => {
                inout(arg, |a: &mut uapi::PortAttr| port_attr(task, a, &mut out))
            }
            uapi::IOC_PORT_PEEK => {
                inout(arg, |p: &mut uapi::PortPeek| port_peek(task, p, &mut out))
            }
            _ => Err(ENOTTY),
        };
        deferred::flush(&mut out);
        r
    }
}
