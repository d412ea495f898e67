//! Tasks and the host: handles on kernel objects named by ports.

use crate::error::{KernReturn, Result};
use crate::right::{task_self, Name, PortType, SendRight};
use crate::sys;
use crate::sys::port::{MACH_PORT_DEAD, MACH_PORT_NULL};

/// A task special port (`task_get/set_special_port` selectors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskSpecialPort {
    /// `TASK_KERNEL_PORT`: the task's own port.
    Kernel,
    /// `TASK_HOST_PORT`: the host (or host-priv) port.
    Host,
    /// `TASK_NAME_PORT`.
    Name,
    /// `TASK_BOOTSTRAP_PORT`: what children start with as their bootstrap.
    Bootstrap,
    /// `TASK_INSPECT_PORT`.
    Inspect,
    /// `TASK_READ_PORT`.
    Read,
    /// `TASK_ACCESS_PORT`.
    Access,
    /// `TASK_DEBUG_CONTROL_PORT`.
    DebugControl,
    /// `TASK_RESOURCE_NOTIFY_PORT`.
    ResourceNotify,
}

impl TaskSpecialPort {
    /// The selector value.
    pub fn raw(self) -> i32 {
        use sys::task_special_ports::*;
        match self {
            TaskSpecialPort::Kernel => TASK_KERNEL_PORT,
            TaskSpecialPort::Host => TASK_HOST_PORT,
            TaskSpecialPort::Name => TASK_NAME_PORT,
            TaskSpecialPort::Bootstrap => TASK_BOOTSTRAP_PORT,
            TaskSpecialPort::Inspect => TASK_INSPECT_PORT,
            TaskSpecialPort::Read => TASK_READ_PORT,
            TaskSpecialPort::Access => TASK_ACCESS_PORT,
            TaskSpecialPort::DebugControl => TASK_DEBUG_CONTROL_PORT,
            TaskSpecialPort::ResourceNotify => TASK_RESOURCE_NOTIFY_PORT,
        }
    }
}

/// What a special-port getter hands back: a send right, or none.
fn special(name: Name) -> Option<SendRight> {
    match name {
        MACH_PORT_NULL | MACH_PORT_DEAD => None,
        // SAFETY: the kernel copied a send right out to us (one uref).
        n => Some(unsafe { SendRight::from_raw(n) }),
    }
}

/// A task, named by a send right to its task port. [`Task::current`] is
/// the calling task (through `mach_task_self()`, which is not released).
#[derive(Debug)]
pub struct Task {
    port: Option<SendRight>,
}

/// One name of a task's space, as `mach_port_space_info` lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameInfo {
    /// The name.
    pub name: Name,
    /// What it holds.
    pub port_type: PortType,
    /// Its user references.
    pub urefs: u32,
    /// An identifier of the object: the same port has the same one in
    /// every space.
    pub object: u32,
}

impl Task {
    /// The calling task.
    pub fn current() -> Task {
        Task { port: None }
    }

    /// The task whose task port `port` is a send right to.
    pub fn from_port(port: SendRight) -> Task {
        Task { port: Some(port) }
    }

    /// The name of the task port in our space.
    pub fn name(&self) -> Name {
        self.port.as_ref().map_or_else(task_self, |p| p.name())
    }

    /// The special port `which` (`task_get_special_port`), `None` if unset.
    pub fn special_port(&self, which: TaskSpecialPort) -> Result<Option<SendRight>> {
        let mut p = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::task::task_get_special_port(self.name(), which.raw(), &mut p)
        })?;
        Ok(special(p))
    }

    /// Sets the special port `which` to a copy of `port` (`None`: unsets it).
    pub fn set_special_port(&self, which: TaskSpecialPort, port: Option<&SendRight>) -> Result<()> {
        // SAFETY: a plain call on names.
        KernReturn::result(unsafe {
            sys::task::task_set_special_port(
                self.name(),
                which.raw(),
                port.map_or(MACH_PORT_NULL, |p| p.name()),
            )
        })
    }

    /// `TASK_BOOTSTRAP_PORT`.
    pub fn bootstrap_port(&self) -> Result<Option<SendRight>> {
        self.special_port(TaskSpecialPort::Bootstrap)
    }

    /// Every name of the task's space with what it holds
    /// (`mach_port_space_info`).
    pub fn names(&self) -> Result<Vec<NameInfo>> {
        let mut info = sys::mach_debug::ipc_info::ipc_info_space_t::default();
        let mut table: sys::mach_debug::ipc_info::ipc_info_name_array_t = std::ptr::null_mut();
        let mut tree: sys::mach_debug::ipc_info::ipc_info_tree_name_array_t = std::ptr::null_mut();
        let (mut n, mut tn) = (0, 0);
        // SAFETY: valid out pointers; the arrays are the caller's to free.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_space_info(
                self.name(),
                &mut info,
                &mut table,
                &mut n,
                &mut tree,
                &mut tn,
            )
        })?;
        let entries = if table.is_null() {
            Vec::new()
        } else {
            // SAFETY: `table` holds `n` entries.
            unsafe { std::slice::from_raw_parts(table, n as usize) }
                .iter()
                .map(|e| NameInfo {
                    name: e.iin_name,
                    port_type: PortType(e.iin_type),
                    urefs: e.iin_urefs,
                    object: e.iin_object,
                })
                .collect()
        };
        let esz = std::mem::size_of::<sys::mach_debug::ipc_info::ipc_info_name_t>();
        let tsz = std::mem::size_of::<sys::mach_debug::ipc_info::ipc_info_tree_name_t>();
        // SAFETY: libmach allocated both arrays with vm_allocate.
        unsafe {
            if !table.is_null() {
                sys::vm::vm_deallocate(task_self(), table as usize, n as usize * esz);
            }
            if !tree.is_null() {
                sys::vm::vm_deallocate(task_self(), tree as usize, tn as usize * tsz);
            }
        }
        Ok(entries)
    }
}

/// A host special port selector (`HOST_*_PORT`, `<mach/host_special_ports.h>`).
pub type HostSpecialPort = i32;

/// The host, named by a send right to the host port ([`Host::current`],
/// `mach_host_self()`) or to the host-priv port.
#[derive(Debug)]
pub struct Host {
    port: SendRight,
}

impl Host {
    /// The host port (`mach_host_self`): the host-priv port for a privileged
    /// task, the plain host port otherwise.
    pub fn current() -> Result<Host> {
        // SAFETY: returns a send right with one more uref for us.
        let n = unsafe { sys::mach_init::mach_host_self() };
        special(n)
            .map(|port| Host { port })
            .ok_or(KernReturn::FAILURE)
    }

    /// The host named by `port`.
    pub fn from_port(port: SendRight) -> Host {
        Host { port }
    }

    /// The send right naming the host.
    pub fn port(&self) -> &SendRight {
        &self.port
    }

    /// `host_get_special_port(HOST_LOCAL_NODE, which)`; `None` if unset.
    pub fn special_port(&self, which: HostSpecialPort) -> Result<Option<SendRight>> {
        let mut p = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::host_priv::host_get_special_port(
                self.port.name(),
                sys::host_special_ports::HOST_LOCAL_NODE,
                which,
                &mut p,
            )
        })?;
        Ok(special(p))
    }

    /// `host_set_special_port` (needs the host-priv port).
    pub fn set_special_port(&self, which: HostSpecialPort, port: Option<&SendRight>) -> Result<()> {
        // SAFETY: a plain call on names.
        KernReturn::result(unsafe {
            sys::host_priv::host_set_special_port(
                self.port.name(),
                which,
                port.map_or(MACH_PORT_NULL, |p| p.name()),
            )
        })
    }
}
