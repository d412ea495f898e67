//! Host information against what Linux says (sysconf, uname, clocks).

#[macro_use]
mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use machipc::sys::machine::{CPU_STATE_MAX, CPU_SUBTYPE_X86_64_ALL, CPU_TYPE_X86_64};
use machipc::{Clock, Host};

fn sysconf(name: libc::c_int) -> i64 {
    // SAFETY: a plain getter.
    unsafe { libc::sysconf(name) as i64 }
}

fn monotonic() -> Duration {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out pointer.
    assert_eq!(
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) },
        0
    );
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[test]
fn host_basic_info_matches_sysconf() {
    let i = Host::current().unwrap().basic_info().unwrap();
    // Copies: the struct is packed, as in C.
    let (max_cpus, avail_cpus, memory_size, max_mem) =
        (i.max_cpus, i.avail_cpus, i.memory_size, i.max_mem);
    assert_eq!(i64::from(avail_cpus), sysconf(libc::_SC_NPROCESSORS_ONLN));
    assert_eq!(i64::from(max_cpus), sysconf(libc::_SC_NPROCESSORS_CONF));
    let (logical, logical_max) = (i.logical_cpu, i.logical_cpu_max);
    assert_eq!((logical, logical_max), (avail_cpus, max_cpus));
    let mem = sysconf(libc::_SC_PHYS_PAGES) as u64 * sysconf(libc::_SC_PAGESIZE) as u64;
    assert_eq!(max_mem, mem);
    assert_eq!(u64::from(memory_size), mem.min(1 << 31));
    let (ty, sub) = (i.cpu_type, i.cpu_subtype);
    assert_eq!((ty, sub), (CPU_TYPE_X86_64, CPU_SUBTYPE_X86_64_ALL));
}

#[test]
fn host_page_size_is_the_page_size() {
    let host = Host::current().unwrap();
    let page = sysconf(libc::_SC_PAGESIZE) as usize;
    assert_eq!(host.page_size().unwrap(), page);
    // SAFETY: set by libmach before main.
    assert_eq!(unsafe { machipc::sys::vm_page_size::vm_page_size }, page);
    // SAFETY: as above.
    assert_eq!(
        unsafe { machipc::sys::vm_page_size::round_page(1) },
        page,
        "round_page"
    );
}

#[test]
fn host_sched_and_priority_info() {
    let host = Host::current().unwrap();
    let s = host.sched_info().unwrap();
    assert!(s.min_timeout > 0 && s.min_quantum > 0, "{s:?}");
    let p = host.priority_info().unwrap();
    assert!(p.minimum_priority <= p.user_priority && p.user_priority <= p.maximum_priority);
    assert!(p.user_priority <= p.server_priority && p.server_priority <= p.kernel_priority);
}

#[test]
fn host_statistics_follow_linux() {
    let host = Host::current().unwrap();
    let vm = host.vm_statistics().unwrap();
    let phys = sysconf(libc::_SC_PHYS_PAGES) as u64;
    assert!(
        vm.free_count > 0 && u64::from(vm.free_count) <= phys,
        "{vm:?} of {phys} pages"
    );
    assert!(u64::from(vm.active_count) + u64::from(vm.inactive_count) <= phys);
    let avail = sysconf(libc::_SC_AVPHYS_PAGES) as u64;
    // Free pages, give or take what moved between the two looks.
    let free = u64::from(vm.free_count);
    assert!(free.abs_diff(avail) <= phys / 10, "free {free} vs {avail}");
    assert!(vm.faults > 0);

    let load = host.load_info().unwrap();
    let mut avg = [0f64; 3];
    // SAFETY: room for three.
    assert_eq!(unsafe { libc::getloadavg(avg.as_mut_ptr(), 3) }, 3);
    let scaled = (avg[2] * 1000.0) as i64;
    assert!(
        (i64::from(load.avenrun[2]) - scaled).abs() <= 100,
        "{load:?} vs {avg:?}"
    );

    let a = host.cpu_load_info().unwrap();
    spin_a_little();
    let b = host.cpu_load_info().unwrap();
    assert_eq!(a.cpu_ticks.len(), CPU_STATE_MAX as usize);
    let (ta, tb): (u64, u64) = (
        a.cpu_ticks.iter().map(|&t| u64::from(t)).sum(),
        b.cpu_ticks.iter().map(|&t| u64::from(t)).sum(),
    );
    assert!(tb > ta, "the CPUs' ticks advance: {a:?} {b:?}");
}

fn spin_a_little() {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < Duration::from_millis(100) {
        std::hint::black_box(0);
    }
}

#[test]
fn host_kernel_version_names_the_running_kernel() {
    let v = Host::current().unwrap().kernel_version().unwrap();
    // SAFETY: a valid out pointer.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::uname(&mut u) }, 0);
    // SAFETY: uname's fields are NUL-terminated.
    let release = unsafe { std::ffi::CStr::from_ptr(u.release.as_ptr()) }
        .to_str()
        .unwrap()
        .to_string();
    assert!(v.contains(&release), "{v:?} lacks {release:?}");
}

#[test]
fn host_clocks_tell_the_time() {
    let host = Host::current().unwrap();
    let system = host.clock(Clock::System).unwrap();
    let before = monotonic();
    let t = system.time().unwrap();
    let after = monotonic();
    let slack = Duration::from_millis(20);
    assert!(
        t + slack >= before && t <= after + slack,
        "{t:?} vs {before:?}..{after:?}"
    );
    let res = system.resolution().unwrap();
    assert!(
        res > Duration::ZERO && res <= Duration::from_millis(20),
        "{res:?}"
    );

    let calendar = host.clock(Clock::Calendar).unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let c = calendar.time().unwrap();
    assert!(
        c.abs_diff(now) <= Duration::from_secs(2),
        "{c:?} vs {now:?}"
    );
    // Another host call gives the same clock port.
    let again = host.clock(Clock::System).unwrap();
    assert_eq!(again.port().name(), system.port().name());
}

#[test]
fn mach_absolute_time_is_the_monotonic_clock_in_nanoseconds() {
    use machipc::sys::mach_time::*;
    let mut tb = mach_timebase_info_data_t::default();
    // SAFETY: a valid out pointer.
    assert_eq!(unsafe { mach_timebase_info(&mut tb) }, 0);
    assert_eq!((tb.numer, tb.denom), (1, 1));
    let before = monotonic();
    // SAFETY: plain calls.
    let t = Duration::from_nanos(unsafe { mach_absolute_time() });
    let after = monotonic();
    assert!(t >= before && t <= after, "{t:?}");
    // SAFETY: plain calls.
    let deadline = unsafe { mach_absolute_time() } + 20_000_000;
    assert_eq!(unsafe { mach_wait_until(deadline) }, 0);
    assert!(unsafe { mach_absolute_time() } >= deadline);
}

#[test]
fn an_unprivileged_task_reads_the_host_too() {
    let child = fork(|| {
        become_nobody();
        let Ok(host) = Host::current() else { return 2 };
        let ok = host.basic_info().is_ok()
            && host.page_size().is_ok()
            && host.kernel_version().is_ok()
            && host.clock(Clock::System).and_then(|c| c.time()).is_ok()
            && host.vm_statistics().is_ok();
        i32::from(!ok) * 3
    });
    assert_eq!(wait(child), 0);
}
