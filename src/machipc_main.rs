// SPDX-License-Identifier: GPL-2.0

//! machipc: Mach IPC for Linux.
//!
//! Registers the misc device `/dev/mach`, whose ioctls implement the Mach
//! IPC kernel, and the statistics in debugfs. The ABI is
//! `uapi/machipc.h`; `docs/design.md` describes the layering of the files,
//! the data structures, locking and lifecycle.
//!
//! Lock order, outermost first (each file documents its own):
//! `task::TASKS` -> `Task::inner` -> `Thread::inner` -> `Space::inner` ->
//! `port::TRANSIT` -> `Port::inner` -> `PortSet::inner` ->
//! `RequestTable::inner` -> a waiter's state; `Semaphore::inner` -> a
//! waiter's state. `host::HOST`, the host's locks and `limits::ACCOUNTS`
//! are leaves. The waiter state and semaphore locks are spinlocks; nothing
//! is allocated or slept on under them.

use kernel::{
    debugfs,
    miscdevice::{MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

mod convert;
mod deferred;
mod exception;
mod file;
mod glue;
mod host;
mod host_info;
mod host_server;
mod ipc_kobject;
mod ipc_object;
mod ipc_right;
mod ipc_space;
mod ipc_sync;
mod kmsg;
mod kmsg_copyin;
mod kmsg_copyout;
mod kserver;
mod limits;
mod mach;
mod mach_msg;
mod mig;
mod mqueue;
mod notify;
mod outbox;
mod pollfd;
mod port;
mod port_attributes;
mod port_calls;
mod port_request;
mod process;
mod pset;
mod right;
mod semaphore;
mod space;
mod space_info;
mod special;
mod stats;
mod task;
mod task_calls;
mod task_info;
mod task_server;
mod thread;
mod uapi;
mod waitq;

module! {
    type: MachIpcModule,
    name: "machipc",
    authors: ["machipc developers"],
    description: "Mach IPC: ports, rights and mach_msg on /dev/mach",
    license: "GPL",
    params: {
        max_port_names: u32 {
            default: 65536,
            description: "Maximum number of names in one task's IPC space (KERN_NO_SPACE beyond)",
        },
        max_msg_size: u32 {
            default: 1048576,
            description: "Maximum inline size of a message in bytes (MACH_SEND_TOO_LARGE beyond)",
        },
        max_ool_size: u32 {
            default: 67108864,
            description: "Maximum out-of-line bytes in one message (MACH_SEND_TOO_LARGE beyond)",
        },
        max_msg_descriptors: u32 {
            default: 16382,
            description: "Maximum descriptors in one message (MACH_SEND_TOO_LARGE beyond)",
        },
        max_msg_rights: u32 {
            default: 16382,
            description: "Maximum port rights in one message's body (MACH_SEND_TOO_LARGE beyond)",
        },
        max_user_ports: u32 {
            default: 32768,
            description: "Ports, port sets and semaphores one user may have",
        },
        max_user_kmsgs: u32 {
            default: 131072,
            description: "Messages one user may have queued or in flight",
        },
        max_user_kmsg_mbytes: u32 {
            default: 128,
            description: "MiB of messages (inline and out-of-line) one user may have queued",
        },
        max_user_requests: u32 {
            default: 131072,
            description: "Request-table slots and port-set memberships one user may have",
        },
        max_ports: u32 {
            default: 262144,
            description: "Ports, port sets and semaphores of all users",
        },
        max_kmsgs: u32 {
            default: 524288,
            description: "Messages of all users",
        },
        max_kmsg_mbytes: u32 {
            default: 512,
            description: "MiB of messages of all users",
        },
        max_requests: u32 {
            default: 524288,
            description: "Request-table slots and port-set memberships of all users",
        },
        rcv_spin_us: u32 {
            default: 0,
            description: "Microseconds a blocking receive polls before it sleeps while its CPU has nothing else to run (0: never; at most 1000; root can change it in debugfs machipc/rcv_spin_us)",
        },
    },
}

/// The host, torn down when dropped (module exit, or a failed init).
struct HostGuard;

impl HostGuard {
    fn new() -> Result<HostGuard> {
        host::Host::init()?;
        Ok(HostGuard)
    }
}

impl Drop for HostGuard {
    fn drop(&mut self) {
        let mut out = outbox::Outbox::new();
        host::Host::exit(&mut out);
        deferred::flush(&mut out);
    }
}

#[pin_data(PinnedDrop)]
struct MachIpcModule {
    /// First made, first dropped: every file is closed by then.
    _host: HostGuard,
    #[pin]
    _device: MiscDeviceRegistration<file::MachFile>,
    #[pin]
    _stats: debugfs::File<()>,
    #[pin]
    _rcv_spin: debugfs::File<()>,
    _debugfs: debugfs::Dir,
}

impl kernel::InPlaceModule for MachIpcModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("Mach IPC, ABI version {}\n", uapi::ABI_VERSION);
        // SAFETY: called once, before the device exists.
        unsafe {
            task::TASKS.init();
            host::HOST.init();
            port::TRANSIT.init();
            limits::ACCOUNTS.init();
        }
        limits::set_rcv_spin_us(module_parameters::rcv_spin_us.value());
        let dir = debugfs::Dir::new(c"machipc");
        try_pin_init!(Self {
            _host: HostGuard::new()?,
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"mach" }),
            _stats <- dir.read_callback_file(c"stats", (), &|(): &(), f| {
                stats::write(f)?;
                limits::write_budgets(f)
            }),
            _rcv_spin <- dir.read_write_callback_file(
                c"rcv_spin_us",
                (),
                &|(): &(), f| writeln!(f, "{}", limits::rcv_spin_us()),
                &|(): &(), r| limits::write_rcv_spin_us(r),
            ),
            _debugfs: dir,
        })
    }
}

#[pinned_drop]
impl PinnedDrop for MachIpcModule {
    fn drop(self: Pin<&mut Self>) {
        // Every file is closed (the module cannot be removed while one is
        // open), so every task is gone. The registry's (empty) vector and
        // the accounts are freed; the host goes with `_host`.
        drop(core::mem::take(&mut *task::TASKS.lock()));
        drop(core::mem::take(&mut *limits::ACCOUNTS.lock()));
    }
}
