// SPDX-License-Identifier: GPL-2.0

//! The kernel server's host, host-priv, processor, processor-set and
//! clock routines (XNU `mach_host.defs`, `host_priv.defs`,
//! `processor.defs`, `processor_set.defs`, `clock.defs`; the MIG ids and
//! layouts of 10.11). See `kserver.rs`.

use kernel::{prelude::*, sync::Arc};

use crate::{
    exception::{self, ExcEntry, EXC_ARRAY_MAX},
    host::{Host, CLOCK_COUNT},
    host_info,
    ipc_kobject::KObject,
    ipc_object,
    kmsg::MsgBox,
    limits::{self, gfp_user, UVec},
    mach::*,
    mig::{Reply, Request},
    outbox::Outbox,
    process,
    right::MsgPort,
    task::{Task, TASKS},
    task_server::{fail_with, info_reply, port_reply, ports_reply, set_special_routine},
};

const HOST_INFO_ID: i32 = 200;
const HOST_KERNEL_VERSION_ID: i32 = 201;
const HOST_PAGE_SIZE_ID: i32 = 202;
const HOST_GET_CLOCK_SERVICE_ID: i32 = 206;
const PROCESSOR_SET_DEFAULT_ID: i32 = 213;
const HOST_STATISTICS_ID: i32 = 216;
const HOST_STATISTICS64_ID: i32 = 219;

const HOST_PROCESSORS_ID: i32 = 407;
const HOST_GET_CLOCK_CONTROL_ID: i32 = 408;
const HOST_GET_SPECIAL_PORT_ID: i32 = 412;
const HOST_SET_SPECIAL_PORT_ID: i32 = 413;
const HOST_SET_EXCEPTION_PORTS_ID: i32 = 414;
const HOST_GET_EXCEPTION_PORTS_ID: i32 = 415;
const HOST_SWAP_EXCEPTION_PORTS_ID: i32 = 416;
const HOST_PROCESSOR_SET_PRIV_ID: i32 = 420;

const CLOCK_GET_TIME_ID: i32 = 1000;
const CLOCK_GET_ATTRIBUTES_ID: i32 = 1001;

const PROCESSOR_START_ID: i32 = 3000;
const PROCESSOR_EXIT_ID: i32 = 3001;
const PROCESSOR_INFO_ID: i32 = 3002;

const PROCESSOR_SET_STATISTICS_ID: i32 = 4000;
const PROCESSOR_SET_TASKS_ID: i32 = 4005;
const PROCESSOR_SET_THREADS_ID: i32 = 4006;
const PROCESSOR_SET_INFO_ID: i32 = 4009;

/// MIG's bounds of `host_info_t`, `host_info64_t`, `processor_info_t`,
/// `processor_set_info_t`, `kernel_version_t`.
const HOST_INFO_MAX: u32 = 68;
const HOST_INFO64_MAX: u32 = 256;
const PROCESSOR_INFO_MAX: u32 = 12;
const PSET_INFO_MAX: u32 = 5;
const KERNEL_VERSION_MAX: usize = 512;

/// `convert_port_to_host`: the host or host-priv port.
fn host_of(object: &KObject) -> KResult<Arc<Host>> {
    match object {
        KObject::Host | KObject::HostPriv => Host::get(),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `convert_port_to_host_priv`.
fn host_priv_of(object: &KObject) -> KResult<Arc<Host>> {
    match object {
        KObject::HostPriv => Host::get(),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// The clock a clock service or control port names.
fn clock_of(object: &KObject) -> KResult<u32> {
    match object {
        KObject::Clock(id) | KObject::ClockCtrl(id) => Ok(*id),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// A reply with a right and an `info` array: `{body; port; NDR; count;
/// words}` (`processor_info`, `processor_set_info`: the host port).
fn host_and_info(words: &[u32], out: &mut Outbox) -> KResult<Reply> {
    let host = Host::get()?;
    let mut r = Reply::complex(1)?;
    r.port(Host::right(&host.port), out)?;
    if let Err(kr) = r
        .ndr()
        .and_then(|()| r.u32(words.len() as u32))
        .and_then(|()| r.u32s(words))
    {
        r.discard(out);
        return Err(kr);
    }
    Ok(r)
}

/// New send rights to `ports`.
fn rights_to(ports: &[Arc<crate::port::Port>]) -> KResult<UVec<MsgPort>> {
    let mut v = UVec::with_capacity(ports.len(), gfp_user())?;
    for p in ports {
        // Cannot fail: reserved above.
        let _ = v.push_within_capacity(Host::right(p));
    }
    Ok(v)
}

/// `host_kernel_version`: `{NDR; RetCode; offset; count; chars}`, the
/// count including the NUL.
fn kernel_version() -> KResult<Reply> {
    let s = process::kernel_version::<KERNEL_VERSION_MAX>();
    let n = s
        .iter()
        .position(|&c| c == 0)
        .unwrap_or(KERNEL_VERSION_MAX - 1)
        + 1;
    let mut r = Reply::ok()?;
    r.u32(0)?;
    r.u32(n as u32)?;
    let mut bytes = [0u8; KERNEL_VERSION_MAX];
    bytes[..n - 1].copy_from_slice(&s[..n - 1]);
    r.bytes(&bytes[..n])?;
    Ok(r)
}

/// The reply of a get or swap of exception ports: 32 port descriptors
/// (NULL past the entries), then the masks, behaviors and flavors.
fn exception_reply(entries: KVec<ExcEntry>, out: &mut Outbox) -> KResult<Reply> {
    let n = entries.len();
    let mut r = match Reply::complex(EXC_ARRAY_MAX as u32) {
        Ok(r) => r,
        Err(kr) => {
            for e in entries {
                ipc_object::release_msgport(e.port, out);
            }
            return Err(kr);
        }
    };
    let mut masks = [0u32; EXC_ARRAY_MAX];
    let mut behaviors = [0u32; EXC_ARRAY_MAX];
    let mut flavors = [0u32; EXC_ARRAY_MAX];
    let mut failed = None;
    for (i, e) in entries.into_iter().enumerate() {
        masks[i] = e.mask;
        behaviors[i] = e.behavior as u32;
        flavors[i] = e.flavor as u32;
        if failed.is_some() {
            ipc_object::release_msgport(e.port, out);
        } else if let Err(kr) = r.port(e.port, out) {
            failed = Some(kr);
        }
    }
    for _ in n..EXC_ARRAY_MAX {
        if failed.is_none() {
            if let Err(kr) = r.port(MsgPort::Null, out) {
                failed = Some(kr);
            }
        }
    }
    if let Some(kr) = failed {
        r.discard(out);
        return Err(kr);
    }
    let scalars = r
        .ndr()
        .and_then(|()| r.u32(n as u32))
        .and_then(|()| r.u32s(&masks[..n]))
        .and_then(|()| r.u32s(&behaviors[..n]))
        .and_then(|()| r.u32s(&flavors[..n]));
    if let Err(kr) = scalars {
        r.discard(out);
        return Err(kr);
    }
    Ok(r)
}

/// `host_set_exception_ports` / `host_swap_exception_ports`.
fn set_exception_ports(
    object: &KObject,
    swap: bool,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> KResult<Reply> {
    let mut req = Request::new(msg, 1)?;
    let [mask, behavior, flavor] = req.scalars::<3>()?;
    let p = req.take_port(0, MSG_TYPE_PORT_SEND)?;
    let host = match host_priv_of(object) {
        Ok(h) => h,
        Err(kr) => return fail_with(kr, p, out),
    };
    // host_swap_exception_ports checks the behavior with
    // MACH_EXCEPTION_CODES still set (XNU 10.11).
    if let Err(kr) = exception::check_set(mask, &p, behavior as i32, flavor as i32, !swap) {
        return fail_with(kr, p, out);
    }
    let old = {
        let mut exc = host.exceptions.lock();
        let old = if swap { exc.get(mask) } else { Ok(KVec::new()) };
        if old.is_ok() {
            exc.set(mask, &p, behavior as i32, flavor as i32, out);
        }
        old
    };
    ipc_object::release_msgport(p, out);
    if swap {
        exception_reply(old?, out)
    } else {
        old?;
        Reply::ok()
    }
}

/// The tasks of the system (`processor_set_tasks`), at most as many as a
/// message may carry rights.
fn all_tasks() -> KResult<KVec<Arc<Task>>> {
    let tasks = TASKS.lock();
    let n = tasks.len().min(limits::max_msg_rights() as usize);
    let mut v = KVec::with_capacity(n, GFP_KERNEL)?;
    for t in tasks.iter().take(n) {
        // Cannot fail: reserved above.
        let _ = v.push_within_capacity(t.clone());
    }
    Ok(v)
}

/// `processor_set_tasks` / `processor_set_threads`: send rights to the
/// task (or thread) ports of every task.
fn pset_things(threads: bool, out: &mut Outbox) -> KResult<Reply> {
    let max = limits::max_msg_rights() as usize;
    let mut v: UVec<MsgPort> = UVec::new();
    let mut failed = None;
    for t in all_tasks()?.iter() {
        if failed.is_some() || v.len() >= max {
            break;
        }
        let rights = if threads {
            match t.threads(out) {
                Ok(r) => r,
                Err(_) => continue,
            }
        } else {
            let mut one = UVec::new();
            if let Ok(p) = t.get_special(TASK_KERNEL_PORT) {
                if one.reserve(1, gfp_user()).is_ok() {
                    // Cannot fail: reserved above.
                    let _ = one.push_within_capacity(p);
                } else {
                    failed = Some(Kr::RESOURCE_SHORTAGE);
                    ipc_object::release_msgport(p, out);
                }
            }
            one
        };
        for p in rights {
            if failed.is_none() && v.len() < max && v.reserve(1, gfp_user()).is_ok() {
                // Cannot fail: reserved above.
                let _ = v.push_within_capacity(p);
            } else {
                ipc_object::release_msgport(p, out);
            }
        }
    }
    if let Some(kr) = failed {
        for p in v.drain_all() {
            ipc_object::release_msgport(p, out);
        }
        return Err(kr);
    }
    ports_reply(v, out)
}

/// `processor_start` / `processor_exit`: CPU hotplug, for a privileged
/// caller only (`KERN_FAILURE` otherwise, and when Linux refuses).
fn processor_power(cpu: u32, online: bool) -> KResult<Reply> {
    if !process::privileged() {
        return Err(Kr::FAILURE);
    }
    if process::cpu_online(cpu) == online {
        // Starting a running processor fails in XNU; stopping a stopped
        // one succeeds.
        return if online {
            Err(Kr::FAILURE)
        } else {
            Reply::ok()
        };
    }
    if !process::cpu_set_online(cpu, online) {
        return Err(Kr::FAILURE);
    }
    Reply::ok()
}

/// `clock_get_time`: `{NDR; RetCode; tv_sec; tv_nsec}`.
fn clock_get_time(clock: u32) -> KResult<Reply> {
    let (sec, nsec) = if clock == 0 {
        let ns = process::now_ns();
        ((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as i64)
    } else {
        process::calendar_time()
    };
    let mut r = Reply::ok()?;
    r.u32(sec as u32)?;
    r.u32(nsec as u32)?;
    Ok(r)
}

/// `clock_get_attributes`: one word.
fn clock_get_attributes(clock: u32, flavor: i32, asked: u32) -> KResult<Reply> {
    const CLOCK_GET_TIME_RES: i32 = 1;
    const CLOCK_ALARM_CURRES: i32 = 3;
    const CLOCK_ALARM_MAXRES: i32 = 5;
    if asked != 1 {
        return Err(Kr::FAILURE);
    }
    // 10 ms (XNU's NSEC_PER_SEC / 100); the calendar clock has no alarms.
    let v = match flavor {
        CLOCK_GET_TIME_RES => 10_000_000,
        CLOCK_ALARM_CURRES..=CLOCK_ALARM_MAXRES if clock == 0 => 10_000_000,
        CLOCK_ALARM_CURRES..=CLOCK_ALARM_MAXRES => 0,
        _ => return Err(Kr::INVALID_VALUE),
    };
    info_reply(&[v])
}

/// A host, processor, processor-set or clock routine.
pub(crate) fn routine(
    object: &KObject,
    id: i32,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> KResult<Reply> {
    match id {
        HOST_INFO_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            host_of(object)?;
            info_reply(&host_info::host_info(
                flavor as i32,
                cnt.min(HOST_INFO_MAX),
            )?)
        }
        HOST_KERNEL_VERSION_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            host_of(object)?;
            kernel_version()
        }
        HOST_PAGE_SIZE_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            host_of(object)?;
            let mut r = Reply::ok()?;
            r.u64(kernel::page::PAGE_SIZE as u64)?;
            Ok(r)
        }
        HOST_GET_CLOCK_SERVICE_ID | HOST_GET_CLOCK_CONTROL_ID => {
            let [clock] = Request::new(msg, 0)?.scalars::<1>()?;
            let host = if id == HOST_GET_CLOCK_SERVICE_ID {
                host_of(object)?
            } else {
                host_priv_of(object)?
            };
            let ports = if id == HOST_GET_CLOCK_SERVICE_ID {
                &host.clocks
            } else {
                &host.clock_ctrls
            };
            let p = ports
                .get(clock as usize)
                .filter(|_| (clock as usize) < CLOCK_COUNT)
                .ok_or(Kr::INVALID_ARGUMENT)?;
            port_reply(Host::right(p), out)
        }
        PROCESSOR_SET_DEFAULT_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            let host = host_of(object)?;
            port_reply(Host::right(&host.pset_name_port), out)
        }
        HOST_STATISTICS_ID | HOST_STATISTICS64_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            host_of(object).map_err(|_| Kr::INVALID_HOST)?;
            let words = if id == HOST_STATISTICS_ID {
                host_info::host_statistics(flavor as i32, cnt.min(HOST_INFO_MAX))?
            } else {
                host_info::host_statistics64(flavor as i32, cnt.min(HOST_INFO64_MAX))?
            };
            info_reply(&words)
        }
        HOST_PROCESSORS_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            let host = host_priv_of(object)?;
            ports_reply(rights_to(&host.processors)?, out)
        }
        HOST_GET_SPECIAL_PORT_ID => {
            let [_node, which] = Request::new(msg, 0)?.scalars::<2>()?;
            port_reply(host_priv_of(object)?.get_special(which as i32)?, out)
        }
        HOST_SET_SPECIAL_PORT_ID => {
            set_special_routine(msg, host_priv_of(object), out, |h, which, p| {
                h.set_special(which, p).map(Some)
            })
        }
        HOST_SET_EXCEPTION_PORTS_ID => set_exception_ports(object, false, msg, out),
        HOST_SWAP_EXCEPTION_PORTS_ID => set_exception_ports(object, true, msg, out),
        HOST_GET_EXCEPTION_PORTS_ID => {
            let [mask] = Request::new(msg, 0)?.scalars::<1>()?;
            let host = host_priv_of(object)?;
            exception::check_get(mask)?;
            let entries = host.exceptions.lock().get(mask)?;
            exception_reply(entries, out)
        }
        HOST_PROCESSOR_SET_PRIV_ID => {
            let mut req = Request::new(msg, 1)?;
            req.scalars::<0>()?;
            let p = req.take_port(0, MSG_TYPE_PORT_SEND)?;
            let is_pset = match &p {
                MsgPort::Right(r) => matches!(
                    r.port().inner.lock().kobject,
                    KObject::PsetName | KObject::Pset
                ),
                _ => false,
            };
            ipc_object::release_msgport(p, out);
            let host = host_priv_of(object)?;
            if !is_pset {
                return Err(Kr::INVALID_ARGUMENT);
            }
            port_reply(Host::right(&host.pset_port), out)
        }
        CLOCK_GET_TIME_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            clock_get_time(clock_of(object)?)
        }
        CLOCK_GET_ATTRIBUTES_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            clock_get_attributes(clock_of(object)?, flavor as i32, cnt.min(1))
        }
        PROCESSOR_START_ID | PROCESSOR_EXIT_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            let KObject::Processor(cpu) = object else {
                return Err(Kr::INVALID_ARGUMENT);
            };
            processor_power(*cpu, id == PROCESSOR_START_ID)
        }
        PROCESSOR_INFO_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            let KObject::Processor(cpu) = object else {
                return Err(Kr::INVALID_ARGUMENT);
            };
            let words =
                host_info::processor_info(*cpu, flavor as i32, cnt.min(PROCESSOR_INFO_MAX))?;
            host_and_info(&words, out)
        }
        PROCESSOR_SET_INFO_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            if !matches!(object, KObject::PsetName | KObject::Pset) {
                return Err(Kr::INVALID_ARGUMENT);
            }
            host_and_info(
                &host_info::pset_info(flavor as i32, cnt.min(PSET_INFO_MAX))?,
                out,
            )
        }
        PROCESSOR_SET_STATISTICS_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            if !matches!(object, KObject::PsetName | KObject::Pset) {
                return Err(Kr::INVALID_PROCESSOR_SET);
            }
            info_reply(&host_info::pset_statistics(
                flavor as i32,
                cnt.min(PSET_INFO_MAX),
            )?)
        }
        PROCESSOR_SET_TASKS_ID | PROCESSOR_SET_THREADS_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            if !matches!(object, KObject::Pset) {
                return Err(Kr::INVALID_ARGUMENT);
            }
            pset_things(id == PROCESSOR_SET_THREADS_ID, out)
        }
        _ => Err(Kr::MIG_BAD_ID),
    }
}
