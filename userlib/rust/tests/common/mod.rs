//! Helpers shared by the integration tests (they run in the test guest,
//! each `#[test]` in a process of its own).
#![allow(dead_code)]

use std::time::Duration;

use machipc::{port_refs, port_type, KernReturn, Name, RightKind};

/// How long a receive waits for something that is due (TCG is slow).
pub const WAIT: Option<Duration> = Some(Duration::from_secs(20));
/// A poll.
pub const NOW: Option<Duration> = Some(Duration::ZERO);

/// Skips the test (the runner reports `# SKIP`) unless the kernel module
/// has pollable ports (`mach_port_get_fd`).
#[macro_export]
macro_rules! require_port_fd {
    () => {
        if !machipc::port_fd_supported() {
            println!(
                "\nSKIP: the machipc module has no pollable ports (mach_port_get_fd: {:?})",
                machipc::port_fd_unsupported_reason()
            );
            return;
        }
    };
}

/// Whether `name` is gone from our space.
pub fn gone(name: Name) -> bool {
    port_type(name) == Err(KernReturn::INVALID_NAME)
}

/// The user references of `kind` under `name` (0 if none or gone).
pub fn refs(name: Name, kind: RightKind) -> u32 {
    port_refs(name, kind).unwrap_or(0)
}

/// Runs `f` in a forked child (a new Mach task) and returns its pid; the
/// child exits with `f`'s status.
pub fn fork(f: impl FnOnce() -> i32) -> libc::pid_t {
    // SAFETY: the child only runs `f` and exits without unwinding.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(101);
        // SAFETY: ends the child at once, without the parent's atexit work.
        unsafe { libc::_exit(code) };
    }
    pid
}

/// Waits for a child; its exit status (or 128 + signal).
pub fn wait(pid: libc::pid_t) -> i32 {
    let mut st = 0;
    // SAFETY: a valid out pointer.
    let r = unsafe { libc::waitpid(pid, &mut st, 0) };
    assert_eq!(r, pid, "waitpid");
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else {
        128 + libc::WTERMSIG(st)
    }
}

/// Drops to the unprivileged user (uid/gid 65534), as hostile tests run.
pub fn become_nobody() {
    // SAFETY: plain system calls.
    unsafe {
        assert_eq!(libc::setgroups(0, std::ptr::null()), 0, "setgroups");
        assert_eq!(libc::setgid(65534), 0, "setgid");
        assert_eq!(libc::setuid(65534), 0, "setuid");
    }
}

/// Whether `len` bytes at `addr` are mapped (mincore fails with ENOMEM on
/// an unmapped page).
pub fn mapped(addr: *const u8, len: usize) -> bool {
    let page = 4096;
    let start = (addr as usize) & !(page - 1);
    let pages = (addr as usize + len - start).div_ceil(page);
    let mut vec = vec![0u8; pages];
    // SAFETY: `vec` has one byte per page.
    unsafe { libc::mincore(start as *mut libc::c_void, pages * page, vec.as_mut_ptr()) == 0 }
}

/// Forks a child (a new Mach task) that gets a copy of each of `rights`
/// from us in a message, and returns its pid; the child exits with
/// `f(its copies)`. (A child starts with none of our rights: it asks for
/// them through the bootstrap port, which it inherits.)
pub fn fork_with_rights(
    rights: &[&machipc::SendRight],
    f: impl FnOnce(Vec<machipc::SendRight>) -> i32,
) -> libc::pid_t {
    use machipc::{Descriptor, Message, OutPort, PortRight, ReceiveRight, Task, TaskSpecialPort};
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let task = Task::current();
    let before = task.bootstrap_port().unwrap();
    task.set_special_port(TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let child = fork(move || {
        let Ok(Some(bs)) = Task::current().bootstrap_port() else {
            return 90;
        };
        let Ok(mine) = ReceiveRight::new() else {
            return 91;
        };
        if Message::new(1)
            .reply(OutPort::MakeSendOnce(&mine))
            .send_to(&bs, WAIT)
            .is_err()
        {
            return 92;
        }
        let Ok(mut m) = mine.recv(WAIT) else {
            return 93;
        };
        let got: Vec<_> = m
            .take_descriptors()
            .into_iter()
            .filter_map(|d| match d {
                Descriptor::Port(PortRight::Send(s)) => Some(s),
                _ => None,
            })
            .collect();
        f(got)
    });
    let mut req = port.recv(WAIT).unwrap();
    let mut reply = Message::new(2);
    for r in rights {
        reply = reply.port(OutPort::CopySend(r));
    }
    req.reply(reply).unwrap();
    task.set_special_port(TaskSpecialPort::Bootstrap, before.as_ref())
        .unwrap();
    child
}

/// A child process that has its Mach task and waits until dropped (then
/// exits): something to look at with `task_for_pid`.
pub struct Holder {
    pub pid: libc::pid_t,
    wr: libc::c_int,
}

impl Holder {
    /// Forks it (`nobody`: as uid 65534, still dumpable so that its own
    /// user may take its task port, as ptrace would).
    pub fn new(nobody: bool) -> Holder {
        let (mut p, mut ready) = ([0; 2], [0; 2]);
        // SAFETY: valid arrays.
        unsafe {
            assert_eq!(libc::pipe(p.as_mut_ptr()), 0);
            assert_eq!(libc::pipe(ready.as_mut_ptr()), 0);
        }
        let pid = fork(|| {
            // SAFETY: plain system calls on our descriptors.
            unsafe {
                libc::close(p[1]);
                libc::close(ready[0]);
                if nobody {
                    become_nobody();
                    libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0);
                }
                if machipc::task_self() == 0 || libc::write(ready[1], b"r".as_ptr().cast(), 1) != 1
                {
                    return 2;
                }
                let mut c = 0u8;
                while libc::read(p[0], (&raw mut c).cast(), 1) > 0 {}
            }
            0
        });
        let mut c = 0u8;
        // SAFETY: plain system calls on our descriptors.
        unsafe {
            libc::close(p[0]);
            libc::close(ready[1]);
            assert_eq!(
                libc::read(ready[0], (&raw mut c).cast(), 1),
                1,
                "holder ready"
            );
            libc::close(ready[0]);
        }
        Holder { pid, wr: p[1] }
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        // SAFETY: closing our end ends the holder.
        unsafe { libc::close(self.wr) };
        let st = wait(self.pid);
        if !std::thread::panicking() {
            assert_eq!(st, 0, "holder exit status");
        }
    }
}

/// Waits (20 s at most) for `cond`.
pub fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    cond()
}
