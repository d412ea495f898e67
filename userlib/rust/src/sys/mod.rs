//! The raw C API of libmach, with the module layout, names, types and
//! constants of the [`mach2`](https://docs.rs/mach2) crate.
//!
//! Code written against `mach2` builds against this module by changing
//! the crate name:
//!
//! ```no_run
//! use machipc::sys as mach2; // was: extern crate mach2
//! use mach2::kern_return::KERN_SUCCESS;
//! use mach2::mach_port::{mach_port_allocate, mach_port_mod_refs};
//! use mach2::port::{mach_port_t, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE};
//! use mach2::traps::mach_task_self;
//!
//! unsafe {
//!     let mut port: mach_port_t = MACH_PORT_NULL;
//!     let kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mut port);
//!     assert_eq!(kr, KERN_SUCCESS);
//!     mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
//! }
//! ```
//!
//! Every item here is what libmach's headers (`userlib/include`) declare
//! under the same name, with the same type, value and layout; the
//! `abi-check` crate next to this one checks each of them against the
//! headers with the C compiler, and that every function links. Items of
//! `mach2` that libmach does not provide are absent rather than stubbed
//! (see `docs/rust.md` for the list); items libmach has that `mach2` lacks
//! (port status and type bits, trailers beyond the audit trailer,
//! `mach_msg_overwrite`, the `mach_port_*` calls `mach2` leaves out, host
//! special ports and host information, thread information, processors,
//! the machipc extensions) are added under their C names.
//!
//! All functions are `unsafe`: they take raw names and pointers, and a
//! name is only an integer (nothing stops it from denoting another right
//! than the caller thinks). The safe layer is the crate root.

#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]
#![allow(missing_docs, clippy::missing_safety_doc)]

pub mod boolean;
pub mod bootstrap;
pub mod clock;
pub mod clock_types;
pub mod error;
pub mod exception_types;
pub mod host_info;
pub mod host_priv;
pub mod host_special_ports;
pub mod kern_return;
pub mod mach_debug;
pub mod mach_error;
pub mod mach_host;
pub mod mach_init;
pub mod mach_param;
pub mod mach_port;
pub mod mach_time;
pub mod mach_types;
pub mod machine;
pub mod machipc;
pub mod message;
pub mod mig;
pub mod mig_errors;
pub mod ndr;
pub mod notify;
pub mod policy;
pub mod port;
pub mod processor;
pub mod processor_info;
pub mod processor_set;
pub mod semaphore;
pub mod sync_policy;
pub mod task;
pub mod task_info;
pub mod task_special_ports;
pub mod thread_act;
pub mod thread_info;
pub mod thread_special_ports;
pub mod thread_status;
pub mod time_value;
pub mod traps;
pub mod vm;
pub mod vm_page_size;
pub mod vm_statistics;
pub mod vm_types;
