// SPDX-License-Identifier: GPL-2.0

//! The ioctl ABI, mirrored from `uapi/machipc.h`.
//!
//! The header is the single source of truth: the build generates
//! `uapi_generated.rs` from it with bindgen, and every mirror struct here is
//! checked at compile time to have the size, alignment and field offsets of
//! its generated twin, so the two cannot drift.

use kernel::{
    ioctl::_IOWR,
    transmute::{AsBytes, FromBytes},
};

#[allow(
    dead_code,
    non_camel_case_types,
    non_upper_case_globals,
    unreachable_pub,
    clippy::all,
    clippy::pedantic,
    clippy::undocumented_unsafe_blocks
)]
mod generated {
    include!(env!("MACHIPC_UAPI_RS"));
}

/// Declares that `$mine` mirrors the generated `$c` and checks it: same size,
/// same alignment, and each listed field at the same offset. Also marks the
/// mirror as plain data that can be copied to and from user space.
macro_rules! mirror {
    ($mine:ty => $c:ty { $($field:ident),* $(,)? }) => {
        const _: () = {
            assert!(core::mem::size_of::<$mine>() == core::mem::size_of::<$c>());
            assert!(core::mem::align_of::<$mine>() == core::mem::align_of::<$c>());
            $(assert!(
                core::mem::offset_of!($mine, $field) == core::mem::offset_of!($c, $field)
            );)*
        };
        // SAFETY: the mirror is `repr(C)`, built only of integers and arrays of integers
        // laid out without padding (checked above against the C header), so every bit
        // pattern is a valid value and every byte is initialised.
        unsafe impl FromBytes for $mine {}
        // SAFETY: as above: no padding, no pointers, no interior mutability.
        unsafe impl AsBytes for $mine {}
    };
}

/// The ABI version this module implements.
pub(crate) const ABI_VERSION: u32 = generated::MACHIPC_ABI_VERSION;

const MAGIC: u32 = generated::MACHIPC_IOC_MAGIC;

/// `struct machipc_version`.
#[repr(C)]
#[derive(Default)]
pub(crate) struct Version {
    pub(crate) abi_version: u32,
    pub(crate) compatible: u32,
    pub(crate) reserved: [u64; 2],
}
mirror!(Version => generated::machipc_version { abi_version, compatible, reserved });

/// `MACHIPC_IOC_VERSION`.
pub(crate) const IOC_VERSION: u32 = _IOWR::<Version>(MAGIC, generated::MACHIPC_IOC_NR_VERSION);
