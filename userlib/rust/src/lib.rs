//! Mach IPC for Rust on Linux: the `mach2` API and a safe layer, over
//! libmach and the machipc kernel module (`/dev/mach`).
//!
//! - [`sys`] is the raw C API with the module layout, names, types and
//!   constants of the [`mach2`](https://docs.rs/mach2) crate: code
//!   written against `mach2` builds against it by changing the crate name.
//! - The crate root is a safe layer. Rights are owned values that release
//!   what they hold when dropped and cannot be used after being moved:
//!   [`ReceiveRight`], [`SendRight`], [`SendOnceRight`], [`PortSet`],
//!   [`DeadName`]. A [`Message`] owns (or borrows) the rights and memory it
//!   sends; a [`ReceivedMessage`] owns the rights and out-of-line memory it
//!   carries and releases what is left in it when dropped, as
//!   `mach_msg_destroy` does. Notifications are typed ([`Notification`]),
//!   timeouts are `Option<Duration>` (`None`: wait as long as it takes),
//!   errors are [`KernReturn`] and [`MachMsgReturn`], which implement
//!   `std::error::Error`. [`Task`], [`Thread`], [`Host`] (with its
//!   [`ClockService`]s) and [`Semaphore`] are handles on kernel objects.
//! - [`PortFd`] makes a port or set pollable; with the `tokio` feature,
//!   [`tokio::AsyncReceiver`] awaits messages next to sockets.
//!
//! A request and its reply, in one process:
//!
//! ```no_run
//! use machipc::{Message, OutPort, ReceiveRight};
//!
//! let service = ReceiveRight::new()?;
//! let client_side = service.make_send()?;
//! let reply_port = ReceiveRight::new()?;
//!
//! // The client asks, with a send-once right for the answer.
//! Message::new(1)
//!     .data(b"ping")
//!     .reply(OutPort::MakeSendOnce(&reply_port))
//!     .send_to(&client_side, None)?;
//!
//! // The server answers through that right, which the reply uses up.
//! let mut request = service.recv(None)?;
//! assert_eq!(request.data(), b"ping");
//! assert_eq!(request.audit_token().pid(), std::process::id() as i32);
//! request.reply(Message::new(2).data(b"pong"))?;
//!
//! let answer = reply_port.recv(None)?;
//! assert_eq!((answer.id(), answer.data()), (2, &b"pong"[..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The examples run in the machipc test guest (`make check`), where the
//! kernel module is loaded; `docs/rust.md` describes both layers.

#![deny(unsafe_op_in_unsafe_fn, missing_docs)]

pub mod sys;

mod clock;
mod error;
mod message;
mod notify;
mod ool;
mod port_fd;
mod right;
mod semaphore;
mod task;
mod thread;
mod timeout;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use clock::{Clock, ClockService};
pub use error::{KernReturn, MachMsgReturn, Result};
pub use message::{
    AuditToken, Descriptor, Message, Ool, OolPorts, OutPort, ReceivedMessage, SendError, Trailer,
};
pub use notify::{request_notification, Notification, NotificationKind};
pub use ool::OolMemory;
pub use port_fd::{
    supported as port_fd_supported, unsupported_reason as port_fd_unsupported_reason, PortFd,
    Readiness,
};
pub use right::{
    port_refs, port_type, task_self, DeadName, Name, PortRight, PortSet, PortStatus, PortType,
    ReceiveRight, RightKind, SendOnceRight, SendRight,
};
pub use semaphore::{Semaphore, SyncPolicy};
pub use task::{
    Host, HostBasicInfo, HostCpuLoadInfo, HostLoadInfo, HostPriorityInfo, HostSchedInfo,
    HostSpecialPort, NameInfo, SecurityToken, Task, TaskBasicInfo, TaskSpecialPort,
    TaskThreadTimes, VmStatistics64,
};
pub use thread::{RunState, Thread, ThreadBasicInfo, ThreadIdentifierInfo, ThreadSpecialPort};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
