// SPDX-License-Identifier: GPL-2.0

//! machipc: Mach IPC for Linux.
//!
//! Registers the misc device `/dev/mach`, whose ioctls implement the Mach IPC
//! kernel. The ABI is `uapi/machipc.h`; `docs/design.md` describes the data
//! structures, locking and lifecycle.
//!
//! Lock order, outermost first (each file documents its own):
//! `task::TASKS` -> `Task::inner` -> `Space::inner` -> `port::TRANSIT` ->
//! `Port::inner` -> `PortSet::inner`; `host::HOST` and `Host::special` are
//! leaves taken with nothing but `TASKS` / `Task::inner` held. All are
//! mutexes: nothing here runs in atomic context, except the process-exit
//! wake-up (`task::exit_wake`), which only queues work.

use kernel::{
    miscdevice::{MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

mod file;
mod host;
mod ipc_right;
mod kmsg;
mod kserver;
mod mach;
mod mach_msg;
mod mqueue;
mod notify;
mod port;
mod port_calls;
mod pset;
mod right;
mod space;
mod task;
mod uapi;

module! {
    type: MachIpcModule,
    name: "machipc",
    authors: ["machipc developers"],
    description: "Mach IPC: ports, rights and mach_msg on /dev/mach",
    license: "GPL",
    params: {
        max_port_names: u32 {
            default: 65536,
            description: "Maximum number of names in one task's IPC space",
        },
        max_msg_size: u32 {
            default: 1048576,
            description: "Maximum inline size of a message in bytes (MACH_SEND_TOO_LARGE beyond)",
        },
        max_ool_size: u32 {
            default: 67108864,
            description: "Maximum out-of-line bytes in one message (MACH_SEND_TOO_LARGE beyond)",
        },
    },
}

/// The per-space name limit (module parameter `max_port_names`).
pub(crate) fn max_port_names() -> u32 {
    module_parameters::max_port_names.value()
}

/// The inline message size limit (module parameter `max_msg_size`).
pub(crate) fn max_msg_size() -> u32 {
    module_parameters::max_msg_size.value()
}

/// The out-of-line bytes limit per message (module parameter `max_ool_size`).
pub(crate) fn max_ool_size() -> u32 {
    module_parameters::max_ool_size.value()
}

#[pin_data(PinnedDrop)]
struct MachIpcModule {
    #[pin]
    _device: MiscDeviceRegistration<file::MachFile>,
}

impl kernel::InPlaceModule for MachIpcModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("Mach IPC, ABI version {}\n", uapi::ABI_VERSION);
        // SAFETY: called once, before the device exists.
        unsafe {
            task::TASKS.init();
            host::HOST.init();
            port::TRANSIT.init();
        }
        let host = host::Host::init();
        try_pin_init!(Self {
            _device <- {
                host?;
                MiscDeviceRegistration::register(MiscDeviceOptions { name: c"mach" })
            },
        })
    }
}

#[pinned_drop]
impl PinnedDrop for MachIpcModule {
    fn drop(self: Pin<&mut Self>) {
        // Every file is closed (the module cannot be removed while one is
        // open), so every task is gone: only the host remains. The
        // registry's (empty) vector is freed too.
        host::Host::exit();
        drop(core::mem::take(&mut *task::TASKS.lock()));
    }
}
