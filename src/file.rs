// SPDX-License-Identifier: GPL-2.0

//! The open file of `/dev/mach` and ioctl dispatch.
//!
//! Each open belongs to the process (thread group) that opened it. An ioctl
//! from another process on the same file -- a descriptor inherited over
//! fork -- fails with `EPERM` and touches nothing.

use kernel::{
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceRegistration},
    prelude::*,
    task::Pid,
    transmute::{AsBytes, FromBytes},
    uaccess::{UserPtr, UserSlice},
};

use crate::uapi;

/// Per-open state of `/dev/mach`.
pub(crate) struct MachFile {
    /// Thread group id of the opener.
    owner: Pid,
}

/// Copies an ioctl argument struct in, runs `op` on it and copies it back out.
fn inout<T: FromBytes + AsBytes>(arg: usize, op: impl FnOnce(&mut T) -> Result) -> Result<isize> {
    let (mut reader, mut writer) =
        UserSlice::new(UserPtr::from_addr(arg), core::mem::size_of::<T>()).reader_writer();
    let mut val: T = reader.read()?;
    op(&mut val)?;
    writer.write(&val)?;
    Ok(0)
}

fn version(v: &mut uapi::Version) -> Result {
    if v.reserved.iter().any(|&r| r != 0) {
        return Err(EINVAL);
    }
    v.compatible = u32::from(v.abi_version == uapi::ABI_VERSION);
    v.abi_version = uapi::ABI_VERSION;
    Ok(())
}

#[vtable]
impl MiscDevice for MachFile {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        let owner = kernel::current!().tgid();
        Ok(KBox::pin(MachFile { owner }, GFP_KERNEL_ACCOUNT)?)
    }

    fn ioctl(me: Pin<&MachFile>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        if kernel::current!().tgid() != me.owner {
            return Err(EPERM);
        }
        match cmd {
            uapi::IOC_VERSION => inout(arg, version),
            _ => Err(ENOTTY),
        }
    }
}
