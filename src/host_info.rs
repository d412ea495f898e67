// SPDX-License-Identifier: GPL-2.0

//! The figures of `host_info`, `host_statistics`, `host_statistics64`,
//! `processor_info`, `processor_set_info` and `processor_set_statistics`
//! (XNU `host.c`, `processor.c`), from the running Linux kernel.
//!
//! Each returns the flavor's words (`integer_t`s, as MIG carries them) or
//! XNU's code: a count below the flavor's gives `KERN_FAILURE` for the
//! host and processor flavors, an unknown flavor `KERN_INVALID_ARGUMENT`.

use kernel::prelude::*;

use crate::{mach::*, process};

/// `POLICY_TIMESHARE`, `POLICY_RR`, `POLICY_FIFO`.
const POLICY_TIMESHARE: u32 = 1;
const POLICY_RR: u32 = 2;
const POLICY_FIFO: u32 = 4;

/// Priorities of `osfmk/kern/sched.h`.
const BASEPRI_DEFAULT: u32 = 31;
const MAXPRI_USER: u32 = 63;

/// `LOAD_SCALE`.
const LOAD_SCALE: u32 = 1000;

#[cfg(target_arch = "x86_64")]
const CPU: (u32, u32) = (0x0100_0007, 3); // CPU_TYPE_X86_64, CPU_SUBTYPE_X86_64_ALL
#[cfg(target_arch = "aarch64")]
const CPU: (u32, u32) = (0x0100_000c, 0); // CPU_TYPE_ARM64, CPU_SUBTYPE_ARM64_ALL
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const CPU: (u32, u32) = (u32::MAX, 0); // CPU_TYPE_ANY

fn words(v: &[u32]) -> KResult<KVec<u32>> {
    let mut out = KVec::with_capacity(v.len(), GFP_KERNEL)?;
    for x in v {
        out.push(*x, GFP_KERNEL)?;
    }
    Ok(out)
}

fn u64_words(out: &mut [u32], at: usize, v: u64) {
    out[at] = v as u32;
    out[at + 1] = (v >> 32) as u32;
}

fn clamp32(v: u64) -> u32 {
    v.min(u64::from(u32::MAX)) as u32
}

/// `host_info`; `asked` is the caller's count (at most MIG's 68).
pub(crate) fn host_info(flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const HOST_BASIC_INFO: i32 = 1;
    const HOST_SCHED_INFO: i32 = 3;
    const HOST_RESOURCE_SIZES: i32 = 4;
    const HOST_PRIORITY_INFO: i32 = 5;
    const HOST_SEMAPHORE_TRAPS: i32 = 7;
    const HOST_MACH_MSG_TRAP: i32 = 8;
    match flavor {
        HOST_BASIC_INFO => {
            // HOST_BASIC_INFO_COUNT 12; the old count 5 gets the first five.
            if asked < 5 {
                return Err(Kr::FAILURE);
            }
            let (possible, online) = process::cpu_counts();
            let mem = process::host_memory();
            let bytes = mem[0] * mem[7];
            let mut v = [0u32; 12];
            v[0] = possible;
            v[1] = online;
            v[2] = clamp32(bytes.min(1 << 31));
            v[3] = CPU.0;
            v[4] = CPU.1;
            if asked < 12 {
                return words(&v[..5]);
            }
            v[5] = 0; // cpu_threadtype: CPU_THREADTYPE_NONE
            v[6] = online; // physical_cpu
            v[7] = possible; // physical_cpu_max
            v[8] = online; // logical_cpu
            v[9] = possible; // logical_cpu_max
            u64_words(&mut v, 10, bytes);
            words(&v)
        }
        HOST_SCHED_INFO => {
            if asked < 2 {
                return Err(Kr::FAILURE);
            }
            let tick = process::tick_ms();
            words(&[tick, tick])
        }
        HOST_PRIORITY_INFO => {
            if asked < 8 {
                return Err(Kr::FAILURE);
            }
            // kernel, system, server, user, depress, idle, minimum, maximum.
            words(&[80, 80, 64, BASEPRI_DEFAULT, 0, 0, 0, 79])
        }
        HOST_SEMAPHORE_TRAPS | HOST_MACH_MSG_TRAP => Ok(KVec::new()),
        HOST_RESOURCE_SIZES => Err(Kr::INVALID_ARGUMENT),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// The load averages and mach factors (both scaled by `LOAD_SCALE`).
fn load_info() -> [u32; 6] {
    let load = process::loadavg();
    let (_, online) = process::cpu_counts();
    let avail = online * LOAD_SCALE;
    [
        load[0],
        load[1],
        load[2],
        avail.saturating_sub(load[0]),
        avail.saturating_sub(load[1]),
        avail.saturating_sub(load[2]),
    ]
}

/// The ticks of every CPU, summed (user, system, idle, nice).
fn cpu_load() -> [u32; 4] {
    let (possible, _) = process::cpu_counts();
    let mut sum = [0u64; 4];
    for cpu in 0..possible {
        for (s, t) in sum.iter_mut().zip(process::cpu_ticks(cpu)) {
            *s += t;
        }
    }
    sum.map(|t| t as u32)
}

/// `vm_statistics` (`HOST_VM_INFO`, 15 words, REV2).
fn vm_info() -> [u32; 15] {
    let m = process::host_memory();
    let e = process::vm_events();
    let mut v = [0u32; 15];
    v[0] = m[1] as u32; // free_count
    v[1] = m[2] as u32; // active_count
    v[2] = m[3] as u32; // inactive_count
    v[3] = m[4] as u32; // wire_count
    v[4] = (e[0] - e[1].min(e[0])) as u32; // zero_fill_count: minor faults
    v[6] = e[2] as u32; // pageins
    v[7] = e[3] as u32; // pageouts
    v[8] = e[0] as u32; // faults
    v
}

/// `host_statistics`; `asked` is the caller's count (at most 68).
pub(crate) fn host_statistics(flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const HOST_LOAD_INFO: i32 = 1;
    const HOST_VM_INFO: i32 = 2;
    const HOST_CPU_LOAD_INFO: i32 = 3;
    match flavor {
        HOST_LOAD_INFO => {
            if asked < 6 {
                return Err(Kr::FAILURE);
            }
            words(&load_info())
        }
        HOST_VM_INFO => {
            // REV0 12, REV1 14, REV2 15 words.
            let n = match asked {
                0..=11 => return Err(Kr::FAILURE),
                12..=13 => 12,
                14 => 14,
                _ => 15,
            };
            words(&vm_info()[..n])
        }
        HOST_CPU_LOAD_INFO => {
            if asked < 4 {
                return Err(Kr::FAILURE);
            }
            words(&cpu_load())
        }
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `host_statistics64`; `asked` is the caller's count (at most 256).
pub(crate) fn host_statistics64(flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const HOST_VM_INFO64: i32 = 4;
    if flavor != HOST_VM_INFO64 {
        return host_statistics(flavor, asked);
    }
    // vm_statistics64: REV0 24 words, REV1 38.
    if asked < 24 {
        return Err(Kr::FAILURE);
    }
    let m = process::host_memory();
    let e = process::vm_events();
    let mut v = [0u32; 38];
    v[0] = m[1] as u32; // free_count
    v[1] = m[2] as u32; // active_count
    v[2] = m[3] as u32; // inactive_count
    v[3] = m[4] as u32; // wire_count
    u64_words(&mut v, 4, e[0] - e[1].min(e[0])); // zero_fill_count
    u64_words(&mut v, 8, e[2]); // pageins
    u64_words(&mut v, 10, e[3]); // pageouts
    u64_words(&mut v, 12, e[0]); // faults
    u64_words(&mut v, 26, e[4]); // swapins
    u64_words(&mut v, 28, e[5]); // swapouts
    v[34] = m[5] as u32; // external_page_count: file-backed
    v[35] = m[6] as u32; // internal_page_count: anonymous
    words(&v[..if asked < 38 { 24 } else { 38 }])
}

/// `processor_info` of CPU `cpu`; `asked` at most 12.
pub(crate) fn processor_info(cpu: u32, flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const PROCESSOR_BASIC_INFO: i32 = 1;
    const PROCESSOR_CPU_LOAD_INFO: i32 = 2;
    match flavor {
        PROCESSOR_BASIC_INFO => {
            if asked < 5 {
                return Err(Kr::FAILURE);
            }
            let running = u32::from(process::cpu_online(cpu));
            words(&[CPU.0, CPU.1, running, cpu, u32::from(cpu == 0)])
        }
        PROCESSOR_CPU_LOAD_INFO => {
            if asked < 4 {
                return Err(Kr::FAILURE);
            }
            words(&process::cpu_ticks(cpu).map(|t| t as u32))
        }
        // XNU hands other flavors to cpu_info(), which fails on x86.
        _ => Err(Kr::FAILURE),
    }
}

/// `processor_set_info` of the default set; `asked` at most 5.
pub(crate) fn pset_info(flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const PROCESSOR_SET_BASIC_INFO: i32 = 5;
    const PROCESSOR_SET_ENABLED_POLICIES: i32 = 3;
    const PROCESSOR_SET_TIMESHARE_DEFAULT: i32 = 10;
    const PROCESSOR_SET_TIMESHARE_LIMITS: i32 = 11;
    const PROCESSOR_SET_RR_DEFAULT: i32 = 20;
    const PROCESSOR_SET_RR_LIMITS: i32 = 21;
    const PROCESSOR_SET_FIFO_DEFAULT: i32 = 30;
    const PROCESSOR_SET_FIFO_LIMITS: i32 = 31;
    let v: KVec<u32> = match flavor {
        PROCESSOR_SET_BASIC_INFO => words(&[process::cpu_counts().1, POLICY_TIMESHARE])?,
        PROCESSOR_SET_ENABLED_POLICIES => words(&[POLICY_TIMESHARE | POLICY_RR | POLICY_FIFO])?,
        PROCESSOR_SET_TIMESHARE_DEFAULT | PROCESSOR_SET_FIFO_DEFAULT => words(&[BASEPRI_DEFAULT])?,
        PROCESSOR_SET_RR_DEFAULT => words(&[BASEPRI_DEFAULT, process::tick_ms()])?,
        PROCESSOR_SET_TIMESHARE_LIMITS | PROCESSOR_SET_RR_LIMITS | PROCESSOR_SET_FIFO_LIMITS => {
            words(&[MAXPRI_USER])?
        }
        _ => return Err(Kr::INVALID_ARGUMENT),
    };
    if (asked as usize) < v.len() {
        return Err(Kr::FAILURE);
    }
    Ok(v)
}

/// `processor_set_statistics` of the default set; `asked` at most 5.
pub(crate) fn pset_statistics(flavor: i32, asked: u32) -> KResult<KVec<u32>> {
    const PROCESSOR_SET_LOAD_INFO: i32 = 4;
    if flavor != PROCESSOR_SET_LOAD_INFO {
        return Err(Kr::INVALID_ARGUMENT);
    }
    if asked < 4 {
        return Err(Kr::FAILURE);
    }
    let (procs, threads) = process::process_counts();
    let load = load_info();
    words(&[procs, threads, load[0], load[3]])
}
