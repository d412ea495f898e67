// SPDX-License-Identifier: GPL-2.0

//! Listings of a space (XNU `mach_port_names`, `mach_port_get_set_status`,
//! `mach_port_space_info`): the PORT_LIST calls. Results are gathered into
//! a kernel vector under the space lock and copied out after it.

use kernel::sync::Arc;

use crate::{
    ipc_right,
    limits::{gfp_user, UVec},
    mach::*,
    port::Receiver,
    space::{Object, SpaceInner},
    task::Task,
    uapi::NameInfo,
};

/// The result of a listing.
pub(crate) struct Listing {
    pub(crate) entries: UVec<NameInfo>,
    pub(crate) table_size: u32,
}

/// The entries of a space as `mach_port_names` sees them: a send right to
/// a dead port shows as a dead name (one more uref if its request fired),
/// not converted; request bits are included.
fn names(sp: &SpaceInner) -> KResult<UVec<NameInfo>> {
    let mut v = UVec::new();
    for (name, e) in sp.entries() {
        let mut info = NameInfo {
            name,
            ty: e.ty,
            urefs: e.urefs,
            request: e.request,
            object: 0,
        };
        match &e.object {
            Object::Port(p) => {
                info.object = p.id;
                let pi = p.inner.lock();
                if !pi.active && e.ty & TYPE_SEND_RIGHTS != 0 && e.ty & TYPE_RECEIVE == 0 {
                    info.ty = TYPE_DEAD_NAME;
                    if pi.request_type(name, e.request) != 0 {
                        info.urefs += 1;
                    }
                } else {
                    info.ty |= pi.request_type(name, e.request);
                }
            }
            Object::Set(s) => info.object = s.id,
            Object::Dead => {}
        }
        v.push(info, gfp_user())?;
    }
    Ok(v)
}

/// The members of port set `name`, by their names in this space.
fn members(sp: &mut SpaceInner, name: u32) -> KResult<UVec<NameInfo>> {
    if !name_valid(name) {
        return Err(Kr::INVALID_RIGHT);
    }
    let set = ipc_right::translate_set(sp, name)?;
    let ports = set.members()?;
    let mut v = UVec::new();
    for p in ports.iter() {
        let pi = p.inner.lock();
        if let Receiver::Space { space, name } = pi.receiver {
            if space == sp.id {
                let info = NameInfo {
                    name,
                    ty: TYPE_RECEIVE,
                    object: p.id,
                    ..Default::default()
                };
                v.push(info, gfp_user())?;
            }
        }
    }
    Ok(v)
}

/// `mach_port_names` (`set` None) or `mach_port_get_set_status`.
pub(crate) fn list(task: &Arc<Task>, set: Option<u32>) -> KResult<Listing> {
    let mut sp = task.space.inner.lock();
    if !sp.active {
        return Err(Kr::INVALID_TASK);
    }
    let table_size = sp.table_size();
    let entries = match set {
        None => names(&sp)?,
        Some(name) => members(&mut sp, name)?,
    };
    Ok(Listing {
        entries,
        table_size,
    })
}
