// SPDX-License-Identifier: GPL-2.0

//! Kernel objects named by ports (XNU `ipc_kobject.h`): what a kernel
//! port stands for. Messages to a kernel port are served by `kserver.rs`.

use kernel::sync::Arc;

use crate::{semaphore::Semaphore, task::Task, thread::Thread};

/// `IKOT_*`: the kernel object types, as XNU numbers them.
pub(crate) const IKOT_NONE: u32 = 0;
pub(crate) const IKOT_THREAD: u32 = 1;
pub(crate) const IKOT_TASK: u32 = 2;
pub(crate) const IKOT_HOST: u32 = 3;
pub(crate) const IKOT_HOST_PRIV: u32 = 4;
pub(crate) const IKOT_PROCESSOR: u32 = 5;
pub(crate) const IKOT_PSET: u32 = 6;
pub(crate) const IKOT_PSET_NAME: u32 = 7;
pub(crate) const IKOT_CLOCK: u32 = 25;
pub(crate) const IKOT_CLOCK_CTRL: u32 = 26;
pub(crate) const IKOT_SEMAPHORE: u32 = 23;
pub(crate) const IKOT_TASK_NAME: u32 = 20;
pub(crate) const IKOT_HOST_SECURITY: u32 = 17;

/// The kernel object behind a kernel port.
#[derive(Clone)]
pub(crate) enum KObject {
    None,
    Thread(Arc<Thread>),
    Task(Arc<Task>),
    TaskName(Arc<Task>),
    Host,
    HostPriv,
    HostSecurity,
    /// A processor, by CPU number.
    Processor(u32),
    /// The default processor set's name and control ports.
    PsetName,
    Pset,
    /// A clock (`SYSTEM_CLOCK`, `CALENDAR_CLOCK`), and its control port.
    Clock(u32),
    ClockCtrl(u32),
    Semaphore(Arc<Semaphore>),
}

impl KObject {
    /// `IKOT_*` of the object.
    pub(crate) fn kotype(&self) -> u32 {
        match self {
            KObject::None => IKOT_NONE,
            KObject::Thread(_) => IKOT_THREAD,
            KObject::Task(_) => IKOT_TASK,
            KObject::TaskName(_) => IKOT_TASK_NAME,
            KObject::Host => IKOT_HOST,
            KObject::HostPriv => IKOT_HOST_PRIV,
            KObject::HostSecurity => IKOT_HOST_SECURITY,
            KObject::Processor(_) => IKOT_PROCESSOR,
            KObject::PsetName => IKOT_PSET_NAME,
            KObject::Pset => IKOT_PSET,
            KObject::Clock(_) => IKOT_CLOCK,
            KObject::ClockCtrl(_) => IKOT_CLOCK_CTRL,
            KObject::Semaphore(_) => IKOT_SEMAPHORE,
        }
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, KObject::None)
    }
}
