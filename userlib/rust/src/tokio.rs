//! Receiving with tokio (feature `tokio`): an [`AsyncReceiver`] awaits
//! messages on a port or port set through its pollable descriptor
//! ([`PortFd`]), so one task can wait on Mach messages and
//! sockets together (`tokio::select!`).
//!
//! Sends need no async form in the usual server: replies go through
//! send-once rights, whose messages bypass the queue limit and never wait;
//! a send to a full queue with `Some(Duration::ZERO)` fails at once with
//! `MACH_SEND_TIMED_OUT` (the message comes back in the error). For a send
//! that must wait, use `tokio::task::spawn_blocking`.
//!
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! use machipc::{tokio::AsyncReceiver, PortSet, ReceiveRight};
//! let set = PortSet::new()?;
//! let port = ReceiveRight::new()?;
//! set.insert(&port)?;
//! let rx = AsyncReceiver::new(set)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! loop {
//!     tokio::select! {
//!         msg = rx.recv() => println!("message {}", msg?.id()),
//!         conn = listener.accept() => println!("connection from {}", conn?.1),
//!     }
//! }
//! # }
//! ```

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use crate::error::MachMsgReturn;
use crate::message::{receive, ReceivedMessage};
use crate::port_fd::PortFd;
use crate::right::{Name, PortSet, ReceiveRight};

/// What an [`AsyncReceiver`] receives from: a receive right or a port set.
pub trait Receive {
    /// The name to receive from.
    fn receive_name(&self) -> Name;
}

impl Receive for ReceiveRight {
    fn receive_name(&self) -> Name {
        self.name()
    }
}

impl Receive for PortSet {
    fn receive_name(&self) -> Name {
        self.name()
    }
}

/// A port or port set registered with the tokio reactor.
#[derive(Debug)]
pub struct AsyncReceiver<R: Receive> {
    fd: AsyncFd<PortFd>,
    inner: R,
}

impl<R: Receive> AsyncReceiver<R> {
    /// Registers `inner`'s descriptor with the current tokio runtime
    /// (call it within one). Fails with `ErrorKind::Unsupported` when the
    /// kernel module has no pollable ports.
    pub fn new(inner: R) -> io::Result<AsyncReceiver<R>> {
        let fd = PortFd::new(inner.receive_name())?;
        // SAFETY: a PortFd owns its descriptor, which stays open until the
        // PortFd is dropped, and `as_raw_fd` always returns it.
        let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }
            .map_err(|e| e.into_parts().1)?;
        Ok(AsyncReceiver { fd, inner })
    }

    /// The next message. Errors: the port or set is gone
    /// (`MACH_RCV_INVALID_NAME` / `MACH_RCV_PORT_DIED`, as
    /// `ErrorKind::BrokenPipe`), or another receive error.
    pub async fn recv(&self) -> io::Result<ReceivedMessage> {
        loop {
            let mut guard = self.fd.readable().await?;
            match receive(self.inner.receive_name(), Some(Duration::ZERO)) {
                Ok(m) => return Ok(m),
                // Another receiver was first: wait for the next message.
                Err(MachMsgReturn::RCV_TIMED_OUT) => guard.clear_ready(),
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Polls for the next message (for hand-written futures and streams).
    pub fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReceivedMessage>> {
        loop {
            let mut guard = match self.fd.poll_read_ready(cx) {
                Poll::Ready(Ok(g)) => g,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            };
            match receive(self.inner.receive_name(), Some(Duration::ZERO)) {
                Ok(m) => return Poll::Ready(Ok(m)),
                Err(MachMsgReturn::RCV_TIMED_OUT) => guard.clear_ready(),
                Err(e) => return Poll::Ready(Err(e.into())),
            }
        }
    }

    /// The port or set.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// Deregisters and gives the port or set back.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Receive> AsRawFd for AsyncReceiver<R> {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
