//! Tasks and the host: handles on kernel objects named by ports.

use std::ffi::CStr;
use std::time::Duration;

use crate::clock::{Clock, ClockService};
use crate::error::{KernReturn, Result};
use crate::message::AuditToken;
use crate::right::{task_self, Name, PortType, SendRight};
use crate::sys;
use crate::sys::port::MACH_PORT_NULL;
use crate::thread::{duration, flavor_info, maybe_right, Thread};

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

/// `MACH_TASK_BASIC_INFO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskBasicInfo {
    /// Bytes of address space.
    pub virtual_size: u64,
    /// Bytes resident.
    pub resident_size: u64,
    /// The largest resident size, in bytes.
    pub resident_size_max: u64,
    /// User time of the threads that have exited.
    pub user_time: Duration,
    /// System time of the threads that have exited.
    pub system_time: Duration,
    /// The default policy of new threads (`POLICY_TIMESHARE`).
    pub policy: i32,
    /// The suspend count.
    pub suspend_count: i32,
}

/// `TASK_THREAD_TIMES_INFO`: the times of a task's live threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskThreadTimes {
    /// User time.
    pub user_time: Duration,
    /// System time.
    pub system_time: Duration,
}

/// `TASK_SECURITY_TOKEN` (`security_token_t`): the effective uid and gid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecurityToken {
    /// The effective user id.
    pub uid: u32,
    /// The effective group id.
    pub gid: u32,
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
        Ok(maybe_right(p))
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

    /// The task of process `pid` (`task_for_pid`): a send right to its
    /// task port. Granted as ptrace attach would be (our own process, a
    /// process of our user that is not set-id, or any with
    /// `CAP_SYS_PTRACE`); `KERN_FAILURE` otherwise, and for no such process
    /// or one that has no task yet.
    pub fn for_pid(pid: i32) -> Result<Task> {
        let mut t = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::traps::task_for_pid(task_self(), pid, &mut t) })?;
        maybe_right(t)
            .map(Task::from_port)
            .ok_or(KernReturn::FAILURE)
    }

    /// The task name port of process `pid` (`task_name_for_pid`): it gives
    /// the information calls ([`basic_info`](Task::basic_info), the
    /// tokens), not control (the other calls fail); [`pid`](Task::pid)
    /// takes one where the kernel follows later XNU (10.11 takes only task
    /// ports there: `KERN_FAILURE`). Granted for our own process, one with our
    /// effective and real uids (set-id or not), or to a caller with
    /// `CAP_SYS_PTRACE`; `KERN_FAILURE` otherwise.
    pub fn name_for_pid(pid: i32) -> Result<Task> {
        let mut t = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::traps::task_name_for_pid(task_self(), pid, &mut t) })?;
        maybe_right(t)
            .map(Task::from_port)
            .ok_or(KernReturn::FAILURE)
    }

    /// The pid of the task's process (`pid_for_task`).
    pub fn pid(&self) -> Result<i32> {
        let mut pid = -1;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::traps::pid_for_task(self.name(), &mut pid) })?;
        Ok(pid)
    }

    /// Whether this is the calling task (`mach_task_is_self`).
    pub fn is_current(&self) -> bool {
        // SAFETY: a call on a name.
        unsafe { sys::mach_init::mach_task_is_self(self.name()) != 0 }
    }

    fn info<T: Copy>(&self, flavor: sys::task_info::task_flavor_t) -> Result<T> {
        flavor_info(|p, n| {
            // SAFETY: `p` has room for `*n` integers.
            unsafe { sys::task::task_info(self.name(), flavor, p, n) }
        })
    }

    /// `task_info(MACH_TASK_BASIC_INFO)`: its sizes and the times of its
    /// threads that have exited.
    pub fn basic_info(&self) -> Result<TaskBasicInfo> {
        let i: sys::task_info::mach_task_basic_info =
            self.info(sys::task_info::MACH_TASK_BASIC_INFO)?;
        Ok(TaskBasicInfo {
            virtual_size: i.virtual_size,
            resident_size: i.resident_size,
            resident_size_max: i.resident_size_max,
            user_time: duration(i.user_time),
            system_time: duration(i.system_time),
            policy: i.policy,
            suspend_count: i.suspend_count,
        })
    }

    /// `task_info(TASK_THREAD_TIMES_INFO)`: the times of its live threads.
    pub fn thread_times(&self) -> Result<TaskThreadTimes> {
        let i: sys::task_info::task_thread_times_info =
            self.info(sys::task_info::TASK_THREAD_TIMES_INFO)?;
        Ok(TaskThreadTimes {
            user_time: duration(i.user_time),
            system_time: duration(i.system_time),
        })
    }

    /// `task_info(TASK_AUDIT_TOKEN)`: the audit token a message from the
    /// task carries.
    pub fn audit_token(&self) -> Result<AuditToken> {
        let t: sys::message::audit_token_t = self.info(sys::task_info::TASK_AUDIT_TOKEN)?;
        Ok(AuditToken(t.val))
    }

    /// `task_info(TASK_SECURITY_TOKEN)`: the security token a message from
    /// the task carries.
    pub fn security_token(&self) -> Result<SecurityToken> {
        let t: sys::message::security_token_t = self.info(sys::task_info::TASK_SECURITY_TOKEN)?;
        Ok(SecurityToken {
            uid: t.val[0],
            gid: t.val[1],
        })
    }

    /// The task's threads (`task_threads`), each a send right to its
    /// thread port.
    pub fn threads(&self) -> Result<Vec<Thread>> {
        let mut list: sys::mach_types::thread_act_array_t = std::ptr::null_mut();
        let mut n = 0;
        // SAFETY: valid out pointers; the array is ours to free.
        KernReturn::result(unsafe { sys::task::task_threads(self.name(), &mut list, &mut n) })?;
        if list.is_null() {
            return Ok(Vec::new());
        }
        // SAFETY: `list` holds `n` names, each a send right copied out to us.
        let threads = unsafe { std::slice::from_raw_parts(list, n as usize) }
            .iter()
            .filter_map(|&t| maybe_right(t).map(Thread::from_port))
            .collect();
        // SAFETY: libmach allocated the array with vm_allocate.
        unsafe {
            sys::vm::vm_deallocate(
                task_self(),
                list as usize,
                n as usize * std::mem::size_of::<sys::mach_types::thread_act_t>(),
            );
        }
        Ok(threads)
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
        maybe_right(n)
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
        Ok(maybe_right(p))
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

    fn info<T: Copy>(&self, flavor: sys::host_info::host_flavor_t) -> Result<T> {
        flavor_info(|p, n| {
            // SAFETY: `p` has room for `*n` integers.
            unsafe { sys::mach_host::host_info(self.port.name(), flavor, p, n) }
        })
    }

    fn statistics<T: Copy>(&self, flavor: sys::host_info::host_flavor_t) -> Result<T> {
        flavor_info(|p, n| {
            // SAFETY: `p` has room for `*n` integers.
            unsafe { sys::mach_host::host_statistics64(self.port.name(), flavor, p, n) }
        })
    }

    /// `host_info(HOST_BASIC_INFO)`: CPUs and memory.
    pub fn basic_info(&self) -> Result<HostBasicInfo> {
        self.info(sys::host_info::HOST_BASIC_INFO)
    }

    /// `host_info(HOST_SCHED_INFO)`: the shortest timeout and quantum.
    pub fn sched_info(&self) -> Result<HostSchedInfo> {
        self.info(sys::host_info::HOST_SCHED_INFO)
    }

    /// `host_info(HOST_PRIORITY_INFO)`: the scheduler's priorities.
    pub fn priority_info(&self) -> Result<HostPriorityInfo> {
        self.info(sys::host_info::HOST_PRIORITY_INFO)
    }

    /// `host_statistics(HOST_LOAD_INFO)`: load averages and Mach factors.
    pub fn load_info(&self) -> Result<HostLoadInfo> {
        self.statistics(sys::host_info::HOST_LOAD_INFO)
    }

    /// `host_statistics(HOST_CPU_LOAD_INFO)`: the ticks of every CPU in
    /// each `CPU_STATE_*`.
    pub fn cpu_load_info(&self) -> Result<HostCpuLoadInfo> {
        self.statistics(sys::host_info::HOST_CPU_LOAD_INFO)
    }

    /// `host_statistics64(HOST_VM_INFO64)`: memory in pages, and paging
    /// events.
    pub fn vm_statistics(&self) -> Result<VmStatistics64> {
        self.statistics(sys::host_info::HOST_VM_INFO64)
    }

    /// The kernel's version string (`host_kernel_version`).
    pub fn kernel_version(&self) -> Result<String> {
        let mut buf: sys::host_info::kernel_version_t = [0; 512];
        // SAFETY: `buf` is a kernel_version_t.
        KernReturn::result(unsafe {
            sys::mach_host::host_kernel_version(self.port.name(), buf.as_mut_ptr())
        })?;
        buf[buf.len() - 1] = 0;
        // SAFETY: NUL-terminated within `buf`.
        Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned())
    }

    /// The page size, in bytes (`host_page_size`).
    pub fn page_size(&self) -> Result<usize> {
        let mut size = 0;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::mach_init::host_page_size(self.port.name(), &mut size) })?;
        Ok(size)
    }

    /// A clock of the host (`host_get_clock_service`).
    pub fn clock(&self, which: Clock) -> Result<ClockService> {
        let mut p = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::mach_host::host_get_clock_service(self.port.name(), which.raw(), &mut p)
        })?;
        maybe_right(p)
            .map(ClockService::from_port)
            .ok_or(KernReturn::FAILURE)
    }
}

/// `HOST_BASIC_INFO` (`host_basic_info`, packed as in C: copy a field out
/// to borrow it).
pub type HostBasicInfo = sys::host_info::host_basic_info;
/// `HOST_SCHED_INFO`.
pub type HostSchedInfo = sys::host_info::host_sched_info;
/// `HOST_PRIORITY_INFO`.
pub type HostPriorityInfo = sys::host_info::host_priority_info;
/// `HOST_LOAD_INFO`.
pub type HostLoadInfo = sys::host_info::host_load_info;
/// `HOST_CPU_LOAD_INFO`.
pub type HostCpuLoadInfo = sys::host_info::host_cpu_load_info;
/// `HOST_VM_INFO64` (`vm_statistics64`).
pub type VmStatistics64 = sys::vm_statistics::vm_statistics64;
