//! Messages: a builder that owns (or borrows) what it sends, and a
//! received message that owns what it carries.

use std::fmt;
use std::io;
use std::mem::size_of;
use std::time::Duration;

use crate::error::MachMsgReturn;
use crate::ool::OolMemory;
use crate::right::{Name, PortRight, PortSet, ReceiveRight, SendOnceRight, SendRight};
use crate::sys;
use crate::sys::message::*;
use crate::sys::port::MACH_PORT_NULL;
use crate::timeout::Deadline;

const HEADER: usize = size_of::<mach_msg_header_t>();
const BODY: usize = size_of::<mach_msg_body_t>();
const PORT_DESC: usize = size_of::<mach_msg_port_descriptor_t>();
const OOL_DESC: usize = size_of::<mach_msg_ool_descriptor_t>();
const OOL_PORTS_DESC: usize = size_of::<mach_msg_ool_ports_descriptor_t>();
const GUARDED_DESC: usize = size_of::<mach_msg_guarded_port_descriptor_t>();
/// The trailer every receive asks for: sequence number, sender, audit
/// token and the port's context.
const TRAILER: usize = size_of::<mach_msg_context_trailer_t>();
const RCV_TRAILER: mach_msg_option_t = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0)
    | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX);
/// The first receive buffer (grown with `MACH_RCV_LARGE` as needed).
const FIRST_RECEIVE: usize = 1024;

/// A right a message carries, with the disposition that says how: moved
/// out of our space (the value is consumed), copied or made from one we
/// keep (borrowed for the message's lifetime).
#[derive(Debug)]
pub enum OutPort<'a> {
    /// `MACH_MSG_TYPE_MOVE_RECEIVE`: the receive right leaves our space.
    MoveReceive(ReceiveRight),
    /// `MACH_MSG_TYPE_MOVE_SEND`: this user reference leaves our space.
    MoveSend(SendRight),
    /// `MACH_MSG_TYPE_MOVE_SEND_ONCE`: the send-once right leaves.
    MoveSendOnce(SendOnceRight),
    /// `MACH_MSG_TYPE_COPY_SEND`: a new send right, ours stays.
    CopySend(&'a SendRight),
    /// `MACH_MSG_TYPE_MAKE_SEND`: a new send right made from our receive
    /// right.
    MakeSend(&'a ReceiveRight),
    /// `MACH_MSG_TYPE_MAKE_SEND_ONCE`: a new send-once right made from our
    /// receive right (the usual reply port).
    MakeSendOnce(&'a ReceiveRight),
}

impl OutPort<'_> {
    fn name(&self) -> Name {
        match self {
            OutPort::MoveReceive(r) => r.name(),
            OutPort::MoveSend(r) => r.name(),
            OutPort::MoveSendOnce(r) => r.name(),
            OutPort::CopySend(r) => r.name(),
            OutPort::MakeSend(r) | OutPort::MakeSendOnce(r) => r.name(),
        }
    }

    fn disposition(&self) -> mach_msg_type_name_t {
        match self {
            OutPort::MoveReceive(_) => MACH_MSG_TYPE_MOVE_RECEIVE,
            OutPort::MoveSend(_) => MACH_MSG_TYPE_MOVE_SEND,
            OutPort::MoveSendOnce(_) => MACH_MSG_TYPE_MOVE_SEND_ONCE,
            OutPort::CopySend(_) => MACH_MSG_TYPE_COPY_SEND,
            OutPort::MakeSend(_) => MACH_MSG_TYPE_MAKE_SEND,
            OutPort::MakeSendOnce(_) => MACH_MSG_TYPE_MAKE_SEND_ONCE,
        }
    }

    /// The kernel took the right: forget the value without releasing it.
    fn consumed(self) {
        match self {
            OutPort::MoveReceive(r) => {
                r.into_raw();
            }
            OutPort::MoveSend(r) => {
                r.into_raw();
            }
            OutPort::MoveSendOnce(r) => {
                r.into_raw();
            }
            OutPort::CopySend(_) | OutPort::MakeSend(_) | OutPort::MakeSendOnce(_) => {}
        }
    }
}

/// Out-of-line memory a message carries.
#[derive(Debug)]
pub enum Ool<'a> {
    /// The kernel copies the bytes; ours stay (deallocate flag off).
    Copy(&'a [u8]),
    /// The region leaves our address space with the message
    /// (deallocate flag on).
    Move(OolMemory),
}

/// An out-of-line array of rights, all with one disposition.
#[derive(Debug)]
pub enum OolPorts<'a> {
    /// `MACH_MSG_TYPE_MOVE_RECEIVE` of each.
    MoveReceive(Vec<ReceiveRight>),
    /// `MACH_MSG_TYPE_MOVE_SEND` of each.
    MoveSend(Vec<SendRight>),
    /// `MACH_MSG_TYPE_MOVE_SEND_ONCE` of each.
    MoveSendOnce(Vec<SendOnceRight>),
    /// `MACH_MSG_TYPE_COPY_SEND` of each.
    CopySend(Vec<&'a SendRight>),
    /// `MACH_MSG_TYPE_MAKE_SEND` from each.
    MakeSend(Vec<&'a ReceiveRight>),
    /// `MACH_MSG_TYPE_MAKE_SEND_ONCE` from each.
    MakeSendOnce(Vec<&'a ReceiveRight>),
}

impl OolPorts<'_> {
    fn names(&self) -> (Vec<Name>, mach_msg_type_name_t) {
        match self {
            OolPorts::MoveReceive(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_MOVE_RECEIVE,
            ),
            OolPorts::MoveSend(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_MOVE_SEND,
            ),
            OolPorts::MoveSendOnce(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_MOVE_SEND_ONCE,
            ),
            OolPorts::CopySend(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_COPY_SEND,
            ),
            OolPorts::MakeSend(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_MAKE_SEND,
            ),
            OolPorts::MakeSendOnce(v) => (
                v.iter().map(|r| r.name()).collect(),
                MACH_MSG_TYPE_MAKE_SEND_ONCE,
            ),
        }
    }

    fn consumed(self) {
        match self {
            OolPorts::MoveReceive(v) => v.into_iter().for_each(|r| {
                r.into_raw();
            }),
            OolPorts::MoveSend(v) => v.into_iter().for_each(|r| {
                r.into_raw();
            }),
            OolPorts::MoveSendOnce(v) => v.into_iter().for_each(|r| {
                r.into_raw();
            }),
            OolPorts::CopySend(_) | OolPorts::MakeSend(_) | OolPorts::MakeSendOnce(_) => {}
        }
    }
}

#[derive(Debug)]
enum OutDescriptor<'a> {
    Port(OutPort<'a>),
    Ool(Ool<'a>),
    OolPorts(OolPorts<'a>),
}

/// A message to send: an id, inline data, an optional reply port and
/// descriptors (port rights, out-of-line memory, out-of-line port arrays).
/// It owns the rights and memory it moves; sending consumes it.
///
/// ```no_run
/// use machipc::{Message, Ool, OutPort, ReceiveRight};
/// let server = ReceiveRight::new()?;
/// let to_server = server.make_send()?;
/// let reply = ReceiveRight::new()?;
/// let mailbox = ReceiveRight::new()?;
/// Message::new(100)
///     .data(&42u32.to_ne_bytes())
///     .reply(OutPort::MakeSendOnce(&reply))
///     .port(OutPort::MakeSend(&mailbox))
///     .ool(Ool::Copy(&[7u8; 10_000]))
///     .send_to(&to_server, None)?;
///
/// let mut req = server.recv(None)?;
/// assert_eq!(req.id(), 100);
/// assert_eq!(req.data(), 42u32.to_ne_bytes());
/// req.reply(Message::new(200))?; // through the send-once right
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Message<'a> {
    id: mach_msg_id_t,
    options: mach_msg_option_t,
    reply: Option<OutPort<'a>>,
    descriptors: Vec<OutDescriptor<'a>>,
    data: Vec<u8>,
}

impl<'a> Message<'a> {
    /// An empty message with this `msgh_id`.
    pub fn new(id: i32) -> Message<'a> {
        Message {
            id,
            options: 0,
            reply: None,
            descriptors: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Appends inline data (after the descriptors; padded to 4 bytes).
    pub fn data(mut self, bytes: &[u8]) -> Self {
        self.data.extend_from_slice(bytes);
        self
    }

    /// The reply port (`msgh_local_port`), usually
    /// `OutPort::MakeSendOnce(&reply_port)`.
    pub fn reply(mut self, port: OutPort<'a>) -> Self {
        self.reply = Some(port);
        self
    }

    /// Adds a port descriptor.
    pub fn port(mut self, port: OutPort<'a>) -> Self {
        self.descriptors.push(OutDescriptor::Port(port));
        self
    }

    /// Adds an out-of-line memory descriptor.
    pub fn ool(mut self, ool: Ool<'a>) -> Self {
        self.descriptors.push(OutDescriptor::Ool(ool));
        self
    }

    /// Adds an out-of-line ports descriptor.
    pub fn ool_ports(mut self, ports: OolPorts<'a>) -> Self {
        self.descriptors.push(OutDescriptor::OolPorts(ports));
        self
    }

    /// Sends with `MACH_SEND_NOTIFY`: a send that finds the destination's
    /// queue full arms the send-possible request registered on the
    /// destination name ([`SendRight::request_send_possible`]), so a
    /// send-possible notification comes once there is room (as XNU, a
    /// request is only delivered after such a send armed it).
    pub fn arm_send_possible(mut self) -> Self {
        self.options |= MACH_SEND_NOTIFY;
        self
    }

    /// The message's id.
    pub fn id(&self) -> i32 {
        self.id
    }

    /// Sends with `COPY_SEND` of `dest` (which stays ours), waiting at most
    /// `timeout` for room in the destination's queue (`None`: as long as it
    /// takes; `Some(Duration::ZERO)`: not at all).
    pub fn send_to(self, dest: &SendRight, timeout: Option<Duration>) -> Result<(), SendError> {
        self.send_with(OutPort::CopySend(dest), timeout)
    }

    /// Sends through a send-once right (`MOVE_SEND_ONCE`), using it up.
    /// Never waits: a send-once right's message bypasses the queue limit.
    pub fn send_once(self, dest: SendOnceRight) -> Result<(), SendError> {
        self.send_with(OutPort::MoveSendOnce(dest), None)
    }

    /// Sends to `dest` with any disposition.
    ///
    /// What happens to the rights and memory the message moves when the
    /// send fails depends on where the kernel stopped, as in XNU:
    /// - a header error (`MACH_SEND_INVALID_DEST`, `_INVALID_REPLY`,
    ///   `_INVALID_HEADER`, `_INVALID_VOUCHER`, `_MSG_TOO_SMALL`,
    ///   `_INVALID_DATA`): the kernel took nothing; the message is dropped
    ///   here, which releases what it owns, as destroying it would;
    /// - a timeout (`MACH_SEND_TIMED_OUT`) or interruption: the kernel
    ///   gave everything back (pseudo-receive), possibly under new names;
    ///   [`SendError::into_returned`] has it as a received message;
    /// - anything else (a bad right or memory in the body, no buffer, too
    ///   large): the kernel has destroyed what it copied in. What was
    ///   moved is forgotten here, never released twice (if the kernel had
    ///   in fact given it back, it stays in our space unowned).
    pub fn send_with(self, dest: OutPort<'a>, timeout: Option<Duration>) -> Result<(), SendError> {
        let mut buf = self.encode(&dest);
        let size = buf.len;
        let options = MACH_SEND_MSG | self.options;
        let deadline = Deadline::new(timeout);
        // What owns the rights and memory: these values until the kernel
        // gives the message back in the buffer, then the buffer.
        let mut owners = Some((self, dest));
        let mr = loop {
            let (opt, ms) = match deadline.next_ms() {
                None => (0, 0),
                Some(ms) => (MACH_SEND_TIMEOUT, ms),
            };
            // SAFETY: `buf` holds a complete message of `size` bytes; the
            // out-of-line regions and port arrays it points to live until
            // the call returns (borrowed, owned by `owners`, or by `buf`).
            let mr = unsafe {
                sys::message::mach_msg(
                    buf.header(),
                    options | opt,
                    size as mach_msg_size_t,
                    0,
                    MACH_PORT_NULL,
                    ms,
                    MACH_PORT_NULL,
                )
            };
            // A timeout shorter than asked (split in several calls): the
            // message came back whole (pseudo-received, in a form that can
            // be sent again, as libmach resends an interrupted one).
            if mr == MACH_SEND_TIMED_OUT && deadline.more() {
                if let Some((m, d)) = owners.take() {
                    m.consumed(d);
                }
                continue;
            }
            break mr;
        };
        let Some(code) = MachMsgReturn::new(mr) else {
            if let Some((m, d)) = owners {
                m.consumed(d);
            }
            return Ok(());
        };
        let returned = match code.base() {
            MachMsgReturn::SEND_INVALID_DEST
            | MachMsgReturn::SEND_INVALID_REPLY
            | MachMsgReturn::SEND_INVALID_HEADER
            | MachMsgReturn::SEND_INVALID_VOUCHER
            | MachMsgReturn::SEND_MSG_TOO_SMALL
            | MachMsgReturn::SEND_INVALID_DATA => {
                // Nothing was taken: release what the message holds.
                match owners {
                    Some(o) => drop(o),
                    // SAFETY: the buffer's rights and memory are ours (a
                    // pseudo-receive gave them back before this attempt).
                    None => drop(unsafe { ReceivedMessage::parse(buf.bytes(), size, true) }),
                }
                None
            }
            MachMsgReturn::SEND_TIMED_OUT | MachMsgReturn::SEND_INTERRUPTED => {
                if let Some((m, d)) = owners {
                    m.consumed(d);
                }
                // SAFETY: the kernel wrote the message back with its rights
                // and memory in our space, now owned by the parsed value.
                Some(Box::new(unsafe {
                    ReceivedMessage::parse(buf.bytes(), size, true)
                }))
            }
            _ => {
                if let Some((m, d)) = owners {
                    m.consumed(d);
                }
                None
            }
        };
        Err(SendError { code, returned })
    }

    /// A remote procedure call, as a MIG client makes one: sends to `dest`
    /// with a send-once right made from `reply` as the reply port, then
    /// waits for the reply there. `timeout` applies to the send and to the
    /// receive. A send error is handled as [`send_with`](Self::send_with)
    /// says (the message is not returned).
    pub fn rpc(
        mut self,
        dest: &SendRight,
        reply: &'a ReceiveRight,
        timeout: Option<Duration>,
    ) -> Result<ReceivedMessage, MachMsgReturn> {
        self.reply = Some(OutPort::MakeSendOnce(reply));
        self.send_with(OutPort::CopySend(dest), timeout)
            .map_err(|e| e.code())?;
        receive(reply.name(), timeout)
    }

    fn consumed(self, dest: OutPort<'_>) {
        dest.consumed();
        if let Some(r) = self.reply {
            r.consumed();
        }
        for d in self.descriptors {
            match d {
                OutDescriptor::Port(p) => p.consumed(),
                OutDescriptor::Ool(Ool::Move(m)) => {
                    m.into_raw();
                }
                OutDescriptor::Ool(Ool::Copy(_)) => {}
                OutDescriptor::OolPorts(p) => p.consumed(),
            }
        }
    }

    fn encode(&self, dest: &OutPort<'_>) -> Encoded {
        let complex = !self.descriptors.is_empty();
        let mut b = Vec::with_capacity(64 + self.data.len());
        let (rname, rdisp) = match &self.reply {
            Some(p) => (p.name(), p.disposition()),
            None => (MACH_PORT_NULL, 0),
        };
        let mut bits = MACH_MSGH_BITS(dest.disposition(), rdisp);
        if complex {
            bits |= MACH_MSGH_BITS_COMPLEX;
        }
        for w in [bits, 0, dest.name(), rname, MACH_PORT_NULL, self.id as u32] {
            b.extend_from_slice(&w.to_ne_bytes());
        }
        let mut arrays = Vec::new();
        if complex {
            b.extend_from_slice(&(self.descriptors.len() as u32).to_ne_bytes());
            for d in &self.descriptors {
                match d {
                    OutDescriptor::Port(p) => {
                        b.extend_from_slice(&p.name().to_ne_bytes());
                        b.extend_from_slice(&0u32.to_ne_bytes());
                        b.extend_from_slice(&0u16.to_ne_bytes());
                        b.push(p.disposition() as u8);
                        b.push(MACH_MSG_PORT_DESCRIPTOR as u8);
                    }
                    OutDescriptor::Ool(o) => {
                        let (ptr, len, dealloc) = match o {
                            Ool::Copy(s) => (s.as_ptr(), s.len(), false),
                            Ool::Move(m) => (m.as_ptr(), m.len(), true),
                        };
                        let addr = if len == 0 { 0 } else { ptr as u64 };
                        b.extend_from_slice(&addr.to_ne_bytes());
                        b.push(u8::from(dealloc));
                        b.push(MACH_MSG_VIRTUAL_COPY as u8);
                        b.push(0);
                        b.push(MACH_MSG_OOL_DESCRIPTOR as u8);
                        b.extend_from_slice(&(len as u32).to_ne_bytes());
                    }
                    OutDescriptor::OolPorts(p) => {
                        let (names, disp) = p.names();
                        let addr = if names.is_empty() {
                            0
                        } else {
                            names.as_ptr() as u64
                        };
                        b.extend_from_slice(&addr.to_ne_bytes());
                        b.push(0); // the array stays ours
                        b.push(MACH_MSG_PHYSICAL_COPY as u8);
                        b.push(disp as u8);
                        b.push(MACH_MSG_OOL_PORTS_DESCRIPTOR as u8);
                        b.extend_from_slice(&(names.len() as u32).to_ne_bytes());
                        arrays.push(names);
                    }
                }
            }
        }
        b.extend_from_slice(&self.data);
        b.resize(b.len().div_ceil(4) * 4, 0);
        let len = b.len();
        b[4..8].copy_from_slice(&(len as u32).to_ne_bytes());
        Encoded::new(&b, arrays)
    }
}

/// A message buffer, 8-byte aligned, with the port arrays it points to.
struct Encoded {
    words: Vec<u64>,
    len: usize,
    _arrays: Vec<Vec<Name>>,
}

impl Encoded {
    fn new(bytes: &[u8], arrays: Vec<Vec<Name>>) -> Encoded {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        // SAFETY: `words` has room for `bytes.len()` bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), words.as_mut_ptr().cast(), bytes.len())
        };
        Encoded {
            words,
            len: bytes.len(),
            _arrays: arrays,
        }
    }

    fn header(&mut self) -> *mut mach_msg_header_t {
        self.words.as_mut_ptr().cast()
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `words` holds at least `len` initialised bytes.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr().cast(), self.len) }
    }
}

/// A failed send: the code, and the message when the kernel gave it back
/// (see [`Message::send_with`]).
pub struct SendError {
    code: MachMsgReturn,
    returned: Option<Box<ReceivedMessage>>,
}

impl SendError {
    /// The `mach_msg_return_t`.
    pub fn code(&self) -> MachMsgReturn {
        self.code
    }

    /// The message the kernel gave back (`MACH_SEND_TIMED_OUT`,
    /// `MACH_SEND_INTERRUPTED`), in received form: its destination right is
    /// [`ReceivedMessage::remote`], its reply right
    /// [`ReceivedMessage::returned_reply`], and it owns every right and
    /// region it carries (dropping it releases them).
    pub fn into_returned(self) -> Option<ReceivedMessage> {
        self.returned.map(|b| *b)
    }
}

impl fmt::Debug for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendError")
            .field("code", &self.code)
            .field("returned", &self.returned.is_some())
            .finish()
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "send failed: {}", self.code)
    }
}

impl std::error::Error for SendError {}

impl From<SendError> for MachMsgReturn {
    fn from(e: SendError) -> MachMsgReturn {
        e.code
    }
}

impl From<SendError> for io::Error {
    fn from(e: SendError) -> io::Error {
        e.code.into()
    }
}

/// A descriptor of a received message, owning what it carries.
#[derive(Debug)]
pub enum Descriptor {
    /// A port descriptor's right.
    Port(PortRight),
    /// Out-of-line memory, mapped into our address space for us.
    Ool(OolMemory),
    /// An out-of-line array of rights (the array itself is already freed).
    OolPorts(Vec<PortRight>),
}

/// The audit token of a message's sender, as the kernel recorded it when
/// the message was sent (`audit_token_t`; see `<bsm/libbsm.h>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AuditToken(pub [u32; 8]);

impl AuditToken {
    /// `audit_token_to_auid`.
    pub fn auid(&self) -> u32 {
        self.0[0]
    }
    /// `audit_token_to_euid`.
    pub fn euid(&self) -> u32 {
        self.0[1]
    }
    /// `audit_token_to_egid`.
    pub fn egid(&self) -> u32 {
        self.0[2]
    }
    /// `audit_token_to_ruid`.
    pub fn ruid(&self) -> u32 {
        self.0[3]
    }
    /// `audit_token_to_rgid`.
    pub fn rgid(&self) -> u32 {
        self.0[4]
    }
    /// `audit_token_to_pid`.
    pub fn pid(&self) -> i32 {
        self.0[5] as i32
    }
    /// `audit_token_to_asid`.
    pub fn asid(&self) -> i32 {
        self.0[6] as i32
    }
    /// `audit_token_to_pidversion`.
    pub fn pidversion(&self) -> i32 {
        self.0[7] as i32
    }
    /// Whether it is the kernel's (`KERNEL_AUDIT_TOKEN_VALUE`, all zero):
    /// the message was sent by the kernel, not by a process.
    pub fn is_kernel(&self) -> bool {
        self.0 == [0; 8]
    }
}

/// What a receive's trailer tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Trailer {
    /// The message's sequence number on its port.
    pub seqno: u32,
    /// The sender's security token (effective uid, gid).
    pub sender: [u32; 2],
    /// The sender's audit token.
    pub audit: AuditToken,
    /// The receiving port's context value (`mach_port_set_context`).
    pub context: u64,
}

/// A received message. It owns every right and region it carries: what is
/// still in it when it is dropped is released (rights deallocated or
/// destroyed, memory deallocated), as `mach_msg_destroy` does, except that
/// every out-of-line region is freed (the kernel always maps a fresh one
/// for the receiver; `mach_msg_destroy` leaves physical copies alone).
pub struct ReceivedMessage {
    p: Box<Parts>,
}

struct Parts {
    words: Vec<u64>,
    size: usize,
    bits: mach_msg_bits_t,
    id: mach_msg_id_t,
    local: Name,
    remote: PortRight,
    returned_reply: PortRight,
    descriptors: Vec<Descriptor>,
    data: std::ops::Range<usize>,
    complete: bool,
    trailer: Option<Trailer>,
}

impl ReceivedMessage {
    /// Parses a message the kernel copied out into `bytes` (`size` bytes of
    /// message, then the trailer for a receive) and takes ownership of its
    /// rights and memory. `pseudo`: a send's message given back, whose
    /// remote port is the destination right and local port the reply right.
    ///
    /// # Safety
    ///
    /// The rights and regions the message names must be ours to own, as
    /// after a receive or a pseudo-receive by the kernel.
    unsafe fn parse(bytes: &[u8], size: usize, pseudo: bool) -> ReceivedMessage {
        let size = size.min(bytes.len());
        let u32_at = |off: usize| -> Option<u32> {
            bytes
                .get(off..off + 4)
                .map(|b| u32::from_ne_bytes(b.try_into().unwrap()))
        };
        let u64_at = |off: usize| -> Option<u64> {
            bytes
                .get(off..off + 8)
                .map(|b| u64::from_ne_bytes(b.try_into().unwrap()))
        };
        let bits = u32_at(0).unwrap_or(0);
        let remote_name = u32_at(8).unwrap_or(MACH_PORT_NULL);
        let local_name = u32_at(12).unwrap_or(MACH_PORT_NULL);
        let id = u32_at(20).unwrap_or(0) as i32;
        // SAFETY (all from_received calls): the kernel copied these rights
        // out to us with these types.
        let remote = unsafe { PortRight::from_received(remote_name, MACH_MSGH_BITS_REMOTE(bits)) };
        let (local, returned_reply) = if pseudo {
            (MACH_PORT_NULL, unsafe {
                PortRight::from_received(local_name, MACH_MSGH_BITS_LOCAL(bits))
            })
        } else {
            (local_name, PortRight::Null)
        };
        let mut descriptors = Vec::new();
        let mut off = HEADER;
        let mut complete = true;
        if MACH_MSGH_BITS_IS_COMPLEX(bits) {
            let count = u32_at(HEADER)
                .filter(|_| HEADER + BODY <= size)
                .unwrap_or(0);
            off = HEADER + BODY;
            for _ in 0..count {
                let ty = bytes.get(off + 11).copied().unwrap_or(0xff) as u32;
                let len = match ty {
                    MACH_MSG_PORT_DESCRIPTOR => PORT_DESC,
                    MACH_MSG_OOL_DESCRIPTOR | MACH_MSG_OOL_VOLATILE_DESCRIPTOR => OOL_DESC,
                    MACH_MSG_OOL_PORTS_DESCRIPTOR => OOL_PORTS_DESC,
                    MACH_MSG_GUARDED_PORT_DESCRIPTOR => GUARDED_DESC,
                    _ => 0,
                };
                if len == 0 || off + len > size {
                    // Not a descriptor we can size: what follows cannot be
                    // interpreted (and is left alone).
                    complete = false;
                    break;
                }
                let d = match ty {
                    MACH_MSG_PORT_DESCRIPTOR => {
                        let name = u32_at(off).unwrap();
                        Descriptor::Port(unsafe {
                            PortRight::from_received(name, bytes[off + 10] as u32)
                        })
                    }
                    MACH_MSG_GUARDED_PORT_DESCRIPTOR => {
                        let name = u32_at(off + 12).unwrap();
                        Descriptor::Port(unsafe {
                            PortRight::from_received(name, bytes[off + 10] as u32)
                        })
                    }
                    MACH_MSG_OOL_PORTS_DESCRIPTOR => {
                        let addr = u64_at(off).unwrap() as usize;
                        let count = u32_at(off + 12).unwrap() as usize;
                        let disp = bytes[off + 10] as u32;
                        let mut rights = Vec::new();
                        if addr != 0 && count != 0 {
                            // SAFETY: the kernel mapped `count` names there
                            // for us; we own the mapping.
                            let names =
                                unsafe { std::slice::from_raw_parts(addr as *const Name, count) };
                            rights = names
                                .iter()
                                .map(|&n| unsafe { PortRight::from_received(n, disp) })
                                .collect();
                            // SAFETY: the array is ours (a fresh mapping).
                            drop(unsafe { OolMemory::from_raw(addr as *mut u8, count * 4) });
                        }
                        Descriptor::OolPorts(rights)
                    }
                    _ => {
                        let addr = u64_at(off).unwrap() as usize;
                        let len = u32_at(off + 12).unwrap() as usize;
                        // SAFETY: the kernel mapped the region for us.
                        Descriptor::Ool(unsafe { OolMemory::from_raw(addr as *mut u8, len) })
                    }
                };
                descriptors.push(d);
                off += len;
            }
        }
        let data = off.min(size)..size;
        let trailer = if pseudo {
            None
        } else {
            let t = size;
            let tsize = u32_at(t + 4).unwrap_or(0) as usize;
            if tsize >= 52 {
                let mut audit = [0u32; 8];
                for (i, a) in audit.iter_mut().enumerate() {
                    *a = u32_at(t + 20 + 4 * i).unwrap_or(0);
                }
                Some(Trailer {
                    seqno: u32_at(t + 8).unwrap_or(0),
                    sender: [u32_at(t + 12).unwrap_or(0), u32_at(t + 16).unwrap_or(0)],
                    audit: AuditToken(audit),
                    context: if tsize >= 60 {
                        u64_at(t + 52).unwrap_or(0)
                    } else {
                        0
                    },
                })
            } else {
                None
            }
        };
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        // SAFETY: `words` has room for `bytes`.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), words.as_mut_ptr().cast(), bytes.len())
        };
        ReceivedMessage {
            p: Box::new(Parts {
                words,
                size,
                bits,
                id,
                local,
                remote,
                returned_reply,
                descriptors,
                data,
                complete,
                trailer,
            }),
        }
    }

    /// `msgh_id`.
    pub fn id(&self) -> i32 {
        self.p.id
    }

    /// `msgh_bits` as received (the remote and local fields say how the
    /// reply right and the destination were sent).
    pub fn bits(&self) -> u32 {
        self.p.bits
    }

    /// `msgh_size`: header, descriptors and inline data (no trailer).
    pub fn size(&self) -> usize {
        self.p.size
    }

    /// The inline data after the descriptors.
    pub fn data(&self) -> &[u8] {
        &self.bytes()[self.p.data.clone()]
    }

    /// The raw bytes of the message as received (header first; the trailer
    /// follows [`size`](Self::size) bytes in).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `words` holds initialised bytes.
        unsafe { std::slice::from_raw_parts(self.p.words.as_ptr().cast(), self.p.words.len() * 8) }
    }

    /// The name of the port it arrived on (`msgh_local_port`; for a port
    /// set, the member's name). No right is held through it.
    pub fn local_port(&self) -> Name {
        self.p.local
    }

    /// The right in `msgh_remote_port`: the reply right the sender
    /// attached, or for a message a send gave back, its destination right.
    pub fn remote(&self) -> &PortRight {
        &self.p.remote
    }

    /// Takes the right in `msgh_remote_port` (see [`remote`](Self::remote)).
    pub fn take_remote(&mut self) -> PortRight {
        std::mem::replace(&mut self.p.remote, PortRight::Null)
    }

    /// For a message a send gave back: its reply right.
    pub fn returned_reply(&mut self) -> PortRight {
        std::mem::replace(&mut self.p.returned_reply, PortRight::Null)
    }

    /// The descriptors, in order.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.p.descriptors
    }

    /// Takes the descriptors out (the message no longer releases them).
    pub fn take_descriptors(&mut self) -> Vec<Descriptor> {
        std::mem::take(&mut self.p.descriptors)
    }

    /// Whether every descriptor could be interpreted (always, for what the
    /// kernel delivers; `false` means trailing descriptors were left alone).
    pub fn is_complete(&self) -> bool {
        self.p.complete
    }

    /// The trailer of a receive (`None` for a message a send gave back).
    pub fn trailer(&self) -> Option<&Trailer> {
        self.p.trailer.as_ref()
    }

    /// The message's sequence number on its port.
    pub fn seqno(&self) -> u32 {
        self.p.trailer.map_or(0, |t| t.seqno)
    }

    /// The sender's audit token.
    pub fn audit_token(&self) -> AuditToken {
        self.p.trailer.map(|t| t.audit).unwrap_or_default()
    }

    /// Whether the kernel sent it (a notification or a kernel reply), not a
    /// process: the sender's audit token is the kernel's.
    pub fn is_from_kernel(&self) -> bool {
        self.p.trailer.is_some_and(|t| t.audit.is_kernel())
    }

    /// Replies through the reply right (`MOVE_SEND_ONCE` of a send-once
    /// right, `MOVE_SEND` of a send right), using it up.
    /// `MACH_SEND_INVALID_DEST` if the message has none.
    pub fn reply(&mut self, msg: Message<'_>) -> Result<(), SendError> {
        match self.take_remote() {
            PortRight::SendOnce(r) => msg.send_once(r),
            PortRight::Send(r) => msg.send_with(OutPort::MoveSend(r), None),
            other => {
                self.p.remote = other;
                Err(SendError {
                    code: MachMsgReturn::SEND_INVALID_DEST,
                    returned: None,
                })
            }
        }
    }
}

impl fmt::Debug for ReceivedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedMessage")
            .field("id", &self.p.id)
            .field("bits", &format_args!("{:#x}", self.p.bits))
            .field("size", &self.p.size)
            .field("local", &format_args!("{:#x}", self.p.local))
            .field("remote", &self.p.remote)
            .field("descriptors", &self.p.descriptors)
            .field("data_len", &self.p.data.len())
            .field("trailer", &self.p.trailer)
            .finish()
    }
}

/// Receives the next message of `name` (a receive right or a port set),
/// waiting at most `timeout`, growing the buffer with `MACH_RCV_LARGE` as
/// the message needs.
pub(crate) fn receive(
    name: Name,
    timeout: Option<Duration>,
) -> Result<ReceivedMessage, MachMsgReturn> {
    let deadline = Deadline::new(timeout);
    let mut room = FIRST_RECEIVE + TRAILER;
    loop {
        let mut words = vec![0u64; room.div_ceil(8)];
        let (opt, ms) = match deadline.next_ms() {
            None => (0, 0),
            Some(ms) => (MACH_RCV_TIMEOUT, ms),
        };
        // SAFETY: `words` has room for `room` bytes, 8-byte aligned.
        let mr = unsafe {
            sys::message::mach_msg(
                words.as_mut_ptr().cast(),
                MACH_RCV_MSG | MACH_RCV_LARGE | RCV_TRAILER | opt,
                0,
                room as mach_msg_size_t,
                name,
                ms,
                MACH_PORT_NULL,
            )
        };
        // SAFETY: the buffer is initialised memory of `room` bytes.
        let bytes = unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), room) };
        let size = u32::from_ne_bytes(bytes[4..8].try_into().unwrap()) as usize;
        match mr {
            MACH_MSG_SUCCESS => {
                // SAFETY: the kernel copied the message out to us.
                return Ok(unsafe {
                    ReceivedMessage::parse(&bytes[..size + TRAILER], size, false)
                });
            }
            MACH_RCV_TOO_LARGE if size + TRAILER > room => {
                // Still queued: ask again with room for it.
                room = size + TRAILER;
            }
            MACH_RCV_TIMED_OUT if deadline.more() => {}
            _ if mr & !MACH_MSG_MASK == MACH_MSG_SUCCESS => {
                // Received, but some rights or memory could not be copied
                // out (they are MACH_PORT_NULL / 0 in the message).
                return Ok(unsafe {
                    ReceivedMessage::parse(&bytes[..size + TRAILER], size, false)
                });
            }
            _ => return Err(MachMsgReturn::new(mr).unwrap()),
        }
    }
}

impl ReceiveRight {
    /// Receives the next message, waiting at most `timeout` (`None`: as
    /// long as it takes; `Some(Duration::ZERO)`: not at all).
    /// `MACH_RCV_TIMED_OUT` when none came.
    pub fn recv(&self, timeout: Option<Duration>) -> Result<ReceivedMessage, MachMsgReturn> {
        receive(self.name(), timeout)
    }

    /// Receives a message if one is queued.
    pub fn try_recv(&self) -> Result<Option<ReceivedMessage>, MachMsgReturn> {
        none_if_timed_out(receive(self.name(), Some(Duration::ZERO)))
    }
}

impl PortSet {
    /// Receives the next message of any member, waiting at most `timeout`;
    /// [`ReceivedMessage::local_port`] tells which member it came to.
    pub fn recv(&self, timeout: Option<Duration>) -> Result<ReceivedMessage, MachMsgReturn> {
        receive(self.name(), timeout)
    }

    /// Receives a message if one is queued on a member.
    pub fn try_recv(&self) -> Result<Option<ReceivedMessage>, MachMsgReturn> {
        none_if_timed_out(receive(self.name(), Some(Duration::ZERO)))
    }
}

fn none_if_timed_out(
    r: Result<ReceivedMessage, MachMsgReturn>,
) -> Result<Option<ReceivedMessage>, MachMsgReturn> {
    match r {
        Ok(m) => Ok(Some(m)),
        Err(MachMsgReturn::RCV_TIMED_OUT) => Ok(None),
        Err(e) => Err(e),
    }
}

impl SendRight {
    /// Sends `msg` here (`COPY_SEND`), waiting at most `timeout` for room.
    pub fn send(&self, msg: Message<'_>, timeout: Option<Duration>) -> Result<(), SendError> {
        msg.send_to(self, timeout)
    }
}

impl SendOnceRight {
    /// Sends `msg` through this right, using it up.
    pub fn send(self, msg: Message<'_>) -> Result<(), SendError> {
        msg.send_once(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::port::MACH_PORT_DEAD;

    fn header(bits: u32, size: u32, id: i32) -> Vec<u8> {
        let mut b = Vec::new();
        for w in [bits, size, 0, 0x1103, 0, id as u32] {
            b.extend_from_slice(&w.to_ne_bytes());
        }
        b
    }

    fn port_desc(name: u32, disp: u8) -> Vec<u8> {
        let mut b = name.to_ne_bytes().to_vec();
        b.extend_from_slice(&[0, 0, 0, 0, 0, 0, disp, MACH_MSG_PORT_DESCRIPTOR as u8]);
        b
    }

    fn trailer(seqno: u32, pid: u32) -> Vec<u8> {
        let mut t = vec![0u8; TRAILER];
        t[4..8].copy_from_slice(&(TRAILER as u32).to_ne_bytes());
        t[8..12].copy_from_slice(&seqno.to_ne_bytes());
        t[40..44].copy_from_slice(&pid.to_ne_bytes());
        t
    }

    #[test]
    fn a_simple_message_parses_with_its_trailer() {
        let mut b = header(0, 28, 9);
        b.extend_from_slice(b"data");
        b.extend(trailer(7, 1234));
        // SAFETY: it names no right.
        let m = unsafe { ReceivedMessage::parse(&b, 28, false) };
        assert_eq!(
            (m.id(), m.data(), m.local_port()),
            (9, &b"data"[..], 0x1103)
        );
        assert_eq!((m.seqno(), m.audit_token().pid()), (7, 1234));
        assert!(m.is_complete() && !m.is_from_kernel());
    }

    #[test]
    fn descriptors_beyond_the_message_are_left_alone() {
        let mut b = header(MACH_MSGH_BITS_COMPLEX, 0, 1);
        b.extend_from_slice(&3u32.to_ne_bytes());
        b.extend(port_desc(MACH_PORT_NULL, MACH_MSG_TYPE_PORT_SEND as u8));
        let size = b.len();
        b[4..8].copy_from_slice(&(size as u32).to_ne_bytes());
        // SAFETY: it names no right.
        let m = unsafe { ReceivedMessage::parse(&b, size, false) };
        assert_eq!(m.descriptors().len(), 1);
        assert!(!m.is_complete());
        assert!(m.data().is_empty());
        assert!(m.trailer().is_none(), "no trailer in the bytes");
    }

    #[test]
    fn an_unknown_descriptor_type_stops_the_parse() {
        let mut b = header(MACH_MSGH_BITS_COMPLEX, 0, 1);
        b.extend_from_slice(&u32::MAX.to_ne_bytes());
        let mut d = port_desc(MACH_PORT_NULL, 0);
        d[11] = 9;
        b.extend(d);
        let size = b.len();
        // SAFETY: it names no right.
        let m = unsafe { ReceivedMessage::parse(&b, size, false) };
        assert!(m.descriptors().is_empty() && !m.is_complete());
    }

    #[test]
    fn short_or_empty_buffers_do_not_panic() {
        for n in [0, 3, 8, 23, 24, 27, 28] {
            let b = vec![0xffu8; n];
            // SAFETY: a size beyond the bytes is clamped; the header's
            // names are MACH_PORT_DEAD (0xffffffff), which hold nothing.
            let m = unsafe { ReceivedMessage::parse(&b, 10_000, false) };
            assert!(m.size() <= n);
        }
    }

    #[test]
    fn dead_and_null_names_hold_no_right() {
        let mut b = header(MACH_MSGH_BITS_COMPLEX, 0, 1);
        b[8..12].copy_from_slice(&MACH_PORT_DEAD.to_ne_bytes());
        b[0] |= MACH_MSG_TYPE_PORT_SEND_ONCE as u8;
        b.extend_from_slice(&2u32.to_ne_bytes());
        b.extend(port_desc(MACH_PORT_DEAD, MACH_MSG_TYPE_PORT_RECEIVE as u8));
        b.extend(port_desc(MACH_PORT_NULL, MACH_MSG_TYPE_PORT_SEND as u8));
        let size = b.len();
        // SAFETY: dead and null names hold nothing.
        let m = unsafe { ReceivedMessage::parse(&b, size, false) };
        assert!(matches!(m.remote(), PortRight::Dead));
        assert!(matches!(
            m.descriptors(),
            [
                Descriptor::Port(PortRight::Dead),
                Descriptor::Port(PortRight::Null)
            ]
        ));
    }

    #[test]
    fn encode_lays_out_the_header_descriptors_and_data() {
        // SAFETY: borrowed only to read their names; given back below.
        let (dest, reply) = unsafe { (SendRight::from_raw(0x203), ReceiveRight::from_raw(0x303)) };
        let data = [5u8; 10];
        let msg = Message::new(77)
            .reply(OutPort::MakeSendOnce(&reply))
            .port(OutPort::CopySend(&dest))
            .ool(Ool::Copy(&data))
            .data(b"abc");
        let e = msg.encode(&OutPort::CopySend(&dest));
        let b = e.bytes();
        let w = |i: usize| u32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap());
        assert_eq!(
            w(0),
            MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE)
                | MACH_MSGH_BITS_COMPLEX
        );
        assert_eq!(w(1) as usize, b.len());
        assert_eq!(b.len(), 24 + 4 + 12 + 16 + 4);
        assert_eq!((w(2), w(3), w(4), w(5)), (0x203, 0x303, 0, 77));
        assert_eq!(w(6), 2, "two descriptors");
        assert_eq!(w(7), 0x203);
        assert_eq!(b[38..40], [MACH_MSG_TYPE_COPY_SEND as u8, 0]);
        let addr = u64::from_ne_bytes(b[40..48].try_into().unwrap());
        assert_eq!(addr, data.as_ptr() as u64);
        assert_eq!(
            b[48..52],
            [
                0,
                MACH_MSG_VIRTUAL_COPY as u8,
                0,
                MACH_MSG_OOL_DESCRIPTOR as u8
            ]
        );
        assert_eq!(w(13), 10);
        assert_eq!(&b[56..59], b"abc");
        drop((msg, e));
        let _ = (dest.into_raw(), reply.into_raw());
    }
}
