// SPDX-License-Identifier: GPL-2.0

//! machipc: Mach IPC for Linux.
//!
//! Registers the misc device `/dev/mach`, whose ioctls implement the Mach IPC
//! kernel. The ABI is `uapi/machipc.h`; `docs/design.md` describes the data
//! structures, locking and lifecycle.

use kernel::{
    miscdevice::{MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

mod file;
mod uapi;

module! {
    type: MachIpcModule,
    name: "machipc",
    authors: ["machipc developers"],
    description: "Mach IPC: ports, rights and mach_msg on /dev/mach",
    license: "GPL",
}

#[pin_data]
struct MachIpcModule {
    #[pin]
    _device: MiscDeviceRegistration<file::MachFile>,
}

impl kernel::InPlaceModule for MachIpcModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("Mach IPC, ABI version {}\n", uapi::ABI_VERSION);
        try_pin_init!(Self {
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"mach" }),
        })
    }
}
