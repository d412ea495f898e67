// SPDX-License-Identifier: GPL-2.0

//! The `mach_port_*` calls on a port's attributes (XNU `mach_port.c`):
//! make-send count, sequence number, context and guard, and
//! `mach_port_get_attributes` / `mach_port_set_attributes`. The other
//! `mach_port_*` calls are in `port_calls.rs`.

use kernel::sync::Arc;

use crate::{
    limits::UserAccount,
    mach::*,
    mqueue,
    outbox::Outbox,
    port_calls::{receive_call, with_receive},
    task::Task,
    uapi::ATTR_INFO_MAX,
};

/// `mach_port_set_mscount`.
pub(crate) fn set_mscount(task: &Task, name: u32, mscount: u32) -> KResult {
    receive_call(task, name, |pi| {
        pi.mscount = mscount;
        Ok(())
    })
}

/// `mach_port_set_seqno`.
pub(crate) fn set_seqno(task: &Task, name: u32, seqno: u32) -> KResult {
    receive_call(task, name, |pi| {
        pi.seqno = seqno;
        Ok(())
    })
}

/// `mach_port_get_context`: 0 for a strictly guarded port.
pub(crate) fn get_context(task: &Task, name: u32) -> KResult<u64> {
    receive_call(task, name, |pi| {
        Ok(if pi.strict_guard { 0 } else { pi.context })
    })
}

/// `mach_port_set_context`.
pub(crate) fn set_context(task: &Task, name: u32, context: u64) -> KResult {
    receive_call(task, name, |pi| {
        if pi.strict_guard {
            return Err(Kr::INVALID_ARGUMENT);
        }
        pi.context = context;
        Ok(())
    })
}

/// `mach_port_guard`.
pub(crate) fn guard(task: &Task, name: u32, guard: u64, strict: bool) -> KResult {
    if !name_valid(name) {
        return Err(Kr::INVALID_NAME);
    }
    with_receive(task, name, |_, pi| {
        if pi.context != 0 {
            return Err(Kr::INVALID_ARGUMENT);
        }
        pi.context = guard;
        pi.guarded = true;
        pi.strict_guard = strict;
        Ok(())
    })
}

/// `mach_port_unguard`.
pub(crate) fn unguard(task: &Task, name: u32, guard: u64) -> KResult {
    if !name_valid(name) {
        return Err(Kr::INVALID_NAME);
    }
    with_receive(task, name, |_, pi| {
        if !pi.guarded || pi.context != guard {
            return Err(Kr::INVALID_ARGUMENT);
        }
        pi.context = 0;
        pi.guarded = false;
        pi.strict_guard = false;
        Ok(())
    })
}

/// `mach_port_get_attributes`: fills `info` (`count` natural_t at most);
/// returns the count written.
pub(crate) fn get_attributes(
    task: &Task,
    name: u32,
    flavor: i32,
    count: u32,
    info: &mut [u32; ATTR_INFO_MAX],
) -> KResult<u32> {
    match flavor {
        PORT_LIMITS_INFO => {
            if count < LIMITS_INFO_COUNT {
                return Err(Kr::FAILURE);
            }
            if !name_valid(name) {
                return Ok(0);
            }
            info[0] = with_receive(task, name, |_, pi| Ok(pi.qlimit))?;
            Ok(LIMITS_INFO_COUNT)
        }
        PORT_RECEIVE_STATUS | PORT_INFO_EXT => {
            let need = if flavor == PORT_INFO_EXT {
                INFO_EXT_COUNT
            } else {
                RECEIVE_STATUS_COUNT
            };
            if count < need {
                return Err(Kr::FAILURE);
            }
            if !name_valid(name) {
                return Err(Kr::INVALID_RIGHT);
            }
            let status = with_receive(task, name, |port, pi| Ok(pi.status(port)))?;
            *info = [0; ATTR_INFO_MAX];
            for (d, s) in info.iter_mut().zip(status.iter()) {
                *d = *s;
            }
            Ok(need)
        }
        PORT_DNREQUESTS_SIZE => {
            if count < DNREQUESTS_SIZE_COUNT {
                return Err(Kr::FAILURE);
            }
            if !name_valid(name) {
                // As XNU: 0, and the count is left as the caller gave it.
                info[0] = 0;
                return Ok(count.min(ATTR_INFO_MAX as u32));
            }
            info[0] = with_receive(task, name, |_, pi| Ok(pi.requests_size()))?;
            Ok(DNREQUESTS_SIZE_COUNT)
        }
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `mach_port_set_attributes`.
pub(crate) fn set_attributes(
    task: &Task,
    acct: &Arc<UserAccount>,
    name: u32,
    flavor: i32,
    count: u32,
    info: &[u32; ATTR_INFO_MAX],
    out: &mut Outbox,
) -> KResult {
    match flavor {
        PORT_LIMITS_INFO => {
            if count < LIMITS_INFO_COUNT {
                return Err(Kr::FAILURE);
            }
            if info[0] > QLIMIT_MAX {
                return Err(Kr::INVALID_VALUE);
            }
            if !name_valid(name) {
                return Err(Kr::INVALID_RIGHT);
            }
            with_receive(task, name, |_, pi| {
                pi.qlimit = info[0];
                mqueue::qlimit_changed(pi, out);
                Ok(())
            })
        }
        PORT_DNREQUESTS_SIZE => {
            if count < DNREQUESTS_SIZE_COUNT {
                return Err(Kr::FAILURE);
            }
            receive_call(task, name, |pi| {
                // `ITS_SIZE_NONE` (-1): one size more.
                let target = info[0];
                match &pi.requests {
                    Some(t) => t.grow((target != u32::MAX).then_some(target), acct),
                    None => {
                        let first = if target == u32::MAX { 0 } else { target };
                        pi.requests = Some(crate::port_request::RequestTable::new(first, acct)?);
                        Ok(())
                    }
                }
            })
        }
        PORT_TEMPOWNER | PORT_IMPORTANCE_RECEIVER | PORT_DENAP_RECEIVER => {
            receive_call(task, name, |pi| {
                if !pi.kobject.is_none() {
                    return Err(Kr::INVALID_ARGUMENT);
                }
                pi.impdonation = true;
                match flavor {
                    PORT_TEMPOWNER => pi.tempowner = true,
                    PORT_DENAP_RECEIVER => pi.denap = true,
                    _ => {}
                }
                Ok(())
            })
        }
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}
