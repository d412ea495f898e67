//! Safe Rust wrappers for Mach IPC on Linux.
//!
//! Built on libmach (`userlib/`), which talks to the machipc kernel module
//! through `/dev/mach`. Rights are owned values: a [`ReceiveRight`] is
//! destroyed and a [`SendRight`] or [`SendOnceRight`] deallocated when
//! dropped, so a right is never leaked or released twice. Errors are the
//! Mach return codes ([`KernReturn`]).
//!
//! ```no_run
//! use machipc::{ReceiveRight, Timeout};
//! let port = ReceiveRight::new()?;
//! let send = port.make_send()?;
//! send.send(7, b"hello", Timeout::Never)?;
//! let msg = port.receive(64, Timeout::Never)?;
//! assert_eq!((msg.id, &msg.body[..5]), (7, &b"hello"[..]));
//! # Ok::<(), machipc::KernReturn>(())
//! ```

#![deny(unsafe_op_in_unsafe_fn, missing_docs)]

mod sys;

use std::ffi::CStr;
use std::fmt;
use std::time::Duration;

pub use sys::Name;

/// A Mach return code (`kern_return_t` / `mach_msg_return_t`) other than
/// success.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KernReturn(pub i32);

/// `MACH_RCV_TIMED_OUT`.
pub const MACH_RCV_TIMED_OUT: KernReturn = KernReturn(0x1000_4003);
/// `MACH_SEND_TIMED_OUT`.
pub const MACH_SEND_TIMED_OUT: KernReturn = KernReturn(0x1000_0004);
/// `MACH_SEND_INVALID_DEST`.
pub const MACH_SEND_INVALID_DEST: KernReturn = KernReturn(0x1000_0003);
/// `KERN_INVALID_NAME`: the name denotes no right.
pub const KERN_INVALID_NAME: KernReturn = KernReturn(15);

impl KernReturn {
    /// `mach_error_string()` of the code.
    pub fn message(&self) -> String {
        // SAFETY: mach_error_string returns a pointer to a static,
        // NUL-terminated string for every code.
        unsafe { CStr::from_ptr(sys::mach_error_string(self.0)) }
            .to_string_lossy()
            .into_owned()
    }
}

impl fmt::Debug for KernReturn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KernReturn({:#x}: {})", self.0, self.message())
    }
}

impl fmt::Display for KernReturn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:#x})", self.message(), self.0)
    }
}

impl std::error::Error for KernReturn {}

/// The result of a Mach call.
pub type Result<T> = std::result::Result<T, KernReturn>;

fn check(kr: sys::Kr) -> Result<()> {
    if kr == 0 {
        Ok(())
    } else {
        Err(KernReturn(kr))
    }
}

/// The calling process's task port name (`mach_task_self()`).
pub fn task_self() -> Name {
    // SAFETY: set by libmach's constructor before main and in a forked
    // child's fork handler; a plain integer read.
    unsafe { sys::mach_task_self_ }
}

/// A kind of right (`mach_port_right_t`), as [`port_refs`] counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Right {
    /// `MACH_PORT_RIGHT_SEND`.
    Send,
    /// `MACH_PORT_RIGHT_RECEIVE`.
    Receive,
    /// `MACH_PORT_RIGHT_SEND_ONCE`.
    SendOnce,
    /// `MACH_PORT_RIGHT_PORT_SET`.
    PortSet,
    /// `MACH_PORT_RIGHT_DEAD_NAME`.
    DeadName,
}

impl Right {
    fn raw(self) -> u32 {
        match self {
            Right::Send => sys::MACH_PORT_RIGHT_SEND,
            Right::Receive => sys::MACH_PORT_RIGHT_RECEIVE,
            Right::SendOnce => sys::MACH_PORT_RIGHT_SEND_ONCE,
            Right::PortSet => sys::MACH_PORT_RIGHT_PORT_SET,
            Right::DeadName => sys::MACH_PORT_RIGHT_DEAD_NAME,
        }
    }

    /// The `mach_port_type_t` bit of this right (`MACH_PORT_TYPE(right)`).
    pub fn type_bit(self) -> u32 {
        1 << (self.raw() + 16)
    }
}

/// What our space holds under `name`, as the kernel reports it
/// (`mach_port_type`): a set of [`Right::type_bit`] bits.
pub fn port_type(name: Name) -> Result<u32> {
    let mut ty = 0;
    // SAFETY: valid out pointer.
    check(unsafe { sys::mach_port_type(task_self(), name, &mut ty) })?;
    Ok(ty)
}

/// The user references of `right` under `name` in our space, as the kernel
/// counts them (`mach_port_get_refs`; 0 if the name holds no such right).
pub fn port_refs(name: Name, right: Right) -> Result<u32> {
    let mut refs = 0;
    // SAFETY: valid out pointer.
    check(unsafe { sys::mach_port_get_refs(task_self(), name, right.raw(), &mut refs) })?;
    Ok(refs)
}

/// How long a send or receive may wait.
#[derive(Clone, Copy, Debug)]
pub enum Timeout {
    /// Wait as long as it takes.
    Never,
    /// Give up after this long (zero: do not wait at all).
    After(Duration),
}

impl Timeout {
    fn option(self, flag: i32) -> (i32, u32) {
        match self {
            Timeout::Never => (0, 0),
            Timeout::After(d) => (flag, u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
        }
    }
}

/// A receive right in our space; destroyed on drop (the port dies, and
/// every send right to it becomes a dead name).
#[derive(Debug)]
pub struct ReceiveRight {
    name: Name,
}

impl ReceiveRight {
    /// A new port (`mach_port_allocate(MACH_PORT_RIGHT_RECEIVE)`).
    pub fn new() -> Result<ReceiveRight> {
        let mut name = 0;
        // SAFETY: `name` is a valid out pointer.
        check(unsafe {
            sys::mach_port_allocate(task_self(), sys::MACH_PORT_RIGHT_RECEIVE, &mut name)
        })?;
        Ok(ReceiveRight { name })
    }

    /// The name of the right in our space.
    pub fn name(&self) -> Name {
        self.name
    }

    /// A send right to the port, under the same name (one more uref).
    pub fn make_send(&self) -> Result<SendRight> {
        // SAFETY: plain call with names.
        check(unsafe {
            sys::mach_port_insert_right(
                task_self(),
                self.name,
                self.name,
                sys::MACH_MSG_TYPE_MAKE_SEND,
            )
        })?;
        Ok(SendRight { name: self.name })
    }

    /// A send-once right to the port, under a new name.
    pub fn make_send_once(&self) -> Result<SendOnceRight> {
        let (mut name, mut ty) = (0, 0);
        // SAFETY: valid out pointers.
        check(unsafe {
            sys::mach_port_extract_right(
                task_self(),
                self.name,
                sys::MACH_MSG_TYPE_MAKE_SEND_ONCE,
                &mut name,
                &mut ty,
            )
        })?;
        Ok(SendOnceRight { name })
    }

    /// `mach_port_get_attributes(MACH_PORT_RECEIVE_STATUS)`.
    pub fn status(&self) -> Result<PortStatus> {
        let mut st = sys::PortStatus::default();
        let mut count = sys::MACH_PORT_RECEIVE_STATUS_COUNT;
        // SAFETY: `st` has room for RECEIVE_STATUS_COUNT natural_t.
        check(unsafe {
            sys::mach_port_get_attributes(
                task_self(),
                self.name,
                sys::MACH_PORT_RECEIVE_STATUS,
                (&mut st as *mut sys::PortStatus).cast(),
                &mut count,
            )
        })?;
        Ok(PortStatus {
            seqno: st.seqno,
            mscount: st.mscount,
            qlimit: st.qlimit,
            msgcount: st.msgcount,
            sorights: st.sorights,
            has_senders: st.srights != 0,
        })
    }

    /// Receives the next message, with room for `max_body` body bytes.
    pub fn receive(&self, max_body: usize, timeout: Timeout) -> Result<Message> {
        const HDR: usize = std::mem::size_of::<sys::Header>();
        const AUDIT_TRAILER: usize = 52;
        let words = (HDR + max_body + AUDIT_TRAILER).div_ceil(4);
        let mut buf = vec![0u32; words];
        let (flag, ms) = timeout.option(sys::MACH_RCV_TIMEOUT);
        let size = (words * 4) as u32;
        // SAFETY: `buf` is a 4-byte aligned buffer of `size` bytes.
        check(unsafe {
            sys::mach_msg(
                buf.as_mut_ptr().cast(),
                sys::MACH_RCV_MSG | sys::MACH_RCV_TRAILER_AUDIT | flag,
                0,
                size,
                self.name,
                ms,
                sys::MACH_PORT_NULL,
            )
        })?;
        let bytes: Vec<u8> = buf.iter().flat_map(|w| w.to_ne_bytes()).collect();
        let word = |off: usize| {
            u32::from_ne_bytes([bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]])
        };
        let msg_size = word(4) as usize;
        let trailer = msg_size;
        let reply = word(8);
        Ok(Message {
            id: word(20) as i32,
            body: bytes[HDR..msg_size].to_vec(),
            seqno: word(trailer + 8),
            sender_uid: word(trailer + 20 + 4),
            sender_pid: word(trailer + 20 + 20),
            reply: (reply != sys::MACH_PORT_NULL).then_some(SendOnceRight { name: reply }),
        })
    }
}

impl Drop for ReceiveRight {
    fn drop(&mut self) {
        // SAFETY: plain call; we own the receive right under `name`.
        unsafe {
            sys::mach_port_mod_refs(task_self(), self.name, sys::MACH_PORT_RIGHT_RECEIVE, -1)
        };
    }
}

/// What `mach_port_get_attributes(MACH_PORT_RECEIVE_STATUS)` tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortStatus {
    /// Next sequence number.
    pub seqno: u32,
    /// Make-send count.
    pub mscount: u32,
    /// Queue limit.
    pub qlimit: u32,
    /// Queued messages.
    pub msgcount: u32,
    /// Send-once rights in existence.
    pub sorights: u32,
    /// Whether send rights exist.
    pub has_senders: bool,
}

fn send_raw(
    dest: Name,
    disposition: u32,
    reply: Option<&ReceiveRight>,
    id: i32,
    body: &[u8],
    timeout: Timeout,
) -> Result<()> {
    const HDR: usize = std::mem::size_of::<sys::Header>();
    let size = HDR + body.len().div_ceil(4) * 4;
    let mut buf = vec![0u32; size / 4];
    let (bits, local) = match reply {
        Some(r) => (
            disposition | (sys::MACH_MSG_TYPE_MAKE_SEND_ONCE << 8),
            r.name,
        ),
        None => (disposition, sys::MACH_PORT_NULL),
    };
    let header = sys::Header {
        bits,
        size: size as u32,
        remote: dest,
        local,
        voucher: 0,
        id,
    };
    let mut bytes = Vec::with_capacity(size);
    for v in [
        header.bits,
        header.size,
        header.remote,
        header.local,
        header.voucher,
        header.id as u32,
    ] {
        bytes.extend_from_slice(&v.to_ne_bytes());
    }
    bytes.extend_from_slice(body);
    bytes.resize(size, 0);
    for (w, c) in buf.iter_mut().zip(bytes.chunks_exact(4)) {
        *w = u32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
    }
    let (flag, ms) = timeout.option(sys::MACH_SEND_TIMEOUT);
    // SAFETY: `buf` holds a complete message of `size` bytes, 4-byte aligned.
    check(unsafe {
        sys::mach_msg(
            buf.as_mut_ptr().cast(),
            sys::MACH_SEND_MSG | flag,
            size as u32,
            0,
            sys::MACH_PORT_NULL,
            ms,
            sys::MACH_PORT_NULL,
        )
    })
}

/// A send right (one user reference) in our space; deallocated on drop.
#[derive(Debug)]
pub struct SendRight {
    name: Name,
}

impl SendRight {
    /// Takes over a send right we hold under `name` (one uref).
    ///
    /// # Safety
    ///
    /// The caller owns that uref and gives it up to the returned value.
    pub unsafe fn from_name(name: Name) -> SendRight {
        SendRight { name }
    }

    /// The name of the right in our space.
    pub fn name(&self) -> Name {
        self.name
    }

    /// The user references of the send right under this name.
    pub fn urefs(&self) -> Result<u32> {
        let mut refs = 0;
        // SAFETY: valid out pointer.
        check(unsafe {
            sys::mach_port_get_refs(task_self(), self.name, sys::MACH_PORT_RIGHT_SEND, &mut refs)
        })?;
        Ok(refs)
    }

    /// Sends a message with `id` and `body` (`COPY_SEND`: the right stays).
    pub fn send(&self, id: i32, body: &[u8], timeout: Timeout) -> Result<()> {
        send_raw(
            self.name,
            sys::MACH_MSG_TYPE_COPY_SEND,
            None,
            id,
            body,
            timeout,
        )
    }

    /// Sends a request whose reply goes to `reply` (as a send-once right).
    pub fn send_request(
        &self,
        id: i32,
        body: &[u8],
        reply: &ReceiveRight,
        timeout: Timeout,
    ) -> Result<()> {
        send_raw(
            self.name,
            sys::MACH_MSG_TYPE_COPY_SEND,
            Some(reply),
            id,
            body,
            timeout,
        )
    }

    /// Another uref of the same right (`mach_port_mod_refs(+1)`).
    pub fn try_clone(&self) -> Result<SendRight> {
        // SAFETY: plain call with names.
        check(unsafe {
            sys::mach_port_mod_refs(task_self(), self.name, sys::MACH_PORT_RIGHT_SEND, 1)
        })?;
        Ok(SendRight { name: self.name })
    }
}

impl Drop for SendRight {
    fn drop(&mut self) {
        // SAFETY: plain call; we own one uref under `name`.
        unsafe { sys::mach_port_deallocate(task_self(), self.name) };
    }
}

/// A send-once right in our space (e.g. a reply right); used up by
/// [`reply`](SendOnceRight::reply), else destroyed on drop (its port gets
/// a send-once notification).
#[derive(Debug)]
pub struct SendOnceRight {
    name: Name,
}

impl SendOnceRight {
    /// The name of the right in our space.
    pub fn name(&self) -> Name {
        self.name
    }

    /// Sends the reply (`MOVE_SEND_ONCE`), using the right up.
    pub fn reply(self, id: i32, body: &[u8]) -> Result<()> {
        let name = self.name;
        let r = send_raw(
            name,
            sys::MACH_MSG_TYPE_MOVE_SEND_ONCE,
            None,
            id,
            body,
            Timeout::Never,
        );
        if r.is_ok() {
            std::mem::forget(self);
        }
        r
    }
}

impl Drop for SendOnceRight {
    fn drop(&mut self) {
        // SAFETY: plain call; we own the send-once right under `name`.
        unsafe { sys::mach_port_deallocate(task_self(), self.name) };
    }
}

/// A received message (inline data only).
#[derive(Debug)]
pub struct Message {
    /// `msgh_id`.
    pub id: i32,
    /// The bytes after the header.
    pub body: Vec<u8>,
    /// The message's sequence number on its port.
    pub seqno: u32,
    /// The sender's effective uid, from the kernel's audit token.
    pub sender_uid: u32,
    /// The sender's pid, from the kernel's audit token.
    pub sender_pid: u32,
    /// The reply right the sender attached, if any.
    pub reply: Option<SendOnceRight>,
}
