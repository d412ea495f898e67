// SPDX-License-Identifier: GPL-2.0

//! MIG message layouts for the kernel's server: reading a request's
//! arguments and building its reply as Apple's MIG lays them out for a
//! 64-bit task (`#pragma pack(4)`: header, then for a complex message the
//! body count and the descriptors, then the NDR record and the scalars).
//!
//! A reply with only scalar results is `{Head; NDR; RetCode; results}`; a
//! reply with rights is complex, `{Head; body; descriptors; [NDR;
//! scalars]}`, with no return code; any failure is `mig_reply_error_t`
//! (`{Head; NDR; RetCode}`), which the caller builds from the routine's
//! error.

use crate::{
    kmsg::{
        self, Desc, MsgBox, DESC_DISPOSITION, DESC_START, DESC_TYPE, HEADER_SIZE, NDR, NDR_SIZE,
        OOL_DESC_SIZE, PORT_DESC_SIZE,
    },
    limits::{gfp_user, UVec},
    mach::*,
    outbox::Outbox,
    right::MsgPort,
};

/// A request's arguments: the port descriptors' rights (taken out of the
/// message) and the scalars after the NDR record.
pub(crate) struct Request<'a> {
    msg: &'a mut MsgBox,
    /// Where the NDR record starts.
    ndr: usize,
}

impl<'a> Request<'a> {
    /// The request in `msg`, which has `ndesc` descriptors (0: a simple
    /// message). `MIG_BAD_ARGUMENTS` if its form differs.
    pub(crate) fn new(msg: &'a mut MsgBox, ndesc: usize) -> KResult<Request<'a>> {
        let complex = msg.body.hdr.is_complex();
        if complex != (ndesc > 0) {
            return Err(Kr::MIG_BAD_ARGUMENTS);
        }
        let ndr = if complex {
            let b = msg.body.bytes();
            if b.len() < DESC_START
                || kmsg::get_u32(b, kmsg::OFF_DESC_COUNT) as usize != ndesc
                || msg.body.descs.len() != ndesc
            {
                return Err(Kr::MIG_BAD_ARGUMENTS);
            }
            // Port descriptors: 12 bytes; out-of-line ones 16.
            let mut off = DESC_START;
            for d in msg.body.descs.iter() {
                off += match d {
                    Desc::Port { .. } => PORT_DESC_SIZE,
                    _ => OOL_DESC_SIZE,
                };
            }
            off
        } else {
            HEADER_SIZE
        };
        Ok(Request { msg, ndr })
    }

    /// Exactly `N` 32-bit scalars after the NDR record (or none, and no
    /// NDR record, with `N` = 0 for a request that is just its header and
    /// descriptors).
    pub(crate) fn scalars<const N: usize>(&self) -> KResult<[u32; N]> {
        let b = self.msg.body.bytes();
        let want = if N == 0 {
            self.ndr
        } else {
            self.ndr + NDR_SIZE + 4 * N
        };
        if b.len() != want {
            return Err(Kr::MIG_BAD_ARGUMENTS);
        }
        Ok(core::array::from_fn(|i| {
            kmsg::get_u32(b, self.ndr + NDR_SIZE + 4 * i)
        }))
    }

    /// The right of port descriptor `i`, which must have arrived as `ty`
    /// (`MACH_MSG_TYPE_PORT_*`): `MIG_TYPE_ERROR` otherwise.
    pub(crate) fn take_port(&mut self, i: usize, ty: u32) -> KResult<MsgPort> {
        match kmsg::body(self.msg).descs.get_mut(i) {
            Some(Desc::Port { port, ty: t, .. })
                if u32::from(*t) == ty || matches!(port, MsgPort::Null | MsgPort::Dead) =>
            {
                Ok(core::mem::replace(port, MsgPort::Null))
            }
            _ => Err(Kr::MIG_TYPE_ERROR),
        }
    }

    /// The rights of out-of-line ports descriptor `i` (arrived as `ty`).
    pub(crate) fn take_ool_ports(&mut self, i: usize, ty: u32) -> KResult<UVec<MsgPort>> {
        match kmsg::body(self.msg).descs.get_mut(i) {
            Some(Desc::OolPorts { ports, ty: t, .. })
                if u32::from(*t) == ty || ports.is_empty() =>
            {
                Ok(core::mem::take(ports))
            }
            _ => Err(Kr::MIG_TYPE_ERROR),
        }
    }
}

/// A reply being built: its bytes after the header, and the rights its
/// descriptors carry.
pub(crate) struct Reply {
    body: UVec<u8>,
    descs: UVec<Desc>,
    complex: bool,
}

impl Reply {
    /// A simple reply: NDR record and `RetCode` (success), results follow.
    pub(crate) fn ok() -> KResult<Reply> {
        let mut r = Reply {
            body: UVec::new(),
            descs: UVec::new(),
            complex: false,
        };
        r.ndr()?;
        r.u32(0)?;
        Ok(r)
    }

    /// A complex reply with `n` descriptors, added next.
    pub(crate) fn complex(n: u32) -> KResult<Reply> {
        let mut r = Reply {
            body: UVec::new(),
            descs: UVec::new(),
            complex: true,
        };
        r.u32(n)?;
        Ok(r)
    }

    fn offset(&self) -> u32 {
        (HEADER_SIZE + self.body.len()) as u32
    }

    /// The NDR record.
    pub(crate) fn ndr(&mut self) -> KResult {
        self.body.extend_from_slice(&NDR, gfp_user())?;
        Ok(())
    }

    pub(crate) fn u32(&mut self, v: u32) -> KResult {
        self.body.extend_from_slice(&v.to_ne_bytes(), gfp_user())?;
        Ok(())
    }

    pub(crate) fn u64(&mut self, v: u64) -> KResult {
        self.body.extend_from_slice(&v.to_ne_bytes(), gfp_user())?;
        Ok(())
    }

    /// 32-bit values.
    pub(crate) fn u32s(&mut self, v: &[u32]) -> KResult {
        for x in v {
            self.u32(*x)?;
        }
        Ok(())
    }

    /// Bytes, padded to 4.
    pub(crate) fn bytes(&mut self, v: &[u8]) -> KResult {
        self.body.extend_from_slice(v, gfp_user())?;
        while self.body.len() % 4 != 0 {
            self.body.push(0, gfp_user())?;
        }
        Ok(())
    }

    /// A port descriptor carrying `p` as a send right (`MOVE_SEND` on the
    /// wire, `MACH_MSG_TYPE_PORT_SEND` delivered), as XNU's kernel stubs
    /// send them. With no memory, `p` is released.
    pub(crate) fn port(&mut self, p: MsgPort, out: &mut Outbox) -> KResult {
        let off = self.offset();
        let mut d = [0u8; PORT_DESC_SIZE];
        d[DESC_DISPOSITION] = MSG_TYPE_PORT_SEND as u8;
        d[DESC_TYPE] = kmsg::DESC_PORT;
        if self.descs.reserve(1, gfp_user()).is_err()
            || self.body.extend_from_slice(&d, gfp_user()).is_err()
        {
            crate::ipc_object::release_msgport(p, out);
            return Err(Kr::RESOURCE_SHORTAGE);
        }
        // Cannot fail: reserved above.
        let _ = self.descs.push_within_capacity(Desc::Port {
            off,
            port: p,
            ty: MSG_TYPE_PORT_SEND as u8,
        });
        Ok(())
    }

    /// An out-of-line ports descriptor carrying `ports` (send rights).
    /// With no memory, they are released.
    pub(crate) fn ool_ports(&mut self, mut ports: UVec<MsgPort>, out: &mut Outbox) -> KResult {
        let off = self.offset();
        let mut d = [0u8; OOL_DESC_SIZE];
        d[kmsg::DESC_DEALLOC] = 1;
        d[kmsg::DESC_COPY] = MSG_VIRTUAL_COPY;
        d[DESC_DISPOSITION] = MSG_TYPE_PORT_SEND as u8;
        d[DESC_TYPE] = kmsg::DESC_OOL_PORTS;
        kmsg::put_u32(&mut d, kmsg::DESC_COUNT, ports.len() as u32);
        if self.descs.reserve(1, gfp_user()).is_err()
            || self.body.extend_from_slice(&d, gfp_user()).is_err()
        {
            for p in ports.drain_all() {
                crate::ipc_object::release_msgport(p, out);
            }
            return Err(Kr::RESOURCE_SHORTAGE);
        }
        // Cannot fail: reserved above.
        let _ = self.descs.push_within_capacity(Desc::OolPorts {
            off,
            ports,
            ty: MSG_TYPE_PORT_SEND as u8,
        });
        Ok(())
    }

    /// The reply message to `to` (`id` + 100 is the caller's), or `to`
    /// and the reply back if there is no memory for it.
    pub(crate) fn into_message(
        self,
        to: crate::right::Right,
        id: i32,
    ) -> core::result::Result<MsgBox, (crate::right::Right, Reply)> {
        let len = HEADER_SIZE + self.body.len();
        let mut m = match kmsg::kernel_message(to, id.wrapping_add(100), len) {
            Ok(m) => m,
            Err(to) => return Err((to, self)),
        };
        let b = kmsg::body(&mut m);
        // What the descriptors pin is charged as for a user's message.
        // (`kernel_message` always sets the destination.)
        if b.charge_pinned(kmsg::pinned_by(&self.descs)).is_err() {
            if let Some(to) = b.dest.take() {
                return Err((to, self));
            }
        }
        kmsg::copy_bytes(&mut b.bytes_mut()[HEADER_SIZE..], &self.body);
        if self.complex {
            b.hdr.bits |= MSGH_BITS_COMPLEX;
        }
        b.descs = self.descs;
        Ok(m)
    }

    /// `mig_reply_error_t` for `kr`.
    pub(crate) fn error(kr: Kr) -> KResult<Reply> {
        let mut r = Reply {
            body: UVec::new(),
            descs: UVec::new(),
            complex: false,
        };
        r.ndr()?;
        r.u32(kr.raw() as u32)?;
        Ok(r)
    }

    /// Releases the rights of a reply that is not sent.
    pub(crate) fn discard(self, out: &mut Outbox) {
        for mut d in self.descs {
            match &mut d {
                Desc::Port { port, .. } => {
                    crate::ipc_object::release_msgport(core::mem::replace(port, MsgPort::Null), out)
                }
                Desc::OolPorts { ports, .. } => {
                    for p in ports.drain_all() {
                        crate::ipc_object::release_msgport(p, out);
                    }
                }
                Desc::Ool { .. } => {}
            }
        }
    }
}
