//! Task and host handles: special ports, tasks by pid, task information.

#[macro_use]
mod common;

use common::*;
use machipc::sys::host_special_ports::{HOST_PORT, HOST_PRIV_PORT};
use machipc::{
    port_type, Host, KernReturn, Message, ReceiveRight, RightKind, Semaphore, SyncPolicy, Task,
    TaskSpecialPort,
};

#[test]
fn the_current_task_is_named_by_mach_task_self() {
    let t = Task::current();
    assert_eq!(t.name(), machipc::task_self());
    assert!(port_type(t.name()).unwrap().has(RightKind::Send));
    let me = t
        .special_port(TaskSpecialPort::Kernel)
        .unwrap()
        .expect("our task port");
    assert_eq!(me.name(), t.name(), "the same port, the same name");
    let other = Task::from_port(me);
    assert_eq!(other.name(), machipc::task_self());
}

#[test]
fn the_bootstrap_port_can_be_set_read_back_and_unset() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let t = Task::current();
    let before = t.bootstrap_port().unwrap();
    t.set_special_port(TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let got = t.bootstrap_port().unwrap().expect("a bootstrap port");
    assert_eq!(got.name(), port.name());
    got.send(Message::new(3), NOW).unwrap();
    assert_eq!(port.recv(NOW).unwrap().id(), 3);
    drop(got);
    t.set_special_port(TaskSpecialPort::Bootstrap, before.as_ref())
        .unwrap();
    assert_eq!(refs(port.name(), RightKind::Send), 1, "only ours is left");
}

#[test]
fn a_child_starts_with_its_parents_bootstrap_port() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let child = fork(|| match Task::current().bootstrap_port() {
        Ok(Some(bs)) => i32::from(bs.send(Message::new(9), WAIT).is_err()),
        _ => 2,
    });
    assert_eq!(port.recv(WAIT).unwrap().id(), 9);
    assert_eq!(wait(child), 0);
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, None)
        .unwrap();
}

#[test]
fn the_host_port_and_its_special_ports() {
    let host = Host::current().unwrap();
    assert!(port_type(host.port().name()).unwrap().has(RightKind::Send));
    let again = Host::current().unwrap();
    assert_eq!(
        again.port().name(),
        host.port().name(),
        "one port, one name"
    );
    assert_eq!(host.port().urefs().unwrap(), 2, "each call adds a uref");
    let plain = host.special_port(HOST_PORT).unwrap().expect("HOST_PORT");
    // SAFETY: a plain getter.
    if unsafe { libc::geteuid() } == 0 {
        let private = host
            .special_port(HOST_PRIV_PORT)
            .unwrap()
            .expect("HOST_PRIV_PORT");
        assert_eq!(
            private.name(),
            host.port().name(),
            "root's host port is host-priv"
        );
        assert_ne!(plain.name(), private.name());
    }
}

#[test]
fn an_unprivileged_task_gets_the_plain_host_port() {
    let child = fork(|| {
        become_nobody();
        let Ok(host) = Host::current() else {
            return 2;
        };
        match host.special_port(HOST_PRIV_PORT) {
            Err(_) => 0,
            Ok(_) => 3,
        }
    });
    assert_eq!(wait(child), 0);
}

fn getpid() -> i32 {
    std::process::id() as i32
}

/// Fields of `/proc/self/statm` (pages).
fn statm() -> Vec<u64> {
    std::fs::read_to_string("/proc/self/statm")
        .unwrap()
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect()
}

fn page() -> u64 {
    // SAFETY: a plain getter.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as u64 }
}

/// Our CPU time so far (all threads, live and exited).
fn rusage_cpu() -> std::time::Duration {
    // SAFETY: a valid out pointer.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) }, 0);
    let tv = |t: libc::timeval| {
        std::time::Duration::new(t.tv_sec as u64, 0)
            + std::time::Duration::from_micros(t.tv_usec as u64)
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn spin(d: std::time::Duration) {
    let t0 = std::time::Instant::now();
    let mut x = 0u64;
    while t0.elapsed() < d {
        x = x.wrapping_add(std::hint::black_box(1));
    }
    std::hint::black_box(x);
}

#[test]
fn task_for_pid_on_ourselves_gives_our_own_task_port() {
    let t = Task::for_pid(getpid()).unwrap();
    assert_eq!(
        t.name(),
        machipc::task_self(),
        "the same port, the same name"
    );
    assert!(t.is_current());
    assert_eq!(t.pid().unwrap(), getpid());
    assert_eq!(Task::current().pid().unwrap(), getpid());
    assert!(Task::current().is_current());
    drop(t);
    assert!(port_type(machipc::task_self())
        .unwrap()
        .has(RightKind::Send));
}

#[test]
fn task_for_pid_on_a_child_gives_its_task() {
    let holder = Holder::new(false);
    let t = Task::for_pid(holder.pid).unwrap();
    assert_ne!(t.name(), machipc::task_self());
    assert!(!t.is_current());
    assert_eq!(t.pid().unwrap(), holder.pid);
    assert_eq!(t.audit_token().unwrap().pid(), holder.pid);
    assert!(t.basic_info().unwrap().virtual_size > 0);
    // Its task port: a message to its kernel port reaches its task (the
    // special port is the same port).
    let k = t.special_port(TaskSpecialPort::Kernel).unwrap().unwrap();
    assert_eq!(k.name(), t.name());
}

#[test]
fn task_for_pid_of_no_process_fails() {
    let child = fork(|| 0);
    assert_eq!(wait(child), 0);
    assert_eq!(Task::for_pid(child).err(), Some(KernReturn::FAILURE));
    assert_eq!(Task::for_pid(-1).err(), Some(KernReturn::FAILURE));
    assert_eq!(Task::name_for_pid(child).err(), Some(KernReturn::FAILURE));
}

#[test]
fn an_unprivileged_task_cannot_get_another_users_task() {
    // SAFETY: a plain getter.
    if unsafe { libc::geteuid() } != 0 {
        println!("\nSKIP: needs root, to have a task of another user");
        return;
    }
    let me = getpid();
    let child = fork(move || {
        become_nobody();
        match Task::for_pid(me) {
            Err(KernReturn::FAILURE) => {}
            _ => return 2,
        }
        // Nor its name port (that needs our uids too).
        match Task::name_for_pid(me) {
            Err(KernReturn::FAILURE) => {}
            _ => return 3,
        }
        // Its own task it may have, and its own name port.
        // SAFETY: a plain getter.
        let own = unsafe { libc::getpid() };
        match Task::for_pid(own) {
            Ok(t) if t.is_current() => {}
            _ => return 4,
        }
        match Task::name_for_pid(own).and_then(|t| t.audit_token()) {
            Ok(token) if token.pid() == own => 0,
            _ => 5,
        }
    });
    assert_eq!(wait(child), 0);
}

#[test]
fn a_task_name_port_gives_information_but_no_control() {
    let holder = Holder::new(true);
    let name = Task::name_for_pid(holder.pid).unwrap();
    assert!(!name.is_current());
    let token = name.audit_token().unwrap();
    assert_eq!((token.pid(), token.euid()), (holder.pid, 65534));
    assert!(name.basic_info().is_ok());
    assert!(name.threads().is_err());
    assert!(Semaphore::new(&name, SyncPolicy::FIFO, 0).is_err());
    assert!(name.special_port(TaskSpecialPort::Kernel).is_err());
}

#[test]
fn pid_for_task_accepts_a_task_name_port() {
    let holder = Holder::new(false);
    let name = Task::name_for_pid(holder.pid).unwrap();
    match name.pid() {
        Ok(pid) => assert_eq!(pid, holder.pid),
        // xnu-3248 takes only task ports (port_name_to_task); later XNU
        // takes name ports too (port_name_to_task_name).
        Err(KernReturn::FAILURE) => println!(
            "\nSKIP: the module's pid_for_task refuses task name ports (XNU 10.11 does; later XNU accepts them)"
        ),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn task_basic_info_matches_proc() {
    let before = statm();
    let i = Task::current().basic_info().unwrap();
    let after = statm();
    let (pg, slack) = (page(), 4 << 20);
    let (vlo, vhi) = lo_hi(&before, &after, 0, pg);
    assert!(
        i.virtual_size + slack >= vlo && i.virtual_size <= vhi + slack,
        "virtual {} vs {vlo}..{vhi}",
        i.virtual_size
    );
    let (rlo, rhi) = lo_hi(&before, &after, 1, pg);
    assert!(
        i.resident_size + slack >= rlo && i.resident_size <= rhi + slack,
        "resident {} vs {rlo}..{rhi}",
        i.resident_size
    );
    assert!(i.resident_size_max + slack >= i.resident_size);
    assert_eq!(i.policy, machipc::sys::policy::POLICY_TIMESHARE);
    assert_eq!(i.suspend_count, 0);
}

/// The bytes of statm field `f` before and after, least first.
fn lo_hi(before: &[u64], after: &[u64], f: usize, pg: u64) -> (u64, u64) {
    (before[f].min(after[f]) * pg, before[f].max(after[f]) * pg)
}

#[test]
fn task_times_add_up_to_the_process_cpu_time() {
    // An exited thread's time goes to basic_info, a live one's to
    // thread_times.
    std::thread::spawn(|| spin(std::time::Duration::from_millis(150)))
        .join()
        .unwrap();
    spin(std::time::Duration::from_millis(100));
    let before = rusage_cpu();
    let t = Task::current();
    let dead = t.basic_info().unwrap();
    let live = t.thread_times().unwrap();
    let after = rusage_cpu();
    let total = dead.user_time + dead.system_time + live.user_time + live.system_time;
    let slack = std::time::Duration::from_millis(100);
    assert!(
        total + slack >= before && total <= after + slack,
        "{total:?} vs {before:?}..{after:?}"
    );
    assert!(
        dead.user_time + dead.system_time >= std::time::Duration::from_millis(50),
        "the exited thread's time: {dead:?}"
    );
    assert!(
        live.user_time + live.system_time >= std::time::Duration::from_millis(50),
        "ours: {live:?}"
    );
}

#[test]
fn task_tokens_are_the_ids_a_message_carries() {
    let t = Task::current();
    let audit = t.audit_token().unwrap();
    let sec = t.security_token().unwrap();
    // SAFETY: plain getters.
    let (euid, egid, uid, gid) = unsafe {
        (
            libc::geteuid(),
            libc::getegid(),
            libc::getuid(),
            libc::getgid(),
        )
    };
    assert_eq!(audit.pid(), getpid());
    assert_eq!((audit.euid(), audit.egid()), (euid, egid));
    assert_eq!((audit.ruid(), audit.rgid()), (uid, gid));
    assert_eq!((sec.uid, sec.gid), (euid, egid));
    let port = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(1), NOW)
        .unwrap();
    let m = port.recv(NOW).unwrap();
    assert_eq!(m.audit_token(), audit);
    assert_eq!(m.trailer().unwrap().sender, [sec.uid, sec.gid]);
}

#[test]
fn an_unprivileged_childs_tokens_are_its_own() {
    let holder = Holder::new(true);
    let t = Task::for_pid(holder.pid).unwrap();
    let a = t.audit_token().unwrap();
    assert_eq!(
        (a.pid(), a.euid(), a.egid(), a.ruid()),
        (holder.pid, 65534, 65534, 65534)
    );
    assert_eq!(
        t.security_token().unwrap(),
        machipc::SecurityToken {
            uid: 65534,
            gid: 65534
        }
    );
}
