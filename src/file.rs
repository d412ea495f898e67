// SPDX-License-Identifier: GPL-2.0

//! The open file of `/dev/mach` and ioctl dispatch.
//!
//! Each open refers to the task of the process that opened it (see
//! `task.rs`). An ioctl from another process on the same file -- a
//! descriptor inherited over fork -- fails with `EPERM` and touches
//! nothing.
//!
//! Argument structs are read, written back unchanged (so an unwritable
//! struct fails with `EFAULT` before anything happens), run, and written
//! back with the results. The Mach result is the struct's `kr`; the ioctl
//! itself fails only for a broken argument.

use kernel::{
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceRegistration},
    prelude::*,
    sync::Arc,
    transmute::{AsBytes, FromBytes},
    uaccess::{UserPtr, UserSlice},
};

use crate::{mach::KResult, port_calls, task::Task, uapi};

/// Per-open state of `/dev/mach`.
pub(crate) struct MachFile {
    task: Arc<Task>,
}

impl Drop for MachFile {
    fn drop(&mut self) {
        self.task.close();
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

/// The `kr` field value of a Mach result.
fn kr_of<T>(r: KResult<T>) -> i32 {
    match r {
        Ok(_) => 0,
        Err(kr) => kr,
    }
}

fn version(v: &mut uapi::Version) -> Result {
    if v.reserved.iter().any(|&r| r != 0) {
        return Err(EINVAL);
    }
    v.compatible = u32::from(v.abi_version == uapi::ABI_VERSION);
    v.abi_version = uapi::ABI_VERSION;
    Ok(())
}

fn port_list(task: &Task, arg: usize) -> Result<isize> {
    inout(arg, |l: &mut uapi::PortList| {
        if l.reserved != 0 {
            return Err(EINVAL);
        }
        match port_calls::port_list(task, l) {
            Ok(entries) => {
                l.kr = 0;
                let n = entries.len().min(l.capacity as usize);
                let size = core::mem::size_of::<uapi::NameInfo>();
                let mut w = UserSlice::new(UserPtr::from_addr(l.buf as usize), n * size).writer();
                for e in entries.iter().take(n) {
                    w.write(e)?;
                }
            }
            Err(kr) => l.kr = kr,
        }
        Ok(())
    })
}

#[vtable]
impl MiscDevice for MachFile {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        let task = Task::open(crate::max_port_names())?;
        Ok(KBox::pin(MachFile { task }, GFP_KERNEL_ACCOUNT)?)
    }

    fn ioctl(me: Pin<&MachFile>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let task = &*me.task;
        if !task.owned_by_caller() {
            return Err(EPERM);
        }
        match cmd {
            uapi::IOC_VERSION => inout(arg, version),
            uapi::IOC_PORT_OP => inout(arg, |o: &mut uapi::PortOp| {
                if o.reserved != 0 {
                    return Err(EINVAL);
                }
                o.kr = kr_of(port_calls::port_op(task, o));
                Ok(())
            }),
            uapi::IOC_PORT_LIST => port_list(task, arg),
            uapi::IOC_MSG => inout(arg, |m: &mut uapi::Msg| {
                if m.reserved != 0 {
                    return Err(EINVAL);
                }
                m.mr = crate::mach_msg::mach_msg(task, m);
                Ok(())
            }),
            uapi::IOC_PORT_ATTR => inout(arg, |a: &mut uapi::PortAttr| {
                a.kr = kr_of(port_calls::port_attr(task, a));
                Ok(())
            }),
            _ => Err(ENOTTY),
        }
    }
}
