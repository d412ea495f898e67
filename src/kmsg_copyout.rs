// SPDX-License-Identifier: GPL-2.0

//! Copying a message out to its receiver (XNU `ipc_kmsg_copyout_header`,
//! `ipc_kmsg_copyout_body`, `ipc_kmsg_copyout_pseudo`, `msg_receive_error`).
//!
//! 1. With no lock held: out-of-line memory goes into fresh mappings of the
//!    receiver, and the mappings for out-of-line port arrays are made.
//! 2. Under the receiver's space lock, once: the reply right, then the body
//!    rights, descriptors last to first as XNU does. A reply that cannot be
//!    named is a header error: the message is destroyed and the receiver
//!    gets its header alone. A body right that cannot be named becomes
//!    `MACH_PORT_NULL` (a dead one `MACH_PORT_DEAD`) and the failure is a
//!    modifier bit of `MACH_RCV_BODY_ERROR`.
//! 3. With no lock held: the port name arrays are written, and header,
//!    body and trailer go to the receive buffer in one copy.

use kernel::{
    prelude::*,
    sync::Mutex,
    uaccess::{UserPtr, UserSlice},
};

use crate::{
    ipc_object,
    kmsg::*,
    limits::{gfp_user, UVec},
    mach::*,
    outbox::Outbox,
    right::MsgPort,
    space::SpaceInner,
};

/// `REQUESTED_TRAILER_SIZE(option)`: the trailer the receive option asks
/// for (elements 0: 8 bytes, SEQNO 12, SENDER 20, AUDIT 52, CTX 60, AV and
/// anything else 68).
pub(crate) fn trailer_size(option: u32) -> u32 {
    match (option >> 24) & 0xf {
        0 => 8,
        1 => 12,
        2 => 20,
        3 => 52,
        4 => 60,
        _ => 68,
    }
}

/// Where the security token starts in a trailer (`msgh_sender`): a
/// smaller trailer carries no ids.
const SENDER_OFFSET: u32 = 12;

/// Writes the trailer of `b` (`mach_msg_max_trailer_t`, its first `tsize`
/// bytes) after the message bytes, in place, with the sender's ids as seen
/// from the receiver's namespaces. A kernel message carries
/// `KERNEL_SECURITY_TOKEN` and a zero audit token.
fn write_trailer(b: &mut KMsgBody, tsize: u32, full_sender: bool) {
    let len = b.len() as usize;
    let (seqno, context) = (b.seqno, b.context);
    let ids = sender_ids(b, tsize, full_sender);
    let bytes = b.bytes_with_trailer(tsize as usize);
    fill_trailer(&mut bytes[len..], seqno, ids, context);
}

/// The security and audit tokens of a trailer of `tsize` bytes of `b`: the
/// sender's (with `full_sender`), else `KERNEL_SECURITY_TOKEN` and a zero
/// audit token. Looked up only for a trailer that reaches them (the common
/// receive asks for the 8-byte trailer alone; then zeros, never written):
/// the ids are mapped into the receiver's namespaces.
fn sender_ids(b: &KMsgBody, tsize: u32, full_sender: bool) -> ([u32; 2], [u32; 8]) {
    if tsize <= SENDER_OFFSET {
        ([0; 2], [0; 8])
    } else if full_sender {
        b.sender.tokens()
    } else {
        ([0, 1], [0; 8])
    }
}

/// Writes a trailer of `t.len()` bytes (`mach_msg_max_trailer_t`, cut
/// there) into `t`: sequence number `seqno`, the tokens `ids`, `context`.
fn fill_trailer(t: &mut [u8], seqno: u32, ids: ([u32; 2], [u32; 8]), context: u64) {
    let tsize = t.len() as u32;
    put_u32(t, 0, 0); // MACH_MSG_TRAILER_FORMAT_0
    put_u32(t, 4, tsize);
    put_u32(t, 8, seqno);
    if tsize <= SENDER_OFFSET {
        return;
    }
    let (sec, audit) = ids;
    put_u32(t, 12, sec[0]);
    put_u32(t, 16, sec[1]);
    for (i, v) in audit.iter().enumerate() {
        put_u32(t, 20 + 4 * i, *v);
    }
    put_u64(t, 52, context);
    // The MAC label (`msgh_ad`, `msgh_labels`): none.
    if let Some(rest) = t.get_mut(60..) {
        rest.fill(0);
    }
}

/// The trailer (`mach_msg_max_trailer_t`, its first `tsize` bytes; the
/// rest zero) a receive of `b` gets, with sequence number `seqno`.
pub(crate) fn trailer(
    b: &KMsgBody,
    tsize: u32,
    seqno: u32,
    full_sender: bool,
) -> [u8; MAX_TRAILER_SIZE] {
    let mut t = [0u8; MAX_TRAILER_SIZE];
    let n = (tsize as usize).min(MAX_TRAILER_SIZE);
    let ids = sender_ids(b, tsize, full_sender);
    fill_trailer(&mut t[..n], seqno, ids, b.context);
    t
}

/// Maps `data` into fresh anonymous memory of the calling process; its
/// address, or the `MACH_MSG_VM_*` bit of the failure.
fn map_user(data: &[u8]) -> core::result::Result<u64, u32> {
    if data.is_empty() {
        return Ok(0);
    }
    let addr = mmap_anon(data.len())?;
    if write_user(addr, data).is_err() {
        unmap_user(addr, data.len() as u64);
        return Err(MsgReturn::VM_SPACE);
    }
    Ok(addr)
}

/// A fresh anonymous mapping of `len` bytes in the calling process.
fn mmap_anon(len: usize) -> core::result::Result<u64, u32> {
    // The uapi values (asm-generic/mman-common.h): stable ABI.
    const PROT_READ: usize = 0x1;
    const PROT_WRITE: usize = 0x2;
    const MAP_PRIVATE: usize = 0x02;
    const MAP_ANONYMOUS: usize = 0x20;
    // SAFETY: `vm_mmap` maps into the current process's address space; a
    // NULL file with MAP_ANONYMOUS is an anonymous mapping.
    let addr = unsafe {
        kernel::bindings::vm_mmap(
            core::ptr::null_mut(),
            0,
            len,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS,
            0,
        )
    };
    if addr >= (-4095isize) as usize {
        let e = addr as isize;
        return Err(if e == -(kernel::bindings::ENOMEM as isize) {
            MsgReturn::VM_KERNEL
        } else {
            MsgReturn::VM_SPACE
        });
    }
    Ok(addr as u64)
}

fn unmap_user(addr: u64, len: u64) {
    // SAFETY: `vm_munmap` operates on the current process's address space
    // and accepts any range.
    unsafe { kernel::bindings::vm_munmap(addr as usize, len as usize) };
}

fn write_user(addr: u64, bytes: &[u8]) -> Result {
    UserSlice::new(UserPtr::from_addr(addr as usize), bytes.len())
        .writer()
        .write_slice(bytes)
}

/// Copies a right out into the space for a message: its name,
/// `MACH_PORT_DEAD` for a dead port, or `MACH_PORT_NULL` with
/// `MACH_MSG_IPC_SPACE` (`IPC_KERNEL` without memory) in `mods` if it
/// cannot be named (the right is then destroyed).
fn copyout_port(sp: &mut SpaceInner, p: MsgPort, mods: &mut u32, out: &mut Outbox) -> u32 {
    match p {
        MsgPort::Null => MACH_PORT_NULL,
        MsgPort::Dead => MACH_PORT_DEAD,
        MsgPort::Right(r) => match ipc_object::copyout(sp, r, None, true) {
            Ok(n) => n,
            Err(refused) => {
                ipc_object::release(refused.back, out);
                if refused.kr == Kr::INVALID_CAPABILITY {
                    MACH_PORT_DEAD
                } else {
                    *mods |= if refused.kr == Kr::RESOURCE_SHORTAGE {
                        MsgReturn::IPC_KERNEL
                    } else {
                        MsgReturn::IPC_SPACE
                    };
                    MACH_PORT_NULL
                }
            }
        },
    }
}

/// The mapping made for one out-of-line port array.
struct PortArray {
    /// Index in `descs`.
    index: usize,
    addr: Result<u64, u32>,
    names: UVec<u32>,
}

/// Maps the out-of-line memory (last descriptor first) and makes room for
/// the port arrays. Returns the arrays' mappings, and ORs failures into
/// `mods`.
fn map_body(b: &mut KMsgBody, mods: &mut u32) -> UVec<PortArray> {
    let mut arrays = UVec::new();
    let mut descs = core::mem::take(&mut b.descs);
    for (i, d) in descs.iter_mut().enumerate().rev() {
        match d {
            Desc::Ool { off, data } => {
                let off = *off as usize;
                let copy = b.bytes()[off + DESC_COPY];
                let bytes = b.bytes_mut();
                match map_user(data) {
                    Ok(addr) => {
                        put_u64(bytes, off, addr);
                        // As XNU: a virtual copy arrives for the receiver to
                        // deallocate.
                        bytes[off + DESC_DEALLOC] = u8::from(copy == MSG_VIRTUAL_COPY);
                    }
                    Err(m) => {
                        *mods |= m;
                        put_u64(bytes, off, 0);
                        put_u32(bytes, off + DESC_COUNT, 0);
                    }
                }
                *data = UVec::new();
            }
            Desc::OolPorts { ports, .. } => {
                let n = ports.len();
                let (addr, names) = match UVec::with_capacity(n, gfp_user()) {
                    Ok(names) => (if n == 0 { Ok(0) } else { mmap_anon(n * 4) }, names),
                    Err(_) => (Err(MsgReturn::VM_KERNEL), UVec::new()),
                };
                if arrays.reserve(1, GFP_KERNEL).is_err() {
                    // No room to remember the array: it is lost (its rights
                    // are destroyed at copyout, VM_KERNEL).
                    if let Ok(a) = addr {
                        if a != 0 {
                            unmap_user(a, n as u64 * 4);
                        }
                    }
                    continue;
                }
                // Cannot fail: reserved above.
                let _ = arrays.push_within_capacity(PortArray {
                    index: i,
                    addr,
                    names,
                });
            }
            Desc::Port { .. } => {}
        }
    }
    b.descs = descs;
    arrays
}

/// Names the body rights in the space (last descriptor first). A port
/// array whose mapping failed has its rights destroyed.
fn copyout_body_rights(
    sp: &mut SpaceInner,
    b: &mut KMsgBody,
    arrays: &mut UVec<PortArray>,
    mods: &mut u32,
    out: &mut Outbox,
) {
    if b.descs.is_empty() {
        // (Taking the empty list and putting it back would drop one.)
        return;
    }
    let mut descs = core::mem::take(&mut b.descs);
    let bytes = b.bytes_mut();
    for (i, d) in descs.iter_mut().enumerate().rev() {
        match d {
            Desc::Port { off, port, ty } => {
                let p = core::mem::replace(port, MsgPort::Null);
                let n = copyout_port(sp, p, mods, out);
                put_u32(bytes, *off as usize, n);
                bytes[*off as usize + DESC_DISPOSITION] = *ty;
            }
            Desc::OolPorts { off, ports, ty } => {
                let off = *off as usize;
                bytes[off + DESC_DISPOSITION] = *ty;
                bytes[off + DESC_DEALLOC] = 1;
                bytes[off + DESC_COPY] = MSG_VIRTUAL_COPY;
                let Some(a) = arrays.iter_mut().find(|a| a.index == i) else {
                    *mods |= MsgReturn::VM_KERNEL;
                    put_u64(bytes, off, 0);
                    for p in ports.drain_all() {
                        ipc_object::release_msgport(p, out);
                    }
                    continue;
                };
                match a.addr {
                    Ok(addr) => {
                        put_u64(bytes, off, addr);
                        for p in ports.drain_all() {
                            let n = copyout_port(sp, p, mods, out);
                            let _ = a.names.push_within_capacity(n);
                        }
                    }
                    Err(m) => {
                        *mods |= m;
                        put_u64(bytes, off, 0);
                        for p in ports.drain_all() {
                            ipc_object::release_msgport(p, out);
                        }
                    }
                }
            }
            Desc::Ool { .. } => {}
        }
    }
    b.descs = descs;
}

/// Writes the port names into their arrays' mappings.
fn write_port_arrays(arrays: &UVec<PortArray>, mods: &mut u32) {
    for a in arrays.iter() {
        if let Ok(addr) = a.addr {
            let mut failed = false;
            for (i, n) in a.names.iter().enumerate() {
                if write_user(addr + 4 * i as u64, &n.to_ne_bytes()).is_err() {
                    failed = true;
                    break;
                }
            }
            if failed {
                *mods |= MsgReturn::VM_SPACE;
            }
        }
    }
}

/// Unmaps what `map_body` mapped (the message is destroyed after all).
fn unmap_body(b: &KMsgBody, arrays: &UVec<PortArray>) {
    for d in b.descs.iter() {
        if let Desc::Ool { off, .. } = d {
            let addr = get_u64(b.bytes(), *off as usize);
            let len = get_u32(b.bytes(), *off as usize + DESC_COUNT);
            if addr != 0 {
                unmap_user(addr, u64::from(len));
            }
        }
    }
    for a in arrays.iter() {
        if let (Ok(addr), Some(Desc::OolPorts { ports, .. })) = (a.addr, b.descs.get(a.index)) {
            if addr != 0 {
                unmap_user(addr, ports.len() as u64 * 4);
            }
        }
    }
}

/// What a receive hands to user space: `bytes` of the message buffer.
pub(crate) struct Delivered {
    pub(crate) len: usize,
    pub(crate) code: MsgReturn,
}

/// `ipc_kmsg_copyout` for a receive: the message (its destination right
/// already used up at dequeue) from the port named `name` goes into the
/// receiver's space and memory; the trailer the option asks for follows
/// it. On a header error the message is turned into its header alone
/// (`msg_receive_error`).
pub(crate) fn receive(
    space: &Mutex<SpaceInner>,
    msg: &mut MsgBox,
    name: u32,
    option: u32,
    out: &mut Outbox,
) -> Delivered {
    let tsize = trailer_size(option);
    let b = body(msg);
    let mut mods = 0;
    let arrays = if b.hdr.is_complex() {
        map_body(b, &mut mods)
    } else {
        UVec::new()
    };
    let needs_space = b.reply.has_right() || !b.descs.is_empty();
    let mut arrays = arrays;
    let reply_name;
    if needs_space {
        let mut sp = space.lock();
        let reply = core::mem::replace(&mut b.reply, MsgPort::Null);
        let mut header_mods = 0;
        reply_name = copyout_port(&mut sp, reply, &mut header_mods, out);
        if header_mods != 0 {
            drop(sp);
            unmap_body(b, &arrays);
            let len = error_reply(b, name, tsize, option, out);
            return Delivered {
                len,
                code: MsgReturn::RCV_HEADER_ERROR.with(MsgReturn::IPC_SPACE),
            };
        }
        copyout_body_rights(&mut sp, b, &mut arrays, &mut mods, out);
    } else {
        reply_name = match b.reply {
            MsgPort::Dead => MACH_PORT_DEAD,
            _ => MACH_PORT_NULL,
        };
    }
    write_port_arrays(&arrays, &mut mods);
    let h = &mut b.hdr;
    let other = h.bits & !MSGH_BITS_PORTS_MASK;
    let voucher_bits = delivered_voucher_bits(h.bits, option);
    h.bits = other | msgh_bits(b.reply_type, b.dest_type) | (voucher_bits << 16);
    h.remote = reply_name;
    h.local = name;
    let hdr = b.hdr;
    hdr.write(b.bytes_mut());
    let from_process = b.sender.pid.is_some();
    write_trailer(b, tsize, from_process);
    let code = if mods != 0 {
        MsgReturn::RCV_BODY_ERROR.with(mods)
    } else {
        MsgReturn::SUCCESS
    };
    Delivered {
        len: (b.len() + tsize) as usize,
        code,
    }
}

/// The voucher bits a receiver sees: a message sent with voucher bits but
/// a null voucher keeps them only with `MACH_RCV_VOUCHER` (0x800).
fn delivered_voucher_bits(bits: u32, option: u32) -> u32 {
    const MACH_RCV_VOUCHER: u32 = 0x800;
    if bits_voucher(bits) != 0 && option & MACH_RCV_VOUCHER != 0 {
        bits_voucher(bits)
    } else {
        0
    }
}

/// `msg_receive_error`: the message is destroyed but for its header, which
/// the receiver gets (`msgh_size` 24; remote: a dead reply stays
/// `MACH_PORT_DEAD`, a live one is destroyed and gives `MACH_PORT_NULL`;
/// local: the port's name; the other bits kept), followed by the requested
/// trailer with the sequence number and context but the kernel as sender.
/// Returns the bytes to copy out.
pub(crate) fn error_reply(
    b: &mut KMsgBody,
    name: u32,
    tsize: u32,
    option: u32,
    out: &mut Outbox,
) -> usize {
    let reply = core::mem::replace(&mut b.reply, MsgPort::Null);
    let reply_name = match reply {
        MsgPort::Dead => MACH_PORT_DEAD,
        MsgPort::Null => MACH_PORT_NULL,
        MsgPort::Right(r) => {
            ipc_object::release(r, out);
            MACH_PORT_NULL
        }
    };
    // The body's rights are destroyed (they stay in the message, which the
    // caller destroys); the bytes shrink to the header.
    let other = b.hdr.bits & !MSGH_BITS_PORTS_MASK;
    let voucher_bits = delivered_voucher_bits(b.hdr.bits, option);
    b.hdr.bits = other | msgh_bits(b.reply_type, b.dest_type) | (voucher_bits << 16);
    b.hdr.remote = reply_name;
    b.hdr.local = name;
    b.hdr.size = HEADER_SIZE as u32;
    b.truncate_to_header();
    let hdr = b.hdr;
    hdr.write(b.bytes_mut());
    let elements = (option >> 24) & 0xf;
    let tsize = if elements == 0 { 8 } else { tsize };
    write_trailer(b, tsize, false);
    HEADER_SIZE + tsize as usize
}

/// `ipc_kmsg_copyout_pseudo`: a message whose send failed after copyin
/// goes back to the sender, rights and all (header as sent: remote is the
/// destination, local the reply). Returns the bytes to copy out and the
/// modifier bits to OR into the send's error.
pub(crate) fn pseudo(
    space: &Mutex<SpaceInner>,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> (usize, u32) {
    let b = body(msg);
    let mut mods = 0;
    let mut arrays = if b.hdr.is_complex() {
        map_body(b, &mut mods)
    } else {
        UVec::new()
    };
    {
        let mut sp = space.lock();
        let dest = b.dest.take().map_or(MsgPort::Null, MsgPort::Right);
        let reply = core::mem::replace(&mut b.reply, MsgPort::Null);
        b.hdr.remote = copyout_port(&mut sp, dest, &mut mods, out);
        b.hdr.local = copyout_port(&mut sp, reply, &mut mods, out);
        copyout_body_rights(&mut sp, b, &mut arrays, &mut mods, out);
    }
    write_port_arrays(&arrays, &mut mods);
    b.hdr.bits = (b.hdr.bits & !MSGH_BITS_PORTS_MASK) | msgh_bits(b.dest_type, b.reply_type);
    let hdr = b.hdr;
    hdr.write(b.bytes_mut());
    (b.len() as usize, mods)
}

/// Copies the first `len` bytes of the message buffer (with the trailer)
/// to the user buffer at `addr`.
pub(crate) fn put(b: &mut KMsgBody, addr: u64, len: usize) -> Result {
    let bytes = b.bytes_with_trailer(MAX_TRAILER_SIZE);
    let len = len.min(bytes.len());
    write_user(addr, &bytes[..len])
}
