// SPDX-License-Identifier: GPL-2.0

//! Kernel messages: a message between copyin and copyout (XNU
//! `ipc_kmsg.c`).
//!
//! A message keeps the bytes the sender gave (header and body, the
//! descriptors rewritten at copyout) and, separately, everything it
//! carries: the destination and reply rights, and per descriptor the port
//! rights and out-of-line memory. Destroying a message releases all of it
//! through an [`Outbox`], without recursion.

use kernel::{
    alloc::KVVec,
    bindings,
    prelude::*,
    uaccess::{UserPtr, UserSlice},
};

use crate::{
    mach::*,
    right::{CopiedRight, Outbox, Right},
};

/// Header layout (`mach_msg_header_t`, 24 bytes).
pub(crate) const HEADER_SIZE: usize = 24;
pub(crate) const OFF_BITS: usize = 0;
pub(crate) const OFF_SIZE: usize = 4;
pub(crate) const OFF_REMOTE: usize = 8;
pub(crate) const OFF_LOCAL: usize = 12;
pub(crate) const OFF_VOUCHER: usize = 16;
pub(crate) const OFF_ID: usize = 20;
/// `mach_msg_body_t` right after the header in complex messages.
pub(crate) const OFF_DESC_COUNT: usize = 24;
pub(crate) const DESC_START: usize = 28;

/// Descriptor types and sizes (64-bit user layout).
pub(crate) const DESC_PORT: u8 = 0;
pub(crate) const DESC_OOL: u8 = 1;
pub(crate) const DESC_OOL_PORTS: u8 = 2;
pub(crate) const DESC_OOL_VOLATILE: u8 = 3;
/// Offset of the type byte in every descriptor.
const DESC_TYPE_OFF: usize = 11;

/// Copies `src` into the start of `dst` (`dst` at least as long).
/// A plain loop: `copy_from_slice`'s length-mismatch panic path confuses
/// objtool in the non-debug kernel.
pub(crate) fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src.iter()) {
        *d = *s;
    }
}

pub(crate) fn get_u32(b: &[u8], off: usize) -> u32 {
    let mut a = [0u8; 4];
    copy_bytes(&mut a, &b[off..off + 4]);
    u32::from_ne_bytes(a)
}

pub(crate) fn put_u32(b: &mut [u8], off: usize, v: u32) {
    copy_bytes(&mut b[off..off + 4], &v.to_ne_bytes());
}

pub(crate) fn get_u64(b: &[u8], off: usize) -> u64 {
    let mut a = [0u8; 8];
    copy_bytes(&mut a, &b[off..off + 8]);
    u64::from_ne_bytes(a)
}

pub(crate) fn put_u64(b: &mut [u8], off: usize, v: u64) {
    copy_bytes(&mut b[off..off + 8], &v.to_ne_bytes());
}

/// Who sent a message: filled in by the kernel at send time.
#[derive(Clone, Copy, Default)]
pub(crate) struct Sender {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) euid: u32,
    pub(crate) egid: u32,
    pub(crate) pid: u32,
}

impl Sender {
    /// The calling process's credentials.
    pub(crate) fn current() -> Sender {
        let task = kernel::task::Task::current_raw();
        // SAFETY: `current` is valid, and its own `cred` pointer is stable
        // for as long as it runs (only the task itself replaces it).
        let cred = unsafe { &*(*task).cred };
        Sender {
            uid: cred.uid.val,
            gid: cred.gid.val,
            euid: cred.euid.val,
            egid: cred.egid.val,
            pid: kernel::current!().tgid() as u32,
        }
    }
}

/// What one descriptor carries.
pub(crate) enum Desc {
    /// A port descriptor at `off`: the right and its type after copyin.
    Port {
        off: usize,
        right: Option<CopiedRight>,
        ty: u32,
    },
    /// Out-of-line memory at `off`.
    Ool { off: usize, data: KVVec<u8> },
    /// Out-of-line ports at `off`.
    OolPorts {
        off: usize,
        rights: KVec<Option<CopiedRight>>,
        ty: u32,
    },
}

/// A message in the kernel.
pub(crate) struct KMsg {
    /// The message as sent: header and body (`size` bytes).
    pub(crate) data: KVVec<u8>,
    /// The destination right (consumed at receive).
    pub(crate) dest: Option<Right>,
    pub(crate) dest_type: u32,
    pub(crate) reply: Option<CopiedRight>,
    pub(crate) reply_type: u32,
    pub(crate) descs: KVec<Desc>,
    pub(crate) sender: Sender,
    /// Set at dequeue.
    pub(crate) seqno: u32,
    pub(crate) context: u64,
}

impl KMsg {
    pub(crate) fn size(&self) -> u32 {
        self.data.len() as u32
    }

    pub(crate) fn bits(&self) -> u32 {
        get_u32(&self.data, OFF_BITS)
    }

    pub(crate) fn id(&self) -> i32 {
        get_u32(&self.data, OFF_ID) as i32
    }

    pub(crate) fn is_complex(&self) -> bool {
        self.bits() & MSGH_BITS_COMPLEX != 0
    }

    /// Hands every right the message carries to `out` (the message is
    /// destroyed).
    pub(crate) fn release_into(mut self, out: &mut Outbox) {
        if let Some(d) = self.dest.take() {
            out.release(d);
        }
        if let Some(CopiedRight::Right(r)) = self.reply.take() {
            out.release(r);
        }
        for d in self.descs.drain_all() {
            d.release(out);
        }
    }
}

impl Desc {
    /// Hands the rights the descriptor carries to `out` for release.
    pub(crate) fn release(self, out: &mut Outbox) {
        let rights = match self {
            Desc::Port { right, .. } => {
                if let Some(CopiedRight::Right(r)) = right {
                    out.release(r);
                }
                return;
            }
            Desc::OolPorts { rights, .. } => rights,
            Desc::Ool { .. } => return,
        };
        for r in rights.into_iter().flatten() {
            if let CopiedRight::Right(r) = r {
                out.release(r);
            }
        }
    }
}

/// A descriptor as parsed from the sender's bytes, before its rights are
/// copied in.
pub(crate) enum RawDesc {
    Port {
        off: usize,
        name: u32,
        disp: u32,
    },
    Ool {
        off: usize,
        data: KVVec<u8>,
        dealloc: Option<(u64, u64)>,
    },
    OolPorts {
        off: usize,
        names: KVec<u32>,
        disp: u32,
        dealloc: Option<(u64, u64)>,
    },
}

/// Reads `len` bytes of the caller's memory at `addr`.
fn read_user(addr: u64, len: usize) -> KResult<KVVec<u8>> {
    let mut v = KVVec::new();
    if len == 0 {
        return Ok(v);
    }
    UserSlice::new(UserPtr::from_addr(addr as usize), len)
        .read_all(&mut v, GFP_KERNEL_ACCOUNT)
        .map_err(|e| {
            if e == ENOMEM {
                MACH_SEND_NO_BUFFER
            } else {
                MACH_SEND_INVALID_MEMORY
            }
        })?;
    Ok(v)
}

/// Parses the descriptors of a complex message and copies in its
/// out-of-line memory (no lock held: this touches user memory).
/// `max_ool` bounds the out-of-line bytes.
pub(crate) fn parse_body(data: &[u8], max_ool: usize) -> KResult<KVec<RawDesc>> {
    let size = data.len();
    if size < DESC_START {
        return Err(MACH_SEND_MSG_TOO_SMALL);
    }
    let count = get_u32(data, OFF_DESC_COUNT) as usize;
    let mut descs = KVec::new();
    let mut off = DESC_START;
    let mut ool_total = 0usize;
    for _ in 0..count {
        if off + 12 > size {
            return Err(MACH_SEND_MSG_TOO_SMALL);
        }
        let ty = data[off + DESC_TYPE_OFF];
        let len = if ty == DESC_PORT { 12 } else { 16 };
        if off + len > size {
            return Err(MACH_SEND_MSG_TOO_SMALL);
        }
        let raw = match ty {
            DESC_PORT => RawDesc::Port {
                off,
                name: get_u32(data, off),
                disp: u32::from(data[off + 10]),
            },
            DESC_OOL | DESC_OOL_VOLATILE => {
                let addr = get_u64(data, off);
                let dealloc = data[off + 8] != 0;
                let copy = data[off + 9];
                let len = get_u32(data, off + 12) as usize;
                // XNU sends only physical and virtual copies.
                if copy != MSG_PHYSICAL_COPY && copy != MSG_VIRTUAL_COPY {
                    return Err(MACH_SEND_INVALID_TYPE);
                }
                ool_total = ool_total.saturating_add(len);
                if ool_total > max_ool {
                    return Err(MACH_SEND_TOO_LARGE);
                }
                let bytes = read_user(addr, len)?;
                RawDesc::Ool {
                    off,
                    data: bytes,
                    dealloc: (dealloc && len > 0).then_some((addr, len as u64)),
                }
            }
            DESC_OOL_PORTS => {
                let addr = get_u64(data, off);
                let dealloc = data[off + 8] != 0;
                let disp = u32::from(data[off + 10]);
                let n = get_u32(data, off + 12) as usize;
                let bytes = n.checked_mul(4).ok_or(MACH_SEND_TOO_LARGE)?;
                ool_total = ool_total.saturating_add(bytes);
                if ool_total > max_ool {
                    return Err(MACH_SEND_TOO_LARGE);
                }
                let raw = read_user(addr, bytes)?;
                let mut names =
                    KVec::with_capacity(n, GFP_KERNEL_ACCOUNT).map_err(|_| MACH_SEND_NO_BUFFER)?;
                for i in 0..n {
                    names
                        .push(get_u32(&raw, i * 4), GFP_KERNEL_ACCOUNT)
                        .map_err(|_| MACH_SEND_NO_BUFFER)?;
                }
                RawDesc::OolPorts {
                    off,
                    names,
                    disp,
                    dealloc: (dealloc && bytes > 0).then_some((addr, bytes as u64)),
                }
            }
            _ => return Err(MACH_SEND_INVALID_TYPE),
        };
        descs
            .push(raw, GFP_KERNEL_ACCOUNT)
            .map_err(|_| MACH_SEND_NO_BUFFER)?;
        off += len;
    }
    Ok(descs)
}

/// The size of the trailer the receive option asks for
/// (`REQUESTED_TRAILER_SIZE`), or `None` for an invalid request.
pub(crate) fn trailer_size(option: u32) -> Option<u32> {
    if (option >> 28) & 0xf != 0 {
        return None;
    }
    Some(match (option >> 24) & 0xf {
        0 => 8,
        1 => 12,
        2 => 20,
        3 => 52,
        4 => 60,
        _ => 68,
    })
}

/// The trailer (`mach_msg_max_trailer_t`, 68 bytes) of a received message;
/// the receiver gets its first `trailer_size` bytes.
pub(crate) fn trailer(msg: &KMsg, size: u32) -> [u8; 68] {
    let s = &msg.sender;
    let mut t = [0u8; 68];
    put_u32(&mut t, 0, 0); // MACH_MSG_TRAILER_FORMAT_0
    put_u32(&mut t, 4, size);
    put_u32(&mut t, 8, msg.seqno);
    // security_token_t: effective uid and gid.
    put_u32(&mut t, 12, s.euid);
    put_u32(&mut t, 16, s.egid);
    // audit_token_t: auid, euid, egid, ruid, rgid, pid, asid, pidversion.
    let audit = [s.uid, s.euid, s.egid, s.uid, s.gid, s.pid, 0, 0];
    for (i, v) in audit.iter().enumerate() {
        put_u32(&mut t, 20 + 4 * i, *v);
    }
    put_u64(&mut t, 52, msg.context);
    t
}

/// Unmaps `len` bytes at `addr` from the calling process (a sender's
/// out-of-line region with the deallocate flag).
pub(crate) fn unmap_user(addr: u64, len: u64) {
    // SAFETY: `vm_munmap` operates on the current process's address space,
    // takes its own locks, and accepts any range (failing harmlessly).
    unsafe { bindings::vm_munmap(addr as usize, len as usize) };
}

/// Maps `len` bytes of fresh anonymous memory into the calling process
/// (a receiver) and copies `data` into it; returns its address.
pub(crate) fn map_user(data: &[u8]) -> core::result::Result<u64, Kr> {
    if data.is_empty() {
        return Ok(0);
    }
    let len = data.len();
    // The uapi values (asm-generic/mman-common.h): stable ABI.
    const PROT_READ: usize = 0x1;
    const PROT_WRITE: usize = 0x2;
    const MAP_PRIVATE: usize = 0x02;
    const MAP_ANONYMOUS: usize = 0x20;
    let prot = PROT_READ | PROT_WRITE;
    let flags = MAP_PRIVATE | MAP_ANONYMOUS;
    // SAFETY: `vm_mmap` maps into the current process's address space; a
    // NULL file with MAP_ANONYMOUS is an anonymous mapping.
    let addr = unsafe { bindings::vm_mmap(core::ptr::null_mut(), 0, len, prot, flags, 0) };
    if addr >= (-4095isize) as usize {
        return Err(MACH_MSG_VM_SPACE);
    }
    let mut w = UserSlice::new(UserPtr::from_addr(addr), len).writer();
    if w.write_slice(data).is_err() {
        unmap_user(addr as u64, len as u64);
        return Err(MACH_MSG_VM_SPACE);
    }
    Ok(addr as u64)
}
