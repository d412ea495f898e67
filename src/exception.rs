// SPDX-License-Identifier: GPL-2.0

//! Exception ports (XNU `ipc_host.c` / `ipc_tt.c` `*_set_exception_ports`,
//! `*_get_exception_ports`, `*_swap_exception_ports`): for each exception
//! type, a send right to a handler with the behavior and thread-state
//! flavor it wants. Stored now; raising exceptions is later work.

use kernel::prelude::*;

use crate::{ipc_object, mach::*, outbox::Outbox, right::MsgPort};

/// `EXC_TYPES_COUNT`: exception types 1..13 (0 is illegal).
pub(crate) const EXC_TYPES_COUNT: usize = 14;
/// `FIRST_EXCEPTION`.
const FIRST_EXCEPTION: usize = 1;
/// `EXC_MASK_VALID`: `EXC_MASK_ALL` with `EXC_MASK_CRASH` and
/// `EXC_MASK_CORPSE_NOTIFY`.
const EXC_MASK_VALID: u32 = 0x3FFE;
/// `EXCEPTION_DEFAULT`, `EXCEPTION_STATE`, `EXCEPTION_STATE_IDENTITY`.
const EXCEPTION_DEFAULT: i32 = 1;
const EXCEPTION_STATE_IDENTITY: i32 = 3;
/// `MACH_EXCEPTION_CODES`.
const MACH_EXCEPTION_CODES: i32 = i32::MIN;
/// The entries a get or swap reply has room for (`exception_*_array_t`
/// is `array[*:32]`).
pub(crate) const EXC_ARRAY_MAX: usize = 32;

/// One exception type's handler (`struct exception_action`).
pub(crate) struct ExcAction {
    port: MsgPort,
    behavior: i32,
    flavor: i32,
}

/// A handler as a get or swap reports it, with the types it handles.
pub(crate) struct ExcEntry {
    pub(crate) mask: u32,
    pub(crate) port: MsgPort,
    pub(crate) behavior: i32,
    pub(crate) flavor: i32,
}

/// `VALID_THREAD_STATE_FLAVOR` on x86: 1-13 and 16-18.
fn valid_flavor(f: i32) -> bool {
    matches!(f, 1..=13 | 16..=18)
}

/// The checks of a set or swap, in XNU's order. `strip_codes`: whether
/// `MACH_EXCEPTION_CODES` is masked off before the behavior is checked
/// (host swap does not).
pub(crate) fn check_set(
    mask: u32,
    port: &MsgPort,
    behavior: i32,
    flavor: i32,
    strip_codes: bool,
) -> KResult {
    if mask & !EXC_MASK_VALID != 0 {
        return Err(Kr::INVALID_ARGUMENT);
    }
    if matches!(port, MsgPort::Right(_)) {
        let b = if strip_codes {
            behavior & !MACH_EXCEPTION_CODES
        } else {
            behavior
        };
        if !(EXCEPTION_DEFAULT..=EXCEPTION_STATE_IDENTITY).contains(&b) {
            return Err(Kr::INVALID_ARGUMENT);
        }
    }
    if flavor != 0 && !valid_flavor(flavor) {
        return Err(Kr::INVALID_ARGUMENT);
    }
    Ok(())
}

/// The mask check of a get.
pub(crate) fn check_get(mask: u32) -> KResult {
    if mask & !EXC_MASK_VALID != 0 {
        return Err(Kr::INVALID_ARGUMENT);
    }
    Ok(())
}

fn same_port(a: &MsgPort, b: &MsgPort) -> bool {
    match (a, b) {
        (MsgPort::Null, MsgPort::Null) | (MsgPort::Dead, MsgPort::Dead) => true,
        (MsgPort::Right(x), MsgPort::Right(y)) => kernel::sync::Arc::ptr_eq(x.port(), y.port()),
        _ => false,
    }
}

/// The handlers of every exception type.
pub(crate) struct ExcActions(KVec<ExcAction>);

impl ExcActions {
    /// No handlers.
    pub(crate) fn new() -> Result<ExcActions> {
        let mut v = KVec::with_capacity(EXC_TYPES_COUNT, GFP_KERNEL)?;
        for _ in 0..EXC_TYPES_COUNT {
            v.push(
                ExcAction {
                    port: MsgPort::Null,
                    behavior: 0,
                    flavor: 0,
                },
                GFP_KERNEL,
            )?;
        }
        Ok(ExcActions(v))
    }

    /// The handlers of the types in `mask`, merged as XNU merges them
    /// (one entry per distinct port, behavior and flavor, with the OR of
    /// their masks), each with a copy of its send right.
    pub(crate) fn get(&self, mask: u32) -> KResult<KVec<ExcEntry>> {
        let mut v: KVec<ExcEntry> = KVec::with_capacity(EXC_ARRAY_MAX, GFP_KERNEL)?;
        for (i, a) in self.0.iter().enumerate().skip(FIRST_EXCEPTION) {
            if mask & (1 << i) == 0 {
                continue;
            }
            if let Some(e) = v.iter_mut().find(|e| {
                same_port(&e.port, &a.port) && e.behavior == a.behavior && e.flavor == a.flavor
            }) {
                e.mask |= 1 << i;
                continue;
            }
            if v.len() == EXC_ARRAY_MAX {
                break;
            }
            // Cannot fail: there is room (checked above).
            let _ = v.push_within_capacity(ExcEntry {
                mask: 1 << i,
                port: a.port.copy(),
                behavior: a.behavior,
                flavor: a.flavor,
            });
        }
        Ok(v)
    }

    /// Installs `port` (a copy for each type in `mask`) with `behavior`
    /// and `flavor`; the replaced rights are released through `out`.
    pub(crate) fn set(
        &mut self,
        mask: u32,
        port: &MsgPort,
        behavior: i32,
        flavor: i32,
        out: &mut Outbox,
    ) {
        for (i, a) in self.0.iter_mut().enumerate().skip(FIRST_EXCEPTION) {
            if mask & (1 << i) == 0 {
                continue;
            }
            let old = core::mem::replace(&mut a.port, port.copy());
            a.behavior = behavior;
            a.flavor = flavor;
            ipc_object::release_msgport(old, out);
        }
    }

    /// Releases every handler (the holder is going away).
    pub(crate) fn release(&mut self, out: &mut Outbox) {
        for a in self.0.iter_mut() {
            ipc_object::release_msgport(core::mem::replace(&mut a.port, MsgPort::Null), out);
        }
    }
}
