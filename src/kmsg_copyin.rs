// SPDX-License-Identifier: GPL-2.0

//! Copying a message in from the sender (XNU `ipc_kmsg_get`,
//! `ipc_kmsg_copyin_header`, `ipc_kmsg_copyin_body`).
//!
//! 1. The header and inline body are read from user memory in one copy,
//!    into the message itself.
//! 2. The header is checked and the descriptors sized (XNU's first pass),
//!    and the out-of-line memory is read -- all with no lock held.
//! 3. Under the sender's space lock: the header rights are checked, then
//!    copied in, so a failed header leaves the space exactly as it was;
//!    then the body rights, in order. A body error releases every right
//!    copied in so far, header rights too, as XNU does.
//!
//! Errors come in XNU's order: a fault reading out-of-line memory is
//! reported at its descriptor's place, after the rights of the ones
//! before it.

use kernel::{
    prelude::*,
    sync::Arc,
    uaccess::{UserPtr, UserSlice},
};

use crate::{
    ipc_object, ipc_right,
    kmsg::*,
    limits::{self, gfp_user, UVec},
    mach::*,
    outbox::Outbox,
    port::{self, Port},
    right::{MsgPort, Right},
    space::SpaceInner,
};

/// The `mach_msg` send arguments the copyin needs.
pub(crate) struct SendArgs {
    pub(crate) buf: u64,
    pub(crate) size: u32,
    pub(crate) notify: bool,
}

/// A descriptor as sized in the first pass, with its out-of-line data
/// once read.
enum RawDesc {
    Port {
        off: usize,
        name: u32,
        disp: u32,
    },
    Ool {
        off: usize,
        data: OolData,
    },
    OolPorts {
        off: usize,
        names: UVec<u32>,
        disp: u32,
    },
    /// A type XNU does not know: `MACH_SEND_INVALID_TYPE` when reached.
    Unknown,
}

/// A region the sender gave with the deallocate flag.
struct Dealloc {
    addr: u64,
    len: u64,
}

/// The parsed body.
struct Body {
    descs: UVec<RawDesc>,
    dealloc: UVec<Dealloc>,
    /// The first descriptor whose memory could not be read, and the code.
    fault: Option<(usize, MsgReturn)>,
}

/// Reads the message into a new kernel message charged to the account of
/// `cache`'s owner, its structure taken from `cache` if small.
pub(crate) fn read(
    args: &SendArgs,
    sender: Sender,
    cache: &KMsgCache,
) -> core::result::Result<MsgBox, MsgReturn> {
    let size = args.size as usize;
    if size < HEADER_SIZE || size % 4 != 0 {
        return Err(MsgReturn::SEND_MSG_TOO_SMALL);
    }
    if size > limits::max_msg_size() as usize {
        return Err(MsgReturn::SEND_TOO_LARGE);
    }
    let mut m = KMsg::alloc_cached(cache, size, sender)?;
    let b = body(&mut m);
    UserSlice::new(UserPtr::from_addr(args.buf as usize), size)
        .reader()
        .read_slice(b.bytes_mut())
        .map_err(|_| MsgReturn::SEND_INVALID_DATA)?;
    b.hdr = Header::read(b.bytes());
    b.hdr.size = size as u32;
    // Bits outside MACH_MSGH_BITS_USER are dropped (`ipc_kmsg_copyin`).
    b.hdr.bits &= MSGH_BITS_USER;
    Ok(m)
}

/// The header checks that need no space: dispositions, the destination
/// name, the voucher. Returns the voucher disposition to keep in the bits.
fn check_header(h: &Header) -> core::result::Result<u32, MsgReturn> {
    let (dtype, rtype, vtype) = (
        bits_remote(h.bits),
        bits_local(h.bits),
        bits_voucher(h.bits),
    );
    let reply_ok = if rtype == 0 {
        h.local == MACH_PORT_NULL
    } else {
        msg_type_port_any_send(rtype)
    };
    if !msg_type_port_any_send(dtype) || !reply_ok {
        return Err(MsgReturn::SEND_INVALID_HEADER);
    }
    if !name_valid(h.remote) {
        return Err(MsgReturn::SEND_INVALID_DEST);
    }
    // The voucher field is read only when the voucher bits ask for it
    // (xnu-3248 `ipc_kmsg_copyin_header`); older programs call it
    // `msgh_reserved` and leave it uninitialised.
    if vtype == 0 {
        return Ok(0);
    }
    if h.voucher == MACH_PORT_DEAD || (vtype != MSG_TYPE_MOVE_SEND && vtype != MSG_TYPE_COPY_SEND) {
        return Err(MsgReturn::SEND_INVALID_VOUCHER);
    }
    if h.voucher != MACH_PORT_NULL {
        // machipc has no voucher objects: no name is a voucher.
        return Err(MsgReturn::SEND_INVALID_VOUCHER);
    }
    Ok(MSG_TYPE_MOVE_SEND)
}

/// Reads `len` bytes of the sender's memory at `addr`.
fn read_user(addr: u64, len: usize) -> core::result::Result<UVec<u8>, MsgReturn> {
    let mut v = UVec::new();
    if len == 0 {
        return Ok(v);
    }
    v.resize(len, 0, gfp_user())
        .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
    UserSlice::new(UserPtr::from_addr(addr as usize), len)
        .reader()
        .read_slice(&mut v)
        .map_err(|_| MsgReturn::SEND_INVALID_MEMORY)?;
    Ok(v)
}

/// The descriptors as sized: offset and type of each.
type Sized = UVec<(usize, u8)>;

/// XNU's sizing pass over the descriptors, the charge of what they will
/// pin to the message's byte budget, then the out-of-line reads.
fn parse_body(b: &mut KMsgBody) -> core::result::Result<Body, MsgReturn> {
    let (sized, pinned) = size_body(b.bytes())?;
    b.charge_pinned(pinned)?;
    read_ool(b.bytes(), &sized)
}

/// XNU's sizing pass: the descriptors, and the kernel memory they will pin
/// (out-of-line bytes, port arrays, the descriptor list).
fn size_body(data: &[u8]) -> core::result::Result<(Sized, usize), MsgReturn> {
    let size = data.len();
    // A complex message of just a header has no descriptor count: XNU
    // reads it from its zero trailer word.
    let count = if size >= DESC_START {
        get_u32(data, OFF_DESC_COUNT) as usize
    } else {
        0
    };
    // The message's size bounds how many descriptors can be sized: past
    // that, the sizing pass stops with MACH_SEND_MSG_TOO_SMALL.
    let fit = (size.saturating_sub(DESC_START) / PORT_DESC_SIZE).min(count);
    let mut sized = UVec::with_capacity(fit, gfp_user()).map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
    let mut off = DESC_START;
    let mut rights: u64 = 0;
    let mut ool: u64 = 0;
    let mut pinned: u64 = 0;
    for i in 0..count {
        if i >= limits::max_msg_descriptors() as usize {
            return Err(MsgReturn::SEND_TOO_LARGE);
        }
        let ty = data.get(off + DESC_TYPE).copied().unwrap_or(0xff);
        let len = match ty {
            DESC_OOL | DESC_OOL_VOLATILE | DESC_OOL_PORTS => OOL_DESC_SIZE,
            // Unknown types are stepped over as 12 bytes (64-bit task).
            _ => PORT_DESC_SIZE,
        };
        if off + len > size {
            return Err(MsgReturn::SEND_MSG_TOO_SMALL);
        }
        match ty {
            DESC_PORT => rights += 1,
            DESC_OOL | DESC_OOL_VOLATILE => {
                let copy = data[off + DESC_COPY];
                // XNU sends only physical and virtual copies.
                if copy != MSG_PHYSICAL_COPY && copy != MSG_VIRTUAL_COPY {
                    return Err(MsgReturn::SEND_INVALID_TYPE);
                }
                let n = u64::from(get_u32(data, off + DESC_COUNT));
                ool += n;
                pinned += n;
            }
            DESC_OOL_PORTS => {
                let n = u64::from(get_u32(data, off + DESC_COUNT));
                rights += n;
                ool += n * 4;
                pinned += n * PINNED_PER_RIGHT as u64;
            }
            _ => {}
        }
        pinned += PINNED_PER_DESC as u64;
        if rights > u64::from(limits::max_msg_rights()) || ool > u64::from(limits::max_ool_size()) {
            return Err(MsgReturn::SEND_TOO_LARGE);
        }
        // Within the capacity: `fit` descriptors fit in the message.
        if sized.push_within_capacity((off, ty)).is_err() {
            return Err(MsgReturn::SEND_MSG_TOO_SMALL);
        }
        off += len;
    }
    // Bounded by the caps checked above (64 MiB and 16,382 rights).
    Ok((sized, pinned as usize))
}

/// Reads the out-of-line memory of the sized descriptors, stopping at the
/// first fault (reported later, at its place).
fn read_ool(data: &[u8], sized: &[(usize, u8)]) -> core::result::Result<Body, MsgReturn> {
    let mut body = Body {
        descs: UVec::with_capacity(sized.len(), gfp_user())
            .map_err(|_| MsgReturn::SEND_NO_BUFFER)?,
        dealloc: UVec::new(),
        fault: None,
    };
    for (i, &(off, ty)) in sized.iter().enumerate() {
        let addr = get_u64(data, off);
        let dealloc = data[off + DESC_DEALLOC] != 0;
        let n = get_u32(data, off + DESC_COUNT) as usize;
        let raw = if body.fault.is_some() {
            RawDesc::Unknown
        } else {
            match ty {
                DESC_PORT => RawDesc::Port {
                    off,
                    name: get_u32(data, off),
                    disp: u32::from(data[off + DESC_DISPOSITION]),
                },
                DESC_OOL | DESC_OOL_VOLATILE => match read_user(addr, n) {
                    Ok(d) => {
                        if dealloc && n > 0 {
                            body.dealloc
                                .push(
                                    Dealloc {
                                        addr,
                                        len: n as u64,
                                    },
                                    GFP_KERNEL_ACCOUNT,
                                )
                                .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
                        }
                        RawDesc::Ool { off, data: d }
                    }
                    Err(code) => {
                        body.fault = Some((i, code));
                        RawDesc::Unknown
                    }
                },
                DESC_OOL_PORTS => match read_names(addr, n) {
                    Ok(names) => {
                        if dealloc && n > 0 {
                            body.dealloc
                                .push(
                                    Dealloc {
                                        addr,
                                        len: n as u64 * 4,
                                    },
                                    GFP_KERNEL_ACCOUNT,
                                )
                                .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
                        }
                        RawDesc::OolPorts {
                            off,
                            names,
                            disp: u32::from(data[off + DESC_DISPOSITION]),
                        }
                    }
                    Err(code) => {
                        body.fault = Some((i, code));
                        RawDesc::Unknown
                    }
                },
                _ => RawDesc::Unknown,
            }
        };
        // Cannot fail: reserved above.
        let _ = body.descs.push_within_capacity(raw);
    }
    Ok(body)
}

/// Reads an out-of-line array of `n` port names.
fn read_names(addr: u64, n: usize) -> core::result::Result<UVec<u32>, MsgReturn> {
    let bytes = read_user(addr, n * 4)?;
    let mut names = UVec::with_capacity(n, gfp_user()).map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
    for i in 0..n {
        let _ = names.push_within_capacity(get_u32(&bytes, i * 4));
    }
    Ok(names)
}

/// The header rights: destination and reply, checked together first, then
/// copied in (`ipc_kmsg_copyin_header`). One name for both is handled as
/// XNU does: the pair is validated, and the right that copies is taken
/// before the one that moves.
fn copyin_header(
    sp: &mut SpaceInner,
    h: &Header,
    out: &mut Outbox,
) -> core::result::Result<(Right, MsgPort), MsgReturn> {
    let (dname, dtype) = (h.remote, bits_remote(h.bits));
    let (rname, rtype) = (h.local, bits_local(h.bits));
    if !sp.active {
        return Err(MsgReturn::SEND_INVALID_DEST);
    }
    if dname == rname {
        if dtype == MSG_TYPE_MOVE_SEND_ONCE || rtype == MSG_TYPE_MOVE_SEND_ONCE {
            return Err(MsgReturn::SEND_INVALID_DEST);
        }
        ipc_object::copyin_check(sp, dname, dtype, false)
            .map_err(|_| MsgReturn::SEND_INVALID_DEST)?;
        ipc_object::copyin_check(sp, dname, rtype, false)
            .map_err(|_| MsgReturn::SEND_INVALID_DEST)?;
        let moves = u32::from(dtype == MSG_TYPE_MOVE_SEND) + u32::from(rtype == MSG_TYPE_MOVE_SEND);
        let urefs = sp
            .lookup(dname)
            .map_err(|_| MsgReturn::SEND_INVALID_DEST)?
            .urefs;
        if moves > urefs {
            return Err(MsgReturn::SEND_INVALID_DEST);
        }
        let moving = |t: u32| t == MSG_TYPE_MOVE_SEND;
        let (d, r) = if moving(dtype) && !moving(rtype) {
            let r = ipc_object::copyin(sp, dname, rtype, false, out);
            let d = ipc_object::copyin(sp, dname, dtype, false, out);
            (d, r)
        } else {
            let d = ipc_object::copyin(sp, dname, dtype, false, out);
            let r = ipc_object::copyin(sp, dname, rtype, false, out);
            (d, r)
        };
        return match (d, r) {
            (Ok(MsgPort::Right(d)), Ok(r)) => Ok((d, r)),
            // Unreachable after the checks; never leave half a header.
            (d, r) => {
                for p in [d, r].into_iter().flatten() {
                    ipc_object::release_msgport(p, out);
                }
                Err(MsgReturn::SEND_INVALID_DEST)
            }
        };
    }
    if let Some(r) = copyin_header_live(sp, h, out) {
        return r;
    }
    ipc_object::copyin_check(sp, dname, dtype, false).map_err(|_| MsgReturn::SEND_INVALID_DEST)?;
    if name_valid(rname) {
        ipc_object::copyin_check(sp, rname, rtype, true)
            .map_err(|_| MsgReturn::SEND_INVALID_REPLY)?;
    }
    // Both were checked above and the two names differ: copying the
    // destination in leaves the reply's entry as it was checked.
    let d = match ipc_object::copyin_checked(sp, dname, dtype, out) {
        Ok(MsgPort::Right(d)) => d,
        Ok(other) => {
            ipc_object::release_msgport(other, out);
            return Err(MsgReturn::SEND_INVALID_DEST);
        }
        Err(_) => return Err(MsgReturn::SEND_INVALID_DEST),
    };
    copyin_reply(sp, d, rname, rtype, out)
}

/// The common case of [`copyin_header`] for two different names: the
/// destination's port is found alive under the lock its copyin takes
/// anyway, instead of being locked once more to be checked first (XNU's
/// `ipc_right_check`). `None` (nothing done, but the reply's lazy dead-name
/// conversion) whenever the full way must decide: the destination lacks
/// the right or its port is dead, or the reply does not pass its check --
/// the full way then gives the same result, destination first.
fn copyin_header_live(
    sp: &mut SpaceInner,
    h: &Header,
    out: &mut Outbox,
) -> Option<core::result::Result<(Right, MsgPort), MsgReturn>> {
    let (dname, dtype) = (h.remote, bits_remote(h.bits));
    let (rname, rtype) = (h.local, bits_local(h.bits));
    ipc_object::has_right_for(sp, dname, dtype).ok()?;
    if name_valid(rname) {
        ipc_object::copyin_check(sp, rname, rtype, true).ok()?;
    }
    let d = match ipc_object::copyin_if_live(sp, dname, dtype, out) {
        Ok(Some(MsgPort::Right(d))) => d,
        Ok(None) => return None,
        Ok(Some(other)) => {
            ipc_object::release_msgport(other, out);
            return Some(Err(MsgReturn::SEND_INVALID_DEST));
        }
        Err(_) => return Some(Err(MsgReturn::SEND_INVALID_DEST)),
    };
    Some(copyin_reply(sp, d, rname, rtype, out))
}

/// The reply half of a header copyin, the destination `d` copied in and
/// the reply checked: the reply right (null or dead as named).
fn copyin_reply(
    sp: &mut SpaceInner,
    d: Right,
    rname: u32,
    rtype: u32,
    out: &mut Outbox,
) -> core::result::Result<(Right, MsgPort), MsgReturn> {
    let r = match rname {
        MACH_PORT_NULL => MsgPort::Null,
        MACH_PORT_DEAD => MsgPort::Dead,
        _ => match ipc_object::copyin_checked(sp, rname, rtype, out) {
            Ok(r) => r,
            Err(_) => {
                // Unreachable after the check; never leave half a header.
                ipc_object::release(d, out);
                return Err(MsgReturn::SEND_INVALID_REPLY);
            }
        },
    };
    Ok((d, r))
}

/// Copies in one right of the body; a receive right enters transit to
/// `dest` (or marks the message circular).
fn copyin_body_right(
    sp: &mut SpaceInner,
    name: u32,
    disp: u32,
    dest: &Arc<Port>,
    circular: &mut bool,
    out: &mut Outbox,
) -> core::result::Result<MsgPort, MsgReturn> {
    let p = match name {
        MACH_PORT_NULL => return Ok(MsgPort::Null),
        MACH_PORT_DEAD => return Ok(MsgPort::Dead),
        _ => ipc_object::copyin(sp, name, disp, true, out)
            .map_err(|_| MsgReturn::SEND_INVALID_RIGHT)?,
    };
    if let MsgPort::Right(r) = &p {
        if disp == MSG_TYPE_MOVE_RECEIVE && port::enter_transit(r.port(), dest) {
            *circular = true;
        }
    }
    Ok(p)
}

/// The body rights, in descriptor order, into `msg`. On failure the rights
/// copied so far stay in `msg`, for the caller to destroy it.
fn copyin_body(
    sp: &mut SpaceInner,
    msg: &mut MsgBox,
    mut raw: UVec<RawDesc>,
    fault: Option<(usize, MsgReturn)>,
    out: &mut Outbox,
) -> core::result::Result<bool, MsgReturn> {
    let b = body(msg);
    let dest = match &b.dest {
        Some(d) => d.port().clone(),
        None => return Err(MsgReturn::SEND_INVALID_DEST),
    };
    let mut circular = false;
    b.descs
        .reserve(raw.len(), gfp_user())
        .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
    for (i, r) in raw.drain_all().enumerate() {
        if let Some((at, code)) = fault {
            if at == i {
                return Err(code);
            }
        }
        let d = match r {
            RawDesc::Port { off, name, disp } => {
                let port = copyin_body_right(sp, name, disp, &dest, &mut circular, out)?;
                b.carries_receive |= disp == MSG_TYPE_MOVE_RECEIVE && port.has_right();
                Desc::Port {
                    off: off as u32,
                    port,
                    ty: copyin_type(disp) as u8,
                }
            }
            RawDesc::Ool { off, data } => Desc::Ool {
                off: off as u32,
                data,
            },
            RawDesc::OolPorts { off, names, disp } => {
                let mut ports = UVec::with_capacity(names.len(), gfp_user())
                    .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
                let mut failed = None;
                for &n in names.iter() {
                    match copyin_body_right(sp, n, disp, &dest, &mut circular, out) {
                        // Cannot fail: reserved above.
                        Ok(p) => {
                            let _ = ports.push_within_capacity(p);
                        }
                        Err(code) => {
                            failed = Some(code);
                            break;
                        }
                    }
                }
                b.carries_receive |= disp == MSG_TYPE_MOVE_RECEIVE;
                let d = Desc::OolPorts {
                    off: off as u32,
                    ports,
                    ty: copyin_type(disp) as u8,
                };
                // Cannot fail: reserved above. The rights copied so far go
                // with the message, to be destroyed.
                let _ = b.descs.push_within_capacity(d);
                if let Some(code) = failed {
                    return Err(code);
                }
                continue;
            }
            RawDesc::Unknown => return Err(MsgReturn::SEND_INVALID_TYPE),
        };
        // Cannot fail: reserved above.
        let _ = b.descs.push_within_capacity(d);
    }
    Ok(circular)
}

/// A message copied in.
pub(crate) struct Copied {
    pub(crate) msg: MsgBox,
    /// It carries a receive right into its own destination chain: XNU
    /// destroys it and the send succeeds.
    pub(crate) circular: bool,
    /// `MACH_SEND_NOTIFY` found room: the send must not wait.
    pub(crate) always: bool,
}

/// `ipc_kmsg_copyin`: the message's rights, from `sp`. On failure the
/// message is destroyed through `out` and the code returned.
pub(crate) fn copyin(
    sp_lock: &kernel::sync::Mutex<SpaceInner>,
    mut msg: MsgBox,
    args: &SendArgs,
    out: &mut Outbox,
) -> core::result::Result<Copied, MsgReturn> {
    let hdr = body(&mut msg).hdr;
    let vtype = check_header(&hdr)?;
    {
        let b = body(&mut msg);
        b.hdr.bits = (hdr.bits & !(0x1f << 16)) | (vtype << 16);
        b.dest_type = copyin_type(bits_remote(hdr.bits));
        b.reply_type = if bits_local(hdr.bits) == 0 {
            0
        } else {
            copyin_type(bits_local(hdr.bits))
        };
    }
    // The body is sized and its memory read before any lock is taken; its
    // errors are reported after the header's, as XNU orders them.
    let parsed = if hdr.is_complex() {
        parse_body(body(&mut msg)).map(Some)
    } else {
        Ok(None)
    };
    let mut sp = sp_lock.lock();
    let mut always = false;
    if args.notify {
        always = ipc_right::arm_send_possible(&mut sp, hdr.remote, body(&mut msg).dest_type);
    }
    let (dest, reply) = copyin_header(&mut sp, &hdr, out)?;
    {
        let b = body(&mut msg);
        b.dest = Some(dest);
        b.reply = reply;
    }
    let result = match parsed {
        Err(code) => Err(code),
        Ok(None) => Ok((false, None)),
        Ok(Some(b)) => {
            let Body {
                descs,
                dealloc,
                fault,
            } = b;
            copyin_body(&mut sp, &mut msg, descs, fault, out).map(|c| (c, Some(dealloc)))
        }
    };
    drop(sp);
    match result {
        Ok((circular, dealloc)) => {
            // Regions sent with the deallocate flag leave the sender.
            for d in dealloc.iter().flatten() {
                unmap_user(d.addr, d.len);
            }
            Ok(Copied {
                msg,
                circular,
                always,
            })
        }
        Err(code) => {
            out.destroy(msg);
            Err(code)
        }
    }
}

/// Unmaps `len` bytes at `addr` from the calling process (a sender's
/// out-of-line region with the deallocate flag).
fn unmap_user(addr: u64, len: u64) {
    // SAFETY: `vm_munmap` operates on the current process's address space,
    // takes its own locks, and accepts any range (failing harmlessly).
    unsafe { kernel::bindings::vm_munmap(addr as usize, len as usize) };
}
