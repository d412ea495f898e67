// SPDX-License-Identifier: GPL-2.0

//! `task_info` (XNU `task.c`): what a task port (or task name port) tells
//! about its task, from the Linux process. Layouts are those of
//! `<mach/task_info.h>` for a 64-bit task (`#pragma pack(4)`), as words.

use kernel::prelude::*;

use crate::{kmsg::Sender, mach::*, task::Task};

const TASK_ABSOLUTETIME_INFO: i32 = 1;
const TASK_THREAD_TIMES_INFO: i32 = 3;
const TASK_BASIC_INFO_32: i32 = 4;
const TASK_BASIC_INFO_64: i32 = 5;
const TASK_BASIC2_INFO_32: i32 = 6;
const TASK_SECURITY_TOKEN: i32 = 13;
const TASK_AUDIT_TOKEN: i32 = 15;
const MACH_TASK_BASIC_INFO: i32 = 20;

/// `POLICY_TIMESHARE`.
const POLICY_TIMESHARE: u32 = 1;

/// A `time_value_t` from nanoseconds.
fn time_value(ns: u64) -> [u32; 2] {
    [
        (ns / 1_000_000_000) as u32,
        ((ns / 1000) % 1_000_000) as u32,
    ]
}

fn push_all(v: &mut KVec<u32>, words: &[u32]) -> KResult {
    for w in words {
        v.push(*w, GFP_KERNEL)?;
    }
    Ok(())
}

fn push_u64(v: &mut KVec<u32>, x: u64) -> KResult {
    push_all(v, &[x as u32, (x >> 32) as u32])
}

/// The words of flavor `flavor` of `task`; `asked` is the caller's count
/// (at most MIG's 52). Too small a count, or an unknown flavor, is
/// `KERN_INVALID_ARGUMENT`.
pub(crate) fn task_info(task: &Task, flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    let need = match flavor {
        TASK_ABSOLUTETIME_INFO => 8,
        TASK_THREAD_TIMES_INFO => 4,
        TASK_BASIC_INFO_32 | TASK_BASIC2_INFO_32 => 8,
        TASK_BASIC_INFO_64 => 10,
        TASK_SECURITY_TOKEN => 2,
        TASK_AUDIT_TOKEN => 8,
        MACH_TASK_BASIC_INFO => 12,
        _ => return Err(Kr::INVALID_ARGUMENT),
    };
    if asked < need {
        return Err(Kr::INVALID_ARGUMENT);
    }
    let mut v = KVec::with_capacity(need as usize, GFP_KERNEL)?;
    if flavor == TASK_SECURITY_TOKEN || flavor == TASK_AUDIT_TOKEN {
        let (sec, audit) = tokens(task)?;
        push_all(
            &mut v,
            if flavor == TASK_SECURITY_TOKEN {
                &sec
            } else {
                &audit
            },
        )?;
        return Ok(v);
    }
    let u = task.owner().task_usage().ok_or(Kr::INVALID_ARGUMENT)?;
    // Terminated threads' times (XNU's total_user_time / total_system_time),
    // and the live threads'.
    let (dead_user, dead_sys) = (
        u.times[0] - u.times[2].min(u.times[0]),
        u.times[1] - u.times[3].min(u.times[1]),
    );
    let (live_user, live_sys) = (u.times[2], u.times[3]);
    let [vsize, rsize, rmax] = u.mem;
    let (user, sys) = (time_value(dead_user), time_value(dead_sys));
    match flavor {
        TASK_ABSOLUTETIME_INFO => {
            for x in [dead_user, dead_sys, live_user, live_sys] {
                push_u64(&mut v, x)?;
            }
        }
        TASK_THREAD_TIMES_INFO => {
            push_all(&mut v, &time_value(live_user))?;
            push_all(&mut v, &time_value(live_sys))?;
        }
        TASK_BASIC_INFO_32 | TASK_BASIC2_INFO_32 => {
            let resident = if flavor == TASK_BASIC2_INFO_32 {
                rmax
            } else {
                rsize
            };
            let c = |x: u64| x.min(u64::from(u32::MAX)) as u32;
            push_all(&mut v, &[0, c(vsize), c(resident)])?;
            push_all(&mut v, &user)?;
            push_all(&mut v, &sys)?;
            v.push(POLICY_TIMESHARE, GFP_KERNEL)?;
        }
        TASK_BASIC_INFO_64 => {
            v.push(0, GFP_KERNEL)?; // suspend_count
            push_u64(&mut v, vsize)?;
            push_u64(&mut v, rsize)?;
            push_all(&mut v, &user)?;
            push_all(&mut v, &sys)?;
            v.push(POLICY_TIMESHARE, GFP_KERNEL)?;
        }
        _ => {
            // MACH_TASK_BASIC_INFO.
            push_u64(&mut v, vsize)?;
            push_u64(&mut v, rsize)?;
            push_u64(&mut v, rmax)?;
            push_all(&mut v, &user)?;
            push_all(&mut v, &sys)?;
            push_all(&mut v, &[POLICY_TIMESHARE, 0])?;
        }
    }
    Ok(v)
}

/// The task's security and audit tokens, as a message from it would
/// carry them, seen from the caller's namespaces.
fn tokens(task: &Task) -> KResult<([u32; 2], [u32; 8])> {
    let st = task.owner().exec_state().ok_or(Kr::INVALID_ARGUMENT)?;
    let sender = Sender {
        pid: Some(task.owner().clone_ref()),
        pidversion: task.pid_version(),
        ids: st.ids,
    };
    Ok(sender.tokens())
}
