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
